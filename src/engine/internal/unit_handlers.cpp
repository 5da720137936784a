// The dispatch commands: the registries (agencies, stations, units), unit status, dispatch,
// recall and reassignment. Events and their data are listed in docs/API.md.
#include <algorithm>
#include <set>

#include "core/codes.h"
#include "core/ids.h"
#include "dispatch/mutual_aid.h"
#include "dispatch/unit_status.h"
#include "engine/internal/handlers.h"

namespace liandong::engine::internal {

using nlohmann::json;

namespace {

constexpr core::Millis kMaxFuture{5 * 60 * 1000};

core::Result<const Unit*> get_unit(const Tx& tx, const std::string& id) {
  const Unit* u = tx.view().find_unit(id);
  if (!u) return core::not_found("no unit " + id + " on this node");
  return u;
}

core::Status check_unit_type(const Tx& tx, const std::string& type, const std::string& field) {
  const auto& types = tx.rules().unit_types;
  if (std::find(types.begin(), types.end(), type) != types.end()) return core::Status::ok();
  std::string known;
  for (const auto& t : types) known += (known.empty() ? "" : " ") + t;
  return core::invalid("unknown unit type '" + type + "' (" + known + ")", field);
}

// Capabilities are short codes (letters, digits, _ . -), kept sorted and unique.
core::Result<std::vector<std::string>> normalise_capabilities(std::vector<std::string> caps) {
  for (size_t i = 0; i < caps.size(); ++i) {
    const auto& c = caps[i];
    std::string field = "capabilities[" + std::to_string(i) + "]";
    if (c.empty() || c.size() > 48) return core::invalid("a capability has 1 to 48 characters", field);
    for (unsigned char ch : c)
      if (!(std::isalnum(ch) || ch == '_' || ch == '-' || ch == '.'))
        return core::invalid("a capability is a code of letters, digits and _ - . (got '" + c + "')", field);
  }
  std::sort(caps.begin(), caps.end());
  caps.erase(std::unique(caps.begin(), caps.end()), caps.end());
  if (caps.size() > 32) return core::invalid("at most 32 capabilities", "capabilities");
  return caps;
}

core::Status check_unit_links(const Tx& tx, const Unit& u) {
  if (!u.agency_id.empty()) {
    const Agency* a = tx.view().find_agency(u.agency_id);
    if (!a) return core::invalid("no agency " + u.agency_id + " on this node", "agency_id");
  }
  if (!u.station_id.empty()) {
    const Station* s = tx.view().find_station(u.station_id);
    if (!s) return core::invalid("no station " + u.station_id + " on this node", "station_id");
  }
  if (u.call_sign.empty() || u.call_sign.size() > 64)
    return core::invalid("a unit needs a call sign of 1 to 64 bytes", "call_sign");
  if (u.crew > 200) return core::invalid("crew must be 0..200", "crew");
  return core::Status::ok();
}

// The call sign is unique among the node's units (what dispatchers say on the radio).
core::Status check_call_sign_free(const Tx& tx, const std::string& call_sign, const std::string& except_id) {
  const auto& units = tx.view().units;
  for (size_t i = 0; i < units.size(); ++i)
    if (units[i].call_sign == call_sign && units[i].id != except_id)
      return core::conflict("call sign '" + call_sign + "' is already unit " + units[i].id, "call_sign");
  return core::Status::ok();
}

core::Result<Outcome> register_agency(Tx& tx, const RegisterAgency& c) {
  Agency a = c.agency;
  LD_RETURN_IF_ERROR(check_jurisdiction(tx, a.jurisdiction));
  if (a.name.empty()) return core::invalid("an agency needs a name", "name");
  a.id = next_id(tx, core::kKindAgency, tx.view().agencies.size());
  LD_RETURN_IF_ERROR(tx.emit("agency.registered", a.jurisdiction, {{"agency", to_json(a)}}));
  return Outcome{to_json(a), true};
}

core::Result<Outcome> register_station(Tx& tx, const RegisterStation& c) {
  Station s = c.station;
  LD_RETURN_IF_ERROR(check_jurisdiction(tx, s.jurisdiction));
  LD_RETURN_IF_ERROR(core::validate(s.location, "location"));
  if (s.name.empty()) return core::invalid("a station needs a name", "name");
  if (!s.agency_id.empty() && !tx.view().find_agency(s.agency_id))
    return core::invalid("no agency " + s.agency_id + " on this node", "agency_id");
  s.id = next_id(tx, core::kKindStation, tx.view().stations.size());
  LD_RETURN_IF_ERROR(tx.emit("station.registered", s.jurisdiction, {{"station", to_json(s)}}));
  return Outcome{to_json(s), true};
}

// A new unit, checked against the state (and `taken`: call signs of units registered with it);
// its id is `seq`.
core::Result<Unit> prepare_unit(const Tx& tx, Unit u, size_t seq, const std::set<std::string>& taken) {
  LD_RETURN_IF_ERROR(check_jurisdiction(tx, u.jurisdiction));
  LD_RETURN_IF_ERROR(check_unit_type(tx, u.type, "type"));
  if (!dispatch::is_unit_status(u.status)) return core::invalid("unknown unit status '" + u.status + "'", "status");
  if (u.status != "available" && u.status != "out_of_service")
    return core::invalid("a new unit is available or out_of_service", "status");
  LD_RETURN_IF_ERROR(check_unit_links(tx, u));
  LD_RETURN_IF_ERROR(check_call_sign_free(tx, u.call_sign, ""));
  if (taken.count(u.call_sign)) return core::conflict("call sign '" + u.call_sign + "' is given twice", "call_sign");
  auto caps = normalise_capabilities(u.capabilities);
  if (!caps) return caps.status();
  u.capabilities = std::move(*caps);
  u.id = core::format_id(tx.rules().node, core::kKindUnit, seq);
  u.status_since = tx.now();
  u.incident_id.clear();
  u.history.clear();
  return u;
}

core::Result<Outcome> register_unit(Tx& tx, const RegisterUnit& c) {
  auto u = prepare_unit(tx, c.unit, tx.view().units.size() + 1, {});
  if (!u) return u.status();
  LD_RETURN_IF_ERROR(tx.emit("unit.registered", u->jurisdiction, {{"unit", to_json(*u)}}));
  return Outcome{to_json(*tx.view().find_unit(u->id)), true};
}

// All or nothing: every unit is checked before the first is registered; an error names the unit
// by its index ("units[3].call_sign").
core::Result<Outcome> register_units(Tx& tx, const RegisterUnits& c) {
  if (c.units.empty()) return core::invalid("no units", "units");
  if (c.units.size() > 20000) return core::invalid("at most 20000 units at once", "units");
  std::vector<Unit> ready;
  std::set<std::string> taken;
  size_t next = tx.view().units.size() + 1;
  for (size_t i = 0; i < c.units.size(); ++i) {
    auto u = prepare_unit(tx, c.units[i], next + i, taken);
    if (!u) {
      std::string field = "units[" + std::to_string(i) + "]";
      if (!u.status().field().empty()) field += "." + u.status().field();
      return core::Status(u.status().code(), u.status().message(), field);
    }
    taken.insert(u->call_sign);
    ready.push_back(std::move(*u));
  }
  json ids = json::array();
  for (auto& u : ready) {
    ids.push_back(u.id);
    LD_RETURN_IF_ERROR(tx.emit("unit.registered", u.jurisdiction, {{"unit", to_json(u)}}));
  }
  return Outcome{{{"created", ready.size()}, {"units", std::move(ids)}}, true};
}

core::Result<Outcome> update_unit(Tx& tx, const UpdateUnit& c) {
  auto found = get_unit(tx, c.unit_id);
  if (!found) return found.status();
  Unit u = **found;
  json changes = json::object();
  if (c.call_sign && *c.call_sign != u.call_sign) {
    LD_RETURN_IF_ERROR(check_call_sign_free(tx, *c.call_sign, u.id));
    u.call_sign = *c.call_sign;
    changes["call_sign"] = u.call_sign;
  }
  if (c.type && *c.type != u.type) {
    LD_RETURN_IF_ERROR(check_unit_type(tx, *c.type, "type"));
    if (!u.incident_id.empty())
      return core::conflict("unit " + u.id + " serves " + u.incident_id + "; change its type when it is free", "type");
    u.type = *c.type;
    changes["type"] = u.type;
  }
  if (c.agency_id && *c.agency_id != u.agency_id) changes["agency_id"] = u.agency_id = *c.agency_id;
  if (c.station_id && *c.station_id != u.station_id) changes["station_id"] = u.station_id = *c.station_id;
  if (c.crew && *c.crew != u.crew) changes["crew"] = u.crew = *c.crew;
  if (c.capabilities) {
    auto caps = normalise_capabilities(*c.capabilities);
    if (!caps) return caps.status();
    if (*caps != u.capabilities) changes["capabilities"] = u.capabilities = std::move(*caps);
  }
  LD_RETURN_IF_ERROR(check_unit_links(tx, u));
  if (changes.empty()) return Outcome{to_json(u), false};
  LD_RETURN_IF_ERROR(tx.emit("unit.updated", u.jurisdiction, {{"unit_id", u.id}, {"changes", changes}}));
  return Outcome{to_json(*tx.view().find_unit(u.id)), false};
}

core::Result<core::Timestamp> status_time(const Tx& tx, const Unit& u, const std::optional<core::Timestamp>& at) {
  if (!at) return tx.now();
  if (*at > tx.now() + kMaxFuture) return core::invalid("'at' is ahead of the node's clock", "at");
  if (*at > tx.now()) return tx.now();
  if (*at < u.status_since)
    return core::invalid("'at' is before the unit's last status change (" + core::format_utc(u.status_since) + ")",
                         "at");
  return *at;
}

core::Result<Outcome> change_unit_status(Tx& tx, const ChangeUnitStatus& c) {
  auto found = get_unit(tx, c.unit_id);
  if (!found) return found.status();
  const Unit u = **found;  // a copy: emit() replaces the record, which may free it
  if (!dispatch::is_unit_status(c.status)) return core::invalid("unknown unit status '" + c.status + "'", "status");
  if (c.status == "dispatched")
    return core::invalid("a unit is dispatched to an incident: use the incident's dispatch or the unit's reassign",
                         "status");
  if (c.status == u.status) return Outcome{to_json(u), false};  // a repeated report changes nothing
  if (!dispatch::is_valid_unit_transition(u.status, c.status))
    return core::conflict("unit " + u.id + " cannot go from " + u.status + " to " + c.status, "status");
  auto at = status_time(tx, u, c.at);
  if (!at) return at.status();
  json data = {{"unit_id", u.id}, {"from", u.status}, {"to", c.status}, {"at", core::format_utc(*at)}};
  if (!u.incident_id.empty()) data["incident_id"] = u.incident_id;
  if (!c.reason.empty()) data["reason"] = c.reason;
  LD_RETURN_IF_ERROR(tx.emit("unit.status_changed", u.jurisdiction, std::move(data)));
  return Outcome{to_json(*tx.view().find_unit(u.id)), false};
}

// Whether `u` may respond to `inc`: in its own area, or under a mutual-aid rule (its name).
core::Result<std::string> mutual_aid(const Tx& tx, const Unit& u, const Incident& inc, const std::string& field) {
  if (dispatch::is_own_area(u.jurisdiction, inc.jurisdiction)) return std::string();
  const auto* rule = dispatch::find_rule(tx.rules().mutual_aid, u.jurisdiction, u.type, inc.jurisdiction);
  if (!rule)
    return core::conflict("unit " + u.id + " (" + u.call_sign + ", " + u.jurisdiction + ") may not respond in " +
                              inc.jurisdiction + ": no mutual-aid rule allows its " + u.type + "s there",
                          field);
  return rule->name;
}

core::Result<const Incident*> open_incident(const Tx& tx, const std::string& id) {
  const Incident* inc = tx.view().find_incident(id);
  if (!inc) return core::not_found("no incident " + id + " on this node");
  if (is_final_status(inc->status))
    return core::conflict("incident " + id + " is " + inc->status + "; units are not sent to it");
  if (inc->exercise)
    return core::conflict("incident " + id + " is a drill: real units are never sent to a drill", "incident_id");
  return inc;
}

// Sets the incident responding when units are first sent to it.
core::Status mark_responding(Tx& tx, const std::string& incident_id) {
  const Incident* inc = tx.view().find_incident(incident_id);
  if (inc->status != kStatusReported && inc->status != kStatusVerified) return core::Status::ok();
  return tx.emit("incident.status_changed", inc->jurisdiction,
                 {{"incident_id", inc->id}, {"from", inc->status}, {"to", kStatusResponding},
                  {"reason", "units dispatched"}});
}

core::Result<Outcome> dispatch_units(Tx& tx, const DispatchUnits& c) {
  auto inc = open_incident(tx, c.incident_id);
  if (!inc) return inc.status();
  if (c.units.empty()) return core::invalid("no units to dispatch", "units");
  if (c.units.size() > 100) return core::invalid("at most 100 units in one dispatch", "units");
  std::set<std::string> seen;
  std::vector<json> events;
  for (size_t i = 0; i < c.units.size(); ++i) {
    const auto& pick = c.units[i];
    std::string field = "units[" + std::to_string(i) + "]";
    if (!seen.insert(pick.unit_id).second)
      return core::invalid("unit " + pick.unit_id + " is listed twice", field + ".unit_id");
    const Unit* u = tx.view().find_unit(pick.unit_id);
    if (!u) return core::invalid("no unit " + pick.unit_id + " on this node", field + ".unit_id");
    if (!dispatch::is_dispatchable(u->status))
      return core::conflict("unit " + u->id + " (" + u->call_sign + ") is " + u->status +
                                (u->incident_id.empty() ? "" : " for " + u->incident_id) +
                                (u->incident_id.empty() ? "" : "; reassign it to move it"),
                            field + ".unit_id");
    auto rule = mutual_aid(tx, *u, **inc, field + ".unit_id");
    if (!rule) return rule.status();
    json d = {{"unit_id", u->id},         {"incident_id", c.incident_id}, {"from", u->status},
              {"recommended", c.recommended}};
    if (pick.eta_s) d["eta_s"] = *pick.eta_s;
    if (!rule->empty()) d["mutual_aid_rule"] = *rule;
    events.push_back(std::move(d));
  }
  std::string jurisdiction = (*inc)->jurisdiction;
  for (auto& d : events) LD_RETURN_IF_ERROR(tx.emit("unit.dispatched", jurisdiction, std::move(d)));
  LD_RETURN_IF_ERROR(mark_responding(tx, c.incident_id));
  return Outcome{to_json(*tx.view().find_incident(c.incident_id), false), false};
}

core::Result<Outcome> recall_unit(Tx& tx, const RecallUnit& c) {
  auto found = get_unit(tx, c.unit_id);
  if (!found) return found.status();
  const Unit u = **found;  // a copy: emit() replaces the record, which may free it
  if (u.incident_id.empty())
    return core::conflict("unit " + u.id + " (" + u.call_sign + ") is " + u.status + " and serves no incident");
  if (c.reason.empty()) return core::invalid("a recall needs a reason", "reason");
  const Incident* inc = tx.view().find_incident(u.incident_id);
  std::string to = u.status == "dispatched" ? "available" : "returning";
  LD_RETURN_IF_ERROR(tx.emit("unit.recalled", inc ? inc->jurisdiction : u.jurisdiction,
                             {{"unit_id", u.id}, {"incident_id", u.incident_id}, {"from", u.status}, {"to", to},
                              {"reason", c.reason}}));
  return Outcome{to_json(*tx.view().find_unit(u.id)), false};
}

core::Result<Outcome> reassign_unit(Tx& tx, const ReassignUnit& c) {
  auto found = get_unit(tx, c.unit_id);
  if (!found) return found.status();
  const Unit u = **found;  // a copy: emit() replaces the record, which may free it
  if (c.reason.empty()) return core::invalid("a reassignment needs a reason", "reason");
  auto to = open_incident(tx, c.incident_id);
  if (!to) return to.status();
  if (u.incident_id.empty())
    return core::conflict("unit " + u.id + " (" + u.call_sign + ") serves no incident: dispatch it instead",
                          "unit_id");
  if (u.incident_id == c.incident_id)
    return core::conflict("unit " + u.id + " already serves " + c.incident_id, "incident_id");
  if (u.status != "dispatched" && u.status != "en_route" && u.status != "on_scene")
    return core::conflict("unit " + u.id + " is " + u.status + "; only a dispatched, en-route or on-scene unit is reassigned",
                          "unit_id");
  const Incident* from = tx.view().find_incident(u.incident_id);
  if (from && !is_final_status(from->status) && from->priority <= (*to)->priority)
    return core::conflict("unit " + u.id + " serves " + from->id + " (" + std::string(core::to_string(from->priority)) +
                              "), which is not of lower priority than " + c.incident_id + " (" +
                              std::string(core::to_string((*to)->priority)) + ")",
                          "incident_id");
  auto rule = mutual_aid(tx, u, **to, "incident_id");
  if (!rule) return rule.status();
  json d = {{"unit_id", u.id},
            {"from_incident_id", u.incident_id},
            {"incident_id", c.incident_id},
            {"from", u.status},
            {"reason", c.reason}};
  if (c.eta_s) d["eta_s"] = *c.eta_s;
  if (!rule->empty()) d["mutual_aid_rule"] = *rule;
  LD_RETURN_IF_ERROR(tx.emit("unit.reassigned", (*to)->jurisdiction, std::move(d)));
  LD_RETURN_IF_ERROR(mark_responding(tx, c.incident_id));
  return Outcome{to_json(*tx.view().find_unit(u.id)), false};
}

}  // namespace

core::Result<Outcome> handle_units(Tx& tx, const RegisterAgency& c) { return register_agency(tx, c); }
core::Result<Outcome> handle_units(Tx& tx, const RegisterStation& c) { return register_station(tx, c); }
core::Result<Outcome> handle_units(Tx& tx, const RegisterUnit& c) { return register_unit(tx, c); }
core::Result<Outcome> handle_units(Tx& tx, const RegisterUnits& c) { return register_units(tx, c); }
core::Result<Outcome> handle_units(Tx& tx, const UpdateUnit& c) { return update_unit(tx, c); }
core::Result<Outcome> handle_units(Tx& tx, const ChangeUnitStatus& c) { return change_unit_status(tx, c); }
core::Result<Outcome> handle_units(Tx& tx, const DispatchUnits& c) { return dispatch_units(tx, c); }
core::Result<Outcome> handle_units(Tx& tx, const RecallUnit& c) { return recall_unit(tx, c); }
core::Result<Outcome> handle_units(Tx& tx, const ReassignUnit& c) { return reassign_unit(tx, c); }

}  // namespace liandong::engine::internal
