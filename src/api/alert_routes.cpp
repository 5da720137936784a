// Alert routes (docs/API.md "Alerts"): composing CAP alerts from warnings with a live preview,
// submitting, approving and rejecting them; the public CAP feed (Atom) and per-alert documents;
// CAP pushed to the node (bare or in EDXL-DE); webhook subscribers and their deliveries; outside
// feeds.
#include <algorithm>

#include "access/secrets.h"
#include "alerts/edxl.h"
#include "alerts/feed.h"
#include "alerts/national_id.h"
#include "api/routes_common.h"
#include "engine/alert_cap.h"
#include "engine/alert_mapping.h"

namespace liandong::api::internal {

using nlohmann::json;

namespace {

constexpr size_t kMaxCapBody = 4 * 1024 * 1024;

std::string id_param(const http::Request& req) { return std::string(*req.param("id")); }

http::Response not_found(std::string_view what, std::string_view id) {
  return http::error_response(404, "not_found", "no " + std::string(what) + " " + std::string(id) + " on this node");
}

// An alert as lists show it: without its document.
json alert_summary(const engine::AlertRecord& a) {
  json j = engine::to_json(a);
  j.erase("xml");
  j["has_document"] = !a.xml.empty();
  return j;
}

// The content members a composer may send (engine::AlertContent's JSON form).
constexpr const char* kContentKeys[] = {"language", "categories", "event",    "response_types", "urgency",
                                        "severity", "certainty",  "sender_name", "headline",    "description",
                                        "instruction", "contact", "web",      "onset",          "expires",
                                        "area_desc", "polygons",  "circles",  "geocodes"};

std::optional<http::Response> parse_content(const json& body, std::optional<engine::AlertContent>& out) {
  auto it = body.find("content");
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_object()) return invalid_field("content", "content is an object of CAP info fields");
  for (const auto& item : it->items()) {
    const std::string& k = item.key();
    if (std::find_if(std::begin(kContentKeys), std::end(kContentKeys), [&](const char* x) { return k == x; }) ==
        std::end(kContentKeys))
      return invalid_field("content." + k, "unknown member '" + k + "' of content");
  }
  auto c = engine::alert_content_from_json(*it);
  if (!c) return invalid_field("content", c.status().message());
  out = std::move(*c);
  return std::nullopt;
}

struct DraftRequest {
  engine::DraftAlert command;
  const engine::Warning* warning = nullptr;
};

// The draft a body asks for; the warning it is about must be one the caller may issue for.
std::variant<DraftRequest, http::Response> draft_request(const http::Request& req, const engine::View& view,
                                                         const json& body) {
  Fields f(body);
  f.only({"warning_id", "msg_type", "replaces", "status", "content"});
  DraftRequest d;
  d.command.warning_id = f.str("warning_id", false, 64).value_or("");
  d.command.msg_type = f.str("msg_type", false, 16).value_or("Alert");
  d.command.replaces = f.str("replaces", false, 64).value_or("");
  d.command.cap_status = f.str("status", false, 16).value_or("Actual");
  if (!f.ok()) return f.take_error();
  if (auto bad = parse_content(body, d.command.content)) return std::move(*bad);
  std::string warning_id = d.command.warning_id;
  if (!d.command.replaces.empty())
    if (const auto* r = view.find_alert(d.command.replaces)) warning_id = r->warning_id;
  if (warning_id.empty()) return invalid_field("warning_id", "warning_id is required (or replaces, for an Update or Cancel)");
  d.warning = view.find_warning(warning_id);
  if (!d.warning) return invalid_field("warning_id", "no warning " + warning_id + " on this node");
  if (!may(req, "warning.issue", d.warning->jurisdiction)) return forbidden("warning.issue", d.warning->jurisdiction);
  return d;
}

void list_alerts(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {"direction", "state", "warning_id", "limit"})) return respond(std::move(*bad));
  auto direction = req.query_param("direction");
  if (direction && *direction != "outgoing" && *direction != "incoming")
    return respond(bad_query("direction", "outgoing or incoming"));
  auto state = req.query_param("state");
  auto warning = req.query_param("warning_id");
  auto limit_or = clamped_limit(req, 200, 2000);
  if (failed(limit_or)) return respond(std::move(error_of(limit_or)));
  size_t limit = value_of(limit_or);
  auto view = ctx.engine->view();
  json items = json::array();
  for (size_t i = view->alerts.size(); i-- > 0 && items.size() < limit;) {
    const auto& a = view->alerts[i];
    if (!may(req, "warning.read", a.jurisdiction)) continue;
    if (direction && a.direction != *direction) continue;
    if (state && a.state != *state) continue;
    if (warning && a.warning_id != *warning) continue;
    items.push_back(alert_summary(a));
  }
  respond(http::json_response(200, {{"alerts", std::move(items)}}));
}

