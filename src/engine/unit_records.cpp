#include "engine/unit_records.h"

#include "engine/internal/json_fields.h"

namespace liandong::engine {

using nlohmann::json;
using internal::guarded;
using internal::opt_time;
using internal::opt_time_at;
using internal::str_or;
using internal::time_at;

json to_json(const Agency& a) {
  return {{"id", a.id}, {"jurisdiction", a.jurisdiction}, {"name", a.name}, {"kind", a.kind}};
}

core::Result<Agency> agency_from_json(const json& j) {
  return guarded("agency", [&] {
    return Agency{j.at("id").get<std::string>(), j.at("jurisdiction").get<std::string>(),
                  j.at("name").get<std::string>(), j.at("kind").get<std::string>()};
  });
}

json to_json(const Station& s) {
  return {{"id", s.id},
          {"jurisdiction", s.jurisdiction},
          {"name", s.name},
          {"agency_id", s.agency_id},
          {"location", {{"lon", s.location.lon}, {"lat", s.location.lat}}}};
}

core::Result<Station> station_from_json(const json& j) {
  return guarded("station", [&] {
    return Station{j.at("id").get<std::string>(), j.at("jurisdiction").get<std::string>(),
                   j.at("name").get<std::string>(), j.at("agency_id").get<std::string>(),
                   core::LonLat{j.at("location").at("lon").get<double>(), j.at("location").at("lat").get<double>()}};
  });
}

json to_json(const Unit& u) {
  json history = json::array();
  for (const auto& h : u.history)
    history.push_back({{"status", h.status},
                       {"at", core::format_utc(h.at)},
                       {"incident_id", h.incident_id.empty() ? json(nullptr) : json(h.incident_id)},
                       {"by", h.by},
                       {"reason", h.reason}});
  return {{"id", u.id},
          {"jurisdiction", u.jurisdiction},
          {"call_sign", u.call_sign},
          {"type", u.type},
          {"agency_id", u.agency_id},
          {"station_id", u.station_id},
          {"capabilities", u.capabilities},
          {"crew", u.crew},
          {"status", u.status},
          {"status_since", core::format_utc(u.status_since)},
          {"incident_id", u.incident_id.empty() ? json(nullptr) : json(u.incident_id)},
          {"history", std::move(history)}};
}

core::Result<Unit> unit_from_json(const json& j) {
  return guarded("unit", [&] {
    Unit u;
    u.id = j.at("id").get<std::string>();
    u.jurisdiction = j.at("jurisdiction").get<std::string>();
    u.call_sign = j.at("call_sign").get<std::string>();
    u.type = j.at("type").get<std::string>();
    u.agency_id = str_or(j, "agency_id");
    u.station_id = str_or(j, "station_id");
    if (j.contains("capabilities")) u.capabilities = j.at("capabilities").get<std::vector<std::string>>();
    u.crew = j.value("crew", 0u);
    u.status = j.at("status").get<std::string>();
    if (j.contains("status_since")) u.status_since = time_at(j, "status_since");
    u.incident_id = str_or(j, "incident_id");
    if (j.contains("history"))
      for (const auto& h : j.at("history"))
        u.history.push_back({h.at("status").get<std::string>(), time_at(h, "at"), str_or(h, "incident_id"),
                             str_or(h, "by"), str_or(h, "reason")});
    return u;
  });
}

json to_json(const Assignment& a) {
  return {{"unit_id", a.unit_id},
          {"call_sign", a.call_sign},
          {"unit_type", a.unit_type},
          {"agency_id", a.agency_id},
          {"dispatched_at", core::format_utc(a.dispatched_at)},
          {"en_route_at", opt_time(a.en_route_at)},
          {"on_scene_at", opt_time(a.on_scene_at)},
          {"cleared_at", opt_time(a.cleared_at)},
          {"ended", a.ended.empty() ? json(nullptr) : json(a.ended)},
          {"eta_s", a.eta_s ? json(*a.eta_s) : json(nullptr)},
          {"recommended", a.recommended},
          {"mutual_aid_rule", a.mutual_aid_rule.empty() ? json(nullptr) : json(a.mutual_aid_rule)}};
}

core::Result<Assignment> assignment_from_json(const json& j) {
  return guarded("assignment", [&] {
    Assignment a;
    a.unit_id = j.at("unit_id").get<std::string>();
    a.call_sign = str_or(j, "call_sign");
    a.unit_type = str_or(j, "unit_type");
    a.agency_id = str_or(j, "agency_id");
    a.dispatched_at = time_at(j, "dispatched_at");
    a.en_route_at = opt_time_at(j, "en_route_at");
    a.on_scene_at = opt_time_at(j, "on_scene_at");
    a.cleared_at = opt_time_at(j, "cleared_at");
    a.ended = str_or(j, "ended");
    if (j.contains("eta_s") && !j.at("eta_s").is_null()) a.eta_s = j.at("eta_s").get<uint32_t>();
    a.recommended = j.value("recommended", false);
    a.mutual_aid_rule = str_or(j, "mutual_aid_rule");
    return a;
  });
}

}  // namespace liandong::engine
