// The monitoring commands: monitoring stations, detector results, warnings and their life-cycle,
// the river network, tracked objects, fences and their hits. Events and their data are listed in
// docs/API.md.
#include <cmath>
#include <set>

#include "core/codes.h"
#include "core/ids.h"
#include "engine/internal/handlers.h"
#include "river/network.h"

namespace liandong::engine::internal {

using nlohmann::json;

namespace {

core::Status check_text(const std::string& s, const char* field, size_t max, bool required) {
  if (required && s.empty()) return core::invalid(std::string(field) + " is required", field);
  if (s.size() > max) return core::invalid(std::string(field) + " is longer than " + std::to_string(max) + " bytes", field);
  return core::Status::ok();
}

core::Status check_level(const std::string& level, const char* field, bool allow_none) {
  int rank = level_rank(level);
  if (rank < 0 || (rank == 0 && !allow_none))
    return core::invalid("a warning level is blue, yellow, orange or red (got '" + level + "')", field);
  return core::Status::ok();
}

core::Status check_parameters(const std::vector<StationParameter>& params) {
  if (params.empty()) return core::invalid("a station measures at least one parameter", "parameters");
  if (params.size() > 64) return core::invalid("at most 64 parameters a station", "parameters");
  std::set<std::string> seen;
  for (size_t i = 0; i < params.size(); ++i) {
    const auto& p = params[i];
    std::string at = "parameters[" + std::to_string(i) + "]";
    if (!core::is_code(p.code)) return core::invalid("a parameter code is snake_case (a-z, 0-9, _), got '" + p.code + "'", at + ".code");
    if (!seen.insert(p.code).second) return core::invalid("parameter '" + p.code + "' is listed twice", at + ".code");
    LD_RETURN_IF_ERROR(check_text(p.unit, (at + ".unit").c_str(), 32, false));
    if (p.interval_s < 0 || p.interval_s > 31 * 86400)
      return core::invalid("interval_s is 0 (irregular) to 31 days", at + ".interval_s");
    if (p.max_rate_per_hour && !(std::isfinite(*p.max_rate_per_hour) && *p.max_rate_per_hour > 0))
      return core::invalid("max_rate_per_hour is a positive number", at + ".max_rate_per_hour");
    if (p.flat_line_count > 10000) return core::invalid("flat_line_count is 0 (off) to 10000", at + ".flat_line_count");
  }
  return core::Status::ok();
}

core::Status check_station(const Tx& tx, const MonitoringStation& s) {
  LD_RETURN_IF_ERROR(check_jurisdiction(tx, s.jurisdiction));
  LD_RETURN_IF_ERROR(core::validate(s.location, "location"));
  LD_RETURN_IF_ERROR(check_text(s.name, "name", 200, true));
  if (!core::is_code(s.kind, 32)) return core::invalid("kind is a code such as water_quality, hydrology, weather, syndromic, school_absence, air", "kind");
  if (s.sampling != "automatic" && s.sampling != "manual")
    return core::invalid("sampling is automatic or manual", "sampling");
  LD_RETURN_IF_ERROR(check_text(s.operator_name, "operator", 200, false));
  if (s.target_class < 1 || s.target_class > 5) return core::invalid("target_class is 1 (I) to 5 (V)", "target_class");
  if (!s.river_site.empty()) {
    if (!tx.view().river) return core::invalid("no river network is loaded, so river_site cannot be placed", "river_site");
    if (!tx.view().river->network->site(s.river_site))
      return core::invalid("the river network has no site '" + s.river_site + "'", "river_site");
  }
  return check_parameters(s.parameters);
}

// The incident type a warning from a station of this kind is about.
std::string type_for_station(const MonitoringStation& s) {
  if (s.kind == "water_quality") return "water_pollution";
  if (s.kind == "air") return "air_pollution";
  if (s.kind == "syndromic" || s.kind == "school_absence") return "infectious_disease";
  if (s.kind == "hydrology") return "flood";
  if (s.kind == "weather") return "rainstorm";
  return "other";
}

core::Result<const Warning*> get_warning(const Tx& tx, const std::string& id) {
  const Warning* w = tx.view().find_warning(id);
  if (!w) return core::not_found("no warning " + id + " on this node");
  return w;
}

core::Result<Outcome> register_stations(Tx& tx, const RegisterMonitoringStations& c) {
  if (c.stations.empty()) return core::invalid("no stations", "stations");
  if (c.stations.size() > 20000) return core::invalid("at most 20000 stations at once", "stations");
  std::vector<MonitoringStation> ready;
  std::set<std::string> names;
  size_t next = tx.view().monitoring_stations.size() + 1;
  for (size_t i = 0; i < c.stations.size(); ++i) {
    MonitoringStation s = c.stations[i];
    core::Status st = check_station(tx, s);
    if (!st.is_ok()) {
      std::string field = c.stations.size() == 1 ? st.field() : "stations[" + std::to_string(i) + "]" +
                                                                     (st.field().empty() ? "" : "." + st.field());
      return core::Status(st.code(), st.message(), field);
    }
    s.id = core::format_id(tx.rules().node, core::kKindMonitoringStation, next + i);
    s.conditions.clear();
    s.active = true;
    ready.push_back(std::move(s));
  }
  json out = json::array();
  for (const auto& s : ready) {
    LD_RETURN_IF_ERROR(tx.emit("monitor.station_registered", s.jurisdiction, {{"station", to_json(s)}}));
    out.push_back(to_json(s));
  }
  if (ready.size() == 1) return Outcome{out[0], true};
  return Outcome{{{"stations", std::move(out)}}, true};
}

core::Result<Outcome> update_station(Tx& tx, const UpdateMonitoringStation& c) {
  const MonitoringStation* cur = tx.view().find_monitoring_station(c.station_id);
  if (!cur) return core::not_found("no monitoring station " + c.station_id + " on this node");
  MonitoringStation s = *cur;
  if (c.name) s.name = *c.name;
  if (c.operator_name) s.operator_name = *c.operator_name;
  if (c.parameters) s.parameters = *c.parameters;
  if (c.target_class) s.target_class = *c.target_class;
  if (c.drinking_water_source) s.drinking_water_source = *c.drinking_water_source;
  if (c.river_site) s.river_site = *c.river_site;
  if (c.active) s.active = *c.active;
  LD_RETURN_IF_ERROR(check_station(tx, s));
  // A parameter no longer measured has no condition any more.
  std::erase_if(s.conditions, [&](const Condition& k) { return !s.parameter(k.parameter); });
  LD_RETURN_IF_ERROR(tx.emit("monitor.station_updated", s.jurisdiction, {{"station", to_json(s)}}));
  return Outcome{to_json(*tx.view().find_monitoring_station(c.station_id)), false};
}

// Emits a step of a warning's life-cycle.
}  // namespace

core::Status warning_step(Tx& tx, const Warning& w, const std::string& action, json data) {
  data["warning_id"] = w.id;
  return tx.emit("warning." + action, w.jurisdiction, std::move(data));
}

core::Status raise(Tx& tx, Warning w) {
  w.id = next_id(tx, core::kKindWarning, tx.view().warnings.size());
  w.status = "raised";
  w.raised_at = w.updated_at = tx.now();
  w.steps = {WarningStep{"raised", w.level, tx.by(), tx.now(), w.description}};
  return tx.emit("warning.raised", w.jurisdiction, {{"warning", to_json(w)}});
}

namespace {

core::Result<Outcome> record_detections(Tx& tx, const RecordDetections& c) {
  if (c.detections.empty()) return core::invalid("no detections", "detections");
  // A detection of a station or parameter that went away while it was judged is skipped (and
  // answered), not a reason to lose the others of the batch.
  std::vector<bool> skip(c.detections.size(), false);
  json skipped = json::array();
  for (size_t i = 0; i < c.detections.size(); ++i) {
    const Detection& d = c.detections[i];
    std::string at = "detections[" + std::to_string(i) + "]";
    LD_RETURN_IF_ERROR(check_level(d.level, (at + ".level").c_str(), true));
    if (!core::is_code(d.detector, 32)) return core::invalid("unknown detector '" + d.detector + "'", at + ".detector");
    const MonitoringStation* s = tx.view().find_monitoring_station(d.station_id);
    if (!s || !s->parameter(d.parameter)) {
      skip[i] = true;
      skipped.push_back({{"index", i},
                         {"message", !s ? "no monitoring station " + d.station_id + " on this node"
                                        : "station " + d.station_id + " no longer measures " + d.parameter}});
    }
  }
  size_t raised = 0;
  for (size_t i = 0; i < c.detections.size(); ++i) {
    if (skip[i]) continue;
    const Detection& d = c.detections[i];
    // Copies: the records are replaced as events apply.
    const MonitoringStation station = *tx.view().find_monitoring_station(d.station_id);
    const std::string before = [&] {
      for (const auto& k : station.conditions)
        if (k.parameter == d.parameter) return k.level;
      return std::string();
    }();
    json data = {{"station_id", d.station_id}, {"parameter", d.parameter}, {"detector", d.detector},
                 {"at", core::format_utc(d.at)}, {"value", d.value},         {"score", d.score},
                 {"limit", d.limit},            {"level", d.level},          {"reason", d.reason}};
    LD_RETURN_IF_ERROR(tx.emit(d.firing ? "monitor.detector_fired" : "monitor.detector_cleared",
                               station.jurisdiction, std::move(data)));
    if (d.level == before) continue;
    const Warning* open = tx.view().open_detector_warning(d.station_id, d.parameter);
    if (d.level.empty()) {
      if (open)
        LD_RETURN_IF_ERROR(warning_step(tx, *open, "cleared",
                                        {{"condition_active", false}, {"value", d.value}, {"note", d.reason}}));
      continue;
    }
    if (!open) {
      Warning w;
      w.jurisdiction = station.jurisdiction;
      w.level = d.level;
      w.source = "detector";
      w.title = station.name + " · " + d.parameter;
      w.description = d.reason;
      w.type = type_for_station(station);
      w.location = station.location;
      w.station_id = station.id;
      w.parameter = d.parameter;
      w.detector = d.detector;
      w.value = d.value;
      w.score = d.score;
      w.limit = d.limit;
      w.condition_active = true;
      LD_RETURN_IF_ERROR(raise(tx, std::move(w)));
      ++raised;
    } else if (level_rank(d.level) > level_rank(open->level) || !open->condition_active) {
      // The detector raises the level of its open warning; lowering it is a person's decision.
      const Warning w = *open;
      json step = {{"condition_active", true}, {"value", d.value}, {"score", d.score}, {"note", d.reason}};
      if (level_rank(d.level) > level_rank(w.level)) {
        step["level"] = d.level;
        if (!d.reason.empty()) step["description"] = d.reason;  // the reading that raised it
      }
      LD_RETURN_IF_ERROR(warning_step(tx, w, "updated", std::move(step)));
    }
  }
  return Outcome{{{"recorded", c.detections.size() - skipped.size()}, {"warnings_raised", raised},
                  {"skipped", std::move(skipped)}},
                 false};
}

core::Result<Outcome> raise_warning(Tx& tx, const RaiseWarning& c) {
  Warning w;
  w.level = c.level;
  LD_RETURN_IF_ERROR(check_level(w.level, "level", false));
  LD_RETURN_IF_ERROR(check_text(c.title, "title", 200, true));
  LD_RETURN_IF_ERROR(check_text(c.description, "description", 4000, false));
  w.title = c.title;
  w.description = c.description;
  w.source = "manual";
  w.location = c.location;
  if (c.location) LD_RETURN_IF_ERROR(core::validate(*c.location, "location"));
  w.jurisdiction = c.jurisdiction.empty() ? tx.rules().node : c.jurisdiction;
  if (!c.station_id.empty()) {
    const MonitoringStation* s = tx.view().find_monitoring_station(c.station_id);
    if (!s) return core::invalid("no monitoring station " + c.station_id + " on this node", "station_id");
    if (!c.parameter.empty() && !s->parameter(c.parameter))
      return core::invalid("station " + c.station_id + " does not measure " + c.parameter, "parameter");
    w.station_id = s->id;
    w.parameter = c.parameter;
    if (c.jurisdiction.empty()) w.jurisdiction = s->jurisdiction;
    if (!w.location) w.location = s->location;
    w.type = type_for_station(*s);
  }
  LD_RETURN_IF_ERROR(check_jurisdiction(tx, w.jurisdiction));
  if (!c.type.empty()) {
    if (!tx.rules().taxonomy->find(c.type))
      return core::invalid("unknown incident type '" + c.type + "' (see GET /api/v1/taxonomy)", "type");
    w.type = c.type;
  }
  std::string id = next_id(tx, core::kKindWarning, tx.view().warnings.size());
  LD_RETURN_IF_ERROR(raise(tx, std::move(w)));
  return Outcome{to_json(*tx.view().find_warning(id)), true};
}

core::Result<Outcome> change_warning(Tx& tx, const ChangeWarning& c) {
  auto found = get_warning(tx, c.warning_id);
  if (!found) return found.status();
  const Warning w = **found;
  if (!w.open()) return core::conflict("warning " + w.id + " is lifted", "action");
  LD_RETURN_IF_ERROR(check_text(c.note, "note", 2000, false));
  json data = {{"note", c.note}};
  std::string event;
  if (c.action == "confirm") {
    if (w.status != "raised") return core::conflict("warning " + w.id + " is " + w.status + ", not raised", "action");
    event = "confirmed";
  } else if (c.action == "issue") {
    if (w.status == "issued") return core::conflict("warning " + w.id + " is already issued", "action");
    if (level_rank(w.level) >= level_rank("orange"))
      return core::conflict(std::string(w.level == "red" ? "a red" : "an orange") + " warning is issued as a CAP alert that a second person approves: "
                            "draft it with POST /api/v1/alerts", "action");
    event = "issued";
  } else if (c.action == "update") {
    if (c.level.empty() && c.description.empty())
      return core::invalid("an update changes the level or the description", "level");
    if (!c.level.empty()) {
      LD_RETURN_IF_ERROR(check_level(c.level, "level", false));
      data["level"] = c.level;
    }
    if (!c.description.empty()) {
      LD_RETURN_IF_ERROR(check_text(c.description, "description", 4000, false));
      data["description"] = c.description;
    }
    event = "updated";
  } else if (c.action == "lift") {
    event = "lifted";
  } else {
    return core::invalid("action is confirm, issue, update or lift (got '" + c.action + "')", "action");
  }
  LD_RETURN_IF_ERROR(warning_step(tx, w, event, std::move(data)));
  return Outcome{to_json(*tx.view().find_warning(w.id)), false};
}

core::Result<Outcome> link_warning(Tx& tx, const LinkWarning& c) {
  auto found = get_warning(tx, c.warning_id);
  if (!found) return found.status();
  const Warning w = **found;
  if (!w.incident_id.empty())
    return core::conflict("warning " + w.id + " is already linked to incident " + w.incident_id, "incident_id");
  std::string incident_id = c.incident_id;
  bool opened = false;
  if (incident_id.empty()) {
    ReportAlarm a;
    a.jurisdiction = w.jurisdiction;
    a.channel = "sensor";
    a.reported_at = tx.now();
    a.location = w.location;
    if (!a.location) a.address = w.title;
    a.type = w.type.empty() ? "other" : w.type;
    a.description = w.title + (w.description.empty() ? "" : ": " + w.description) + " (" + w.id + ")";
    auto r = report_alarm(tx, a);
    if (!r) return r.status();
    incident_id = r->body.at("incident_id").get<std::string>();
    opened = !r->body.value("joined", false);
  } else {
    const Incident* inc = tx.view().find_incident(incident_id);
    if (!inc) return core::invalid("no incident " + incident_id + " on this node", "incident_id");
  }
  LD_RETURN_IF_ERROR(warning_step(tx, w, "linked", {{"incident_id", incident_id}, {"note", opened ? "opened" : "attached"}}));
  return Outcome{to_json(*tx.view().find_warning(w.id)), false};
}

core::Result<Outcome> load_river_network(Tx& tx, const LoadRiverNetwork& c) {
  if (!c.network) return core::invalid("no network", "network");
  LD_RETURN_IF_ERROR(tx.emit("river.network_loaded", tx.rules().node,
                             {{"source", c.source},
                              {"reaches", c.network->reaches().size()},
                              {"sites", c.network->sites().size()}}));
  return Outcome{{{"reaches", c.network->reaches().size()}, {"sites", c.network->sites().size()}}, true};
}

core::Result<Outcome> register_object(Tx& tx, const RegisterTrackedObject& c) {
  TrackedObject o = c.object;
  LD_RETURN_IF_ERROR(check_jurisdiction(tx, o.jurisdiction));
  if (!core::is_code(o.kind, 32)) return core::invalid("kind is a code such as hazmat_vehicle or vessel", "kind");
  LD_RETURN_IF_ERROR(check_text(o.name, "name", 200, true));
  LD_RETURN_IF_ERROR(check_text(o.operator_name, "operator", 200, false));
  o.id = next_id(tx, core::kKindTrackedObject, tx.view().tracked_objects.size());
  LD_RETURN_IF_ERROR(tx.emit("object.registered", o.jurisdiction, {{"object", to_json(o)}}));
  return Outcome{to_json(o), true};
}

core::Status check_fence(const Tx& tx, const FenceRecord& f) {
  LD_RETURN_IF_ERROR(check_jurisdiction(tx, f.jurisdiction));
  LD_RETURN_IF_ERROR(check_text(f.name, "name", 200, true));
  if (!core::is_code(f.kind, 32)) return core::invalid("kind is a code such as restricted_zone or water_source_protection", "kind");
  if (!f.area.is_object()) return core::invalid("a fence needs an area (a GeoJSON Polygon)", "area");
  if (!f.on_enter && !f.on_exit && !f.dwell_s && !f.speed_above_kmh)
    return core::invalid("a fence needs at least one rule: enter, exit, dwell_s or speed_above_kmh", "rules");
  if (f.dwell_s && (*f.dwell_s <= 0 || *f.dwell_s > 30 * 86400))
    return core::invalid("dwell_s is 1 s to 30 days", "rules.dwell_s");
  if (f.speed_above_kmh && !(std::isfinite(*f.speed_above_kmh) && *f.speed_above_kmh > 0 && *f.speed_above_kmh < 1000))
    return core::invalid("speed_above_kmh is a positive speed below 1000", "rules.speed_above_kmh");
  for (size_t i = 0; i < f.object_kinds.size(); ++i)
    if (!core::is_code(f.object_kinds[i], 32))
      return core::invalid("an object kind is a code", "object_kinds[" + std::to_string(i) + "]");
  return check_level(f.warning_level, "warning_level", true);
}

core::Result<Outcome> create_fence(Tx& tx, const CreateFence& c) {
  FenceRecord f = c.fence;
  LD_RETURN_IF_ERROR(check_fence(tx, f));
  f.id = next_id(tx, core::kKindFence, tx.view().fences.size());
  f.active = true;
  f.hits = 0;
  f.last_hit_at.reset();
  LD_RETURN_IF_ERROR(tx.emit("fence.created", f.jurisdiction, {{"fence", to_json(f)}}));
  return Outcome{to_json(f), true};
}

core::Result<Outcome> update_fence(Tx& tx, const UpdateFence& c) {
  const FenceRecord* cur = tx.view().find_fence(c.fence_id);
  if (!cur) return core::not_found("no fence " + c.fence_id + " on this node");
  FenceRecord f = *cur;
  if (c.active) f.active = *c.active;
  if (c.warning_level) f.warning_level = *c.warning_level;
  LD_RETURN_IF_ERROR(check_fence(tx, f));
  LD_RETURN_IF_ERROR(tx.emit("fence.updated", f.jurisdiction, {{"fence", to_json(f)}}));
  return Outcome{to_json(f), false};
}

core::Result<Outcome> record_fence_hits(Tx& tx, const RecordFenceHits& c) {
  if (c.hits.empty()) return core::invalid("no hits", "hits");
  for (size_t i = 0; i < c.hits.size(); ++i) {
    const FenceHit& h = c.hits[i];
    std::string at = "hits[" + std::to_string(i) + "]";
    if (!tx.view().find_fence(h.fence_id)) return core::invalid("no fence " + h.fence_id, at + ".fence_id");
    if (!tx.view().find_tracked_object(h.object_id)) return core::invalid("no tracked object " + h.object_id, at + ".object_id");
    if (h.kind != "enter" && h.kind != "exit" && h.kind != "dwell" && h.kind != "speed")
      return core::invalid("a hit is enter, exit, dwell or speed", at + ".kind");
  }
  size_t raised = 0;
  for (const FenceHit& h : c.hits) {
    const FenceRecord fence = *tx.view().find_fence(h.fence_id);
    const TrackedObject object = *tx.view().find_tracked_object(h.object_id);
    LD_RETURN_IF_ERROR(tx.emit("fence.hit", fence.jurisdiction,
                               {{"fence_id", h.fence_id}, {"object_id", h.object_id}, {"kind", h.kind},
                                {"at", core::format_utc(h.at)}, {"value", h.value},
                                {"position", {{"lon", h.position.lon}, {"lat", h.position.lat}}}}));
    if (fence.warning_level.empty() || h.kind == "exit") continue;
    if (tx.view().open_fence_warning(fence.id, object.id)) continue;
    Warning w;
    w.jurisdiction = fence.jurisdiction;
    w.level = fence.warning_level;
    w.source = "geofence";
    w.title = object.name + " · " + fence.name;
    w.description = h.kind == "enter"   ? object.name + " entered " + fence.name
                    : h.kind == "dwell" ? object.name + " stayed in " + fence.name + " for " +
                                              std::to_string(static_cast<int64_t>(h.value)) + " s"
                                        : object.name + " at " + std::to_string(static_cast<int64_t>(h.value)) +
                                              " km/h in " + fence.name;
    w.type = fence.kind == "water_source_protection" ? "water_pollution" : "other";
    w.location = h.position;
    w.fence_id = fence.id;
    w.object_id = object.id;
    w.detector = h.kind;
    w.value = h.value;
    w.condition_active = true;
    LD_RETURN_IF_ERROR(raise(tx, std::move(w)));
    ++raised;
  }
  return Outcome{{{"recorded", c.hits.size()}, {"warnings_raised", raised}}, false};
}

}  // namespace

core::Result<Outcome> handle_monitoring(Tx& tx, const RegisterMonitoringStations& c) { return register_stations(tx, c); }
core::Result<Outcome> handle_monitoring(Tx& tx, const UpdateMonitoringStation& c) { return update_station(tx, c); }
core::Result<Outcome> handle_monitoring(Tx& tx, const RecordDetections& c) { return record_detections(tx, c); }
core::Result<Outcome> handle_monitoring(Tx& tx, const RaiseWarning& c) { return raise_warning(tx, c); }
core::Result<Outcome> handle_monitoring(Tx& tx, const ChangeWarning& c) { return change_warning(tx, c); }
core::Result<Outcome> handle_monitoring(Tx& tx, const LinkWarning& c) { return link_warning(tx, c); }
core::Result<Outcome> handle_monitoring(Tx& tx, const LoadRiverNetwork& c) { return load_river_network(tx, c); }
core::Result<Outcome> handle_monitoring(Tx& tx, const RegisterTrackedObject& c) { return register_object(tx, c); }
core::Result<Outcome> handle_monitoring(Tx& tx, const CreateFence& c) { return create_fence(tx, c); }
core::Result<Outcome> handle_monitoring(Tx& tx, const UpdateFence& c) { return update_fence(tx, c); }
core::Result<Outcome> handle_monitoring(Tx& tx, const RecordFenceHits& c) { return record_fence_hits(tx, c); }

}  // namespace liandong::engine::internal
