// State::apply for the report events: report.{drafted,edited,submitted,received,returned} carry the
// whole report ("report") and report.obligation_{created,overdue,fulfilled,cancelled} the whole
// obligation ("obligation"), as it is after the change; a record whose id is the next of its kind
// is added, any other replaces the record of that id. An open obligation has a timer at its
// deadline (derived, never journaled).
#include "core/ids.h"
#include "engine/state.h"

namespace liandong::engine {

using nlohmann::json;

namespace {

core::Status data_loss(const Event& e, const std::string& why) {
  return {core::Code::kDataLoss, "event " + std::to_string(e.seq) + " (" + e.type + "): " + why};
}

std::string by_key(std::string_view incident_id, std::string_view jurisdiction) {
  return incident_id.empty() ? "@" + std::string(jurisdiction) : std::string(incident_id);
}

const std::vector<size_t> kNone;

}  // namespace

const std::vector<size_t>& State::obligations_of(std::string_view incident_id, std::string_view jurisdiction) const {
  auto it = obligations_by_.find(by_key(incident_id, jurisdiction));
  return it == obligations_by_.end() ? kNone : it->second;
}

const std::vector<size_t>& State::reports_of(std::string_view incident_id, std::string_view jurisdiction) const {
  auto it = reports_by_.find(by_key(incident_id, jurisdiction));
  return it == reports_by_.end() ? kNone : it->second;
}

void State::index_reports() {
  obligations_by_.clear();
  reports_by_.clear();
  for (size_t i = 0; i < v_.obligations.size(); ++i) {
    const Obligation& o = v_.obligations[i];
    obligations_by_[by_key(o.incident_id, o.jurisdiction)].push_back(i);
    set_obligation_timer(i, o, true);
  }
  for (size_t i = 0; i < v_.reports.size(); ++i)
    reports_by_[by_key(v_.reports[i].incident_id, v_.reports[i].jurisdiction)].push_back(i);
}

void State::set_obligation_timer(size_t index, const Obligation& o, bool add) {
  Timer k{core::to_unix_millis(o.due_at), index, Timer::kObligation};
  if (add && o.status == kObligationOpen) timers_.insert(k);
  else if (!add) timers_.erase(k);
}

core::Status State::apply_reports(const Event& e) {
  if (e.type.rfind("report.obligation_", 0) == 0) {
    auto it = e.data.find("obligation");
    if (it == e.data.end()) return data_loss(e, "no obligation");
    auto o = obligation_from_json(*it);
    if (!o) return data_loss(e, o.status().message());
    size_t idx = v_.obligations.size();
    if (o->id != core::format_id(v_.node, core::kKindObligation, idx + 1)) {
      auto at = index_of(o->id, v_.node, core::kKindObligation, v_.obligations.size());
      if (at < 0) return data_loss(e, "out-of-order or unknown id " + o->id);
      idx = size_t(at);
      set_obligation_timer(idx, v_.obligations[idx], false);
      v_.obligations.set(idx, std::make_shared<const Obligation>(*o));
    } else {
      obligations_by_[by_key(o->incident_id, o->jurisdiction)].push_back(idx);
      v_.obligations.push_back(std::make_shared<const Obligation>(*o));
    }
    set_obligation_timer(idx, *o, true);
    return core::Status::ok();
  }
  auto it = e.data.find("report");
  if (it == e.data.end()) return data_loss(e, "no report");
  auto r = report_from_json(*it);
  if (!r) return data_loss(e, r.status().message());
  if (r->id == core::format_id(v_.node, core::kKindReport, v_.reports.size() + 1)) {
    reports_by_[by_key(r->incident_id, r->jurisdiction)].push_back(v_.reports.size());
    v_.reports.push_back(std::make_shared<const ReportRecord>(std::move(*r)));
    return core::Status::ok();
  }
  auto idx = index_of(r->id, v_.node, core::kKindReport, v_.reports.size());
  if (idx < 0) return data_loss(e, "out-of-order or unknown id " + r->id);
  v_.reports.set(idx, std::make_shared<const ReportRecord>(std::move(*r)));
  return core::Status::ok();
}

}  // namespace liandong::engine
