// Plans (library, versions, life-cycle, diff, findings, drills), activations, tasks and the
// notification log (docs/API.md "Plans"). The YAML is parsed and validated here, on the HTTP
// thread; the engine gets the parsed plan.
#include <algorithm>

#include "api/internal/review.h"
#include "api/routes_common.h"
#include "core/jurisdiction.h"
#include "plans/parse.h"
#include "plans/plan_json.h"
#include "plans/text_diff.h"

namespace liandong::api::internal {

using nlohmann::json;

namespace {

constexpr size_t kMaxPlanBytes = 1 << 20;

json diagnostics_json(const std::vector<plans::Diagnostic>& ds) {
  json a = json::array();
  for (const auto& d : ds)
    a.push_back({{"line", d.line},
                 {"path", d.path},
                 {"message", d.message},
                 {"severity", d.error ? "error" : "warning"},
                 {"text", d.text()}});
  return a;
}

struct PlanInput {
  std::string source;
  std::string jurisdiction;
  std::string name = "plan.yaml";
};

// The plan's YAML: the raw body (application/yaml, text/yaml, text/plain) or a JSON object
// {source, jurisdiction?, name?}.
Parsed<PlanInput> plan_input(const http::Request& req) {
  std::string ct = req.header("Content-Type").value_or("");
  std::transform(ct.begin(), ct.end(), ct.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  PlanInput in;
  if (ct.rfind("application/yaml", 0) == 0 || ct.rfind("application/x-yaml", 0) == 0 || ct.rfind("text/yaml", 0) == 0 ||
      ct.rfind("text/plain", 0) == 0) {
    in.source = req.body;
  } else if (http::is_json_content_type(ct)) {
    auto body = json_object_body(req);
    if (failed(body)) return std::move(error_of(body));
    Fields f(value_of(body));
    f.only({"source", "jurisdiction", "name"});
    auto source = f.str("source", true, kMaxPlanBytes);
    auto jurisdiction = f.str("jurisdiction");
    auto name = f.str("name", false, 200);
    if (!f.ok()) return f.take_error();
    in.source = *source;
    if (jurisdiction) {
      auto code = core::JurisdictionCode::parse(*jurisdiction);
      if (!code) return invalid_field("jurisdiction", code.status().message());
      in.jurisdiction = code->str();
    }
    if (name && !name->empty()) in.name = *name;
  } else {
    return http::error_response(415, "unsupported_media_type",
                                "send the plan as application/yaml, or JSON {\"source\": \"...\"}");
  }
  if (in.source.size() > kMaxPlanBytes) return http::error_response(413, "too_large", "a plan is at most 1 MiB");
  return in;
}

// Parses; on errors the 422 answer listing every diagnostic.
Parsed<plans::Plan> parse_or_422(const ApiContext& ctx, const PlanInput& in) {
  auto parsed = plans::parse_plan(in.source, in.name, ctx.engine->plan_codes());
  if (!parsed.ok()) {
    auto r = http::json_response(422, {{"code", "invalid_plan"},
                                       {"message", std::to_string(parsed.errors()) + " error(s) in " + in.name},
                                       {"diagnostics", diagnostics_json(parsed.diagnostics)}});
    return r;
  }
  return std::move(*parsed.plan);
}

std::optional<core::Timestamp> due_after(std::optional<core::Timestamp> last, std::optional<core::Timestamp> since,
                                         uint32_t days) {
  auto from = last ? last : since;
  if (!from) return std::nullopt;
  return *from + std::chrono::hours(24) * days;
}

// A plan as the library shows it: the record plus its levels and when drills and reviews fall due.
json plan_summary(const ApiContext& ctx, const engine::PlanRecord& p, bool with_versions) {
  json j = engine::to_json(p, with_versions);
  const engine::PlanVersion* eff = p.effective();
  const plans::Plan& plan = (eff ? *eff : p.latest()).plan;
  json levels = json::array();
  for (const auto& l : plan.levels) levels.push_back(core::to_string(l.level));
  j["levels"] = std::move(levels);
  j["scope"] = plans::to_json(plan)["scope"];
  std::optional<core::Timestamp> in_force_since;
  if (eff)
    for (const auto& s : eff->steps)
      if (s.status == "approved") in_force_since = s.at;
  auto now = ctx.clock->now();
  auto drill_due = due_after(p.last_drilled_at, in_force_since, plan.drill_every_days);
  auto review_due = due_after(p.last_reviewed_at, in_force_since, plan.review_every_days);
  j["drill_due_at"] = drill_due ? json(core::format_utc(*drill_due)) : json(nullptr);
  j["review_due_at"] = review_due ? json(core::format_utc(*review_due)) : json(nullptr);
  j["drill_overdue"] = drill_due && *drill_due < now;
  j["review_overdue"] = review_due && *review_due < now;
  return j;
}

void list_plans(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {"q", "status"})) return respond(std::move(*bad));
  std::string q(req.query_param("q").value_or(""));
  auto status = req.query_param("status");
  auto view = ctx.engine->view();
  json out = json::array();
  for (size_t i = 0; i < view->plans.size(); ++i) {
    const auto& p = view->plans[i];
    if (!may(req, "plan.read", p.jurisdiction)) continue;
    if (status && p.latest().status != *status && !(p.effective() && p.effective()->status == *status)) continue;
    if (!q.empty()) {
      const auto& plan = p.latest().plan;
      std::string hay = p.id + " " + p.key + " " + plan.title + " " + plan.owner;
      for (const auto& t : plan.scope.types) hay += " " + t;
      if (hay.find(q) == std::string::npos) continue;
    }
    out.push_back(plan_summary(ctx, p, false));
  }
  respond(http::json_response(200, {{"plans", std::move(out)}}));
}

void validate_plan(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto in = plan_input(req);
  if (failed(in)) return respond(std::move(error_of(in)));
  auto parsed = plans::parse_plan(value_of(in).source, value_of(in).name, ctx.engine->plan_codes());
  size_t errors = parsed.errors();
  respond(http::json_response(200, {{"ok", parsed.ok()},
                                    {"errors", errors},
                                    {"warnings", parsed.diagnostics.size() - errors},
                                    {"diagnostics", diagnostics_json(parsed.diagnostics)},
                                    {"plan", parsed.ok() ? plans::to_json(*parsed.plan) : json(nullptr)}}));
}

void create_plan(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto in = plan_input(req);
  if (failed(in)) return respond(std::move(error_of(in)));
  auto plan = parse_or_422(ctx, value_of(in));
  if (failed(plan)) return respond(std::move(error_of(plan)));
  std::string jurisdiction = value_of(in).jurisdiction.empty() ? ctx.engine->view()->node : value_of(in).jurisdiction;
  if (!may(req, "plan.edit", jurisdiction)) return respond(forbidden("plan.edit", jurisdiction));
  submit(ctx, req, engine::CreatePlan{jurisdiction, value_of(in).source, std::move(value_of(plan))}, std::move(respond));
}

void get_plan(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto view = ctx.engine->view();
  const auto* p = view->find_plan(*req.param("id"));
  if (!p) return respond(http::error_response(404, "not_found", "no plan " + std::string(*req.param("id")) + " on this node"));
  respond(http::json_response(200, plan_summary(ctx, *p, true)));
}

void save_version(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto in = plan_input(req);
  if (failed(in)) return respond(std::move(error_of(in)));
  auto plan = parse_or_422(ctx, value_of(in));
  if (failed(plan)) return respond(std::move(error_of(plan)));
  submit(ctx, req, engine::SavePlanDraft{std::string(*req.param("id")), value_of(in).source, std::move(value_of(plan))},
         std::move(respond));
}

void change_version(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"to", "note"});
  auto to = f.str("to", true, 32);
  auto note = f.str("note");
  if (!f.ok()) return respond(f.take_error());
  std::string n(*req.param("n"));
  uint32_t number = 0;
  if (n.empty() || n.size() > 6 || !std::all_of(n.begin(), n.end(), ::isdigit))
    return respond(http::error_response(404, "not_found", "no version " + n));
  number = uint32_t(std::stoul(n));
  std::string id(*req.param("id"));
  if (*to != "submitted" && *to != "draft") {
    auto view = ctx.engine->view();
    const auto* p = view->find_plan(id);
    if (p && !may(req, "plan.approve", p->jurisdiction)) return respond(forbidden("plan.approve", p->jurisdiction));
  }
  submit(ctx, req, engine::ChangePlanVersion{id, number, *to, note.value_or("")}, std::move(respond));
}

