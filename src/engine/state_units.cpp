// State::apply for the dispatch events: agencies, stations and units registered and changed, unit
// status, dispatch, recall and reassignment (each also recorded on the incident it concerns).
#include <algorithm>

#include "core/ids.h"
#include "dispatch/unit_status.h"
#include "engine/internal/json_fields.h"
#include "engine/state.h"

namespace liandong::engine {

using nlohmann::json;

namespace {

core::Status data_loss(const Event& e, const std::string& why) {
  return {core::Code::kDataLoss, "event " + std::to_string(e.seq) + " (" + e.type + "): " + why};
}

std::string str(const json& d, const char* key) { return internal::str_or(d, key); }

void push_history(Unit& u, const Event& e, const std::string& status, core::Timestamp at, std::string reason) {
  u.status = status;
  u.status_since = at;
  u.history.push_back({status, at, u.incident_id, str(e.data, "by"), std::move(reason)});
  if (u.history.size() > kUnitHistory) u.history.erase(u.history.begin());
}

// The active assignment of `unit_id` on `inc`, or nullptr.
Assignment* active_assignment(Incident& inc, const std::string& unit_id) {
  for (auto it = inc.assignments.rbegin(); it != inc.assignments.rend(); ++it)
    if (it->unit_id == unit_id && it->active()) return &*it;
  return nullptr;
}

std::string eta_text(const json& d) {
  if (!d.contains("eta_s") || !d["eta_s"].is_number_unsigned()) return "";
  auto s = d["eta_s"].get<uint32_t>();
  return " (ETA " + std::to_string(s / 60) + " min " + std::to_string(s % 60) + " s)";
}

}  // namespace

core::Status State::apply_unit(const Event& e) {
  const json& d = e.data;
  if (e.type == "agency.registered") {
    auto a = agency_from_json(internal::member_or_empty(d, "agency"));
    if (!a) return data_loss(e, a.status().message());
    if (a->id != core::format_id(v_.node, core::kKindAgency, v_.agencies.size() + 1))
      return data_loss(e, "agency id out of sequence");
    v_.agencies.push_back(std::make_shared<const Agency>(std::move(*a)));
    return core::Status::ok();
  }
  if (e.type == "station.registered") {
    auto s = station_from_json(internal::member_or_empty(d, "station"));
    if (!s) return data_loss(e, s.status().message());
    if (s->id != core::format_id(v_.node, core::kKindStation, v_.stations.size() + 1))
      return data_loss(e, "station id out of sequence");
    v_.stations.push_back(std::make_shared<const Station>(std::move(*s)));
    return core::Status::ok();
  }
  if (e.type == "unit.registered") {
    auto u = unit_from_json(internal::member_or_empty(d, "unit"));
    if (!u) return data_loss(e, u.status().message());
    if (u->id != core::format_id(v_.node, core::kKindUnit, v_.units.size() + 1))
      return data_loss(e, "unit id out of sequence");
    if (u->status_since == core::Timestamp{}) u->status_since = e.time;  // journals before "Dispatch"
    v_.units.push_back(std::make_shared<const Unit>(std::move(*u)));
    return core::Status::ok();
  }

  auto uidx = index_of(str(d, "unit_id"), v_.node, core::kKindUnit, v_.units.size());
  if (uidx < 0) return data_loss(e, "unknown unit " + str(d, "unit_id"));
  Unit unit = v_.units[uidx];
  auto incident_at = [&](const std::string& id) {
    return index_of(id, v_.node, core::kKindIncident, v_.incidents.size());
  };

  if (e.type == "unit.updated") {
    const json& c = internal::member_or_empty(d, "changes");
    try {
      if (c.contains("call_sign")) unit.call_sign = c["call_sign"].get<std::string>();
      if (c.contains("type")) unit.type = c["type"].get<std::string>();
      if (c.contains("agency_id")) unit.agency_id = c["agency_id"].get<std::string>();
      if (c.contains("station_id")) unit.station_id = c["station_id"].get<std::string>();
      if (c.contains("crew")) unit.crew = c["crew"].get<uint32_t>();
      if (c.contains("capabilities")) unit.capabilities = c["capabilities"].get<std::vector<std::string>>();
    } catch (const std::exception& ex) {
      return data_loss(e, std::string("bad changes: ") + ex.what());
    }
  } else if (e.type == "unit.status_changed") {
    std::string to = str(d, "to");
    if (!dispatch::is_unit_status(to)) return data_loss(e, "bad status " + to);
    core::Timestamp at = e.time;
    if (d.contains("at")) {
      auto t = core::parse_rfc3339(str(d, "at"), "at");
      if (!t) return data_loss(e, t.status().message());
      at = *t;
    }
    if (!unit.incident_id.empty()) {
      auto iidx = incident_at(unit.incident_id);
      if (iidx < 0) return data_loss(e, "unknown incident " + unit.incident_id);
      Incident inc = v_.incidents[iidx];
      if (Assignment* a = active_assignment(inc, unit.id)) {
        if (to == "en_route" && !a->en_route_at) a->en_route_at = at;
        if (to == "on_scene" && !a->on_scene_at) a->on_scene_at = at;
        if (!dispatch::is_assigned(to)) {
          a->cleared_at = at;
          a->ended = "cleared";
        }
      }
      add_timeline(inc, e, unit.call_sign + " " + str(d, "from") + " → " + to +
                               (str(d, "reason").empty() ? "" : " (" + str(d, "reason") + ")"));
      put_incident(iidx, std::move(inc));
    }
    push_history(unit, e, to, at, str(d, "reason"));  // names the incident it leaves
    if (!dispatch::is_assigned(to)) unit.incident_id.clear();
  } else if (e.type == "unit.dispatched" || e.type == "unit.reassigned") {
    bool reassigned = e.type == "unit.reassigned";
    if (reassigned) {
      auto fidx = incident_at(str(d, "from_incident_id"));
      if (fidx < 0) return data_loss(e, "unknown incident " + str(d, "from_incident_id"));
      Incident from = v_.incidents[fidx];
      if (Assignment* a = active_assignment(from, unit.id)) {
        a->cleared_at = e.time;
        a->ended = "reassigned";
      }
      add_timeline(from, e, unit.call_sign + " reassigned to " + str(d, "incident_id") + " (" + str(d, "reason") + ")");
      put_incident(fidx, std::move(from));
    }
    auto iidx = incident_at(str(d, "incident_id"));
    if (iidx < 0) return data_loss(e, "unknown incident " + str(d, "incident_id"));
    Incident inc = v_.incidents[iidx];
    Assignment a;
    a.unit_id = unit.id;
    a.call_sign = unit.call_sign;
    a.unit_type = unit.type;
    a.agency_id = unit.agency_id;
    a.dispatched_at = e.time;
    if (d.contains("eta_s") && d["eta_s"].is_number_unsigned()) a.eta_s = d["eta_s"].get<uint32_t>();
    a.recommended = d.value("recommended", false);
    a.mutual_aid_rule = str(d, "mutual_aid_rule");
    inc.assignments.push_back(std::move(a));
    add_timeline(inc, e, (reassigned ? unit.call_sign + " reassigned here from " + str(d, "from_incident_id")
                                     : "dispatched " + unit.call_sign) +
                             eta_text(d) +
                             (str(d, "mutual_aid_rule").empty() ? "" : " under mutual aid " + str(d, "mutual_aid_rule")));
    put_incident(iidx, std::move(inc));
    unit.incident_id = str(d, "incident_id");
    push_history(unit, e, "dispatched", e.time, reassigned ? str(d, "reason") : "");
  } else if (e.type == "unit.recalled") {
    auto iidx = incident_at(str(d, "incident_id"));
    if (iidx < 0) return data_loss(e, "unknown incident " + str(d, "incident_id"));
    Incident inc = v_.incidents[iidx];
    if (Assignment* a = active_assignment(inc, unit.id)) {
      a->cleared_at = e.time;
      a->ended = "recalled";
    }
    add_timeline(inc, e, unit.call_sign + " recalled (" + str(d, "reason") + ")");
    put_incident(iidx, std::move(inc));
    std::string to = str(d, "to");
    if (!dispatch::is_unit_status(to)) return data_loss(e, "bad status " + to);
    push_history(unit, e, to, e.time, str(d, "reason"));
    unit.incident_id.clear();
  } else {
    // Unit event types of later versions are kept in the journal but change nothing here.
    return core::Status::ok();
  }
  v_.units.set(uidx, std::make_shared<const Unit>(std::move(unit)));
  return core::Status::ok();
}

}  // namespace liandong::engine
