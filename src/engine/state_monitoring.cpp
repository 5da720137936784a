// State::apply for the monitoring events: monitoring stations and their conditions (detector
// events), warnings and their life-cycle, tracked objects, fences and their hits, the river network.
#include <algorithm>

#include "core/ids.h"
#include "engine/internal/json_fields.h"
#include "engine/state.h"
#include "river/network.h"

namespace liandong::engine {

using nlohmann::json;

namespace {

core::Status data_loss(const Event& e, const std::string& why) {
  return {core::Code::kDataLoss, "event " + std::to_string(e.seq) + " (" + e.type + "): " + why};
}

std::string str(const json& d, const char* key) { return internal::str_or(d, key); }

// Applies a new record of `kind` whose id must be the next of its vector.
template <typename T, typename Parse>
core::Status append_record(const Event& e, const std::string& node, std::string_view kind,
                           core::PersistentVector<T>& records, const json& body, Parse parse) {
  auto r = parse(body);
  if (!r) return data_loss(e, r.status().message());
  if (r->id != core::format_id(node, kind, records.size() + 1)) return data_loss(e, "out-of-order id " + r->id);
  records.push_back(std::make_shared<const T>(std::move(*r)));
  return core::Status::ok();
}

}  // namespace

core::Result<std::shared_ptr<const RiverRecord>> load_river(const std::string& source, std::string by,
                                                            core::Timestamp at) {
  auto network = river::Network::from_geojson(source);
  if (!network) return network.status();
  auto rec = std::make_shared<RiverRecord>();
  rec->source = source;
  rec->reaches = network->reaches().size();
  rec->sites = network->sites().size();
  rec->network = std::make_shared<const river::Network>(std::move(*network));
  rec->by = std::move(by);
  rec->loaded_at = at;
  return std::shared_ptr<const RiverRecord>(std::move(rec));
}

core::Status State::apply_monitoring(const Event& e) {
  const json& d = e.data;
  auto station_at = [&](const std::string& id) {
    return index_of(id, v_.node, core::kKindMonitoringStation, v_.monitoring_stations.size());
  };
  auto warning_at = [&](const std::string& id) {
    return index_of(id, v_.node, core::kKindWarning, v_.warnings.size());
  };
  auto fence_at = [&](const std::string& id) { return index_of(id, v_.node, core::kKindFence, v_.fences.size()); };

  if (e.type == "monitor.station_registered") {
    v_.stations_seq = e.seq;
    return append_record(e, v_.node, core::kKindMonitoringStation, v_.monitoring_stations, d.at("station"),
                         monitoring_station_from_json);
  }
  if (e.type == "monitor.station_updated") {
    auto r = monitoring_station_from_json(d.at("station"));
    if (!r) return data_loss(e, r.status().message());
    auto idx = station_at(r->id);
    if (idx < 0) return data_loss(e, "unknown station " + r->id);
    v_.monitoring_stations.set(idx, std::make_shared<const MonitoringStation>(std::move(*r)));
    v_.stations_seq = e.seq;
    return core::Status::ok();
  }
  if (e.type == "monitor.detector_fired" || e.type == "monitor.detector_cleared") {
    auto idx = station_at(str(d, "station_id"));
    if (idx < 0) return data_loss(e, "unknown station " + str(d, "station_id"));
    MonitoringStation s = v_.monitoring_stations[idx];
    std::string parameter = str(d, "parameter");
    std::string level = str(d, "level");
    auto it = std::find_if(s.conditions.begin(), s.conditions.end(),
                           [&](const Condition& c) { return c.parameter == parameter; });
    if (level.empty()) {
      if (it != s.conditions.end()) s.conditions.erase(it);
    } else {
      auto at = core::parse_rfc3339(str(d, "at"), "at");
      if (!at) return data_loss(e, at.status().message());
      Condition c{parameter, str(d, "detector"), level, *at, d.value("value", 0.0), d.value("score", 0.0),
                  d.value("limit", 0.0), str(d, "reason")};
      if (it == s.conditions.end()) {
        s.conditions.push_back(std::move(c));
      } else {
        if (it->level == level) c.since = it->since;  // the same condition goes on
        *it = std::move(c);
      }
    }
    v_.monitoring_stations.set(idx, std::make_shared<const MonitoringStation>(std::move(s)));
    return core::Status::ok();
  }
  if (e.type == "warning.raised")
    return append_record(e, v_.node, core::kKindWarning, v_.warnings, d.at("warning"), warning_from_json);
  if (e.type.rfind("warning.", 0) == 0) {
    auto idx = warning_at(str(d, "warning_id"));
    if (idx < 0) return data_loss(e, "unknown warning " + str(d, "warning_id"));
    Warning w = v_.warnings[idx];
    std::string action = e.type.substr(8);
    if (action == "confirmed" || action == "issued" || action == "lifted") w.status = action;
    if (d.contains("level") && d["level"].is_string() && !d["level"].get<std::string>().empty())
      w.level = d["level"].get<std::string>();
    if (d.contains("description") && d["description"].is_string()) w.description = d["description"];
    if (d.contains("incident_id") && d["incident_id"].is_string()) w.incident_id = d["incident_id"];
    if (d.contains("condition_active") && d["condition_active"].is_boolean())
      w.condition_active = d["condition_active"];
    if (d.contains("value") && d["value"].is_number()) w.value = d["value"];
    if (d.contains("score") && d["score"].is_number()) w.score = d["score"];
    w.updated_at = e.time;
    w.steps.push_back(WarningStep{action, w.level, str(d, "by"), e.time, str(d, "note")});
    v_.warnings.set(idx, std::make_shared<const Warning>(std::move(w)));
    return core::Status::ok();
  }
  if (e.type == "river.network_loaded") {
    auto r = load_river(str(d, "source"), str(d, "by"), e.time);
    if (!r) return data_loss(e, r.status().message());
    v_.river = std::move(*r);
    return core::Status::ok();
  }
  if (e.type == "object.registered") {
    v_.fences_seq = e.seq;
    return append_record(e, v_.node, core::kKindTrackedObject, v_.tracked_objects, d.at("object"),
                         tracked_object_from_json);
  }
  if (e.type == "fence.created") {
    v_.fences_seq = e.seq;
    return append_record(e, v_.node, core::kKindFence, v_.fences, d.at("fence"), fence_from_json);
  }
  if (e.type == "fence.updated") {
    auto r = fence_from_json(d.at("fence"));
    if (!r) return data_loss(e, r.status().message());
    auto idx = fence_at(r->id);
    if (idx < 0) return data_loss(e, "unknown fence " + r->id);
    v_.fences.set(idx, std::make_shared<const FenceRecord>(std::move(*r)));
    v_.fences_seq = e.seq;
    return core::Status::ok();
  }
  if (e.type == "fence.hit") {
    auto idx = fence_at(str(d, "fence_id"));
    if (idx < 0) return data_loss(e, "unknown fence " + str(d, "fence_id"));
    auto at = core::parse_rfc3339(str(d, "at"), "at");
    if (!at) return data_loss(e, at.status().message());
    FenceRecord f = v_.fences[idx];
    ++f.hits;
    if (!f.last_hit_at || *at > *f.last_hit_at) f.last_hit_at = *at;
    v_.fences.set(idx, std::make_shared<const FenceRecord>(std::move(f)));
    return core::Status::ok();
  }
  return data_loss(e, "unknown event type");
}

}  // namespace liandong::engine