void plan_diff(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {"from", "to"})) return respond(std::move(*bad));
  auto view = ctx.engine->view();
  const auto* p = view->find_plan(*req.param("id"));
  if (!p) return respond(http::error_response(404, "not_found", "no plan " + std::string(*req.param("id"))));
  auto number = [&](const char* name, size_t dflt) -> std::optional<size_t> {
    auto v = req.query_param(name);
    if (!v) return dflt;
    std::string s(*v);
    if (s.empty() || s.size() > 6 || !std::all_of(s.begin(), s.end(), ::isdigit)) return std::nullopt;
    size_t n = std::stoul(s);
    if (n == 0 || n > p->versions.size()) return std::nullopt;
    return n;
  };
  size_t last = p->versions.size();
  auto from = number("from", last > 1 ? last - 1 : 1);
  if (!from) return respond(bad_query("from", "from must be a version number of the plan"));
  auto to = number("to", last);
  if (!to) return respond(bad_query("to", "to must be a version number of the plan"));
  const auto& a = p->versions[*from - 1].source;
  const auto& b = p->versions[*to - 1].source;
  json lines = json::array();
  for (const auto& l : plans::diff_lines(a, b))
    lines.push_back({{"op", std::string(1, l.op)}, {"text", l.text}, {"old_line", l.old_line}, {"new_line", l.new_line}});
  respond(http::json_response(
      200, {{"plan_id", p->id},
            {"from", *from},
            {"to", *to},
            {"unified", plans::unified_diff(a, b, "v" + std::to_string(*from), "v" + std::to_string(*to))},
            {"lines", std::move(lines)}}));
}

