// Sign-in, sessions, people, roles and API keys (docs/API.md "Access").
#include "api/routes_common.h"
#include "core/ids.h"

namespace liandong::api::internal {

using nlohmann::json;

namespace {

// Answers 204 with no body.
http::Response no_content() {
  http::Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

// POST /api/v1/session {name, password, cookie?}
void sign_in(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  const json& j = value_of(body);
  Fields f(j);
  f.only({"name", "password", "cookie"});
  auto name = f.str("name", true, 64);
  auto password = f.str("password", true, 256);
  bool cookie = false;
  if (auto it = j.find("cookie"); it != j.end()) {
    if (!it->is_boolean()) f.fail(invalid_field("cookie", "cookie must be true or false"));
    else cookie = it->get<bool>();
  }
  if (!f.ok()) return respond(f.take_error());
  ctx.auth->sign_in(req, *name, *password, cookie, std::move(respond));
}

void get_session(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto caller = ctx.auth->identify(req, true);
  if (!caller) return respond(http::status_response(caller.status()));
  if (caller->session_id.empty()) {
    // An API key: no session, just who it is.
    return respond(http::json_response(
        200, {{"principal", Auth::principal_json(*caller->principal, *ctx.engine->view())}, {"session_id", nullptr}}));
  }
  respond(http::json_response(200, ctx.auth->session_json(*caller)));
}

void sign_out(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (req.session_id.empty())
    return respond(http::error_response(400, "no_session", "this caller is an API key, not a session"));
  auto shared = std::make_shared<http::Responder>(std::move(respond));
  std::string clear = ctx.auth->clear_cookie();
  ctx.engine->submit(engine::CloseSession{req.session_id, "signed_out"}, actor(req),
                     [shared, clear](core::Result<engine::Outcome> r) {
                       if (!r) return (*shared)(http::status_response(r.status()));
                       (*shared)(no_content().with_header("Set-Cookie", clear));
                     });
}

// Submits and answers 204 (or the error).
void submit_no_content(ApiContext& ctx, const http::Request& req, engine::Command c, http::Responder respond) {
  auto shared = std::make_shared<http::Responder>(std::move(respond));
  ctx.engine->submit(std::move(c), actor(req), [shared](core::Result<engine::Outcome> r) {
    if (!r) return (*shared)(http::status_response(r.status()));
    (*shared)(no_content());
  });
}

http::Response weak_password(const core::Status& st) {
  return http::error_response(400, "weak_password", st.message(), "new_password");
}

// POST /api/v1/session/password {current_password, new_password}
void change_password(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"current_password", "new_password"});
  auto current = f.str("current_password", true, 256);
  auto next = f.str("new_password", true, 1024);
  if (!f.ok()) return respond(f.take_error());
  if (req.session_id.empty())
    return respond(http::error_response(400, "no_session", "API keys have no password"));
  auto view = ctx.engine->view();
  const engine::Person* p = view->find_person(who(req).id());
  if (!p) return respond(http::error_response(404, "not_found", "no person " + who(req).id()));
  if (!ctx.auth->verify_password(p->password_hash, *current))
    return respond(http::error_response(401, "sign_in_failed", "the current password is wrong", "current_password"));
  auto hash = ctx.auth->hash_password(*next, p->name);
  if (!hash) return respond(weak_password(hash.status()));
  submit_no_content(ctx, req, engine::SetPassword{p->id, *hash, "changed", req.session_id}, std::move(respond));
}

void roles(ApiContext& ctx, http::Request&, http::Responder respond) {
  const auto& catalog = ctx.engine->roles();
  json rs = json::array();
  for (const auto& r : catalog.roles())
    rs.push_back({{"name", r.name}, {"title", r.title}, {"title_zh", r.title_zh}, {"rank", r.rank},
                  {"permissions", r.permissions}});
  json ps = json::array();
  for (const auto& [name, desc] : catalog.permissions()) ps.push_back({{"name", name}, {"description", desc}});
  respond(http::json_response(200, {{"roles", rs}, {"permissions", ps}}));
}

// Roles in a body: [{role, jurisdiction, subordinates?, agency_only?}].
Parsed<std::vector<access::Grant>> grants_body(const json& j, const char* key) {
  std::vector<access::Grant> out;
  if (!j.is_array()) return invalid_field(key, std::string(key) + " must be a list of {role, jurisdiction}");
  for (size_t i = 0; i < j.size(); ++i) {
    auto g = engine::grant_from_json(j[i], std::string(key) + "[" + std::to_string(i) + "]");
    if (!g) return invalid_field(g.status().field(), g.status().message());
    out.push_back(*g);
  }
  return out;
}

// A person with people.manage may grant only where that permission reaches (no escalation
// beyond one's own scope).
std::optional<http::Response> check_grantable(const http::Request& req, const std::vector<access::Grant>& gs) {
  for (const auto& g : gs)
    if (!may(req, "people.manage", g.jurisdiction)) return forbidden("people.manage", g.jurisdiction);
  return std::nullopt;
}

void list_people(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto view = ctx.engine->view();
  json items = json::array();
  for (size_t i = 0; i < view->people.size(); ++i)
    if (const auto& p = view->people[i]; may(req, "people.manage", p.jurisdiction, p.agency_id))
      items.push_back(engine::to_public_json(p));
  respond(http::json_response(200, {{"people", std::move(items)}}));
}

void create_person(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  const json& j = value_of(body);
  Fields f(j);
  f.only({"name", "display_name", "agency_id", "jurisdiction", "roles", "password"});
  engine::CreatePerson c;
  c.name = f.str("name", true, 64).value_or("");
  c.display_name = f.str("display_name", false, 200).value_or("");
  c.agency_id = f.str("agency_id", false, 64).value_or("");
  c.jurisdiction = f.str("jurisdiction", false, 16).value_or(ctx.node.code);
  auto password = f.str("password", true, 1024);
  if (!f.ok()) return respond(f.take_error());
  if (auto it = j.find("roles"); it != j.end()) {
    auto gs = grants_body(*it, "roles");
    if (failed(gs)) return respond(std::move(error_of(gs)));
    c.roles = std::move(value_of(gs));
  }
  if (!may(req, "people.manage", c.jurisdiction, c.agency_id)) return respond(forbidden("people.manage", c.jurisdiction));
  if (auto refused = check_grantable(req, c.roles)) return respond(std::move(*refused));
  auto hash = ctx.auth->hash_password(*password, c.name);
  if (!hash) return respond(http::error_response(400, "weak_password", hash.status().message(), "password"));
  c.password_hash = *hash;
  submit(ctx, req, std::move(c), std::move(respond));
}

void get_person(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto id = std::string(*req.param("id"));
  auto view = ctx.engine->view();
  const engine::Person* p = view->find_person(id);
  if (!p) return respond(http::error_response(404, "not_found", "no person " + id + " on this node"));
  json j = engine::to_public_json(*p);
  json sessions = json::array();
  for (size_t i = 0; i < view->sessions.size(); ++i)
    if (const auto& s = view->sessions[i]; s.person_id == id && s.live(ctx.clock->now()))
      sessions.push_back(engine::to_public_json(s));
  j["sessions"] = std::move(sessions);
  respond(http::json_response(200, j));
}

void patch_person(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  const json& j = value_of(body);
  Fields f(j);
  f.only({"display_name", "agency_id", "roles"});
  engine::UpdatePerson c;
  c.person_id = std::string(*req.param("id"));
  c.display_name = f.str("display_name", false, 200);
  c.agency_id = f.str("agency_id", false, 64);
  if (!f.ok()) return respond(f.take_error());
  if (auto it = j.find("roles"); it != j.end()) {
    auto gs = grants_body(*it, "roles");
    if (failed(gs)) return respond(std::move(error_of(gs)));
    if (auto refused = check_grantable(req, value_of(gs))) return respond(std::move(*refused));
    c.roles = std::move(value_of(gs));
  }
  submit(ctx, req, std::move(c), std::move(respond));
}

void reset_password(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"new_password"});
  auto next = f.str("new_password", true, 1024);
  if (!f.ok()) return respond(f.take_error());
  auto id = std::string(*req.param("id"));
  auto view = ctx.engine->view();
  const engine::Person* p = view->find_person(id);
  if (!p) return respond(http::error_response(404, "not_found", "no person " + id + " on this node"));
  auto hash = ctx.auth->hash_password(*next, p->name);
  if (!hash) return respond(weak_password(hash.status()));
  submit_no_content(ctx, req, engine::SetPassword{id, *hash, "reset", ""}, std::move(respond));
}

