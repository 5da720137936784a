#include "engine/records.h"

#include "engine/internal/json_fields.h"

#include <array>

namespace liandong::engine {

using nlohmann::json;
using internal::guarded;
using internal::opt_time;
using internal::opt_time_at;
using internal::str_or;
using internal::time_at;

namespace {

constexpr std::array<std::string_view, 5> kForward = {kStatusReported, kStatusVerified, kStatusResponding,
                                                      kStatusContained, kStatusClosed};

int forward_rank(std::string_view s) {
  for (size_t i = 0; i < kForward.size(); ++i)
    if (kForward[i] == s) return static_cast<int>(i);
  return -1;
}

std::optional<core::LonLat> opt_loc_at(const json& j, const char* key) {
  if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
  return core::LonLat{j.at(key).at("lon").get<double>(), j.at(key).at("lat").get<double>()};
}

core::Grade grade_at(const json& j, const char* key) {
  auto g = core::parse_grade(j.at(key).get<std::string>());
  if (!g) throw std::invalid_argument(std::string("bad grade in ") + key);
  return *g;
}

std::optional<core::Grade> opt_grade_at(const json& j, const char* key) {
  if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
  return grade_at(j, key);
}

core::Category category_at(const json& j) {
  auto c = core::parse_category(j.at("category").get<std::string>());
  if (!c) throw std::invalid_argument("bad category");
  return *c;
}

}  // namespace

bool is_incident_status(std::string_view s) { return forward_rank(s) >= 0 || s == kStatusCancelled; }
bool is_final_status(std::string_view s) { return s == kStatusClosed || s == kStatusCancelled; }

bool is_valid_transition(std::string_view from, std::string_view to) {
  if (is_final_status(from) || !is_incident_status(to)) return false;
  if (to == kStatusCancelled) return true;
  return forward_rank(to) > forward_rank(from);
}

json to_json(const Figures& f) {
  json j = json::object();  // member by member, as alarm_json
  j.emplace("deaths", f.deaths);
  j.emplace("serious_injuries", f.serious_injuries);
  j.emplace("injuries", f.injuries);
  j.emplace("missing", f.missing);
  j.emplace("affected", f.affected);
  j.emplace("evacuated", f.evacuated);
  j.emplace("direct_loss_yuan", f.direct_loss_yuan);
  return j;
}

core::Result<Figures> figures_from_json(const json& j, std::string_view field) {
  if (!j.is_object()) return core::invalid("figures must be an object", std::string(field));
  Figures f;
  struct Slot {
    const char* name;
    int64_t* out;
  };
  const Slot slots[] = {{"deaths", &f.deaths},     {"serious_injuries", &f.serious_injuries},
                        {"injuries", &f.injuries}, {"missing", &f.missing},
                        {"affected", &f.affected}, {"evacuated", &f.evacuated},
                        {"direct_loss_yuan", &f.direct_loss_yuan}};
  for (auto it = j.begin(); it != j.end(); ++it) {
    const Slot* slot = nullptr;
    for (const auto& s : slots)
      if (it.key() == s.name) slot = &s;
    std::string path = std::string(field) + "." + it.key();
    if (!slot) return core::invalid("unknown figure '" + it.key() + "'", path);
    if (it->is_null()) continue;
    if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > 1'000'000'000'000'000LL)
      return core::invalid("must be a non-negative whole number", path);
    *slot->out = it->get<int64_t>();
  }
  return f;
}

json to_json(const core::LonLat& p) {
  json j = json::object();
  j.emplace("lon", p.lon);
  j.emplace("lat", p.lat);
  return j;
}

core::Result<core::LonLat> lonlat_from_json(const json& j, std::string_view field) {
  std::string f(field);
  if (!j.is_object()) return core::invalid("must be an object {\"lon\": ..., \"lat\": ...}", f);
  auto lon = j.find("lon"), lat = j.find("lat");
  if (lon == j.end() || !lon->is_number()) return core::invalid("longitude must be a number", f + ".lon");
  if (lat == j.end() || !lat->is_number()) return core::invalid("latitude must be a number", f + ".lat");
  core::LonLat p{lon->get<double>(), lat->get<double>()};
  LD_RETURN_IF_ERROR(core::validate(p, f));
  return p;
}

namespace {

// `journal`: leave out what to_journal_json leaves out.
json alarm_json(const Alarm& a, bool journal) {
  // Member by member (emplace): an initializer list builds each member as a two-element array
  // first, and this runs for every alarm the node takes.
  json j = json::object();
  j.emplace("id", a.id);
  j.emplace("jurisdiction", a.jurisdiction);
  j.emplace("channel", a.channel);
  j.emplace("reported_at", core::format_utc(a.reported_at));
  j.emplace("received_at", core::format_utc(a.received_at));
  j.emplace("category", core::to_string(a.category));
  j.emplace("type", a.type);
  j.emplace("incident_id", a.incident_id.empty() ? json(nullptr) : json(a.incident_id));
  j.emplace("first_incident_id", a.first_incident_id);
  j.emplace("by", a.by);
  if (!journal || a.caller)
    j["caller"] = a.caller ? json{{"name", a.caller->name}, {"number", a.caller->number}} : json(nullptr);
  if (!journal || a.location) j["location"] = a.location ? to_json(*a.location) : json(nullptr);
  if (!journal) j["located"] = a.location.has_value();
  if (!journal || !a.address.empty()) j["address"] = a.address;
  if (!journal || !a.description.empty()) j["description"] = a.description;
  if (!journal || a.figures != Figures{}) j["figures"] = to_json(a.figures);
  if (!journal || a.first_joined) j["first_joined"] = a.first_joined;
  if (!journal) j["status"] = a.nuisance_reason.empty() ? "active" : "nuisance";
  if (!journal || !a.nuisance_reason.empty())
    j["nuisance_reason"] = a.nuisance_reason.empty() ? json(nullptr) : json(a.nuisance_reason);
  if (!a.idempotency_key.empty()) j["idempotency_key"] = a.idempotency_key;
  return j;
}

// Figures from the member `key` of j; all zero when it is absent (the journal's form).
Figures figures_at(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return {};
  auto f = figures_from_json(*it, key);
  if (!f) throw std::invalid_argument(f.status().to_string());
  return *f;
}

}  // namespace

json to_json(const Alarm& a) { return alarm_json(a, false); }
json to_journal_json(const Alarm& a) { return alarm_json(a, true); }

core::Result<Alarm> alarm_from_json(const json& j) {
  return guarded("alarm", [&] {
    Alarm a;
    a.id = j.at("id").get<std::string>();
    a.jurisdiction = j.at("jurisdiction").get<std::string>();
    a.channel = j.at("channel").get<std::string>();
    a.reported_at = time_at(j, "reported_at");
    a.received_at = time_at(j, "received_at");
    if (j.contains("caller") && !j.at("caller").is_null())
      a.caller = Caller{str_or(j.at("caller"), "name"), str_or(j.at("caller"), "number")};
    a.location = opt_loc_at(j, "location");
    a.address = str_or(j, "address");
    a.category = category_at(j);
    a.type = j.at("type").get<std::string>();
    a.description = str_or(j, "description");
    a.figures = figures_at(j, "figures");
    a.incident_id = str_or(j, "incident_id");
    a.first_incident_id = str_or(j, "first_incident_id");
    a.first_joined = j.value("first_joined", false);
    a.nuisance_reason = str_or(j, "nuisance_reason");
    a.idempotency_key = str_or(j, "idempotency_key");
    a.by = str_or(j, "by");
    return a;
  });
}

namespace {

json incident_json(const Incident& i, bool with_timeline, bool journal) {
  json j = json::object();  // member by member, as alarm_json
  j.emplace("id", i.id);
  j.emplace("jurisdiction", i.jurisdiction);
  j.emplace("status", i.status);
  j.emplace("category", core::to_string(i.category));
  j.emplace("type", i.type);
  j.emplace("priority", core::to_string(i.priority));
  j.emplace("title", i.title);
  j.emplace("alarm_ids", i.alarm_ids);
  j.emplace("opened_at", core::format_utc(i.opened_at));
  j.emplace("updated_at", core::format_utc(i.updated_at));
  j.emplace("last_alarm_at", core::format_utc(i.last_alarm_at));
  if (!journal || !i.description.empty()) j["description"] = i.description;
  if (!journal || i.location) j["location"] = i.location ? to_json(*i.location) : json(nullptr);
  if (!journal || !i.address.empty()) j["address"] = i.address;
  if (!journal) j["located"] = i.location.has_value();
  if (!journal || i.figures != Figures{}) j["figures"] = to_json(i.figures);
  if (!journal || i.proposed_grade || i.confirmed_grade || !i.grade_history.empty()) {
    json history = json::array();
    for (const auto& g : i.grade_history)
      history.push_back({{"kind", g.kind},
                         {"grade", core::to_string(g.grade)},
                         {"by", g.by},
                         {"at", core::format_utc(g.at)},
                         {"reason", g.reason},
                         {"criterion", g.criterion}});
    j["grade"] = {{"proposed", i.proposed_grade ? json(core::to_string(*i.proposed_grade)) : json(nullptr)},
                  {"confirmed", i.confirmed_grade ? json(core::to_string(*i.confirmed_grade)) : json(nullptr)},
                  {"history", std::move(history)}};
  }
  if (!journal) j["alarm_count"] = i.alarm_ids.size();
  if (!journal || i.closed_at) j["closed_at"] = opt_time(i.closed_at);
  if (!journal || !i.merged_into.empty())
    j["merged_into"] = i.merged_into.empty() ? json(nullptr) : json(i.merged_into);
  if (!journal || !i.assignments.empty()) {
    json assignments = json::array();
    for (const auto& a : i.assignments) assignments.push_back(to_json(a));
    j["assignments"] = std::move(assignments);
  }
  if (i.exercise) j["exercise"] = true;
  if (with_timeline) {
    json tl = json::array();
    for (const auto& t : i.timeline)
      tl.push_back({{"seq", t.seq}, {"time", core::format_utc(t.time)}, {"type", t.type}, {"by", t.by},
                    {"summary", t.summary}});
    j["timeline"] = std::move(tl);
  }
  return j;
}

}  // namespace

json to_json(const Incident& i, bool with_timeline) { return incident_json(i, with_timeline, false); }
json to_journal_json(const Incident& i, bool with_timeline) { return incident_json(i, with_timeline, true); }

core::Result<Incident> incident_from_json(const json& j) {
  return guarded("incident", [&] {
    Incident i;
    i.id = j.at("id").get<std::string>();
    i.jurisdiction = j.at("jurisdiction").get<std::string>();
    i.status = j.at("status").get<std::string>();
    i.category = category_at(j);
    i.type = j.at("type").get<std::string>();
    auto p = core::parse_priority(j.at("priority").get<std::string>());
    if (!p) throw std::invalid_argument("bad priority");
    i.priority = *p;
    i.title = str_or(j, "title");
    i.description = str_or(j, "description");
    i.location = opt_loc_at(j, "location");
    i.address = str_or(j, "address");
    i.figures = figures_at(j, "figures");
    if (auto g = j.find("grade"); g != j.end()) {
      i.proposed_grade = opt_grade_at(*g, "proposed");
      i.confirmed_grade = opt_grade_at(*g, "confirmed");
      for (const auto& h : g->at("history"))
        i.grade_history.push_back({h.at("kind").get<std::string>(), grade_at(h, "grade"), str_or(h, "by"),
                                   time_at(h, "at"), str_or(h, "reason"), str_or(h, "criterion")});
    }
    i.alarm_ids = j.at("alarm_ids").get<std::vector<std::string>>();
    i.opened_at = time_at(j, "opened_at");
    i.updated_at = time_at(j, "updated_at");
    i.last_alarm_at = time_at(j, "last_alarm_at");
    i.closed_at = opt_time_at(j, "closed_at");
    i.merged_into = str_or(j, "merged_into");
    i.exercise = j.contains("exercise") && j.at("exercise").get<bool>();
    if (j.contains("assignments"))
      for (const auto& a : j.at("assignments")) {
        auto r = assignment_from_json(a);
        if (!r) throw std::invalid_argument(r.status().message());
        i.assignments.push_back(std::move(*r));
      }
    if (j.contains("timeline"))
      for (const auto& t : j.at("timeline"))
        i.timeline.push_back({t.at("seq").get<uint64_t>(), time_at(t, "time"), t.at("type").get<std::string>(),
                              str_or(t, "by"), str_or(t, "summary")});
    return i;
  });
}

}  // namespace liandong::engine
