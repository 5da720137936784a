#include "engine/state.h"
#include "engine/internal/json_fields.h"

#include "engine/internal/apply_access.h"
#include "engine/json_text.h"
#include "engine/record_text.h"

#include <algorithm>
#include <cmath>

#include "core/ids.h"

namespace liandong::engine {

using nlohmann::json;

namespace {

constexpr double kCellDeg = 0.01;  // grid cell for duplicate search (~1.1 km of latitude)
// One degree of latitude on core::distance_m's sphere (radius 6,371,008.8 m), rounded down.
constexpr double kMetresPerDegreeLat = 111195.0;

int64_t cell_of(double lon, double lat) {
  auto x = static_cast<int64_t>(std::floor((lon + 180.0) / kCellDeg));
  auto y = static_cast<int64_t>(std::floor((lat + 90.0) / kCellDeg));
  return x * 100000 + y;
}

core::Status data_loss(const Event& e, const std::string& why) {
  return {core::Code::kDataLoss, "event " + std::to_string(e.seq) + " (" + e.type + "): " + why};
}

Figures max_figures(const Figures& a, const Figures& b) {
  return {std::max(a.deaths, b.deaths),     std::max(a.serious_injuries, b.serious_injuries),
          std::max(a.injuries, b.injuries), std::max(a.missing, b.missing),
          std::max(a.affected, b.affected), std::max(a.evacuated, b.evacuated),
          std::max(a.direct_loss_yuan, b.direct_loss_yuan)};
}

std::string str(const json& d, const char* key) {
  auto it = d.find(key);
  return it != d.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Drill incidents are never candidates for a real report to join.
bool is_open_located(const Incident& i) {
  return !i.exercise && !is_final_status(i.status) && i.location.has_value();
}
bool is_open_unlocated(const Incident& i) {
  return !i.exercise && !is_final_status(i.status) && !i.location.has_value();
}

}  // namespace

std::string normalise_address(std::string_view a) {
  std::string out;
  out.reserve(a.size());
  for (char c : a) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

State::State(std::string node) { v_.node = std::move(node); v_.hash = kGenesisHash; }

void State::index_incident(const Incident& inc, size_t idx, bool add) {
  if (is_open_located(inc)) {
    auto& cell = grid_[cell_of(inc.location->lon, inc.location->lat)];
    auto it = std::find_if(cell.begin(), cell.end(), [&](const Near& n) { return n.idx == idx; });
    if (add && it == cell.end()) cell.push_back({idx, *inc.location, inc.last_alarm_at});
    if (!add && it != cell.end()) cell.erase(it);
  } else if (is_open_unlocated(inc) && !inc.address.empty()) {
    auto& list = by_address_[normalise_address(inc.address)];
    auto it = std::find(list.begin(), list.end(), idx);
    if (add && it == list.end()) list.push_back(idx);
    if (!add && it != list.end()) list.erase(it);
  }
}

void State::put_incident(size_t idx, Incident inc) {
  index_incident(v_.incidents[idx], idx, false);
  index_incident(inc, idx, true);
  v_.incidents.set(idx, std::make_shared<const Incident>(std::move(inc)));
}

void State::add_timeline(Incident& inc, const Event& e, std::string summary) {
  inc.timeline.push_back({e.seq, e.time, e.type, str(e.data, "by"), std::move(summary)});
  inc.updated_at = e.time;
}

core::Status State::check_next(const Event& e, std::string_view type) const {
  if (e.seq != v_.seq + 1) return data_loss(e, "expected seq " + std::to_string(v_.seq + 1));
  if (!type.empty() && e.type != type) return data_loss(e, "not an " + std::string(type));
  return core::Status::ok();
}

core::Status State::apply(const Event& e) {
  LD_RETURN_IF_ERROR(check_next(e));
  return applied(e, apply_inner(e));
}

core::Status State::apply(const Event& e, Alarm alarm) {
  LD_RETURN_IF_ERROR(check_next(e, "alarm.received"));
  return applied(e, apply_alarm_received(e, std::move(alarm)));
}

core::Status State::apply(const Event& e, Incident incident) {
  LD_RETURN_IF_ERROR(check_next(e, "incident.opened"));
  return applied(e, apply_incident_opened(e, std::move(incident)));
}

core::Status State::apply(const Event& e, ProposedGrade p) {
  LD_RETURN_IF_ERROR(check_next(e, "incident.grade_proposed"));
  auto idx = index_of(p.incident_id, v_.node, core::kKindIncident, v_.incidents.size());
  if (idx < 0) return data_loss(e, "unknown incident " + p.incident_id);
  Incident inc = v_.incidents[idx];
  record_grade(inc, e, false, p.grade, core::to_string(p.grade), std::move(p.reason), std::move(p.criterion));
  put_incident(idx, std::move(inc));
  return applied(e, core::Status::ok());
}

void State::record_grade(Incident& inc, const Event& e, bool confirmed, core::Grade grade, std::string_view grade_text,
                         std::string reason, std::string criterion) {
  (confirmed ? inc.confirmed_grade : inc.proposed_grade) = grade;
  std::string summary = std::string(confirmed ? "grade confirmed " : "grade proposed ") + std::string(grade_text) +
                        (reason.empty() ? "" : " (" + reason + ")");
  inc.grade_history.push_back({confirmed ? "confirmed" : "proposed", grade,
                               confirmed ? str(e.data, "by") : std::string("rules"), e.time, std::move(reason),
                               std::move(criterion)});
  add_timeline(inc, e, std::move(summary));
}

core::Status State::applied(const Event& e, core::Status st) {
  if (!st.is_ok()) return st;
  v_.seq = e.seq;
  v_.hash = e.hash;
  return core::Status::ok();
}

core::Status State::apply_alarm_received(const Event& e, Alarm a) {
  if (a.id != core::format_id(v_.node, core::kKindAlarm, v_.alarms.size() + 1))
    return data_loss(e, "alarm id " + a.id + " out of sequence");
  if (e.data.value("joined", false)) {
    auto idx = index_of(a.incident_id, v_.node, core::kKindIncident, v_.incidents.size());
    if (idx < 0) return data_loss(e, "joined unknown incident " + a.incident_id);
    Incident inc = v_.incidents[idx];
    inc.alarm_ids.push_back(a.id);
    inc.last_alarm_at = std::max(inc.last_alarm_at, a.reported_at);
    inc.figures = max_figures(inc.figures, a.figures);
    add_timeline(inc, e, "further report " + a.id + " via " + a.channel);
    put_incident(idx, std::move(inc));
  }
  if (!a.idempotency_key.empty()) by_key_[a.idempotency_key] = v_.alarms.size();
  v_.alarms.push_back(std::make_shared<const Alarm>(std::move(a)));
  return core::Status::ok();
}

core::Status State::apply_incident_opened(const Event& e, Incident inc) {
  if (inc.id != core::format_id(v_.node, core::kKindIncident, v_.incidents.size() + 1))
    return data_loss(e, "incident id " + inc.id + " out of sequence");
  inc.opened_at = inc.updated_at = e.time;
  add_timeline(inc, e, "opened from " + (inc.alarm_ids.empty() ? std::string("-") : inc.alarm_ids[0]));
  size_t idx = v_.incidents.size();
  index_incident(inc, idx, true);
  v_.incidents.push_back(std::make_shared<const Incident>(std::move(inc)));
  return core::Status::ok();
}

core::Status State::apply_inner(const Event& e) {
  const json& d = e.data;
  auto incident_index = [&](const std::string& id) {
    return index_of(id, v_.node, core::kKindIncident, v_.incidents.size());
  };
  auto alarm_index = [&](const std::string& id) {
    return index_of(id, v_.node, core::kKindAlarm, v_.alarms.size());
  };

  if (e.type == "alarm.received") {
    auto a = alarm_from_json(internal::member_or_empty(d, "alarm"));
    if (!a) return data_loss(e, a.status().message());
    return apply_alarm_received(e, std::move(*a));
  }
  if (e.type == "incident.opened") {
    auto inc = incident_from_json(internal::member_or_empty(d, "incident"));
    if (!inc) return data_loss(e, inc.status().message());
    return apply_incident_opened(e, std::move(*inc));
  }
  if (e.type.rfind("unit.", 0) == 0 || e.type == "agency.registered" || e.type == "station.registered")
    return apply_unit(e);
  if (e.type.rfind("plan.", 0) == 0 || e.type.rfind("activation.", 0) == 0 || e.type.rfind("task.", 0) == 0 ||
      e.type.rfind("notification.", 0) == 0 || e.type.rfind("drill.", 0) == 0)
    return apply_plan(e);
  if (e.type.rfind("monitor.", 0) == 0 || e.type.rfind("warning.", 0) == 0 || e.type.rfind("river.", 0) == 0 ||
      e.type.rfind("object.", 0) == 0 || e.type.rfind("fence.", 0) == 0)
    return apply_monitoring(e);
  if (e.type.rfind("alert.", 0) == 0 || e.type.rfind("subscriber.", 0) == 0 || e.type.rfind("feed.", 0) == 0)
    return apply_alerts(e);
  if (e.type.rfind("report.", 0) == 0) return apply_reports(e);
  if (e.type == "node.configured") return core::Status::ok();
  if (internal::is_access_event(e.type)) return internal::apply_access(v_, e);

  if (e.type.rfind("alarm.", 0) == 0) {
    auto aidx = alarm_index(str(d, "alarm_id"));
    if (aidx < 0) return data_loss(e, "unknown alarm " + str(d, "alarm_id"));
    Alarm alarm = v_.alarms[aidx];
    if (e.type == "alarm.located") {
      auto loc = lonlat_from_json(d.value("location", json()), "location");
      if (!loc) return data_loss(e, loc.status().message());
      alarm.location = *loc;
      auto iidx = incident_index(alarm.incident_id);
      if (iidx >= 0) {
        Incident inc = v_.incidents[iidx];
        if (!inc.location) inc.location = *loc;
        add_timeline(inc, e, "alarm " + alarm.id + " placed on the map");
        put_incident(iidx, std::move(inc));
      }
    } else if (e.type == "alarm.nuisance") {
      alarm.nuisance_reason = str(d, "reason");
      auto iidx = incident_index(alarm.incident_id);
      if (iidx >= 0) {
        Incident inc = v_.incidents[iidx];
        std::erase(inc.alarm_ids, alarm.id);
        add_timeline(inc, e, "alarm " + alarm.id + " closed as nuisance (" + alarm.nuisance_reason + ")");
        put_incident(iidx, std::move(inc));
      }
      alarm.incident_id.clear();
    } else if (e.type == "alarm.split") {
      auto from = incident_index(str(d, "from_incident_id"));
      auto to = incident_index(str(d, "incident_id"));
      if (from < 0 || to < 0) return data_loss(e, "split between unknown incidents");
      Incident old = v_.incidents[from];
      std::erase(old.alarm_ids, alarm.id);
      add_timeline(old, e, "alarm " + alarm.id + " split off into " + str(d, "incident_id"));
      put_incident(from, std::move(old));
      alarm.incident_id = str(d, "incident_id");
    } else {
      return data_loss(e, "unknown event type");
    }
    v_.alarms.set(aidx, std::make_shared<const Alarm>(std::move(alarm)));
    return core::Status::ok();
  }

  if (e.type.rfind("incident.", 0) == 0) {
    auto idx = incident_index(str(d, "incident_id"));
    if (idx < 0) return data_loss(e, "unknown incident " + str(d, "incident_id"));
    Incident inc = v_.incidents[idx];
    if (e.type == "incident.status_changed") {
      inc.status = str(d, "to");
      if (is_final_status(inc.status)) inc.closed_at = e.time;
      inc.merged_into = str(d, "merged_into");
      add_timeline(inc, e, str(d, "from") + " → " + inc.status +
                               (str(d, "reason").empty() ? "" : " (" + str(d, "reason") + ")"));
    } else if (e.type == "incident.priority_changed") {
      auto p = core::parse_priority(str(d, "to"));
      if (!p) return data_loss(e, "bad priority");
      inc.priority = *p;
      add_timeline(inc, e, "priority " + str(d, "from") + " → " + str(d, "to"));
    } else if (e.type == "incident.grade_proposed" || e.type == "incident.grade_confirmed") {
      auto g = core::parse_grade(str(d, "grade"));
      if (!g) return data_loss(e, "bad grade");
      record_grade(inc, e, e.type == "incident.grade_confirmed", *g, str(d, "grade"), str(d, "reason"),
                   str(d, "criterion"));
    } else if (e.type == "incident.updated") {
      const json& c = internal::member_or_empty(d, "changes");
      std::string fields;
      for (auto it = c.begin(); it != c.end(); ++it) fields += (fields.empty() ? "" : ", ") + it.key();
      if (c.contains("title")) inc.title = c["title"].get<std::string>();
      if (c.contains("description")) inc.description = c["description"].get<std::string>();
      if (c.contains("address")) inc.address = c["address"].get<std::string>();
      if (c.contains("type")) inc.type = c["type"].get<std::string>();
      if (c.contains("category")) {
        auto cat = core::parse_category(c["category"].get<std::string>());
        if (!cat) return data_loss(e, "bad category");
        inc.category = *cat;
      }
      if (c.contains("location")) {
        auto loc = lonlat_from_json(c["location"], "location");
        if (!loc) return data_loss(e, loc.status().message());
        inc.location = *loc;
      }
      if (c.contains("figures")) {
        auto f = figures_from_json(c["figures"], "figures");
        if (!f) return data_loss(e, f.status().message());
        inc.figures = *f;
      }
      add_timeline(inc, e, "updated " + fields);
    } else if (e.type == "incident.merged") {
      auto midx = incident_index(str(d, "merged_id"));
      if (midx < 0 || midx == idx) return data_loss(e, "bad merged incident");
      Incident other = v_.incidents[midx];
      for (const auto& aid : other.alarm_ids) {
        auto ai = alarm_index(aid);
        if (ai < 0) return data_loss(e, "unknown alarm " + aid);
        Alarm a = v_.alarms[ai];
        a.incident_id = inc.id;
        v_.alarms.set(ai, std::make_shared<const Alarm>(std::move(a)));
        inc.alarm_ids.push_back(aid);
      }
      inc.figures = max_figures(inc.figures, other.figures);
      inc.last_alarm_at = std::max(inc.last_alarm_at, other.last_alarm_at);
      if (!inc.location) inc.location = other.location;
      add_timeline(inc, e, "merged " + other.id + " into this incident");
      other.alarm_ids.clear();
      other.status = kStatusCancelled;
      other.closed_at = e.time;
      other.merged_into = inc.id;
      add_timeline(other, e, "merged into " + inc.id);
      put_incident(midx, std::move(other));
    } else {
      return data_loss(e, "unknown event type");
    }
    put_incident(idx, std::move(inc));
    return core::Status::ok();
  }
  // Event types from later versions are kept in the journal but do not change this state.
  return core::Status::ok();
}

std::vector<const Incident*> State::open_near(const core::LonLat& p, double radius_m, core::Timestamp t,
                                              core::Millis window) const {
  std::vector<std::pair<double, const Incident*>> found;
  int reach = static_cast<int>(std::ceil(radius_m / (kCellDeg * 111000.0 * std::max(0.1, std::cos(p.lat * M_PI / 180)))));
  reach = std::clamp(reach, 1, 20);
  int64_t c = cell_of(p.lon, p.lat);
  for (int dx = -reach; dx <= reach; ++dx)
    for (int dy = -reach; dy <= reach; ++dy) {
      auto it = grid_.find(c + dx * 100000 + dy);
      if (it == grid_.end()) continue;
      for (const Near& n : it->second) {
        auto gap = t > n.last_alarm_at ? t - n.last_alarm_at : n.last_alarm_at - t;
        if (gap > window) continue;
        // The great-circle distance is never less than the difference in latitude along a
        // meridian, so that cheap bound rules most of the grid's neighbours out.
        if (std::abs(n.location.lat - p.lat) * kMetresPerDegreeLat > radius_m) continue;
        double dist = core::distance_m(p, n.location);
        if (dist <= radius_m) found.emplace_back(dist, &v_.incidents[n.idx]);
      }
    }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second->id < b.second->id;
  });
  std::vector<const Incident*> out;
  for (auto& f : found) out.push_back(f.second);
  return out;
}

std::vector<const Incident*> State::open_at_address(std::string_view address) const {
  std::vector<const Incident*> out;
  auto it = by_address_.find(normalise_address(address));
  if (it == by_address_.end()) return out;
  for (auto r = it->second.rbegin(); r != it->second.rend(); ++r) out.push_back(&v_.incidents[*r]);
  return out;
}

const Alarm* State::alarm_by_key(std::string_view key) const {
  auto it = by_key_.find(std::string(key));
  return it == by_key_.end() ? nullptr : &v_.alarms[it->second];
}

std::string State::serialize() const { return serialize_view(v_); }

std::string serialize_view(const View& v_, size_t expected_bytes) {
  // The small fields as one object; the record lists are appended to its text one record at a
  // time, so that no tree of the whole state is ever built (a large state's snapshot would
  // otherwise hold every record twice, as a tree and as text). Never throws: text that is not
  // UTF-8 (which the API refuses at the door) would be replaced.
  json head = {{"format", 1}, {"node", v_.node}, {"seq", v_.seq}, {"hash", v_.hash}};
  internal::serialize_access(v_, head);
  head["river"] = v_.river ? json{{"source", v_.river->source},
                                  {"by", v_.river->by},
                                  {"loaded_at", core::format_utc(v_.river->loaded_at)}}
                           : json(nullptr);
  head["stations_seq"] = v_.stations_seq;
  head["fences_seq"] = v_.fences_seq;
  head["subscribers_seq"] = v_.subscribers_seq;
  head["feeds_seq"] = v_.feeds_seq;
  std::string out;
  out.reserve(expected_bytes + expected_bytes / 4);  // no copying as it grows (a large state's is 100s of MB)
  out = head.dump(-1, ' ', false, json::error_handler_t::replace);
  out.pop_back();  // the closing brace: the lists follow
  auto add_text = [&](const char* key, const auto& vec, auto&& write) {
    out.append(",\"").append(key).append("\":[");
    for (size_t i = 0; i < vec.size(); ++i) {
      if (i) out.push_back(',');
      write(vec[i]);
    }
    out.push_back(']');
  };
  // Alarms and incidents, most of a large state, are written straight from the record
  // (record_text.h); the other records through their JSON trees.
  auto add = [&](const char* key, const auto& vec, auto&& conv) {
    add_text(key, vec, [&](const auto& r) { append_json_text(out, conv(r)); });
  };
  add_text("alarms", v_.alarms, [&](const Alarm& a) { append_journal_text(out, a); });
  add_text("incidents", v_.incidents, [&](const Incident& i) { append_journal_text(out, i, true); });
  add("agencies", v_.agencies, [](const Agency& a) { return to_json(a); });
  add("stations", v_.stations, [](const Station& s) { return to_json(s); });
  add("units", v_.units, [](const Unit& u) { return to_json(u); });
  add("plans", v_.plans, [](const PlanRecord& p) { return to_json(p, true); });
  add("activations", v_.activations, [](const Activation& a) { return to_json(a); });
  add("tasks", v_.tasks, [](const Task& t) { return to_json(t); });
  add("notifications", v_.notifications, [](const Notification& n) { return to_json(n); });
  add("monitoring_stations", v_.monitoring_stations, [](const MonitoringStation& s) { return to_json(s); });
  add("warnings", v_.warnings, [](const Warning& w) { return to_json(w); });
  add("tracked_objects", v_.tracked_objects, [](const TrackedObject& o) { return to_json(o); });
  add("fences", v_.fences, [](const FenceRecord& f) { return to_json(f); });
  add("alerts", v_.alerts, [](const AlertRecord& a) { return to_json(a); });
  add("subscribers", v_.subscribers, [](const Subscriber& s) { return to_json(s); });
  add("feeds", v_.feeds, [](const FeedRecord& f) { return to_json(f); });
  add("reports", v_.reports, [](const ReportRecord& r) { return to_json(r); });
  add("obligations", v_.obligations, [](const Obligation& o) { return to_json(o); });
  out.push_back('}');
  return out;
}

core::Result<State> State::load(std::string_view body, std::string node) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return core::invalid("snapshot is not JSON", "snapshot");
  if (j.value("format", 0) != 1) return core::invalid("snapshot format is not 1", "snapshot");
  if (j.value("node", "") != node)
    return core::invalid("snapshot belongs to node " + j.value("node", "?") + ", not " + node, "snapshot");
  State s(std::move(node));
  s.v_.seq = j.value("seq", uint64_t{0});
  s.v_.hash = j.value("hash", std::string(kGenesisHash));
  auto load_all = [&](const char* key, auto& vec, auto&& conv) -> core::Status {
    if (!j.contains(key) || !j[key].is_array()) return core::invalid(std::string("snapshot lacks ") + key);
    for (const auto& item : j[key]) {
      auto r = conv(item);
      if (!r) return r.status();
      vec.push_back(std::make_shared<const std::decay_t<decltype(*r)>>(std::move(*r)));
    }
    return core::Status::ok();
  };
  LD_RETURN_IF_ERROR(load_all("alarms", s.v_.alarms, alarm_from_json));
  LD_RETURN_IF_ERROR(load_all("incidents", s.v_.incidents, incident_from_json));
  LD_RETURN_IF_ERROR(load_all("agencies", s.v_.agencies, agency_from_json));
  LD_RETURN_IF_ERROR(load_all("stations", s.v_.stations, station_from_json));
  LD_RETURN_IF_ERROR(load_all("units", s.v_.units, unit_from_json));
  LD_RETURN_IF_ERROR(internal::load_access(j, s.v_));
  // Snapshots written before plans existed have none.
  for (const char* key : {"plans", "activations", "tasks", "notifications"})
    if (!j.contains(key)) j[key] = json::array();
  LD_RETURN_IF_ERROR(load_all("plans", s.v_.plans, plan_record_from_json));
  LD_RETURN_IF_ERROR(load_all("activations", s.v_.activations, activation_from_json));
  LD_RETURN_IF_ERROR(load_all("tasks", s.v_.tasks, task_from_json));
  LD_RETURN_IF_ERROR(load_all("notifications", s.v_.notifications, notification_from_json));
  // Snapshots written before monitoring existed have none.
  for (const char* key : {"monitoring_stations", "warnings", "tracked_objects", "fences"})
    if (!j.contains(key)) j[key] = json::array();
  LD_RETURN_IF_ERROR(load_all("monitoring_stations", s.v_.monitoring_stations, monitoring_station_from_json));
  LD_RETURN_IF_ERROR(load_all("warnings", s.v_.warnings, warning_from_json));
  LD_RETURN_IF_ERROR(load_all("tracked_objects", s.v_.tracked_objects, tracked_object_from_json));
  LD_RETURN_IF_ERROR(load_all("fences", s.v_.fences, fence_from_json));
  if (j.contains("river") && j["river"].is_object()) {
    const json& r = j["river"];
    auto loaded_at = core::parse_rfc3339(r.value("loaded_at", ""), "river.loaded_at");
    if (!loaded_at) return loaded_at.status();
    auto river = load_river(r.value("source", ""), r.value("by", ""), *loaded_at);
    if (!river) return river.status();
    s.v_.river = std::move(*river);
  }
  s.v_.stations_seq = j.value("stations_seq", uint64_t{0});
  s.v_.fences_seq = j.value("fences_seq", uint64_t{0});
  // Snapshots written before alerts existed have none.
  for (const char* key : {"alerts", "subscribers", "feeds"})
    if (!j.contains(key)) j[key] = json::array();
  LD_RETURN_IF_ERROR(load_all("alerts", s.v_.alerts, alert_from_json));
  LD_RETURN_IF_ERROR(load_all("subscribers", s.v_.subscribers, subscriber_from_json));
  LD_RETURN_IF_ERROR(load_all("feeds", s.v_.feeds, feed_from_json));
  // Snapshots written before reports existed have none.
  for (const char* key : {"reports", "obligations"})
    if (!j.contains(key)) j[key] = json::array();
  LD_RETURN_IF_ERROR(load_all("reports", s.v_.reports, report_from_json));
  LD_RETURN_IF_ERROR(load_all("obligations", s.v_.obligations, obligation_from_json));
  s.v_.subscribers_seq = j.value("subscribers_seq", uint64_t{0});
  s.v_.feeds_seq = j.value("feeds_seq", uint64_t{0});
  s.rebuild_indices();
  return s;
}

void State::rebuild_indices() {
  by_key_.clear();
  grid_.clear();
  by_address_.clear();
  for (size_t i = 0; i < v_.alarms.size(); ++i)
    if (!v_.alarms[i].idempotency_key.empty()) by_key_[v_.alarms[i].idempotency_key] = i;
  for (size_t i = 0; i < v_.incidents.size(); ++i) index_incident(v_.incidents[i], i, true);
  timers_.clear();
  for (size_t i = 0; i < v_.tasks.size(); ++i) set_task_timer(i, v_.tasks[i], true);
  for (size_t i = 0; i < v_.activations.size(); ++i) set_inject_timers(i, v_.activations[i], true);
  index_reports();
}

}  // namespace liandong::engine
