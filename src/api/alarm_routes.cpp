#include <algorithm>

#include "api/routes_common.h"
#include "core/jurisdiction.h"

namespace liandong::api::internal {

using nlohmann::json;

namespace {

constexpr size_t kMaxIdempotencyKey = 200;

// POST /api/v1/alarms
void report_alarm(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  const json& j = value_of(body);
  Fields f(j);
  f.only({"channel", "reported_at", "caller", "location", "address", "category", "type", "description",
          "figures", "jurisdiction", "priority"});
  engine::ReportAlarm c;
  c.channel = f.str("channel", true, 16).value_or("");
  c.reported_at = f.time("reported_at", true).value_or(core::Timestamp{});
  c.location = f.lonlat("location");
  c.address = f.str("address", false, 500).value_or("");
  c.type = f.str("type", true, 64).value_or("");
  c.description = f.str("description", false, 8000).value_or("");
  c.jurisdiction = f.str("jurisdiction", false, 16).value_or("");
  if (auto cat = f.str("category", false, 32)) {
    c.category = core::parse_category(*cat);
    if (!c.category) f.fail(invalid_field("category", "unknown category '" + *cat + "'"));
  }
  if (auto p = f.str("priority", false, 4)) {
    c.priority = core::parse_priority(*p);
    if (!c.priority) f.fail(invalid_field("priority", "priority must be P1, P2, P3 or P4"));
  }
  if (auto it = j.find("caller"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) {
      f.fail(invalid_field("caller", "caller must be an object {name, number}"));
    } else {
      Fields cf(*it, "caller");
      cf.only({"name", "number"});
      engine::Caller caller{cf.str("name", false, 200).value_or(""), cf.str("number", false, 64).value_or("")};
      if (!cf.ok()) f.fail(cf.take_error());
      c.caller = caller;
    }
  }
  if (auto it = j.find("figures"); it != j.end() && !it->is_null()) {
    auto figures = engine::figures_from_json(*it, "figures");
    if (!figures) f.fail(invalid_field(figures.status().field(), figures.status().message()));
    else c.figures = *figures;
  }
  if (!f.ok()) return respond(f.take_error());
  // Without a jurisdiction the alarm is the caller's (a county's call-taker reports in the county).
  if (!c.jurisdiction.empty()) {
    auto code = core::JurisdictionCode::parse(c.jurisdiction, "jurisdiction");
    if (!code) return respond(invalid_field("jurisdiction", code.status().message()));
    if (!access::jurisdiction_covers(ctx.node.code, code->str(), true))
      return respond(invalid_field("jurisdiction", "jurisdiction " + c.jurisdiction + " is not within this node"));
    c.jurisdiction = code->str();
  } else {
    const auto& p = who(req);
    c.jurisdiction = access::jurisdiction_covers(ctx.node.code, p.jurisdiction(), true) && !p.jurisdiction().empty()
                         ? p.jurisdiction()
                         : ctx.node.code;
  }
  if (!may(req, "incident.report", c.jurisdiction)) return respond(forbidden("incident.report", c.jurisdiction));
  if (auto key = req.header("Idempotency-Key")) {
    bool printable = std::all_of(key->begin(), key->end(), [](char ch) { return ch >= 0x20 && ch <= 0x7e; });
    if (key->empty() || key->size() > kMaxIdempotencyKey || !printable)
      return respond(http::error_response(400, "invalid_field",
                                          "Idempotency-Key must be 1 to 200 printable ASCII characters",
                                          "Idempotency-Key"));
    c.idempotency_key = *key;
  }
  submit(ctx, req, std::move(c), std::move(respond));
}

// GET /api/v1/alarms/{id}[?reveal=personal]: a reveal needs personal.read where the alarm is,
// and is journaled (personal.revealed) before the unmasked alarm is sent.
void get_alarm(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto id = std::string(*req.param("id"));
  auto view = ctx.engine->view();
  const engine::Alarm* a = view->find_alarm(id);
  if (!a) return respond(http::error_response(404, "not_found", "no alarm " + id + " on this node"));
  auto reveal = req.query_param("reveal");
  if (!reveal) return respond(http::json_response(200, alarm_json(*a)));
  if (*reveal != "personal")
    return respond(http::error_response(400, "invalid_query", "reveal must be 'personal'", "reveal"));
  if (!may(req, "personal.read", a->jurisdiction)) {
    ctx.auth->record_refusal(req, who(req), "personal.read", "forbidden");
    return respond(forbidden("personal.read", a->jurisdiction));
  }
  std::vector<std::string> fields;
  if (a->caller) fields = {"caller.name", "caller.number"};
  auto shared = std::make_shared<http::Responder>(std::move(respond));
  ctx.engine->submit(engine::RecordReveal{a->id, a->jurisdiction, std::move(fields)}, actor(req),
                     [shared, alarm = *a](core::Result<engine::Outcome> r) {
                       if (!r) return (*shared)(http::status_response(r.status()));
                       (*shared)(http::json_response(200, alarm_json(alarm, true)));
                     });
}

void nuisance(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"reason"});
  auto reason = f.str("reason", true, 32);
  if (!f.ok()) return respond(f.take_error());
  submit(ctx, req, engine::MarkNuisance{std::string(*req.param("id")), *reason}, std::move(respond));
}

void locate(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"location"});
  auto loc = f.lonlat("location", true);
  if (!f.ok()) return respond(f.take_error());
  submit(ctx, req, engine::LocateAlarm{std::string(*req.param("id")), *loc}, std::move(respond));
}

void split(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req, true);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({});
  if (!f.ok()) return respond(f.take_error());
  submit(ctx, req, engine::SplitAlarm{std::string(*req.param("id"))}, std::move(respond));
}

}  // namespace

void add_alarm_routes(http::Router& r, ApiContext& ctx) {
  add(r, ctx, "POST", "/api/v1/alarms", report_alarm);
  add(r, ctx, "GET", "/api/v1/alarms/{id}", get_alarm);
  add(r, ctx, "POST", "/api/v1/alarms/{id}/nuisance", nuisance);
  add(r, ctx, "POST", "/api/v1/alarms/{id}/locate", locate);
  add(r, ctx, "POST", "/api/v1/alarms/{id}/split", split);
}

}  // namespace liandong::api::internal
