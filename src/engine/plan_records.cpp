#include "engine/plan_records.h"

#include "engine/internal/json_fields.h"
#include "plans/lifecycle.h"
#include "plans/plan_json.h"

namespace liandong::engine {

using nlohmann::json;
using internal::guarded;
using internal::opt_time;
using internal::opt_time_at;
using internal::str_or;
using internal::time_at;

namespace {

std::string str_at(const json& j, const char* key) { return j.at(key).get<std::string>(); }

json strings(const std::vector<std::string>& v) { return json(v); }

}  // namespace

const PlanVersion* PlanRecord::effective() const {
  for (auto it = versions.rbegin(); it != versions.rend(); ++it)
    if (plans::may_activate(it->status)) return &*it;
  return nullptr;
}

bool PlanRecord::retired() const {
  for (const auto& v : versions)
    if (!plans::is_final_version_status(v.status)) return false;
  return true;
}

json to_json(const PlanVersion& v, bool with_plan) {
  json steps = json::array();
  for (const auto& s : v.steps)
    steps.push_back({{"status", s.status}, {"by", s.by}, {"at", core::format_utc(s.at)}, {"note", s.note}});
  json j = {{"number", v.number}, {"status", v.status},   {"author", v.author},
            {"saved_at", core::format_utc(v.saved_at)}, {"steps", std::move(steps)}};
  if (with_plan) {
    j["source"] = v.source;
    j["plan"] = plans::to_json(v.plan);
  }
  return j;
}

json to_json(const PlanRecord& p, bool with_versions) {
  const PlanVersion& latest = p.latest();
  const PlanVersion* eff = p.effective();
  json findings = json::array();
  for (const auto& f : p.findings)
    findings.push_back({{"at", core::format_utc(f.at)},
                        {"by", f.by},
                        {"incident_id", f.incident_id.empty() ? json(nullptr) : json(f.incident_id)},
                        {"text", f.text}});
  json j = {{"id", p.id},
            {"jurisdiction", p.jurisdiction},
            {"key", p.key},
            {"title", (eff ? eff->plan : latest.plan).title},
            {"owner", (eff ? eff->plan : latest.plan).owner},
            {"latest_version", latest.number},
            {"latest_status", latest.status},
            {"effective_version", eff ? json(eff->number) : json(nullptr)},
            {"last_drilled_at", opt_time(p.last_drilled_at)},
            {"last_reviewed_at", opt_time(p.last_reviewed_at)},
            {"findings", std::move(findings)}};
  if (with_versions) {
    json vs = json::array();
    for (const auto& v : p.versions) vs.push_back(to_json(v, true));
    j["versions"] = std::move(vs);
  }
  return j;
}

core::Result<PlanRecord> plan_record_from_json(const json& j) {
  auto r = guarded("plan", [&]() -> core::Result<PlanRecord> {
    PlanRecord p;
    p.id = str_at(j, "id");
    p.jurisdiction = str_at(j, "jurisdiction");
    p.key = str_at(j, "key");
    p.last_drilled_at = opt_time_at(j, "last_drilled_at");
    p.last_reviewed_at = opt_time_at(j, "last_reviewed_at");
    for (const auto& f : j.at("findings")) {
      Finding x{time_at(f, "at"), str_at(f, "by"), str_or(f, "incident_id"), str_at(f, "text")};
      p.findings.push_back(std::move(x));
    }
    for (const auto& v : j.at("versions")) {
      PlanVersion pv;
      pv.number = v.at("number").get<uint32_t>();
      pv.status = str_at(v, "status");
      pv.source = str_at(v, "source");
      auto plan = plans::plan_from_json(v.at("plan"));
      if (!plan) return plan.status();
      pv.plan = std::move(*plan);
      pv.author = str_at(v, "author");
      pv.saved_at = time_at(v, "saved_at");
      for (const auto& s : v.at("steps"))
        pv.steps.push_back({str_at(s, "status"), str_at(s, "by"), time_at(s, "at"), str_at(s, "note")});
      p.versions.push_back(std::move(pv));
    }
    if (p.versions.empty()) throw std::invalid_argument("a plan has at least one version");
    return p;
  });
  if (!r) return r.status();
  return std::move(*r);
}

json to_json(const Activation& a) {
  json forces = json::array();
  for (const auto& f : a.forces) forces.push_back({{"type", f.type}, {"count", f.count}, {"capabilities", f.capabilities}});
  json reports = json::array();
  for (const auto& r : a.reports_due)
    reports.push_back({{"type", r.type}, {"recipient_level", r.recipient_level}, {"due_at", core::format_utc(r.due_at)},
                       {"level", r.level}});
  json history = json::array();
  for (const auto& h : a.history)
    history.push_back({{"from", h.from}, {"to", h.to}, {"at", core::format_utc(h.at)}, {"by", h.by}, {"reason", h.reason}});
  json injects = json::array();
  for (const auto& i : a.injects)
    injects.push_back({{"after_s", i.after.count() / 1000}, {"action", i.action}, {"data", i.data}, {"done", i.done}});
  return {{"id", a.id},
          {"jurisdiction", a.jurisdiction},
          {"incident_id", a.incident_id},
          {"plan_id", a.plan_id},
          {"plan_version", a.plan_version},
          {"level", a.level},
          {"status", a.status},
          {"automatic", a.automatic},
          {"exercise", a.exercise},
          {"activated_at", core::format_utc(a.activated_at)},
          {"stood_down_at", opt_time(a.stood_down_at)},
          {"lead", a.lead},
          {"command_post", a.command_post},
          {"forces", std::move(forces)},
          {"reports_due", std::move(reports)},
          {"task_ids", strings(a.task_ids)},
          {"history", std::move(history)},
          {"injects", std::move(injects)}};
}

core::Result<Activation> activation_from_json(const json& j) {
  return guarded("activation", [&] {
    Activation a;
    a.id = str_at(j, "id");
    a.jurisdiction = str_at(j, "jurisdiction");
    a.incident_id = str_at(j, "incident_id");
    a.plan_id = str_at(j, "plan_id");
    a.plan_version = j.at("plan_version").get<uint32_t>();
    a.level = str_at(j, "level");
    a.status = str_at(j, "status");
    a.automatic = j.at("automatic").get<bool>();
    a.exercise = j.at("exercise").get<bool>();
    a.activated_at = time_at(j, "activated_at");
    a.stood_down_at = opt_time_at(j, "stood_down_at");
    a.lead = str_at(j, "lead");
    a.command_post = str_at(j, "command_post");
    for (const auto& f : j.at("forces"))
      a.forces.push_back({str_at(f, "type"), f.at("count").get<uint32_t>(),
                          f.at("capabilities").get<std::vector<std::string>>()});
    for (const auto& r : j.at("reports_due"))
      a.reports_due.push_back({str_at(r, "type"), str_at(r, "recipient_level"), time_at(r, "due_at"), str_at(r, "level")});
    a.task_ids = j.at("task_ids").get<std::vector<std::string>>();
    for (const auto& h : j.at("history"))
      a.history.push_back({str_at(h, "from"), str_at(h, "to"), time_at(h, "at"), str_at(h, "by"), str_at(h, "reason")});
    if (j.contains("injects"))
      for (const auto& i : j.at("injects"))
        a.injects.push_back({core::Millis{i.at("after_s").get<int64_t>() * 1000}, str_at(i, "action"), i.at("data"),
                             i.at("done").get<bool>()});
    return a;
  });
}

json to_json(const Task& t) {
  json notes = json::array();
  for (const auto& n : t.notes)
    notes.push_back({{"at", core::format_utc(n.at)}, {"by", n.by}, {"action", n.action}, {"text", n.text}});
  return {{"id", t.id},
          {"jurisdiction", t.jurisdiction},
          {"activation_id", t.activation_id},
          {"incident_id", t.incident_id},
          {"key", t.key},
          {"level", t.level},
          {"owner", t.owner},
          {"agency_id", t.agency_id.empty() ? json(nullptr) : json(t.agency_id)},
          {"role", t.role},
          {"description", t.description},
          {"status", t.status},
          {"depends_on", strings(t.depends_on)},
          {"created_at", core::format_utc(t.created_at)},
          {"deadline", core::format_utc(t.deadline)},
          {"accepted_at", opt_time(t.accepted_at)},
          {"started_at", opt_time(t.started_at)},
          {"completed_at", opt_time(t.completed_at)},
          {"overdue", t.overdue_at.has_value()},
          {"overdue_at", opt_time(t.overdue_at)},
          {"escalated_to", t.escalated_to.empty() ? json(nullptr) : json(t.escalated_to)},
          {"exercise", t.exercise},
          {"notes", std::move(notes)}};
}

core::Result<Task> task_from_json(const json& j) {
  return guarded("task", [&] {
    Task t;
    t.id = str_at(j, "id");
    t.jurisdiction = str_at(j, "jurisdiction");
    t.activation_id = str_at(j, "activation_id");
    t.incident_id = str_at(j, "incident_id");
    t.key = str_at(j, "key");
    t.level = str_at(j, "level");
    t.owner = str_at(j, "owner");
    t.agency_id = str_or(j, "agency_id");
    t.role = str_at(j, "role");
    t.description = str_at(j, "description");
    t.status = str_at(j, "status");
    t.depends_on = j.at("depends_on").get<std::vector<std::string>>();
    t.created_at = time_at(j, "created_at");
    t.deadline = time_at(j, "deadline");
    t.accepted_at = opt_time_at(j, "accepted_at");
    t.started_at = opt_time_at(j, "started_at");
    t.completed_at = opt_time_at(j, "completed_at");
    t.overdue_at = opt_time_at(j, "overdue_at");
    t.escalated_to = str_or(j, "escalated_to");
    t.exercise = j.at("exercise").get<bool>();
    for (const auto& n : j.at("notes"))
      t.notes.push_back({time_at(n, "at"), str_at(n, "by"), str_at(n, "action"), str_at(n, "text")});
    return t;
  });
}

json to_json(const Notification& n) {
  auto opt = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  return {{"id", n.id},
          {"jurisdiction", n.jurisdiction},
          {"incident_id", opt(n.incident_id)},
          {"activation_id", opt(n.activation_id)},
          {"task_id", opt(n.task_id)},
          {"role", n.role},
          {"agency", opt(n.agency)},
          {"channel", n.channel},
          {"message", n.message},
          {"at", core::format_utc(n.at)},
          {"exercise", n.exercise},
          {"delivery", n.delivery}};
}

core::Result<Notification> notification_from_json(const json& j) {
  return guarded("notification", [&] {
    Notification n;
    n.id = str_at(j, "id");
    n.jurisdiction = str_at(j, "jurisdiction");
    n.incident_id = str_or(j, "incident_id");
    n.activation_id = str_or(j, "activation_id");
    n.task_id = str_or(j, "task_id");
    n.role = str_at(j, "role");
    n.agency = str_or(j, "agency");
    n.channel = str_at(j, "channel");
    n.message = str_at(j, "message");
    n.at = time_at(j, "at");
    n.exercise = j.at("exercise").get<bool>();
    n.delivery = str_at(j, "delivery");
    return n;
  });
}

}  // namespace liandong::engine