void add_finding(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"text", "incident_id"});
  auto text = f.str("text", true, 8000);
  auto incident = f.str("incident_id", false, 64);
  if (!f.ok()) return respond(f.take_error());
  submit(ctx, req, engine::AddPlanFinding{std::string(*req.param("id")), incident.value_or(""), *text}, std::move(respond));
}

// {after_s, action, ...}: the action's fields are the rest of the object.
Parsed<std::vector<engine::Inject>> parse_injects(const json& body) {
  std::vector<engine::Inject> out;
  if (!body.contains("injects")) return out;
  const json& a = body["injects"];
  if (!a.is_array() || a.size() > 500) return invalid_field("injects", "injects must be an array of at most 500");
  for (size_t i = 0; i < a.size(); ++i) {
    std::string at = "injects[" + std::to_string(i) + "]";
    if (!a[i].is_object()) return invalid_field(at, "an inject is an object {after_s, action, ...}");
    Fields f(a[i], at);
    auto after = f.integer("after_s", 0, 30LL * 24 * 3600, true);
    auto action = f.str("action", true, 32);
    if (!f.ok()) return f.take_error();
    if (*action != "confirm_grade" && *action != "figures" && *action != "task" && *action != "note")
      return invalid_field(at + ".action", "action must be confirm_grade, figures, task or note");
    json data = a[i];
    data.erase("after_s");
    data.erase("action");
    out.push_back({core::Millis{*after * 1000}, *action, std::move(data), false});
  }
  return out;
}

void start_drill(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  json& j = value_of(body);
  Fields f(j);
  f.only({"level", "jurisdiction", "type", "title", "location", "address", "injects"});
  auto level = f.str("level", true, 4);
  auto jurisdiction = f.str("jurisdiction", false, 6);
  auto type = f.str("type", false, 64);
  auto title = f.str("title", false, 200);
  auto location = f.lonlat("location");
  auto address = f.str("address", false, 500);
  if (!f.ok()) return respond(f.take_error());
  auto injects = parse_injects(j);
  if (failed(injects)) return respond(std::move(error_of(injects)));
  engine::StartDrill c;
  c.plan_id = std::string(*req.param("id"));
  c.level = *level;
  c.jurisdiction = jurisdiction.value_or("");
  c.type = type.value_or("");
  c.title = title.value_or("");
  c.location = location;
  c.address = address.value_or("");
  c.injects = std::move(value_of(injects));
  submit(ctx, req, std::move(c), std::move(respond));
}

// --- activations ---

