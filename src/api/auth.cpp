#include "api/auth.h"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <charconv>
#include <mutex>
#include <unordered_map>

#include "api/route_table.h"
#include "core/ids.h"
#include "core/log.h"

namespace liandong::api {

using nlohmann::json;

namespace {

constexpr std::string_view kSessionPrefix = "lds_";
constexpr std::string_view kKeyPrefix = "ldk_";

bool unsafe_method(std::string_view m) { return m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE"; }

// The value of cookie `name` in a Cookie header, or "".
std::string_view cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    auto semi = header.find(';');
    auto part = header.substr(0, semi);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=')
      return part.substr(name.size() + 1);
    if (semi == std::string_view::npos) break;
    header.remove_prefix(semi + 1);
  }
  return {};
}

struct Token {
  bool key = false;
  uint64_t seq = 0;
  std::string_view secret;
};

std::optional<Token> parse_token(std::string_view t) {
  Token out;
  if (t.starts_with(kSessionPrefix)) out.key = false;
  else if (t.starts_with(kKeyPrefix)) out.key = true;
  else return std::nullopt;
  t.remove_prefix(4);
  auto dot = t.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 12) return std::nullopt;
  auto [p, ec] = std::from_chars(t.data(), t.data() + dot, out.seq);
  if (ec != std::errc() || p != t.data() + dot || out.seq == 0) return std::nullopt;
  out.secret = t.substr(dot + 1);
  if (out.secret.size() < 16 || out.secret.size() > 128) return std::nullopt;
  return out;
}

core::Status unauthenticated(std::string msg) { return {core::Code::kUnauthenticated, std::move(msg)}; }

}  // namespace

struct Auth::Impl {
  Impl(const AccessOptions& o, const core::Clock& clock, metrics::Registry& registry)
      : limiter(o.principal_per_second, o.principal_burst, clock),
        backoff(o.backoff, clock),
        log_limiter(1, 5, clock),
        refused(registry.counter("liandong_access_refused_total",
                                 "Requests refused by access control, by reason (anonymous: not journaled).",
                                 {"reason"})),
        sign_ins(registry.counter("liandong_sign_ins_total", "Sign-in attempts by result.", {"result"})),
        workers(2) {}

  access::RateLimiter limiter;
  access::Backoff backoff;
  access::RateLimiter log_limiter;
  std::atomic<uint64_t> suppressed_logs{0};
  metrics::CounterFamily* refused;
  metrics::CounterFamily* sign_ins;
  boost::asio::thread_pool workers;

  struct Cached {
    uint64_t version;
    std::shared_ptr<const access::Principal> principal;
  };
  mutable std::mutex mu;
  mutable std::unordered_map<std::string, Cached> cache;  // person or key id → principal
};

Auth::Auth(AccessOptions options, engine::Engine& engine, const core::Clock& clock, metrics::Registry& registry)
    : options_(std::move(options)), hasher_(options_.secret), engine_(engine), clock_(clock),
      impl_(std::make_unique<Impl>(options_, clock, registry)) {}

Auth::~Auth() { impl_->workers.join(); }

std::shared_ptr<const access::Principal> Auth::principal_for_person(const engine::Person& p) const {
  std::lock_guard lk(impl_->mu);
  auto& slot = impl_->cache[p.id];
  if (!slot.principal || slot.version != p.version) {
    slot.principal = std::make_shared<const access::Principal>(access::Kind::kPerson, p.id, p.name, p.agency_id,
                                                               p.jurisdiction, p.roles, engine_.roles());
    slot.version = p.version;
  }
  return slot.principal;
}

std::shared_ptr<const access::Principal> Auth::principal_for_key(const engine::ApiKey& k) const {
  std::lock_guard lk(impl_->mu);
  auto& slot = impl_->cache[k.id];
  if (!slot.principal)
    slot.principal = std::make_shared<const access::Principal>(access::Kind::kKey, k.id, k.name, "", k.jurisdiction,
                                                               std::vector<access::Grant>{k.grant}, engine_.roles());
  return slot.principal;
}