void get_alert(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto view = ctx.engine->view();
  const auto* a = view->find_alert(id_param(req));
  if (!a) return respond(not_found("alert", id_param(req)));
  json j = engine::to_json(*a);
  j["may_approve"] = !a->approval.empty() && a->state == "pending_approval" && may(req, a->approval, a->jurisdiction) &&
                     who(req).id() != a->drafted_by;
  respond(http::json_response(200, j));
}

void create_alert(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  auto view = ctx.engine->view();
  auto d = draft_request(req, *view, value_of(body));
  if (auto* r = std::get_if<http::Response>(&d)) return respond(std::move(*r));
  submit(ctx, req, std::move(std::get<DraftRequest>(d).command), std::move(respond));
}

// The document a draft (or the draft a body describes) would be, with the codec's issues.
void preview_alert(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  auto view = ctx.engine->view();
  auto d = draft_request(req, *view, value_of(body));
  if (auto* r = std::get_if<http::Response>(&d)) return respond(std::move(*r));
  auto& draft = std::get<DraftRequest>(d);
  const engine::Warning& w = *draft.warning;
  engine::AlertRecord a;
  a.direction = "outgoing";
  a.warning_id = w.id;
  a.jurisdiction = w.jurisdiction;
  a.msg_type = draft.command.msg_type;
  a.cap_status = draft.command.cap_status;
  a.level = w.level;
  a.approval = engine::approval_for(w.level);
  const engine::FenceRecord* fence = w.fence_id.empty() ? nullptr : view->find_fence(w.fence_id);
  a.content = engine::content_for_warning(w, ctx.engine->taxonomy(), fence);
  if (draft.command.content) a.content = *draft.command.content;
  core::Timestamp now = std::chrono::floor<std::chrono::seconds>(ctx.clock->now());
  const auto& o = ctx.engine->options();
  a.sender = o.alert_sender.empty() ? o.node + "@liandong" : o.alert_sender;
  a.sent = now;
  a.identifier = engine::national_identifier(o.node, o.alert_body_code, now, 0);
  if (const auto* r = draft.command.replaces.empty() ? nullptr : view->find_alert(draft.command.replaces)) {
    a.references = r->references;
    a.references.push_back(engine::reference_of(*r));
  }
  auto rendered = engine::preview_cap(a);
  respond(http::json_response(200, {{"xml", rendered.xml},
                                    {"issues", rendered.issues},
                                    {"ok", rendered.ok},
                                    {"approval", a.approval},
                                    {"content", engine::to_json(a.content)},
                                    {"provisional", {{"identifier", a.identifier}, {"sent", alerts::beijing_time(now)}}}}));
}

void edit_alert(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  auto view = ctx.engine->view();
  const auto* a = view->find_alert(id_param(req));
  if (!a) return respond(not_found("alert", id_param(req)));
  if (!may(req, "warning.issue", a->jurisdiction)) return respond(forbidden("warning.issue", a->jurisdiction));
  Fields f(value_of(body));
  f.only({"content"});
  if (!f.ok()) return respond(f.take_error());
  std::optional<engine::AlertContent> content;
  if (auto bad = parse_content(value_of(body), content)) return respond(std::move(*bad));
  if (!content) return respond(invalid_field("content", "content is required"));
  submit(ctx, req, engine::EditAlert{a->id, std::move(*content)}, std::move(respond));
}

void submit_alert(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto view = ctx.engine->view();
  const auto* a = view->find_alert(id_param(req));
  if (!a) return respond(not_found("alert", id_param(req)));
  if (!may(req, "warning.issue", a->jurisdiction)) return respond(forbidden("warning.issue", a->jurisdiction));
  submit(ctx, req, engine::SubmitAlert{a->id}, std::move(respond));
}

