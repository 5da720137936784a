// The report commands (draft, edit, submit, receive/return, the daily duty) and the report duties
// other handlers call: obligations from the report rules (reports::obligations_for) when an office
// learns of an incident, when its grade is confirmed or changes, when it closes, and from a plan's
// report list; their deadlines as timers; settling them when a report is submitted (late with the
// delay when past due). docs/REPORTS.md.
#include <algorithm>

#include "core/ids.h"
#include "core/jurisdiction.h"
#include "engine/internal/handlers.h"
#include "engine/internal/report_text.h"
#include "reports/hierarchy.h"
#include "reports/prefill.h"

namespace liandong::engine::internal {

using nlohmann::json;

core::Status next_daily(Tx& tx, const Obligation& prev);

namespace {

bool in_node(const Tx& tx, const std::string& code) { return check_jurisdiction(tx, code).is_ok(); }

reports::Situation situation(const Tx& tx, const Incident& inc) {
  reports::Situation s;
  const auto* t = tx.rules().taxonomy->find(inc.type);
  s.family = t ? t->family : std::string();
  s.grade = inc.confirmed_grade ? inc.confirmed_grade : inc.proposed_grade;
  s.incident_jurisdiction = inc.jurisdiction;
  s.open = !is_final_status(inc.status);
  return s;
}

// A written report settles written and telephone obligations; a telephone one only telephone ones.
bool channel_settles(const std::string& report_channel, const std::string& obligation_channel) {
  return report_channel == "written" || report_channel == obligation_channel;
}

bool same_key(const Obligation& o, const std::string& incident_id, const std::string& type, const std::string& channel,
              const std::string& from, const std::string& to) {
  return o.incident_id == incident_id && o.report_type == type && o.channel == channel && o.jurisdiction == from &&
         o.to_jurisdiction == to;
}

// The offices that know of the incident: its own, and every office a report of it went to.
std::vector<std::string> knowing_offices(const Tx& tx, const Incident& inc) {
  std::vector<std::string> out{inc.jurisdiction};
  const View& v = tx.view();
  for (size_t i : tx.state().reports_of(inc.id, "")) {
    const ReportRecord& r = v.reports[i];
    if (r.incident_id != inc.id || r.versions.empty()) continue;
    if (std::find(out.begin(), out.end(), r.to_jurisdiction) == out.end() && in_node(tx, r.to_jurisdiction))
      out.push_back(r.to_jurisdiction);
  }
  return out;
}

// The submitted report that already settles an obligation of this key, or nullptr.
const ReportRecord* settling_report(const Tx& tx, const Obligation& o) {
  const View& v = tx.view();
  if (o.incident_id.empty()) return nullptr;
  for (size_t i : tx.state().reports_of(o.incident_id, "")) {
    const ReportRecord& r = v.reports[i];
    if (!r.versions.empty() && r.incident_id == o.incident_id && r.type == o.report_type &&
        r.jurisdiction == o.jurisdiction && r.to_jurisdiction == o.to_jurisdiction &&
        channel_settles(r.channel, o.channel))
      return &r;
  }
  return nullptr;
}

core::Status emit_obligation(Tx& tx, const char* type, const Obligation& o) {
  return tx.emit(type, o.jurisdiction, {{"obligation", to_json(o)}});
}

// Creates the obligations `dues` give, unless one of the same key is already owed or (for a
// one-off report) was ever owed; a stricter deadline tightens an open one.
core::Status create(Tx& tx, const std::string& incident_id, bool exercise, const std::vector<reports::Due>& dues,
                    const std::string& trigger) {
  for (const auto& d : dues) {
    if (d.from_jurisdiction.empty() || d.to_jurisdiction.empty() || !in_node(tx, d.from_jurisdiction)) continue;
    bool repeating = d.report_type == "progress" || d.report_type == "daily" || d.daily_minute >= 0;
    const Obligation* same = nullptr;
    const View& v = tx.view();
    const auto& mine = tx.state().obligations_of(incident_id, d.from_jurisdiction);
    for (size_t k = mine.size(); k-- > 0;) {
      const Obligation& o = v.obligations[mine[k]];
      if (!same_key(o, incident_id, d.report_type, d.channel, d.from_jurisdiction, d.to_jurisdiction)) continue;
      if (o.status == kObligationCancelled) continue;
      if (repeating && !o.active()) continue;
      if (repeating && o.rule_id != d.rule_id && o.daily_minute != d.daily_minute) continue;
      same = &o;
      break;
    }
    if (same) {
      if (same->status == kObligationOpen && d.due_at < same->due_at) {
        Obligation t = *same;
        t.due_at = d.due_at;
        t.basis = d.basis.empty() ? t.basis : d.basis;
        t.rule_id = d.rule_id;
        LD_RETURN_IF_ERROR(emit_obligation(tx, "report.obligation_tightened", t));
      }
      continue;
    }
    Obligation o;
    o.id = next_id(tx, core::kKindObligation, tx.view().obligations.size());
    o.jurisdiction = d.from_jurisdiction;
    o.to_jurisdiction = d.to_jurisdiction;
    o.from_tier = reports::to_string(d.from);
    o.to_tier = reports::to_string(d.to);
    o.report_type = d.report_type;
    o.channel = d.channel;
    o.incident_id = incident_id;
    o.trigger = d.daily_minute >= 0 ? "daily" : trigger;
    o.rule_id = d.rule_id;
    o.basis = d.basis;
    o.daily_minute = d.daily_minute;
    o.created_at = tx.now();
    o.due_at = d.due_at;
    o.exercise = exercise;
    LD_RETURN_IF_ERROR(emit_obligation(tx, "report.obligation_created", o));
    // A report sent before the rule applied (say, before the grade was confirmed) already settles it.
    if (const ReportRecord* r = settling_report(tx, o)) {
      o.status = kObligationFulfilled;
      o.fulfilled_at = r->versions.front().submitted_at;
      o.report_id = r->id;
      LD_RETURN_IF_ERROR(emit_obligation(tx, "report.obligation_fulfilled", o));
    }
  }
  return core::Status::ok();
}

std::vector<reports::Due> dues_for(const Tx& tx, reports::Trigger trigger, const reports::Situation& s,
                                   const std::string& office, bool with_unit) {
  std::vector<reports::Due> out;
  const auto& rules = *tx.rules().report_rules;
  auto tier = reports::tier_of(office);
  if (!tier) return out;
  if (with_unit && *tier == reports::Tier::kCounty) {
    auto unit = reports::obligations_for(rules, trigger, s, reports::Tier::kUnit, office, tx.now(), tx.rules().zone);
    out.insert(out.end(), unit.begin(), unit.end());
  }
  auto own = reports::obligations_for(rules, trigger, s, *tier, office, tx.now(), tx.rules().zone);
  out.insert(out.end(), own.begin(), own.end());
  return out;
}

// An office learns of the incident (its own office when it opens, a higher one when a report
// reaches it).
core::Status on_knowledge(Tx& tx, const std::string& incident_id, const std::string& office) {
  if (!tx.rules().report_rules) return core::Status::ok();
  const Incident* inc = tx.view().find_incident(incident_id);
  if (!inc) return core::Status::ok();
  auto s = situation(tx, *inc);
  bool exercise = inc->exercise;
  bool own = office == inc->jurisdiction;
  for (auto trigger : {reports::Trigger::kFirstKnowledge, reports::Trigger::kDaily})
    LD_RETURN_IF_ERROR(create(tx, incident_id, exercise, dues_for(tx, trigger, s, office, own), "first_knowledge"));
  return core::Status::ok();
}

// The obligations a submitted report settles (as they are now): every active one of its key, but
// a daily duty one day at a time (the oldest).
std::vector<Obligation> to_settle(const Tx& tx, const ReportRecord& r) {
  const View& v = tx.view();
  std::vector<Obligation> out, daily;
  for (size_t i : tx.state().obligations_of(r.incident_id, r.jurisdiction)) {
    const Obligation& o = v.obligations[i];
    if (!o.active() || o.report_type != r.type || o.jurisdiction != r.jurisdiction ||
        o.to_jurisdiction != r.to_jurisdiction || o.incident_id != r.incident_id || !channel_settles(r.channel, o.channel))
      continue;
    if (o.daily_minute >= 0) daily.push_back(o);
    else out.push_back(o);
  }
  if (!daily.empty())
    out.push_back(*std::min_element(daily.begin(), daily.end(),
                                    [](const Obligation& a, const Obligation& b) { return a.due_at < b.due_at; }));
  return out;
}

core::Status settle(Tx& tx, const std::string& report_id, std::vector<Obligation> settled) {
  for (auto& o : settled) {
    bool was_open = o.status == kObligationOpen;
    o.status = kObligationFulfilled;
    o.fulfilled_at = tx.now();
    o.report_id = report_id;
    o.late = tx.now() > o.due_at;
    o.delay_ms = o.late ? core::to_unix_millis(tx.now()) - core::to_unix_millis(o.due_at) : 0;
    LD_RETURN_IF_ERROR(emit_obligation(tx, "report.obligation_fulfilled", o));
    // The next day's duty follows a daily one settled before its deadline (an overdue one already
    // brought the next).
    if (o.daily_minute >= 0 && was_open) LD_RETURN_IF_ERROR(next_daily(tx, o));
  }
  return core::Status::ok();
}

}  // namespace

// The next day's obligation after a daily one, unless its incident has ended.
core::Status next_daily(Tx& tx, const Obligation& prev) {
  if (!prev.incident_id.empty()) {
    const Incident* inc = tx.view().find_incident(prev.incident_id);
    if (!inc || is_final_status(inc->status)) return core::Status::ok();
  }
  Obligation n = prev;
  n.id = next_id(tx, core::kKindObligation, tx.view().obligations.size());
  n.status = kObligationOpen;
  n.created_at = tx.now();
  n.due_at = reports::next_daily(std::max(prev.due_at, tx.now()), prev.daily_minute, tx.rules().zone);
  n.overdue_at.reset();
  n.fulfilled_at.reset();
  n.report_id.clear();
  n.late = false;
  n.delay_ms = 0;
  n.escalated_to.clear();
  return emit_obligation(tx, "report.obligation_created", n);
}

core::Status reports_on_opened(Tx& tx, const std::string& incident_id) {
  const Incident* inc = tx.view().find_incident(incident_id);
  if (!inc) return core::Status::ok();
  return on_knowledge(tx, incident_id, inc->jurisdiction);
}

core::Status reports_on_grade(Tx& tx, const std::string& incident_id, bool first_confirmation) {
  if (!tx.rules().report_rules) return core::Status::ok();
  const Incident* inc = tx.view().find_incident(incident_id);
  if (!inc) return core::Status::ok();
  auto s = situation(tx, *inc);
  bool exercise = inc->exercise;
  std::string own = inc->jurisdiction;
  auto grade_trigger = first_confirmation ? reports::Trigger::kGradeConfirmed : reports::Trigger::kGradeChanged;
  for (const auto& office : knowing_offices(tx, *inc)) {
    // Rules of first knowledge that the grade now admits (a grade II reaching the province), the
    // daily ones, and those of the confirmation or change itself.
    for (auto trigger : {reports::Trigger::kFirstKnowledge, reports::Trigger::kDaily, grade_trigger})
      LD_RETURN_IF_ERROR(create(tx, incident_id, exercise, dues_for(tx, trigger, s, office, office == own),
                                std::string(reports::to_string(trigger))));
  }
  return core::Status::ok();
}

core::Status reports_on_closed(Tx& tx, const std::string& incident_id) {
  if (!tx.rules().report_rules) return core::Status::ok();
  const Incident* inc = tx.view().find_incident(incident_id);
  if (!inc) return core::Status::ok();
  auto s = situation(tx, *inc);
  bool exercise = inc->exercise;
  std::string own = inc->jurisdiction;
  for (const auto& office : knowing_offices(tx, *inc))
    LD_RETURN_IF_ERROR(
        create(tx, incident_id, exercise, dues_for(tx, reports::Trigger::kClosed, s, office, office == own), "closed"));
  // Daily progress duties end with the incident.
  std::vector<Obligation> ending;
  const View& v = tx.view();
  for (size_t i : tx.state().obligations_of(incident_id, ""))
    if (v.obligations[i].incident_id == incident_id && v.obligations[i].status == kObligationOpen &&
        v.obligations[i].daily_minute >= 0)
      ending.push_back(v.obligations[i]);
  for (auto& o : ending) {
    o.status = kObligationCancelled;
    o.basis += "（事件已结束）";
    LD_RETURN_IF_ERROR(emit_obligation(tx, "report.obligation_cancelled", o));
  }
  return core::Status::ok();
}

core::Status reports_on_withdrawn(Tx& tx, const std::string& incident_id, const std::string& reason) {
  std::vector<Obligation> owed;
  const View& v = tx.view();
  for (size_t i : tx.state().obligations_of(incident_id, ""))
    if (v.obligations[i].incident_id == incident_id && v.obligations[i].active()) owed.push_back(v.obligations[i]);
  for (auto& o : owed) {
    o.status = kObligationCancelled;
    o.basis += "（" + reason + "）";
    LD_RETURN_IF_ERROR(emit_obligation(tx, "report.obligation_cancelled", o));
  }
  return core::Status::ok();
}

core::Status reports_on_plan(Tx& tx, const std::string& activation_id, const std::vector<ReportDueRecord>& added) {
  if (!tx.rules().report_rules) return core::Status::ok();
  const Activation* a = tx.view().find_activation(activation_id);
  if (!a || added.empty()) return core::Status::ok();
  std::string office = a->jurisdiction, incident_id = a->incident_id, plan_id = a->plan_id;
  bool exercise = a->exercise;
  auto from = reports::tier_of(office);
  if (!from) return core::Status::ok();
  std::vector<reports::Due> dues;
  for (const auto& r : added) {
    auto to_tier = reports::parse_tier(r.recipient_level);
    if (!to_tier) continue;
    // A plan may name its own level (the office reports to its own government): to = itself.
    auto to = static_cast<int>(*to_tier) <= static_cast<int>(*from) ? core::Result<std::string>(office)
                                                                    : reports::code_at(office, *to_tier);
    if (!to) continue;
    reports::Due d;
    d.rule_id = activation_id;
    d.report_type = r.type;
    d.channel = "written";
    d.basis = "预案 " + plan_id + " " + r.level + " 级响应";
    d.from = *from;
    d.to = *to_tier;
    d.from_jurisdiction = office;
    d.to_jurisdiction = *to;
    d.due_at = r.due_at;
    dues.push_back(std::move(d));
  }
  return create(tx, incident_id, exercise, dues, "plan");
}

core::Status reports_on_due(Tx& tx, const std::string& obligation_id) {
  const Obligation* found = tx.view().find_obligation(obligation_id);
  if (!found || found->status != kObligationOpen || found->due_at > tx.now()) return core::Status::ok();
  Obligation o = *found;
  o.status = kObligationOverdue;
  o.overdue_at = tx.now();
  o.escalated_to = "supervisor";
  LD_RETURN_IF_ERROR(emit_obligation(tx, "report.obligation_overdue", o));
  Notification n;
  n.id = next_id(tx, core::kKindNotification, tx.view().notifications.size());
  n.jurisdiction = o.jurisdiction;
  n.incident_id = o.incident_id;
  n.role = o.escalated_to;
  n.channel = "console";
  n.message = "信息报送超时（督办）: " + std::string(reports::type_name_zh(o.report_type)) + " " + o.jurisdiction + " → " +
              o.to_jurisdiction + (o.incident_id.empty() ? "" : " (" + o.incident_id + ")") + ", " + o.id;
  n.exercise = o.exercise;
  n.delivery = o.exercise ? "suppressed_exercise" : "logged";
  n.at = tx.now();
  LD_RETURN_IF_ERROR(tx.emit("notification.sent", o.jurisdiction, {{"notification", to_json(n)}}));
  if (o.daily_minute >= 0) LD_RETURN_IF_ERROR(next_daily(tx, o));
  return core::Status::ok();
}

// --- commands ---

core::Result<Outcome> handle_reports(Tx& tx, const DraftReport& c) {
  auto types = core::report_types();
  if (std::find(types.begin(), types.end(), c.type) == types.end())
    return core::invalid("unknown report type '" + c.type + "' (initial progress final daily bulletin special)", "type");
  if (c.channel != "written" && c.channel != "phone")
    return core::invalid("channel must be written or phone", "channel");
  bool incident_report = c.type == "initial" || c.type == "progress" || c.type == "final";
  const Incident* inc = nullptr;
  if (!c.incident_id.empty()) {
    inc = tx.view().find_incident(c.incident_id);
    if (!inc) return core::not_found("no incident " + c.incident_id + " on this node");
  } else if (incident_report) {
    return core::invalid("a" + std::string(c.type == "initial" ? "n " : " ") + c.type + " report needs its incident",
                         "incident_id");
  }
  std::string from = !c.jurisdiction.empty() ? c.jurisdiction : inc ? inc->jurisdiction : tx.rules().node;
  LD_RETURN_IF_ERROR(check_jurisdiction(tx, from));
  auto from_tier = reports::tier_of(from);
  if (!from_tier) return from_tier.status();
  std::string to = c.to_jurisdiction;
  if (to.empty()) {
    auto up = reports::next_up(*from_tier);
    if (!up) return core::invalid("the national level has no level above to report to", "to_jurisdiction");
    auto code = reports::code_at(from, *up);
    if (!code) return code.status();
    to = *code;
  }
  std::string tier = std::string(reports::to_string(*from_tier));
  if (to == from) {
    tier = "unit";  // the unit where it happened reports to its county authority (noted by the office)
  } else if (to != reports::kNationalCode) {
    auto t = core::JurisdictionCode::parse(to, "to_jurisdiction");
    if (!t) return t.status();
    auto f = core::JurisdictionCode::parse(from);
    if (!f->within(*t))
      return core::invalid("reports go up the chain: " + to + " is not above " + from, "to_jurisdiction");
  }
  if ((c.type == "daily" || c.type == "bulletin") && c.period_from && c.period_to && !(*c.period_from < *c.period_to))
    return core::invalid("period_from must be before period_to", "period_from");

  ReportRecord r;
  r.id = next_id(tx, core::kKindReport, tx.view().reports.size());
  r.type = c.type;
  r.channel = c.channel;
  r.jurisdiction = from;
  r.to_jurisdiction = to;
  r.from_tier = tier;
  r.incident_id = inc ? inc->id : std::string();
  r.exercise = inc && inc->exercise;
  r.created_by = tx.by();
  r.created_at = r.updated_at = tx.now();
  std::string unit = !c.reporting_unit.empty() ? c.reporting_unit : office_name(tx, from);
  if (inc) {
    r.content = reports::prefill(c.type, incident_facts(tx, *inc), tx.rules().zone, unit, c.contact);
  } else {
    auto [pf, pt] = default_period(tx, c.period_from, c.period_to);
    r.content.period_from = pf;
    r.content.period_to = pt;
    r.content.title = period_title(tx, c.type, from, pf, pt);
    r.content.body = period_body(tx, from, pf, pt);
    r.content.reporting_unit = unit;
    r.content.contact = c.contact;
  }
  std::string id = r.id;
  LD_RETURN_IF_ERROR(tx.emit("report.drafted", from, {{"report", to_json(r)}}));
  return Outcome{to_json(*tx.view().find_report(id)), true};
}

core::Result<Outcome> handle_reports(Tx& tx, const EditReport& c) {
  const ReportRecord* found = tx.view().find_report(c.report_id);
  if (!found) return core::not_found("no report " + c.report_id + " on this node");
  if (found->content == c.content) return Outcome{to_json(*found), false};
  ReportRecord r = *found;
  r.content = c.content;
  r.updated_at = tx.now();
  LD_RETURN_IF_ERROR(tx.emit("report.edited", r.jurisdiction, {{"report", to_json(r)}}));
  return Outcome{to_json(*tx.view().find_report(c.report_id)), false};
}

core::Result<Outcome> handle_reports(Tx& tx, const SubmitReport& c) {
  const ReportRecord* found = tx.view().find_report(c.report_id);
  if (!found) return core::not_found("no report " + c.report_id + " on this node");
  auto missing = reports::missing_elements(found->type, found->channel, found->content);
  if (!missing.empty()) {
    std::string names;
    for (const auto& m : missing) names += (names.empty() ? "" : "、") + m.name_zh;
    return core::invalid("the report lacks required elements: " + names, "content." + missing.front().element);
  }
  ReportRecord r = *found;
  ReportVersion v;
  v.number = static_cast<uint32_t>(r.versions.size() + 1);
  v.content = r.content;
  v.submitted_at = tx.now();
  v.by = tx.by();
  v.note = c.note;
  if (!r.versions.empty()) {
    v.changed = reports::changed_fields(r.versions.back().content, r.content);
    if (v.changed.empty())
      return core::conflict("nothing changed since version " + std::to_string(r.versions.back().number) +
                            "; edit the report before submitting a correction");
    if (c.note.empty()) return core::invalid("a correction needs a note saying what changed and why", "note");
  }
  if (r.number == 0 && (r.type == "daily" || r.type == "bulletin")) r.number = next_number(tx, r);
  bool first = r.versions.empty();
  auto settled = to_settle(tx, r);
  for (const auto& o : settled) {
    if (std::find(r.obligation_ids.begin(), r.obligation_ids.end(), o.id) == r.obligation_ids.end())
      r.obligation_ids.push_back(o.id);
    if (tx.now() > o.due_at) {
      v.late = true;
      v.delay_ms = std::max(v.delay_ms, core::to_unix_millis(tx.now()) - core::to_unix_millis(o.due_at));
    }
  }
  if (!r.late && v.late) {  // the report is late when any deadline it settles had passed
    r.late = true;
    r.delay_ms = v.delay_ms;
  }
  r.versions.push_back(v);
  r.status = kReportSubmitted;
  r.updated_at = tx.now();
  std::string id = r.id, from = r.jurisdiction, to = r.to_jurisdiction, incident_id = r.incident_id;
  // Whether this first report tells the receiving office of the incident (then its own duty to
  // report further up begins): not if it is the incident's office or an earlier report reached it.
  const Incident* inc = incident_id.empty() ? nullptr : tx.view().find_incident(incident_id);
  bool tells = false;
  if (first && inc && to != from && in_node(tx, to)) {
    auto knowing = knowing_offices(tx, *inc);
    tells = std::find(knowing.begin(), knowing.end(), to) == knowing.end();
  }
  LD_RETURN_IF_ERROR(tx.emit("report.submitted", from, {{"report", to_json(r)}, {"version", v.number}, {"note", c.note}}));
  LD_RETURN_IF_ERROR(settle(tx, id, std::move(settled)));
  if (tells) LD_RETURN_IF_ERROR(on_knowledge(tx, incident_id, to));
  return Outcome{to_json(*tx.view().find_report(id)), false};
}

core::Result<Outcome> handle_reports(Tx& tx, const ReviewReport& c) {
  const ReportRecord* found = tx.view().find_report(c.report_id);
  if (!found) return core::not_found("no report " + c.report_id + " on this node");
  if (c.action != "receive" && c.action != "return") return core::invalid("action must be receive or return", "action");
  if (found->versions.empty()) return core::conflict("report " + c.report_id + " has not been submitted");
  ReportRecord r = *found;
  uint32_t version = r.versions.back().number;
  if (c.action == "receive") {
    if (r.status != kReportSubmitted)
      return core::conflict("report " + c.report_id + " is " + r.status + "; only a submitted report is received");
    r.status = kReportReceived;
    r.received = Receipt{tx.by(), tx.now(), version};
  } else {
    if (c.reason.empty()) return core::invalid("say why the report is returned", "reason");
    if (r.status != kReportSubmitted && r.status != kReportReceived)
      return core::conflict("report " + c.report_id + " is " + r.status + "; only a submitted report is returned");
    r.status = kReportReturned;
    r.returns.push_back({tx.by(), tx.now(), c.reason, version});
  }
  r.updated_at = tx.now();
  LD_RETURN_IF_ERROR(tx.emit(c.action == "receive" ? "report.received" : "report.returned", r.jurisdiction,
                             {{"report", to_json(r)}, {"to_jurisdiction", r.to_jurisdiction}, {"reason", c.reason}}));
  return Outcome{to_json(*tx.view().find_report(c.report_id)), false};
}

core::Result<Outcome> handle_reports(Tx& tx, const EnsureReportDuty&) {
  size_t before = tx.view().obligations.size();
  if (tx.rules().report_rules) {
    for (const auto& office : tx.rules().report_offices) {
      if (!in_node(tx, office)) continue;
      auto tier = reports::tier_of(office);
      if (!tier) continue;
      reports::Situation s;
      s.incident_jurisdiction = office;
      auto dues = reports::obligations_for(*tx.rules().report_rules, reports::Trigger::kDaily, s, *tier, office,
                                           tx.now(), tx.rules().zone);
      LD_RETURN_IF_ERROR(create(tx, "", false, dues, "daily"));
    }
  }
  return Outcome{{{"created", tx.view().obligations.size() - before}}, false};
}

}  // namespace liandong::engine::internal