core::Result<Caller> Auth::identify(const http::Request& req, bool want_csrf) const {
  static const auto kNobody = std::make_shared<const access::Principal>();
  std::string_view token;
  bool via_cookie = false;
  std::string auth_header, cookie_header;
  if (auto a = req.header("Authorization")) {
    auth_header = std::move(*a);
    std::string_view v = auth_header;
    if (!v.starts_with("Bearer ")) return unauthenticated("Authorization must be 'Bearer TOKEN'");
    token = v.substr(7);
  } else if (auto c = req.header("Cookie")) {
    cookie_header = std::move(*c);
    token = cookie_value(cookie_header, kSessionCookie);
    via_cookie = !token.empty();
  }
  Caller caller;
  caller.principal = kNobody;
  if (token.empty()) return caller;
  auto t = parse_token(token);
  if (!t) return unauthenticated("the token is not a Liandong session token or API key");
  auto view = engine_.view();
  std::string hash = hasher_.hash(t->secret);
  if (t->key) {
    const engine::ApiKey* k = view->find_key(core::format_id(view->node, core::kKindKey, t->seq));
    if (!k || !access::constant_time_equal(k->key_hash, hash)) return unauthenticated("unknown API key");
    if (k->revoked_at) return unauthenticated("the API key was revoked");
    caller.principal = principal_for_key(*k);
    return caller;
  }
  const engine::Session* s = view->find_session(core::format_id(view->node, core::kKindSession, t->seq));
  if (!s || !access::constant_time_equal(s->token_hash, hash)) return unauthenticated("unknown session; sign in again");
  if (!s->live(clock_.now())) return unauthenticated("the session has ended (" + (s->closed_at ? s->close_reason : std::string("expired")) + "); sign in again");
  const engine::Person* p = view->find_person(s->person_id);
  if (!p || p->disabled) return unauthenticated("the account is disabled");
  caller.principal = principal_for_person(*p);
  caller.session_id = s->id;
  caller.via_cookie = via_cookie;
  // Only cookie callers need it (and the session answers, which ask for it).
  if (via_cookie || want_csrf)
    caller.csrf_token = hasher_.hash(std::string("csrf:") + std::string(t->secret));
  caller.expires_at = s->expires_at;
  return caller;
}

void Auth::refuse_anonymous(const http::Request& req, std::string_view reason) const {
  impl_->refused->with({std::string(reason)})->inc();
  if (impl_->log_limiter.take("log")) {
    uint64_t skipped = impl_->suppressed_logs.exchange(0);
    core::log::warn("refused an anonymous request",
                    {{"reason", std::string(reason)}, {"method", req.method}, {"path", req.path},
                     {"from", req.remote}, {"suppressed_since_last", std::to_string(skipped)}});
  } else {
    impl_->suppressed_logs.fetch_add(1);
  }
}

void Auth::record_refusal(const http::Request& req, const access::Principal& p, std::string_view permission,
                          std::string_view code) {
  impl_->refused->with({std::string(code)})->inc();
  engine_.submit(engine::RecordRefusal{p.jurisdiction(), req.method, req.route.empty() ? req.path : req.route,
                                       std::string(permission), std::string(code)},
                 engine::Actor(p.id(), req.remote), [](core::Result<engine::Outcome>) {});
}

namespace {

// The jurisdiction (and owning agency) of the record a route's {id} names, or nullopt when there
// is no such record (the handler then answers 404 itself).
struct RecordScope {
  std::string jurisdiction;
  std::string agency_id;
};

std::optional<RecordScope> record_scope(const engine::View& v, std::string_view scope, std::string_view id) {
  if (scope == "incident") {
    if (auto* r = v.find_incident(id)) return RecordScope{r->jurisdiction, {}};
  } else if (scope == "alarm") {
    if (auto* r = v.find_alarm(id)) return RecordScope{r->jurisdiction, {}};
  } else if (scope == "unit") {
    if (auto* r = v.find_unit(id)) return RecordScope{r->jurisdiction, r->agency_id};
  } else if (scope == "plan") {
    if (auto* r = v.find_plan(id)) return RecordScope{r->jurisdiction, {}};
  } else if (scope == "activation") {
    if (auto* r = v.find_activation(id)) return RecordScope{r->jurisdiction, {}};
  } else if (scope == "task") {
    if (auto* r = v.find_task(id)) return RecordScope{r->jurisdiction, r->agency_id};
  } else if (scope == "monitoring_station") {
    if (auto* r = v.find_monitoring_station(id)) return RecordScope{r->jurisdiction, {}};
  } else if (scope == "warning") {
    if (auto* r = v.find_warning(id)) return RecordScope{r->jurisdiction, {}};
  } else if (scope == "fence") {
    if (auto* r = v.find_fence(id)) return RecordScope{r->jurisdiction, {}};
  } else if (scope == "alert") {
    if (auto* r = v.find_alert(id)) return RecordScope{r->jurisdiction, {}};
  } else if (scope == "report") {
    if (auto* r = v.find_report(id)) return RecordScope{r->jurisdiction, {}};
  } else if (scope == "subscriber") {
    if (auto* r = v.find_subscriber(id)) return RecordScope{r->jurisdiction, {}};
  } else if (scope == "feed") {
    if (auto* r = v.find_feed(id)) return RecordScope{r->jurisdiction, {}};
  } else if (scope == "delivery") {
    // "{subscriber id}.{seq}": the subscriber's.
    auto dot = id.rfind('.');
    if (auto* r = dot == std::string_view::npos ? nullptr : v.find_subscriber(id.substr(0, dot)))
      return RecordScope{r->jurisdiction, {}};
  } else if (scope == "person") {
    if (auto* r = v.find_person(id)) return RecordScope{r->jurisdiction, r->agency_id};
  } else if (scope == "key") {
    if (auto* r = v.find_key(id)) return RecordScope{r->jurisdiction, {}};
  } else if (scope == "session") {
    if (auto* r = v.find_session(id)) return RecordScope{r->jurisdiction, {}};
  }
  return std::nullopt;
}

std::string not_found_message(std::string_view scope, std::string_view id) {
  std::string kind = scope == "key" ? "API key" : std::string(scope);
  return "no " + kind + " " + std::string(id) + " on this node";
}

}  // namespace