void review_alert(ApiContext& ctx, http::Request& req, http::Responder respond, bool approve) {
  auto body = json_object_body(req, true);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"note"});
  std::string note = f.str("note", !approve, 2000).value_or("");
  if (!f.ok()) return respond(f.take_error());
  auto view = ctx.engine->view();
  const auto* a = view->find_alert(id_param(req));
  if (!a) return respond(not_found("alert", id_param(req)));
  if (a->approval.empty())
    return respond(http::error_response(409, "conflict", "alert " + a->id + " needs no approval: its drafter submits it"));
  if (!may(req, a->approval, a->jurisdiction)) return respond(forbidden(a->approval, a->jurisdiction));
  submit(ctx, req, engine::ReviewAlert{a->id, approve, note}, std::move(respond));
}

// ---- Public CAP: the Atom feed of current alerts and each alert's document.

bool public_alert(const engine::AlertRecord& a) {
  return a.outgoing() && a.scope == "Public" && !a.xml.empty() &&
         (a.state == "published" || a.state == "superseded" || a.state == "cancelled");
}

std::string base_url(const http::Request& req) {
  std::string host(req.header("host").value_or("localhost"));
  if (host.find_first_of(" \"<>") != std::string::npos) host = "localhost";
  return "http://" + host;
}

void cap_feed(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {"status"})) return respond(std::move(*bad));
  std::string want(req.query_param("status").value_or("Actual"));
  if (want != "Actual" && want != "Exercise" && want != "Test") return respond(bad_query("status", "Actual, Exercise or Test"));
  auto view = ctx.engine->view();
  core::Timestamp now = ctx.clock->now();
  std::string base = base_url(req);
  alerts::AtomFeed feed;
  feed.id = "urn:liandong:" + view->node + ":cap-feed";
  feed.title = ctx.node.name.empty() ? "Liandong " + view->node + " alerts" : ctx.node.name + "预警信息";
  feed.self_link = base + "/api/v1/cap/feed";
  core::Timestamp newest{};
  for (size_t i = view->alerts.size(); i-- > 0;) {
    const auto& a = view->alerts[i];
    if (!public_alert(a) || !a.current(now) || a.cap_status != want) continue;
    alerts::AtomEntry e;
    e.id = "urn:liandong:" + a.identifier;
    e.title = a.content.headline.empty() ? a.content.event : a.content.headline;
    e.updated = alerts::beijing_time(a.updated_at);
    e.summary = a.content.description;
    e.cap_link = base + "/api/v1/cap/alerts/" + a.id;
    if (a.sent) e.published = alerts::beijing_time(*a.sent);
    newest = std::max(newest, a.updated_at);
    feed.entries.push_back(std::move(e));
    if (feed.entries.size() >= 500) break;
  }
  feed.updated = alerts::beijing_time(newest == core::Timestamp{} ? now : newest);
  http::Response r;
  r.content_type = "application/atom+xml; charset=utf-8";
  r.body = alerts::write_atom(feed);
  respond(std::move(r));
}

void cap_document(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto view = ctx.engine->view();
  const auto* a = view->find_alert(id_param(req));
  if (!a || !public_alert(*a)) return respond(not_found("public alert", id_param(req)));
  http::Response r;
  r.content_type = "application/cap+xml; charset=utf-8";
  r.body = a->xml;
  respond(std::move(r));
}

// ---- CAP pushed to the node.

struct Receipt {
  std::vector<engine::ReceiveAlert> commands;
};

engine::ReceiveAlert receive_command(std::string xml, std::string source) {
  engine::ReceiveAlert c;
  auto r = engine::read_received(xml);
  c.source = std::move(source);
  c.xml = std::move(xml);
  c.accepted = r.accepted;
  c.parsed = std::move(r.record);
  c.report = std::move(r.report);
  return c;
}

// Submits each command in turn and answers with every result once all are committed.
void submit_all(ApiContext& ctx, const http::Request& req, std::vector<engine::ReceiveAlert> commands,
                http::Responder respond) {
  struct Shared {
    std::mutex mu;
    json results;
    size_t left;
    int status = 200;
    http::Responder respond;
  };
  auto shared = std::make_shared<Shared>();
  shared->results = json::array();
  for (size_t i = 0; i < commands.size(); ++i) shared->results.push_back(nullptr);
  shared->left = commands.size();
  shared->respond = std::move(respond);
  for (size_t i = 0; i < commands.size(); ++i) {
    bool accepted = commands[i].accepted;
    ctx.engine->submit(std::move(commands[i]), actor(req), [shared, i, accepted](core::Result<engine::Outcome> r) {
      std::lock_guard lock(shared->mu);
      if (!r) {
        shared->results[i] = {{"error", {{"code", core::code_name(r.status().code())}, {"message", r.status().message()}}}};
        shared->status = 503;
      } else {
        const json& b = r->body;
        shared->results[i] = {{"alert_id", b.value("id", "")},
                              {"state", b.value("state", "")},
                              {"duplicate", b.value("duplicate", false)},
                              {"warning_id", b.value("warning_id", "")},
                              {"issues", b.value("report", json::array())}};
        if (!accepted && shared->status == 200) shared->status = 422;
      }
      if (--shared->left == 0)
        shared->respond(http::json_response(shared->status, {{"results", std::move(shared->results)}}));
    });
  }
}

