#include "engine/alert_records.h"

#include "engine/internal/json_fields.h"
#include "engine/monitoring_records.h"

namespace liandong::engine {

using nlohmann::json;
using internal::guarded;
using internal::opt_time;
using internal::opt_time_at;
using internal::str_at;
using internal::strings_at;
using internal::time_at;

namespace {

json point_json(const core::LonLat& p) { return json::array({p.lon, p.lat}); }

core::LonLat point_at(const json& j) {
  if (!j.is_array() || j.size() != 2) throw std::invalid_argument("a point is [lon, lat]");
  return core::LonLat{j[0].get<double>(), j[1].get<double>()};
}

}  // namespace

bool AlertRecord::current(core::Timestamp now) const {
  if (state != "published" && state != "received") return false;
  if (msg_type == "Cancel") return false;
  return !content.expires || *content.expires > now;
}

json to_json(const AlertContent& c) {
  json polygons = json::array();
  for (const auto& ring : c.polygons) {
    json r = json::array();
    for (const auto& p : ring) r.push_back(point_json(p));
    polygons.push_back(std::move(r));
  }
  json circles = json::array();
  for (const auto& k : c.circles) circles.push_back({{"centre", point_json(k.centre)}, {"radius_km", k.radius_km}});
  return {{"language", c.language},       {"categories", c.categories},   {"event", c.event},
          {"response_types", c.response_types}, {"urgency", c.urgency},  {"severity", c.severity},
          {"certainty", c.certainty},     {"sender_name", c.sender_name}, {"headline", c.headline},
          {"description", c.description}, {"instruction", c.instruction}, {"contact", c.contact},
          {"web", c.web},                 {"onset", opt_time(c.onset)},   {"expires", opt_time(c.expires)},
          {"area_desc", c.area_desc},     {"polygons", polygons},         {"circles", circles},
          {"geocodes", c.geocodes}};
}

core::Result<AlertContent> alert_content_from_json(const json& j) {
  return guarded("alert content", [&]() -> AlertContent {
    if (!j.is_object()) throw std::invalid_argument("alert content must be an object");
    AlertContent c;
    if (j.contains("language")) c.language = str_at(j, "language");
    c.categories = strings_at(j, "categories");
    c.event = str_at(j, "event");
    c.response_types = strings_at(j, "response_types");
    c.urgency = str_at(j, "urgency");
    c.severity = str_at(j, "severity");
    c.certainty = str_at(j, "certainty");
    c.sender_name = str_at(j, "sender_name");
    c.headline = str_at(j, "headline");
    c.description = str_at(j, "description");
    c.instruction = str_at(j, "instruction");
    c.contact = str_at(j, "contact");
    c.web = str_at(j, "web");
    c.onset = opt_time_at(j, "onset");
    c.expires = opt_time_at(j, "expires");
    c.area_desc = str_at(j, "area_desc");
    if (j.contains("polygons") && !j.at("polygons").is_null())
      for (const auto& ring : j.at("polygons")) {
        std::vector<core::LonLat> r;
        for (const auto& p : ring) r.push_back(point_at(p));
        c.polygons.push_back(std::move(r));
      }
    if (j.contains("circles") && !j.at("circles").is_null())
      for (const auto& k : j.at("circles"))
        c.circles.push_back(AlertCircle{point_at(k.at("centre")), k.at("radius_km").get<double>()});
    c.geocodes = strings_at(j, "geocodes");
    return c;
  });
}

json to_json(const AlertRecord& a) {
  json steps = json::array();
  for (const auto& s : a.steps) {
    json step = {{"action", s.action}, {"by", s.by}, {"at", core::format_utc(s.at)}, {"note", s.note}};
    if (!s.permission.empty()) step["permission"] = s.permission;
    steps.push_back(std::move(step));
  }
  return {{"id", a.id},
          {"jurisdiction", a.jurisdiction},
          {"direction", a.direction},
          {"state", a.state},
          {"warning_id", a.warning_id},
          {"msg_type", a.msg_type},
          {"cap_status", a.cap_status},
          {"scope", a.scope},
          {"level", a.level},
          {"approval", a.approval},
          {"replaces", a.replaces},
          {"replaced_by", a.replaced_by},
          {"content", to_json(a.content)},
          {"identifier", a.identifier},
          {"sender", a.sender},
          {"sent", opt_time(a.sent)},
          {"references", a.references},
          {"xml", a.xml},
          {"source", a.source},
          {"report", a.report},
          {"drafted_by", a.drafted_by},
          {"steps", steps},
          {"created_at", core::format_utc(a.created_at)},
          {"updated_at", core::format_utc(a.updated_at)}};
}

core::Result<AlertRecord> alert_from_json(const json& j) {
  auto content = alert_content_from_json(j.is_object() && j.contains("content") ? j.at("content") : json());
  if (!content) return content.status();
  return guarded("alert", [&]() -> AlertRecord {
    AlertRecord a;
    a.id = j.at("id").get<std::string>();
    a.jurisdiction = j.at("jurisdiction").get<std::string>();
    a.direction = j.at("direction").get<std::string>();
    a.state = j.at("state").get<std::string>();
    a.warning_id = str_at(j, "warning_id");
    a.msg_type = j.at("msg_type").get<std::string>();
    a.cap_status = j.at("cap_status").get<std::string>();
    a.scope = j.at("scope").get<std::string>();
    a.level = str_at(j, "level");
    a.approval = str_at(j, "approval");
    a.replaces = str_at(j, "replaces");
    a.replaced_by = str_at(j, "replaced_by");
    a.content = *content;
    a.identifier = str_at(j, "identifier");
    a.sender = str_at(j, "sender");
    a.sent = opt_time_at(j, "sent");
    a.references = strings_at(j, "references");
    a.xml = str_at(j, "xml");
    a.source = str_at(j, "source");
    if (j.contains("report")) a.report = j.at("report");
    a.drafted_by = str_at(j, "drafted_by");
    for (const auto& s : j.at("steps"))
      a.steps.push_back(AlertStep{s.at("action").get<std::string>(), str_at(s, "by"), time_at(s, "at"), str_at(s, "note"),
                                  str_at(s, "permission")});
    a.created_at = time_at(j, "created_at");
    a.updated_at = time_at(j, "updated_at");
    return a;
  });
}

json to_public_json(const Subscriber& s) {
  return {{"id", s.id},
          {"jurisdiction", s.jurisdiction},
          {"name", s.name},
          {"url", s.url},
          {"areas", s.areas},
          {"categories", s.categories},
          {"min_level", s.min_level},
          {"exercises", s.exercises},
          {"max_age_s", s.max_age_s},
          {"enabled", s.enabled},
          {"deleted", s.deleted},
          {"created_by", s.created_by},
          {"created_at", core::format_utc(s.created_at)},
          {"updated_at", core::format_utc(s.updated_at)}};
}

json to_json(const Subscriber& s) {
  json j = to_public_json(s);
  j["secret"] = s.secret;
  return j;
}

core::Result<Subscriber> subscriber_from_json(const json& j) {
  return guarded("subscriber", [&]() -> Subscriber {
    Subscriber s;
    s.id = j.at("id").get<std::string>();
    s.jurisdiction = j.at("jurisdiction").get<std::string>();
    s.name = str_at(j, "name");
    s.url = j.at("url").get<std::string>();
    s.secret = str_at(j, "secret");
    s.areas = strings_at(j, "areas");
    s.categories = strings_at(j, "categories");
    s.min_level = str_at(j, "min_level");
    s.exercises = j.value("exercises", false);
    s.max_age_s = j.value("max_age_s", int64_t{86400});
    s.enabled = j.value("enabled", true);
    s.deleted = j.value("deleted", false);
    s.created_by = str_at(j, "created_by");
    s.created_at = time_at(j, "created_at");
    s.updated_at = time_at(j, "updated_at");
    return s;
  });
}

json to_json(const FeedRecord& f) {
  return {{"id", f.id},
          {"jurisdiction", f.jurisdiction},
          {"name", f.name},
          {"url", f.url},
          {"interval_s", f.interval_s},
          {"open_incidents", f.open_incidents},
          {"enabled", f.enabled},
          {"deleted", f.deleted},
          {"created_by", f.created_by},
          {"created_at", core::format_utc(f.created_at)},
          {"updated_at", core::format_utc(f.updated_at)}};
}

core::Result<FeedRecord> feed_from_json(const json& j) {
  return guarded("feed", [&]() -> FeedRecord {
    FeedRecord f;
    f.id = j.at("id").get<std::string>();
    f.jurisdiction = j.at("jurisdiction").get<std::string>();
    f.name = str_at(j, "name");
    f.url = j.at("url").get<std::string>();
    f.interval_s = j.value("interval_s", int64_t{60});
    f.open_incidents = j.value("open_incidents", true);
    f.enabled = j.value("enabled", true);
    f.deleted = j.value("deleted", false);
    f.created_by = str_at(j, "created_by");
    f.created_at = time_at(j, "created_at");
    f.updated_at = time_at(j, "updated_at");
    return f;
  });
}

namespace {

// `code` is `area` or lies within it: GB/T 2260 codes pad with zeros, so 441300 holds 4413xx and
// 440000 holds 44xxxx.
bool within(const std::string& code, const std::string& area) {
  if (code == area) return true;
  if (area.size() != 6 || code.size() != 6) return false;
  size_t keep = area.compare(2, 4, "0000") == 0 ? 2 : area.compare(4, 2, "00") == 0 ? 4 : 6;
  return code.compare(0, keep, area, 0, keep) == 0;
}

}  // namespace

bool subscriber_matches(const Subscriber& s, const AlertRecord& a) {
  if (!s.enabled || s.deleted) return false;
  if (a.cap_status != "Actual" && !s.exercises) return false;
  if (!s.min_level.empty() && level_rank(a.level) < level_rank(s.min_level)) return false;
  if (!s.categories.empty()) {
    bool any = false;
    for (const auto& c : a.content.categories)
      for (const auto& want : s.categories) any = any || c == want;
    if (!any) return false;
  }
  if (!s.areas.empty()) {
    std::vector<std::string> codes = a.content.geocodes;
    if (codes.empty()) codes.push_back(a.jurisdiction);
    bool any = false;
    for (const auto& code : codes)
      for (const auto& area : s.areas) any = any || within(code, area) || within(area, code);
    if (!any) return false;
  }
  return true;
}

}  // namespace liandong::engine