bool Auth::guard(http::Request& req, const http::RouteInfo& info, http::Responder& respond) {
  auto caller = identify(req);
  if (info.is_public) {
    if (caller) {
      req.principal = caller->principal;
      req.session_id = caller->session_id;
    }
    return true;
  }
  if (!caller) {
    refuse_anonymous(req, "bad_credentials");
    respond(http::error_response(401, "unauthenticated", caller.status().message()));
    return false;
  }
  const access::Principal& p = *caller->principal;
  if (!p.signed_in()) {
    refuse_anonymous(req, "anonymous");
    respond(http::error_response(401, "unauthenticated", "sign in first (POST /api/v1/session) or send an API key"));
    return false;
  }
  if (auto d = impl_->limiter.take(p.id()); !d) {
    impl_->refused->with({"rate_limited"})->inc();
    respond(http::error_response(429, "rate_limited", "too many requests from " + p.id() + "; slow down")
                .with_header("Retry-After", std::to_string(d.retry_after_seconds())));
    return false;
  }
  if (caller->via_cookie && unsafe_method(req.method)) {
    auto sent = req.header(kCsrfHeader);
    if (!sent || !access::constant_time_equal(*sent, caller->csrf_token)) {
      record_refusal(req, p, info.permission, "csrf_failed");
      respond(http::error_response(403, "csrf_failed",
                                   "a change made with the session cookie needs the X-CSRF-Token header"));
      return false;
    }
  }
  if (!p.may_somewhere(info.permission)) {
    record_refusal(req, p, info.permission, "forbidden");
    respond(http::error_response(403, "forbidden", "this needs permission '" + info.permission + "'"));
    return false;
  }
  if (!info.scope.empty()) {
    if (auto id = req.param("id")) {
      auto view = engine_.view();
      if (auto rs = record_scope(*view, info.scope, *id)) {
        access::Scope scope{rs->jurisdiction, rs->agency_id};
        if (!p.may(info.permission, scope)) {
          bool visible = p.may(read_permission(info.scope), scope);
          record_refusal(req, p, info.permission, visible ? "forbidden" : "not_visible");
          if (visible)
            respond(http::error_response(403, "forbidden",
                                         "this needs permission '" + info.permission + "' in " + rs->jurisdiction));
          else
            respond(http::error_response(404, "not_found", not_found_message(info.scope, *id)));
          return false;
        }
      }
    }
  }
  req.principal = caller->principal;
  req.session_id = caller->session_id;
  return true;
}

core::Result<http::EventFilter> Auth::stream_filter(const http::Request& req) const {
  auto caller = identify(req);
  if (!caller) {
    refuse_anonymous(req, "bad_credentials");
    return caller.status();
  }
  if (!caller->principal->signed_in()) {
    refuse_anonymous(req, "anonymous");
    return unauthenticated("sign in before opening the stream");
  }
  // A cookie-authenticated stream must come from this node's own pages (cross-site WebSocket
  // hijacking): the Origin's host must be the Host.
  if (caller->via_cookie) {
    auto origin = req.header("Origin");
    auto host = req.header("Host");
    if (origin && host) {
      std::string_view o = *origin;
      auto scheme = o.find("://");
      if (scheme != std::string_view::npos) o.remove_prefix(scheme + 3);
      if (o != *host) return core::Status(core::Code::kPermissionDenied, "the stream's Origin is not this node");
    }
  }
  return http::EventFilter([p = caller->principal](const engine::Event& e) {
    if (e.type == http::kPermissionProbe) return p->may(e.data.value("permission", ""), {e.jurisdiction});
    auto perm = topic_permission(engine::topic_of(e.type));
    return !perm.empty() && p->may(perm, {e.jurisdiction});
  });
}