void cap_inbox(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (req.body.size() > kMaxCapBody) return respond(http::error_response(413, "too_large", "a CAP document is at most 4 MiB"));
  if (req.body.empty()) return respond(http::error_response(400, "empty_body", "the body is a CAP alert or an EDXL-DE envelope"));
  std::string source = "push:" + actor(req).by;
  std::vector<engine::ReceiveAlert> commands;
  if (req.body.find("EDXLDistribution") != std::string::npos) {
    auto env = alerts::read_edxl_de(req.body);
    if (!env) {
      engine::ReceiveAlert c;
      c.source = source;
      c.xml = req.body;
      c.accepted = false;
      c.report = json::array({{{"severity", "error"}, {"code", "edxl.envelope"}, {"path", "/EDXLDistribution"},
                               {"message", env.status().message()}}});
      commands.push_back(std::move(c));
    } else {
      for (auto& doc : env->cap_documents) commands.push_back(receive_command(std::move(doc), source));
      if (commands.empty())
        return respond(http::error_response(422, "no_alert", "the EDXL-DE envelope carries no CAP alert"));
    }
  } else {
    commands.push_back(receive_command(req.body, source));
  }
  submit_all(ctx, req, std::move(commands), std::move(respond));
}

// ---- Subscribers.

std::variant<engine::Subscriber, http::Response> subscriber_from(const json& body, bool creating) {
  Fields f(body);
  f.only({"jurisdiction", "name", "url", "secret", "areas", "categories", "min_level", "exercises", "max_age_s",
          "enabled"});
  engine::Subscriber s;
  if (creating) s.jurisdiction = f.str("jurisdiction", false, 6).value_or("");
  s.name = f.str("name", creating, 200).value_or("");
  s.url = f.str("url", creating, 2000).value_or("");
  s.secret = f.str("secret", false, 256).value_or("");
  s.areas = f.strings("areas", 200, 6).value_or(std::vector<std::string>{});
  s.categories = f.strings("categories", 12, 16).value_or(std::vector<std::string>{});
  s.min_level = f.str("min_level", false, 16).value_or("");
  s.exercises = f.boolean("exercises").value_or(false);
  s.max_age_s = f.integer("max_age_s", 60, 30 * 86400).value_or(86400);
  s.enabled = f.boolean("enabled").value_or(true);
  if (!f.ok()) return f.take_error();
  return s;
}

void list_subscribers(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto view = ctx.engine->view();
  json items = json::array();
  for (size_t i = 0; i < view->subscribers.size(); ++i) {
    const auto& s = view->subscribers[i];
    if (s.deleted || !may(req, "alert.manage", s.jurisdiction)) continue;
    json j = engine::to_public_json(s);
    if (ctx.subscriber_stats) j["deliveries"] = ctx.subscriber_stats(s.id);
    items.push_back(std::move(j));
  }
  respond(http::json_response(200, {{"subscribers", std::move(items)}}));
}

void create_subscriber(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  auto s = subscriber_from(value_of(body), true);
  if (auto* r = std::get_if<http::Response>(&s)) return respond(std::move(*r));
  engine::Subscriber sub = std::move(std::get<engine::Subscriber>(s));
  std::string where = sub.jurisdiction.empty() ? ctx.engine->options().node : sub.jurisdiction;
  if (!may(req, "alert.manage", where)) return respond(forbidden("alert.manage", where));
  bool generated = sub.secret.empty();
  if (generated) sub.secret = access::random_hex(32);
  std::string secret = sub.secret;
  auto responder = std::make_shared<http::Responder>(std::move(respond));
  ctx.engine->submit(engine::CreateSubscriber{std::move(sub)}, actor(req),
                     [responder, secret, generated](core::Result<engine::Outcome> r) {
                       if (!r) return (*responder)(http::status_response(r.status()));
                       json b = r->body;
                       if (generated) b["secret"] = secret;  // shown once
                       (*responder)(http::json_response(201, b));
                     });
}

