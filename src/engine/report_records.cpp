#include "engine/report_records.h"

#include "engine/internal/json_fields.h"

namespace liandong::engine {

using nlohmann::json;
using namespace internal;

namespace {

reports::Content content_at(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  auto c = reports::content_from_json(*it, key);
  if (!c) throw std::invalid_argument(c.status().to_string());
  return *c;
}

json missing_json(const ReportRecord& r) {
  json out = json::array();
  for (const auto& m : reports::missing_elements(r.type, r.channel, r.content))
    out.push_back({{"element", m.element}, {"name_zh", m.name_zh}, {"why", m.why}});
  return out;
}

}  // namespace

json to_json(const ReportRecord& r) {
  json versions = json::array();
  for (const auto& v : r.versions)
    versions.push_back({{"number", v.number},
                        {"content", reports::to_json(v.content)},
                        {"submitted_at", core::format_utc(v.submitted_at)},
                        {"by", v.by},
                        {"changed", v.changed},
                        {"note", v.note},
                        {"late", v.late},
                        {"delay_ms", v.delay_ms}});
  json returns = json::array();
  for (const auto& x : r.returns)
    returns.push_back({{"by", x.by}, {"at", core::format_utc(x.at)}, {"reason", x.reason}, {"version", x.version}});
  json received = nullptr;
  if (r.received)
    received = {{"by", r.received->by}, {"at", core::format_utc(r.received->at)}, {"version", r.received->version}};
  return {{"id", r.id},
          {"type", r.type},
          {"channel", r.channel},
          {"jurisdiction", r.jurisdiction},
          {"to_jurisdiction", r.to_jurisdiction},
          {"from_tier", r.from_tier},
          {"incident_id", r.incident_id},
          {"status", r.status},
          {"number", r.number},
          {"title", r.content.title},
          {"content", reports::to_json(r.content)},
          {"missing", missing_json(r)},
          {"versions", std::move(versions)},
          {"obligation_ids", r.obligation_ids},
          {"late", r.late},
          {"delay_ms", r.delay_ms},
          {"received", std::move(received)},
          {"returns", std::move(returns)},
          {"exercise", r.exercise},
          {"created_by", r.created_by},
          {"created_at", core::format_utc(r.created_at)},
          {"updated_at", core::format_utc(r.updated_at)}};
}

core::Result<ReportRecord> report_from_json(const json& j) {
  return guarded("report", [&]() -> ReportRecord {
    ReportRecord r;
    r.id = j.at("id").get<std::string>();
    r.type = j.at("type").get<std::string>();
    r.channel = j.value("channel", std::string("written"));
    r.jurisdiction = j.at("jurisdiction").get<std::string>();
    r.to_jurisdiction = j.at("to_jurisdiction").get<std::string>();
    r.from_tier = str_at(j, "from_tier");
    r.incident_id = str_at(j, "incident_id");
    r.status = j.at("status").get<std::string>();
    r.number = j.value("number", uint32_t{0});
    r.content = content_at(j, "content");
    if (auto it = j.find("versions"); it != j.end() && it->is_array())
      for (const auto& v : *it) {
        ReportVersion x;
        x.number = v.at("number").get<uint32_t>();
        x.content = content_at(v, "content");
        x.submitted_at = time_at(v, "submitted_at");
        x.by = str_at(v, "by");
        x.changed = strings_at(v, "changed");
        x.note = str_at(v, "note");
        x.late = v.value("late", false);
        x.delay_ms = v.value("delay_ms", int64_t{0});
        r.versions.push_back(std::move(x));
      }
    r.obligation_ids = strings_at(j, "obligation_ids");
    r.late = j.value("late", false);
    r.delay_ms = j.value("delay_ms", int64_t{0});
    if (auto it = j.find("received"); it != j.end() && it->is_object())
      r.received = Receipt{str_at(*it, "by"), time_at(*it, "at"), it->value("version", uint32_t{0})};
    if (auto it = j.find("returns"); it != j.end() && it->is_array())
      for (const auto& x : *it)
        r.returns.push_back({str_at(x, "by"), time_at(x, "at"), str_at(x, "reason"), x.value("version", uint32_t{0})});
    r.exercise = j.value("exercise", false);
    r.created_by = str_at(j, "created_by");
    r.created_at = time_at(j, "created_at");
    r.updated_at = time_at(j, "updated_at");
    return r;
  });
}

json to_json(const Obligation& o) {
  json j = json::object();  // member by member: see records.cpp
  j.emplace("id", o.id);
  j.emplace("jurisdiction", o.jurisdiction);
  j.emplace("to_jurisdiction", o.to_jurisdiction);
  j.emplace("from_tier", o.from_tier);
  j.emplace("to_tier", o.to_tier);
  j.emplace("report_type", o.report_type);
  j.emplace("channel", o.channel);
  j.emplace("incident_id", o.incident_id);
  j.emplace("trigger", o.trigger);
  j.emplace("rule_id", o.rule_id);
  j.emplace("basis", o.basis);
  j.emplace("daily_minute", o.daily_minute);
  j.emplace("created_at", core::format_utc(o.created_at));
  j.emplace("due_at", core::format_utc(o.due_at));
  j.emplace("status", o.status);
  j.emplace("overdue_at", opt_time(o.overdue_at));
  j.emplace("fulfilled_at", opt_time(o.fulfilled_at));
  j.emplace("report_id", o.report_id);
  j.emplace("late", o.late);
  j.emplace("delay_ms", o.delay_ms);
  j.emplace("escalated_to", o.escalated_to);
  j.emplace("exercise", o.exercise);
  return j;
}

core::Result<Obligation> obligation_from_json(const json& j) {
  return guarded("obligation", [&]() -> Obligation {
    Obligation o;
    o.id = j.at("id").get<std::string>();
    o.jurisdiction = j.at("jurisdiction").get<std::string>();
    o.to_jurisdiction = j.at("to_jurisdiction").get<std::string>();
    o.from_tier = str_at(j, "from_tier");
    o.to_tier = str_at(j, "to_tier");
    o.report_type = j.at("report_type").get<std::string>();
    o.channel = j.value("channel", std::string("written"));
    o.incident_id = str_at(j, "incident_id");
    o.trigger = str_at(j, "trigger");
    o.rule_id = str_at(j, "rule_id");
    o.basis = str_at(j, "basis");
    o.daily_minute = j.value("daily_minute", -1);
    o.created_at = time_at(j, "created_at");
    o.due_at = time_at(j, "due_at");
    o.status = j.at("status").get<std::string>();
    o.overdue_at = opt_time_at(j, "overdue_at");
    o.fulfilled_at = opt_time_at(j, "fulfilled_at");
    o.report_id = str_at(j, "report_id");
    o.late = j.value("late", false);
    o.delay_ms = j.value("delay_ms", int64_t{0});
    o.escalated_to = str_at(j, "escalated_to");
    o.exercise = j.value("exercise", false);
    return o;
  });
}

}  // namespace liandong::engine
