
#include "api/routes_common.h"
#include "core/jurisdiction.h"

namespace liandong::api::internal {

using nlohmann::json;

namespace {

constexpr size_t kDefaultLimit = 50;
constexpr size_t kMaxLimit = 500;

struct ListFilter {
  std::optional<std::string> status, type, jurisdiction;
  std::optional<core::Category> category;
  std::optional<core::Grade> grade;
  std::optional<core::Priority> priority;
  std::optional<core::Timestamp> from, to;
  std::optional<core::BBox> bbox;
  bool open_only = false;
  size_t limit = kDefaultLimit;
  uint64_t cursor = 0;  // 0: from the newest

  bool matches(const engine::Incident& i) const {
    if (open_only && engine::is_final_status(i.status)) return false;
    if (status && i.status != *status) return false;
    if (type && i.type != *type) return false;
    if (category && i.category != *category) return false;
    if (grade && i.confirmed_grade != grade) return false;
    if (priority && i.priority != *priority) return false;
    if (from && i.opened_at < *from) return false;
    if (to && i.opened_at >= *to) return false;
    if (bbox && (!i.location || !bbox->contains(*i.location))) return false;
    if (jurisdiction) {
      auto code = core::JurisdictionCode::parse(i.jurisdiction);
      auto within = core::JurisdictionCode::parse(*jurisdiction);
      if (!code || !within || !code->within(*within)) return false;
    }
    return true;
  }
};

Parsed<ListFilter> parse_filter(const http::Request& req) {
  ListFilter f;
  if (auto bad = unknown_params(req, {"status", "category", "type", "grade", "priority",
                                       "jurisdiction", "from", "to", "bbox", "open", "limit",
                                       "cursor"})) {
    return std::move(*bad);
  }
  if (auto v = req.query_param("status")) {
    if (!engine::is_incident_status(*v)) return bad_query("status", "unknown status");
    f.status = std::string(*v);
  }
  if (auto v = req.query_param("category")) {
    f.category = core::parse_category(*v);
    if (!f.category) return bad_query("category", "unknown category");
  }
  if (auto v = req.query_param("type")) f.type = std::string(*v);
  if (auto v = req.query_param("grade")) {
    f.grade = core::parse_grade(*v);
    if (!f.grade) return bad_query("grade", "grade must be I, II, III or IV");
  }
  if (auto v = req.query_param("priority")) {
    f.priority = core::parse_priority(*v);
    if (!f.priority) return bad_query("priority", "priority must be P1 to P4");
  }
  if (auto v = req.query_param("jurisdiction")) {
    auto code = core::JurisdictionCode::parse(*v);
    if (!code) return bad_query("jurisdiction", code.status().message());
    f.jurisdiction = code->str();
  }
  for (const char* name : {"from", "to"}) {
    if (auto v = req.query_param(name)) {
      auto t = core::parse_rfc3339(*v, name);
      if (!t) return time_error(*v, t.status());
      (std::string_view(name) == "from" ? f.from : f.to) = *t;
    }
  }
  if (auto v = req.query_param("bbox")) {
    auto b = core::parse_bbox(*v);
    if (!b) return bad_query("bbox", b.status().message());
    f.bbox = *b;
  }
  if (auto v = req.query_param("open")) {
    if (*v != "true" && *v != "false") return bad_query("open", "open must be true or false");
    f.open_only = *v == "true";
  }
  if (auto v = req.query_param("limit")) {
    uint64_t n = 0;
    if (!parse_whole(*v, n) || n < 1 || n > kMaxLimit) return bad_query("limit", "limit must be 1 to 500");
    f.limit = n;
  }
  if (auto v = req.query_param("cursor")) {
    if (!parse_whole(*v, f.cursor) || f.cursor == 0) return bad_query("cursor", "cursor must come from next_cursor");
  }
  return f;
}

void list_incidents(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto parsed = parse_filter(req);
  if (failed(parsed)) return respond(std::move(error_of(parsed)));
  const ListFilter& f = value_of(parsed);
  auto view = ctx.engine->view();
  json items = json::array();
  size_t i = f.cursor ? std::min<uint64_t>(f.cursor - 1, view->incidents.size()) : view->incidents.size();
  json next = nullptr;
  while (i > 0) {
    --i;
    const auto& inc = view->incidents[i];
    if (!f.matches(inc) || !may(req, "incident.read", inc.jurisdiction)) continue;
    if (items.size() == f.limit) {
      next = std::to_string(i + 2);  // resume just above this index
      break;
    }
    items.push_back(engine::to_json(inc, false));
  }
  respond(http::json_response(200, {{"items", std::move(items)}, {"next_cursor", next}}));
}

void get_incident(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto id = std::string(*req.param("id"));
  auto view = ctx.engine->view();
  const engine::Incident* inc = view->find_incident(id);
  if (!inc) return respond(http::error_response(404, "not_found", "no incident " + id + " on this node"));
  json j = engine::to_json(*inc, true);
  json alarms = json::array();
  for (const auto& aid : inc->alarm_ids)
    if (const auto* a = view->find_alarm(aid)) alarms.push_back(alarm_json(*a));
  j["alarms"] = std::move(alarms);
  respond(http::json_response(200, j));
}

void patch_incident(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  json& j = value_of(body);
  Fields f(j);
  f.only({"title", "description", "address", "location", "type", "category", "figures"});
  json changes = json::object();
  if (auto v = f.str("title", false, 500)) changes["title"] = *v;
  if (auto v = f.str("description", false, 8000)) changes["description"] = *v;
  if (auto v = f.str("address", false, 500)) changes["address"] = *v;
  if (auto v = f.str("type", false, 64)) changes["type"] = *v;
  if (auto v = f.str("category", false, 32)) {
    if (!core::parse_category(*v)) f.fail(invalid_field("category", "unknown category '" + *v + "'"));
    changes["category"] = *v;
  }
  if (auto v = f.lonlat("location")) changes["location"] = engine::to_json(*v);
  if (auto it = j.find("figures"); it != j.end() && !it->is_null()) {
    auto figures = engine::figures_from_json(*it, "figures");
    if (!figures) f.fail(invalid_field(figures.status().field(), figures.status().message()));
    else changes["figures"] = engine::to_json(*figures);
  }
  if (!f.ok()) return respond(f.take_error());
  if (changes.empty()) return respond(invalid_field("", "nothing to change"));
  submit(ctx, req, engine::UpdateIncident{std::string(*req.param("id")), std::move(changes)}, std::move(respond));
}

void change_status(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"status", "reason"});
  auto status = f.str("status", true, 32);
  auto reason = f.str("reason", false, 2000);
  if (!f.ok()) return respond(f.take_error());
  submit(ctx, req, engine::ChangeStatus{std::string(*req.param("id")), *status, reason.value_or("")}, std::move(respond));
}

