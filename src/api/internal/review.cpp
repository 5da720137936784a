#include "api/internal/review.h"

#include "api/routes_common.h"
#include "dispatch/intervals.h"

namespace liandong::api::internal {

using nlohmann::json;

namespace {

double secs(core::Millis d) { return double(d.count()) / 1000.0; }

json interval_row(const char* name, const char* name_zh, std::optional<core::Millis> actual, core::Millis target) {
  json j = {{"name", name}, {"name_zh", name_zh}, {"target_s", secs(target)}};
  if (!actual) {
    j["actual_s"] = nullptr;
    j["late_s"] = nullptr;
    j["met"] = nullptr;
    return j;
  }
  j["actual_s"] = secs(*actual);
  j["late_s"] = *actual > target ? json(secs(*actual - target)) : json(0);
  j["met"] = *actual <= target;
  return j;
}

std::string esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '<') o += "&lt;";
    else if (c == '>') o += "&gt;";
    else if (c == '&') o += "&amp;";
    else if (c == '"') o += "&quot;";
    else o += c;
  }
  return o;
}

std::string text_of(const json& v) {
  if (v.is_null()) return "—";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  return v.dump();
}

std::string duration_text(const json& s) {
  if (!s.is_number()) return "—";
  double v = s.get<double>();
  long t = long(v + 0.5);
  char buf[48];
  if (t >= 3600) std::snprintf(buf, sizeof buf, "%ldh %02ldm %02lds", t / 3600, (t / 60) % 60, t % 60);
  else std::snprintf(buf, sizeof buf, "%ldm %02lds", t / 60, t % 60);
  return buf;
}

}  // namespace

json build_review(const engine::View& view, const engine::Incident& inc, const dispatch::Targets& targets,
                  core::Timestamp now) {
  json timeline = json::array();
  for (const auto& e : inc.timeline)
    timeline.push_back({{"seq", e.seq},
                        {"time", core::format_utc(e.time)},
                        {"offset_s", secs(e.time - inc.opened_at)},
                        {"type", e.type},
                        {"by", e.by},
                        {"summary", e.summary}});

  json late = json::array();
  json tasks = json::array();
  size_t on_time = 0, completed_late = 0, open_overdue = 0, open = 0, stood_down = 0;
  json activations = json::array();
  std::optional<core::Timestamp> first_activation;
  for (const auto* a : view.activations_of(inc.id)) {
    if (!first_activation || a->activated_at < *first_activation) first_activation = a->activated_at;
    std::string title;
    if (const auto* p = view.find_plan(a->plan_id)) title = p->versions[a->plan_version - 1].plan.title;
    json levels = json::array();
    for (const auto& h : a->history)
      levels.push_back({{"from", h.from}, {"to", h.to}, {"at", core::format_utc(h.at)}, {"by", h.by}, {"reason", h.reason}});
    activations.push_back({{"id", a->id},
                           {"plan_id", a->plan_id},
                           {"plan_title", title},
                           {"plan_version", a->plan_version},
                           {"status", a->status},
                           {"exercise", a->exercise},
                           {"activated_at", core::format_utc(a->activated_at)},
                           {"offset_s", secs(a->activated_at - inc.opened_at)},
                           {"levels", std::move(levels)}});
    for (const auto& id : a->task_ids) {
      const auto* t = view.find_task(id);
      if (!t) continue;
      json row = {{"id", t->id},
                  {"key", t->key},
                  {"description", t->description},
                  {"owner", t->owner},
                  {"level", t->level},
                  {"status", t->status},
                  {"created_at", core::format_utc(t->created_at)},
                  {"deadline", core::format_utc(t->deadline)},
                  {"allowed_s", secs(t->deadline - t->created_at)},
                  {"completed_at", t->completed_at ? json(core::format_utc(*t->completed_at)) : json(nullptr)},
                  {"taken_s", t->completed_at ? json(secs(*t->completed_at - t->created_at)) : json(nullptr)},
                  {"escalated_to", t->escalated_to.empty() ? json(nullptr) : json(t->escalated_to)}};
      std::optional<core::Millis> late_by;
      if (t->status == "completed") {
        if (*t->completed_at > t->deadline) {
          late_by = *t->completed_at - t->deadline;
          ++completed_late;
        } else {
          ++on_time;
        }
      } else if (t->status == "stood_down") {
        ++stood_down;
      } else {
        ++open;
        if (now > t->deadline) {
          late_by = now - t->deadline;
          ++open_overdue;
        }
      }
      row["late_s"] = late_by ? json(secs(*late_by)) : json(nullptr);
      row["on_time"] = t->status == "completed" && !late_by;
      if (late_by)
        late.push_back({{"kind", "task"},
                        {"id", t->id},
                        {"what", t->description},
                        {"late_s", secs(*late_by)},
                        {"still_open", t->status != "completed"}});
      tasks.push_back(std::move(row));
    }
  }

  auto iv = dispatch::intervals(times_of(inc));
  bool medical = !inc.assignments.empty() &&
                 std::all_of(inc.assignments.begin(), inc.assignments.end(),
                             [](const engine::Assignment& a) { return a.unit_type == "ambulance"; });
  json intervals = json::array();
  intervals.push_back(interval_row("call_processing", "接警处理", iv.call_processing, targets.call_processing));
  intervals.push_back(interval_row("turnout", "出动准备", iv.turnout_first,
                                   medical ? targets.turnout_medical : targets.turnout_fire));
  intervals.push_back(interval_row("travel_first_engine", "首车行驶", iv.travel_first_engine, targets.travel_first_engine));
  for (const auto& r : intervals)
    if (r["met"].is_boolean() && !r["met"].get<bool>())
      late.push_back({{"kind", "interval"}, {"id", r["name"]}, {"what", r["name_zh"]}, {"late_s", r["late_s"]},
                      {"still_open", false}});

  std::optional<core::Timestamp> grade_at;
  for (const auto& g : inc.grade_history)
    if (g.kind == "confirmed") {
      grade_at = g.at;
      break;
    }
  json milestones = {
      {"opened_at", core::format_utc(inc.opened_at)},
      {"grade_confirmed_s", grade_at ? json(secs(*grade_at - inc.opened_at)) : json(nullptr)},
      {"first_activation_s", first_activation ? json(secs(*first_activation - inc.opened_at)) : json(nullptr)},
      {"closed_s", inc.closed_at ? json(secs(*inc.closed_at - inc.opened_at)) : json(nullptr)}};
  json reports = json::array();
  for (const auto* a : view.activations_of(inc.id))
    for (const auto& r : a->reports_due)
      reports.push_back({{"activation_id", a->id}, {"type", r.type}, {"recipient_level", r.recipient_level},
                         {"due_at", core::format_utc(r.due_at)}, {"level", r.level}});
  return {{"incident", {{"id", inc.id},
                        {"title", inc.title},
                        {"type", inc.type},
                        {"jurisdiction", inc.jurisdiction},
                        {"status", inc.status},
                        {"grade", inc.confirmed_grade ? json(core::to_string(*inc.confirmed_grade)) : json(nullptr)},
                        {"exercise", inc.exercise}}},
          {"generated_at", core::format_utc(now)},
          {"milestones", std::move(milestones)},
          {"activations", std::move(activations)},
          {"tasks", std::move(tasks)},
          {"task_summary", {{"total", on_time + completed_late + open + stood_down},
                            {"on_time", on_time},
                            {"completed_late", completed_late},
                            {"open", open},
                            {"open_overdue", open_overdue},
                            {"stood_down", stood_down}}},
          {"intervals", std::move(intervals)},
          {"reports_due", std::move(reports)},
          {"late", std::move(late)},
          {"timeline", std::move(timeline)}};
}