void disable_person(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto id = std::string(*req.param("id"));
  if (id == who(req).id())
    return respond(http::error_response(409, "conflict", "you cannot disable yourself"));
  submit(ctx, req, engine::SetPersonDisabled{id, true}, std::move(respond));
}

void enable_person(ApiContext& ctx, http::Request& req, http::Responder respond) {
  submit(ctx, req, engine::SetPersonDisabled{std::string(*req.param("id")), false}, std::move(respond));
}

void list_keys(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto view = ctx.engine->view();
  json items = json::array();
  for (size_t i = 0; i < view->keys.size(); ++i)
    if (const auto& k = view->keys[i]; may(req, "people.manage", k.jurisdiction)) items.push_back(engine::to_public_json(k));
  respond(http::json_response(200, {{"keys", std::move(items)}}));
}

// POST /api/v1/keys {name, role, jurisdiction?, subordinates?} → 201 {..., key} (shown once)
void create_key(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  const json& j = value_of(body);
  Fields f(j);
  f.only({"name", "role", "jurisdiction", "subordinates"});
  engine::CreateKey c;
  c.name = f.str("name", true, 100).value_or("");
  c.grant.role = f.str("role", true, 64).value_or("");
  c.grant.jurisdiction = f.str("jurisdiction", false, 16).value_or(ctx.node.code);
  if (auto it = j.find("subordinates"); it != j.end()) {
    if (!it->is_boolean()) f.fail(invalid_field("subordinates", "subordinates must be true or false"));
    else c.grant.subordinates = it->get<bool>();
  }
  if (!f.ok()) return respond(f.take_error());
  if (auto refused = check_grantable(req, {c.grant})) return respond(std::move(*refused));
  auto [secret, hash] = ctx.auth->new_key_secret();
  c.key_hash = hash;
  auto shared = std::make_shared<http::Responder>(std::move(respond));
  ctx.engine->submit(std::move(c), actor(req), [shared, secret = secret](core::Result<engine::Outcome> r) {
    if (!r) return (*shared)(http::status_response(r.status()));
    json body = r->body;
    auto id = core::parse_id(body.value("id", std::string()));
    body["key"] = Auth::key_token(id ? id->seq : 0, secret);
    (*shared)(http::json_response(201, body));
  });
}

