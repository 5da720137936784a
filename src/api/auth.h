// Auth: who is calling, and whether they may (issue "Access and audit").
//
// Credentials: `Authorization: Bearer TOKEN` (a session token "lds_N.SECRET" or an API key
// "ldk_N.SECRET") or the console's HttpOnly cookie `ld_session` (same token). The node stores only
// keyed hashes of the SECRET part (access::keyed_hash with the node secret); N is the session's or
// key's id sequence, so lookup is one index into the view. Unsafe requests (POST, PUT, PATCH,
// DELETE) authenticated by the cookie must carry `X-CSRF-Token` (derived from the token; given in
// the session answers), or get 403 csrf_failed.
//
// The router guard, for each matched route: identifies the caller (bad, expired or revoked
// credentials → 401 unauthenticated; none → anonymous), refuses anonymous callers of non-public
// routes (401), applies the per-principal request rate (429 + Retry-After), checks CSRF, the
// route's permission (403 forbidden) and, for routes whose {id} names a record, that the
// permission covers the record's jurisdiction (403, or 404 when the caller may not even see the
// record, exactly as for a record that does not exist). Refusals of signed-in callers are
// journaled (access.refused); refusals of anonymous callers are counted in
// liandong_access_refused_total{reason} and logged at most once a second.
//
// Thread-safety: all members are thread-safe. The engine and clock must outlive the Auth.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "access/backoff.h"
#include "access/principal.h"
#include "access/rate_limit.h"
#include "access/secrets.h"
#include "api/http/router.h"
#include "api/http/stream_hub.h"
#include "engine/engine.h"
#include "metrics/registry.h"

namespace liandong::api {

struct AccessOptions {
  std::string secret;  // the node's secret (DIR/liandong.yaml never holds it; see app/Node)
  core::Millis session_ttl{12 * 3600 * 1000};
  size_t password_min_length = 10;
  access::PasswordCost password_cost = access::PasswordCost::interactive();
  double principal_per_second = 50;  // per person or key; <= 0: no limit
  double principal_burst = 200;
  access::BackoffOptions backoff;
  bool secure_cookies = false;  // add Secure to cookies (with TLS)
};

inline constexpr const char* kSessionCookie = "ld_session";
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";

struct Caller {
  std::shared_ptr<const access::Principal> principal;  // never null (anonymous when nobody)
  std::string session_id;   // when signed in with a session
  bool via_cookie = false;
  std::string csrf_token;   // for session callers
  core::Timestamp expires_at{};
};

class Auth {
 public:
  Auth(AccessOptions options, engine::Engine& engine, const core::Clock& clock, metrics::Registry& registry);
  ~Auth();
  Auth(const Auth&) = delete;
  Auth& operator=(const Auth&) = delete;

  // Who sent `req`. No credentials: anonymous. Credentials that do not check out: kUnauthenticated.
  // The CSRF token is derived for cookie callers, and for any session caller when `want_csrf`.
  core::Result<Caller> identify(const http::Request& req, bool want_csrf = false) const;

  // The router guard (see above). Sets req.principal and req.session_id when it lets a request on.
  bool guard(http::Request& req, const http::RouteInfo& info, http::Responder& respond);

  // For StreamHub::set_authorize: signed-in callers only; each event is let through when the
  // caller's permission for the event's topic covers the event's jurisdiction.
  core::Result<http::EventFilter> stream_filter(const http::Request& req) const;

  // POST /api/v1/session: back-off, password check (on a worker thread: Argon2id takes tens of
  // milliseconds), then a session.opened event; answers 201 with the session (and cookies).
  void sign_in(const http::Request& req, std::string name, std::string password, bool cookie,
               http::Responder respond);

  // The session answer body: {expires_at, csrf_token, principal}.
  nlohmann::json session_json(const Caller& caller) const;
  static nlohmann::json principal_json(const access::Principal& p, const engine::View& view);

  // Set-Cookie values that clear the session cookie.
  std::string clear_cookie() const;

  // Policy check and Argon2id hash, on the calling thread.
  core::Result<std::string> hash_password(std::string_view password, std::string_view name) const;
  // A new API key's secret part and the hash to store of it; the key itself is
  // key_token(sequence of the key's id, secret), shown once.
  std::pair<std::string, std::string> new_key_secret() const;
  static std::string key_token(uint64_t key_seq, std::string_view secret);
  bool verify_password(std::string_view hash, std::string_view password) const;

  // Journals a refusal of a signed-in caller (fire and forget).
  void record_refusal(const http::Request& req, const access::Principal& p, std::string_view permission,
                      std::string_view code);

  const AccessOptions& options() const { return options_; }

 private:
  struct Impl;
  std::shared_ptr<const access::Principal> principal_for_person(const engine::Person& p) const;
  std::shared_ptr<const access::Principal> principal_for_key(const engine::ApiKey& k) const;
  void refuse_anonymous(const http::Request& req, std::string_view reason) const;

  AccessOptions options_;
  access::KeyedHasher hasher_;  // keyed with options_.secret
  engine::Engine& engine_;
  const core::Clock& clock_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace liandong::api