json Auth::principal_json(const access::Principal& p, const engine::View& view) {
  json roles = json::array();
  for (const auto& g : p.grants())
    roles.push_back({{"role", g.role}, {"jurisdiction", g.jurisdiction}, {"subordinates", g.subordinates},
                     {"agency_only", g.agency_only}});
  json j = {{"kind", access::kind_name(p.kind())}, {"id", p.id()},          {"name", p.name()},
            {"agency_id", p.agency_id()},          {"jurisdiction", p.jurisdiction()}, {"roles", roles},
            {"permissions", p.permissions()}};
  if (const auto* person = view.find_person(p.id())) j["display_name"] = person->display_name;
  else j["display_name"] = p.name();
  return j;
}

json Auth::session_json(const Caller& c) const {
  return {{"expires_at", core::format_utc(c.expires_at)},
          {"csrf_token", c.csrf_token},
          {"session_id", c.session_id},
          {"principal", principal_json(*c.principal, *engine_.view())}};
}

std::string Auth::clear_cookie() const {
  return std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
         (options_.secure_cookies ? "; Secure" : "");
}

core::Result<std::string> Auth::hash_password(std::string_view password, std::string_view name) const {
  LD_RETURN_IF_ERROR(access::check_password_policy(password, name, options_.password_min_length));
  return access::hash_password(password, options_.password_cost);
}

bool Auth::verify_password(std::string_view hash, std::string_view password) const {
  return access::verify_password(hash, password);
}

std::pair<std::string, std::string> Auth::new_key_secret() const {
  std::string secret = access::random_token("", 32);
  std::string hash = hasher_.hash(secret);
  return {std::move(secret), std::move(hash)};
}

std::string Auth::key_token(uint64_t key_seq, std::string_view secret) {
  return std::string(kKeyPrefix) + std::to_string(key_seq) + "." + std::string(secret);
}

void Auth::sign_in(const http::Request& req, std::string name, std::string password, bool cookie,
                   http::Responder respond) {
  std::string remote = req.remote;
  if (auto wait = impl_->backoff.wait_before(remote, name); wait.count() > 0) {
    impl_->sign_ins->with({"slowed"})->inc();
    auto secs = (wait.count() + 999) / 1000;
    return respond(http::error_response(429, "slow_down",
                                        "too many failed sign-ins from here or for this name; try again in " +
                                            std::to_string(secs) + " s")
                       .with_header("Retry-After", std::to_string(secs)));
  }
  auto shared = std::make_shared<http::Responder>(std::move(respond));
  boost::asio::post(impl_->workers, [this, remote, name = std::move(name), password = std::move(password), cookie,
                                     shared]() mutable {
    auto view = engine_.view();
    const engine::Person* p = view->find_person_by_name(name);
    // Unknown names cost the same as wrong passwords, so that timing does not tell which.
    static const std::string kDummy = *access::hash_password("liandong-dummy-password", options_.password_cost);
    bool ok = access::verify_password(p ? p->password_hash : kDummy, password);
    access::wipe(password);
    if (!p || !ok || p->disabled) {
      impl_->backoff.failed(remote, name);
      impl_->sign_ins->with({"failed"})->inc();
      core::log::info("sign-in failed", {{"from", remote}});
      return (*shared)(http::error_response(401, "sign_in_failed", "the name or password is wrong, or the account is disabled"));
    }
    impl_->backoff.succeeded(remote, name);
    std::string secret = access::random_token("", 32);
    engine::OpenSession cmd{p->id, hasher_.hash(secret), clock_.now() + options_.session_ttl};
    engine_.submit(std::move(cmd), engine::Actor(p->id, remote),
                   [this, shared, secret, cookie](core::Result<engine::Outcome> r) {
                     if (!r) return (*shared)(http::status_response(r.status()));
                     impl_->sign_ins->with({"ok"})->inc();
                     auto id = core::parse_id(r->body.value("id", std::string()));
                     std::string full = std::string(kSessionPrefix) + std::to_string(id ? id->seq : 0) + "." + secret;
                     http::Request probe;
                     probe.headers.emplace_back("Authorization", "Bearer " + full);
                     auto caller = identify(probe, true);
                     if (!caller) return (*shared)(http::status_response(caller.status()));
                     json body = session_json(*caller);
                     auto res = http::json_response(201, body);
                     if (cookie) {
                       res.with_header("Set-Cookie", std::string(kSessionCookie) + "=" + full +
                                                         "; Path=/; HttpOnly; SameSite=Strict" +
                                                         (options_.secure_cookies ? "; Secure" : ""));
                     } else {
                       body["token"] = full;
                       res = http::json_response(201, body);
                     }
                     (*shared)(std::move(res));
                   });
  });
}

}  // namespace liandong::api