void revoke_key(ApiContext& ctx, http::Request& req, http::Responder respond) {
  submit(ctx, req, engine::RevokeKey{std::string(*req.param("id"))}, std::move(respond));
}

void list_sessions(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto view = ctx.engine->view();
  bool all = req.query_param("all") == std::optional<std::string_view>("true");
  json items = json::array();
  auto now = ctx.clock->now();
  for (size_t i = view->sessions.size(); i-- > 0 && items.size() < 1000;) {
    const auto& s = view->sessions[i];
    if ((all || s.live(now)) && may(req, "people.manage", s.jurisdiction)) items.push_back(engine::to_public_json(s));
  }
  respond(http::json_response(200, {{"sessions", std::move(items)}}));
}

void revoke_session(ApiContext& ctx, http::Request& req, http::Responder respond) {
  submit(ctx, req, engine::CloseSession{std::string(*req.param("id")), "revoked"}, std::move(respond));
}

}  // namespace

void add_access_routes(http::Router& r, ApiContext& ctx) {
  add(r, ctx, "POST", "/api/v1/session", sign_in);
  add(r, ctx, "GET", "/api/v1/session", get_session);
  add(r, ctx, "DELETE", "/api/v1/session", sign_out);
  add(r, ctx, "POST", "/api/v1/session/password", change_password);
  add(r, ctx, "GET", "/api/v1/roles", roles);
  add(r, ctx, "GET", "/api/v1/people", list_people);
  add(r, ctx, "POST", "/api/v1/people", create_person);
  add(r, ctx, "GET", "/api/v1/people/{id}", get_person);
  add(r, ctx, "PATCH", "/api/v1/people/{id}", patch_person);
  add(r, ctx, "POST", "/api/v1/people/{id}/password", reset_password);
  add(r, ctx, "POST", "/api/v1/people/{id}/disable", disable_person);
  add(r, ctx, "POST", "/api/v1/people/{id}/enable", enable_person);
  add(r, ctx, "GET", "/api/v1/keys", list_keys);
  add(r, ctx, "POST", "/api/v1/keys", create_key);
  add(r, ctx, "POST", "/api/v1/keys/{id}/revoke", revoke_key);
  add(r, ctx, "GET", "/api/v1/sessions", list_sessions);
  add(r, ctx, "DELETE", "/api/v1/sessions/{id}", revoke_session);
}

}  // namespace liandong::api::internal