json activation_json(const engine::View& view, const engine::Activation& a) {
  json j = engine::to_json(a);
  json tasks = json::array();
  for (const auto& id : a.task_ids)
    if (const auto* t = view.find_task(id)) tasks.push_back(engine::to_json(*t));
  j["tasks"] = std::move(tasks);
  if (const auto* p = view.find_plan(a.plan_id)) j["plan_title"] = p->versions[a.plan_version - 1].plan.title;
  return j;
}

void incident_activations(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto view = ctx.engine->view();
  std::string id(*req.param("id"));
  const auto* inc = view->find_incident(id);
  if (!inc) return respond(http::error_response(404, "not_found", "no incident " + id + " on this node"));
  json acts = json::array();
  for (const auto* a : view->activations_of(id)) acts.push_back(activation_json(*view, *a));
  json notes = json::array();
  for (size_t i = 0; i < view->notifications.size(); ++i)
    if (view->notifications[i].incident_id == id) notes.push_back(engine::to_json(view->notifications[i]));
  respond(http::json_response(200, {{"incident_id", id},
                                    {"exercise", inc->exercise},
                                    {"now", core::format_utc(ctx.clock->now())},
                                    {"activations", std::move(acts)},
                                    {"notifications", std::move(notes)}}));
}

void activate_plan(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"plan_id", "level", "reason"});
  auto plan = f.str("plan_id", true, 64);
  auto level = f.str("level", true, 4);
  auto reason = f.str("reason", true, 1000);
  if (!f.ok()) return respond(f.take_error());
  submit(ctx, req, engine::ActivatePlan{std::string(*req.param("id")), *plan, *level, *reason}, std::move(respond));
}

void get_activation(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto view = ctx.engine->view();
  const auto* a = view->find_activation(*req.param("id"));
  if (!a) return respond(http::error_response(404, "not_found", "no activation " + std::string(*req.param("id"))));
  respond(http::json_response(200, activation_json(*view, *a)));
}

void change_level(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"level", "reason"});
  auto level = f.str("level", true, 4);
  auto reason = f.str("reason", true, 1000);
  if (!f.ok()) return respond(f.take_error());
  submit(ctx, req, engine::ChangeActivationLevel{std::string(*req.param("id")), *level, *reason}, std::move(respond));
}

void stand_down(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"reason"});
  auto reason = f.str("reason", true, 1000);
  if (!f.ok()) return respond(f.take_error());
  submit(ctx, req, engine::StandDown{std::string(*req.param("id")), *reason}, std::move(respond));
}

// --- tasks ---

void list_tasks(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {"incident_id", "status", "agency_id", "overdue", "open"})) return respond(std::move(*bad));
  auto incident = req.query_param("incident_id");
  auto status = req.query_param("status");
  auto agency = req.query_param("agency_id");
  auto overdue = req.query_param("overdue");
  auto open = req.query_param("open");
  if (overdue && *overdue != "true" && *overdue != "false") return respond(bad_query("overdue", "overdue is true or false"));
  if (open && *open != "true" && *open != "false") return respond(bad_query("open", "open is true or false"));
  auto view = ctx.engine->view();
  json out = json::array();
  constexpr size_t kLimit = 5000;
  bool truncated = false;
  for (size_t i = 0; i < view->tasks.size(); ++i) {
    const auto& t = view->tasks[i];
    if (incident && t.incident_id != *incident) continue;
    if (status && t.status != *status) continue;
    if (agency && t.agency_id != *agency) continue;
    if (overdue && (*overdue == "true") != t.overdue_at.has_value()) continue;
    if (open && (*open == "true") == t.finished()) continue;
    if (!may(req, "plan.read", t.jurisdiction)) continue;
    if (out.size() == kLimit) {
      truncated = true;
      break;
    }
    out.push_back(engine::to_json(t));
  }
  respond(http::json_response(200, {{"tasks", std::move(out)}, {"truncated", truncated},
                                    {"now", core::format_utc(ctx.clock->now())}}));
}

void get_task(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto view = ctx.engine->view();
  const auto* t = view->find_task(*req.param("id"));
  if (!t) return respond(http::error_response(404, "not_found", "no task " + std::string(*req.param("id"))));
  respond(http::json_response(200, engine::to_json(*t)));
}