void set_priority(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"priority"});
  auto p = f.str("priority", true, 4);
  if (!f.ok()) return respond(f.take_error());
  auto priority = core::parse_priority(*p);
  if (!priority) return respond(invalid_field("priority", "priority must be P1, P2, P3 or P4"));
  submit(ctx, req, engine::SetPriority{std::string(*req.param("id")), *priority}, std::move(respond));
}

void confirm_grade(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"grade", "reason"});
  auto g = f.str("grade", true, 4);
  auto reason = f.str("reason", false, 2000);
  if (!f.ok()) return respond(f.take_error());
  auto grade = core::parse_grade(*g);
  if (!grade) return respond(invalid_field("grade", "grade must be I, II, III or IV"));
  submit(ctx, req, engine::ConfirmGrade{std::string(*req.param("id")), *grade, reason.value_or("")}, std::move(respond));
}

void merge(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"from"});
  auto from = f.str("from", true, 64);
  if (!f.ok()) return respond(f.take_error());
  // The merged-away incident must be the caller's to change too.
  auto view = ctx.engine->view();
  if (const auto* other = view->find_incident(*from); other && !may(req, "incident.manage", other->jurisdiction)) {
    if (!may(req, "incident.read", other->jurisdiction))
      return respond(http::error_response(404, "not_found", "no incident " + *from + " on this node"));
    return respond(forbidden("incident.manage", other->jurisdiction));
  }
  submit(ctx, req, engine::MergeIncidents{std::string(*req.param("id")), *from}, std::move(respond));
}

}  // namespace

void add_incident_routes(http::Router& r, ApiContext& ctx) {
  add(r, ctx, "GET", "/api/v1/incidents", list_incidents);
  add(r, ctx, "GET", "/api/v1/incidents/{id}", get_incident);
  add(r, ctx, "PATCH", "/api/v1/incidents/{id}", patch_incident);
  add(r, ctx, "POST", "/api/v1/incidents/{id}/status", change_status);
  add(r, ctx, "POST", "/api/v1/incidents/{id}/priority", set_priority);
  add(r, ctx, "POST", "/api/v1/incidents/{id}/grade", confirm_grade);
  add(r, ctx, "POST", "/api/v1/incidents/{id}/merge", merge);
}

}  // namespace liandong::api::internal