void update_subscriber(ApiContext& ctx, http::Request& req, http::Responder respond, bool remove) {
  auto view = ctx.engine->view();
  const auto* cur = view->find_subscriber(id_param(req));
  if (!cur) return respond(not_found("subscriber", id_param(req)));
  if (cur->deleted) {  // removing twice is removing once
    if (remove) return respond(http::json_response(200, engine::to_public_json(*cur)));
    return respond(not_found("subscriber", id_param(req)));
  }
  engine::Subscriber s = *cur;
  if (remove) {
    s.deleted = true;
  } else {
    auto body = json_object_body(req);
    if (failed(body)) return respond(std::move(error_of(body)));
    const json& b = value_of(body);
    auto parsed = subscriber_from(b, false);
    if (auto* r = std::get_if<http::Response>(&parsed)) return respond(std::move(*r));
    const auto& p = std::get<engine::Subscriber>(parsed);
    if (b.contains("name")) s.name = p.name;
    if (b.contains("url")) s.url = p.url;
    s.secret = b.contains("secret") ? p.secret : "";
    if (b.contains("areas")) s.areas = p.areas;
    if (b.contains("categories")) s.categories = p.categories;
    if (b.contains("min_level")) s.min_level = p.min_level;
    if (b.contains("exercises")) s.exercises = p.exercises;
    if (b.contains("max_age_s")) s.max_age_s = p.max_age_s;
    if (b.contains("enabled")) s.enabled = p.enabled;
  }
  submit(ctx, req, engine::UpdateSubscriber{std::move(s)}, std::move(respond));
}

void list_deliveries(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {"state", "limit"})) return respond(std::move(*bad));
  auto view = ctx.engine->view();
  const auto* s = view->find_subscriber(id_param(req));
  if (!s) return respond(not_found("subscriber", id_param(req)));
  if (!ctx.list_deliveries) return respond(http::error_response(503, "unavailable", "webhook delivery is not running"));
  std::string state(req.query_param("state").value_or(""));
  if (!state.empty() && state != "pending" && state != "delivered" && state != "dead")
    return respond(bad_query("state", "pending, delivered or dead"));
  auto r = ctx.list_deliveries(s->id, state, 500);
  if (!r) return respond(http::status_response(r.status()));
  respond(http::json_response(200, {{"deliveries", std::move(*r)}}));
}

void retry_delivery(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (!ctx.retry_delivery) return respond(http::error_response(503, "unavailable", "webhook delivery is not running"));
  std::string id = id_param(req);  // the guard checked its subscriber's jurisdiction (scope "delivery")
  auto st = ctx.retry_delivery(id);
  if (!st.is_ok()) return respond(http::status_response(st));
  respond(http::json_response(200, {{"delivery_id", id}, {"state", "pending"}}));
}

// ---- Outside feeds.

std::variant<engine::FeedRecord, http::Response> feed_from(const json& body, bool creating) {
  Fields f(body);
  f.only({"jurisdiction", "name", "url", "interval_s", "open_incidents", "enabled"});
  engine::FeedRecord feed;
  if (creating) feed.jurisdiction = f.str("jurisdiction", false, 6).value_or("");
  feed.name = f.str("name", creating, 200).value_or("");
  feed.url = f.str("url", creating, 2000).value_or("");
  feed.interval_s = f.integer("interval_s", 10, 86400).value_or(60);
  feed.open_incidents = f.boolean("open_incidents").value_or(true);
  feed.enabled = f.boolean("enabled").value_or(true);
  if (!f.ok()) return f.take_error();
  return feed;
}

void list_feeds(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto view = ctx.engine->view();
  json items = json::array();
  for (size_t i = 0; i < view->feeds.size(); ++i) {
    const auto& f = view->feeds[i];
    if (f.deleted || !may(req, "alert.manage", f.jurisdiction)) continue;
    json j = engine::to_json(f);
    if (ctx.feed_status) j["status"] = ctx.feed_status(f.id);
    items.push_back(std::move(j));
  }
  respond(http::json_response(200, {{"feeds", std::move(items)}}));
}