std::string review_html(const json& r) {
  const json& inc = r["incident"];
  std::string h = "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>复盘 " +
                  esc(text_of(inc["id"])) + "</title>\n<style>body{font-family:'Noto Sans CJK SC',sans-serif;margin:2em}"
                  "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #999;padding:.25em .5em;text-align:left}"
                  ".late{color:#b00}</style></head><body>\n";
  h += "<h1>事件复盘 After-action review — " + esc(text_of(inc["id"])) + "</h1>\n";
  if (inc["exercise"].get<bool>()) h += "<p><strong>演练 EXERCISE</strong></p>\n";
  h += "<p>" + esc(text_of(inc["title"])) + " · " + esc(text_of(inc["type"])) + " · 等级 grade " + esc(text_of(inc["grade"])) +
       " · " + esc(text_of(inc["status"])) + "</p>\n<p>生成 Generated " + esc(text_of(r["generated_at"])) + "</p>\n";
  h += "<h2>迟误 Late</h2>\n";
  if (r["late"].empty()) h += "<p>None.</p>\n";
  else {
    h += "<table><tr><th>kind</th><th>what</th><th>late by</th></tr>\n";
    for (const auto& l : r["late"])
      h += "<tr class=\"late\"><td>" + esc(text_of(l["kind"])) + "</td><td>" + esc(text_of(l["what"])) + "</td><td>" +
           duration_text(l["late_s"]) + (l["still_open"].get<bool>() ? " (open)" : "") + "</td></tr>\n";
    h += "</table>\n";
  }
  h += "<h2>任务 Tasks</h2>\n<table><tr><th>task</th><th>owner</th><th>level</th><th>status</th><th>allowed</th>"
       "<th>taken</th><th>late by</th></tr>\n";
  for (const auto& t : r["tasks"])
    h += std::string("<tr") + (t["late_s"].is_number() ? " class=\"late\"" : "") + "><td>" + esc(text_of(t["description"])) +
         "</td><td>" + esc(text_of(t["owner"])) + "</td><td>" + esc(text_of(t["level"])) + "</td><td>" +
         esc(text_of(t["status"])) + "</td><td>" + duration_text(t["allowed_s"]) + "</td><td>" + duration_text(t["taken_s"]) +
         "</td><td>" + duration_text(t["late_s"]) + "</td></tr>\n";
  h += "</table>\n<h2>响应时段 Intervals</h2>\n<table><tr><th>interval</th><th>actual</th><th>target</th><th>late by</th></tr>\n";
  for (const auto& i : r["intervals"])
    h += "<tr><td>" + esc(text_of(i["name_zh"])) + " " + esc(text_of(i["name"])) + "</td><td>" + duration_text(i["actual_s"]) +
         "</td><td>" + duration_text(i["target_s"]) + "</td><td>" + duration_text(i["late_s"]) + "</td></tr>\n";
  h += "</table>\n<h2>时间线 Timeline</h2>\n<table><tr><th>time (UTC)</th><th>+</th><th>event</th><th>by</th><th>summary</th></tr>\n";
  for (const auto& e : r["timeline"])
    h += "<tr><td>" + esc(text_of(e["time"])) + "</td><td>" + duration_text(e["offset_s"]) + "</td><td>" +
         esc(text_of(e["type"])) + "</td><td>" + esc(text_of(e["by"])) + "</td><td>" + esc(text_of(e["summary"])) +
         "</td></tr>\n";
  h += "</table>\n</body></html>\n";
  return h;
}

}  // namespace liandong::api::internal