void task_action(ApiContext& ctx, http::Request& req, http::Responder respond, const char* action) {
  auto body = json_object_body(req, /*allow_empty=*/true);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"note"});
  auto note = f.str("note", std::string(action) == "note", 4000);
  if (!f.ok()) return respond(f.take_error());
  submit(ctx, req, engine::UpdateTask{std::string(*req.param("id")), action, note.value_or("")}, std::move(respond));
}

void list_notifications(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {"incident_id", "role"})) return respond(std::move(*bad));
  auto incident = req.query_param("incident_id");
  auto role = req.query_param("role");
  auto view = ctx.engine->view();
  json out = json::array();
  for (size_t i = view->notifications.size(); i-- > 0 && out.size() < 1000;) {
    const auto& n = view->notifications[i];
    if (incident && n.incident_id != *incident) continue;
    if (role && n.role != *role) continue;
    if (!may(req, "plan.read", n.jurisdiction)) continue;
    out.push_back(engine::to_json(n));
  }
  respond(http::json_response(200, {{"notifications", std::move(out)}}));
}

void incident_review(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {"format"})) return respond(std::move(*bad));
  std::string format(req.query_param("format").value_or("json"));
  if (format != "json" && format != "html") return respond(bad_query("format", "format must be json or html"));
  auto view = ctx.engine->view();
  std::string id(*req.param("id"));
  const auto* inc = view->find_incident(id);
  if (!inc) return respond(http::error_response(404, "not_found", "no incident " + id + " on this node"));
  json review = build_review(*view, *inc, ctx.dispatch.targets, ctx.clock->now());
  if (format == "json") return respond(http::json_response(200, review));
  http::Response r;
  r.status = 200;
  r.content_type = "text/html; charset=utf-8";
  r.body = review_html(review);
  respond(std::move(r));
}

}  // namespace

void add_plan_routes(http::Router& r, ApiContext& ctx) {
  add(r, ctx, "GET", "/api/v1/plans", list_plans);
  add(r, ctx, "GET", "/api/v1/plans/{id}", get_plan);
  add(r, ctx, "GET", "/api/v1/plans/{id}/diff", plan_diff);
  add(r, ctx, "POST", "/api/v1/plans/{id}/versions/{n}/status", change_version);
  add(r, ctx, "POST", "/api/v1/plans/{id}/findings", add_finding);
  add(r, ctx, "POST", "/api/v1/plans/{id}/drills", start_drill);
  add(r, ctx, "GET", "/api/v1/incidents/{id}/activations", incident_activations);
  add(r, ctx, "POST", "/api/v1/incidents/{id}/activations", activate_plan);
  add(r, ctx, "GET", "/api/v1/incidents/{id}/review", incident_review);
  add(r, ctx, "GET", "/api/v1/activations/{id}", get_activation);
  add(r, ctx, "POST", "/api/v1/activations/{id}/level", change_level);
  add(r, ctx, "POST", "/api/v1/activations/{id}/stand-down", stand_down);
  add(r, ctx, "GET", "/api/v1/tasks", list_tasks);
  add(r, ctx, "GET", "/api/v1/tasks/{id}", get_task);
  add(r, ctx, "POST", "/api/v1/tasks/{id}/accept",
      [](ApiContext& c, http::Request& q, http::Responder s) { task_action(c, q, std::move(s), "accept"); });
  add(r, ctx, "POST", "/api/v1/tasks/{id}/start",
      [](ApiContext& c, http::Request& q, http::Responder s) { task_action(c, q, std::move(s), "start"); });
  add(r, ctx, "POST", "/api/v1/tasks/{id}/complete",
      [](ApiContext& c, http::Request& q, http::Responder s) { task_action(c, q, std::move(s), "complete"); });
  add(r, ctx, "POST", "/api/v1/tasks/{id}/notes",
      [](ApiContext& c, http::Request& q, http::Responder s) { task_action(c, q, std::move(s), "note"); });
  add(r, ctx, "GET", "/api/v1/notifications", list_notifications);
  // The YAML routes take a raw body too (application/yaml), so the router does not insist on JSON.
  add_any_body(r, ctx, "POST", "/api/v1/plans", create_plan);
  add_any_body(r, ctx, "POST", "/api/v1/plans/validate", validate_plan);
  add_any_body(r, ctx, "POST", "/api/v1/plans/{id}/versions", save_version);
}

}  // namespace liandong::api::internal