void create_feed(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  auto f = feed_from(value_of(body), true);
  if (auto* r = std::get_if<http::Response>(&f)) return respond(std::move(*r));
  std::string where = std::get<engine::FeedRecord>(f).jurisdiction;
  if (where.empty()) where = ctx.engine->options().node;
  if (!may(req, "alert.manage", where)) return respond(forbidden("alert.manage", where));
  submit(ctx, req, engine::CreateFeed{std::move(std::get<engine::FeedRecord>(f))}, std::move(respond));
}

void update_feed(ApiContext& ctx, http::Request& req, http::Responder respond, bool remove) {
  auto view = ctx.engine->view();
  const auto* cur = view->find_feed(id_param(req));
  if (!cur) return respond(not_found("feed", id_param(req)));
  if (cur->deleted) {
    if (remove) return respond(http::json_response(200, engine::to_json(*cur)));
    return respond(not_found("feed", id_param(req)));
  }
  engine::FeedRecord feed = *cur;
  if (remove) {
    feed.deleted = true;
  } else {
    auto body = json_object_body(req);
    if (failed(body)) return respond(std::move(error_of(body)));
    const json& b = value_of(body);
    auto parsed = feed_from(b, false);
    if (auto* r = std::get_if<http::Response>(&parsed)) return respond(std::move(*r));
    const auto& p = std::get<engine::FeedRecord>(parsed);
    if (b.contains("name")) feed.name = p.name;
    if (b.contains("url")) feed.url = p.url;
    if (b.contains("interval_s")) feed.interval_s = p.interval_s;
    if (b.contains("open_incidents")) feed.open_incidents = p.open_incidents;
    if (b.contains("enabled")) feed.enabled = p.enabled;
  }
  submit(ctx, req, engine::UpdateFeed{std::move(feed)}, std::move(respond));
}

}  // namespace

void add_alert_routes(http::Router& r, ApiContext& ctx) {
  add(r, ctx, "GET", "/api/v1/alerts", list_alerts);
  add(r, ctx, "POST", "/api/v1/alerts", create_alert);
  add(r, ctx, "POST", "/api/v1/alerts/preview", preview_alert);
  add(r, ctx, "GET", "/api/v1/alerts/{id}", get_alert);
  add(r, ctx, "PATCH", "/api/v1/alerts/{id}", edit_alert);
  add(r, ctx, "POST", "/api/v1/alerts/{id}/submit", submit_alert);
  add(r, ctx, "POST", "/api/v1/alerts/{id}/approve",
      [](ApiContext& c, http::Request& q, http::Responder s) { review_alert(c, q, std::move(s), true); });
  add(r, ctx, "POST", "/api/v1/alerts/{id}/reject",
      [](ApiContext& c, http::Request& q, http::Responder s) { review_alert(c, q, std::move(s), false); });
  add(r, ctx, "GET", "/api/v1/cap/feed", cap_feed);
  add(r, ctx, "GET", "/api/v1/cap/alerts/{id}", cap_document);
  add_any_body(r, ctx, "POST", "/api/v1/cap/inbox", cap_inbox);  // CAP or EDXL-DE XML
  add(r, ctx, "GET", "/api/v1/alert-subscribers", list_subscribers);
  add(r, ctx, "POST", "/api/v1/alert-subscribers", create_subscriber);
  add(r, ctx, "PATCH", "/api/v1/alert-subscribers/{id}",
      [](ApiContext& c, http::Request& q, http::Responder s) { update_subscriber(c, q, std::move(s), false); });
  add(r, ctx, "DELETE", "/api/v1/alert-subscribers/{id}",
      [](ApiContext& c, http::Request& q, http::Responder s) { update_subscriber(c, q, std::move(s), true); });
  add(r, ctx, "GET", "/api/v1/alert-subscribers/{id}/deliveries", list_deliveries);
  add(r, ctx, "POST", "/api/v1/deliveries/{id}/retry", retry_delivery);
  add(r, ctx, "GET", "/api/v1/alert-feeds", list_feeds);
  add(r, ctx, "POST", "/api/v1/alert-feeds", create_feed);
  add(r, ctx, "PATCH", "/api/v1/alert-feeds/{id}",
      [](ApiContext& c, http::Request& q, http::Responder s) { update_feed(c, q, std::move(s), false); });
  add(r, ctx, "DELETE", "/api/v1/alert-feeds/{id}",
      [](ApiContext& c, http::Request& q, http::Responder s) { update_feed(c, q, std::move(s), true); });
}

}  // namespace liandong::api::internal
