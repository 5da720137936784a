#include "app/accounts.h"

#include "api/auth.h"
#include "core/ids.h"

namespace liandong::app {

using nlohmann::json;

core::Result<std::string> node_secret(store::SqliteStore& store) {
  auto have = store.get_meta("access_secret");
  if (!have) return have.status();
  if (have->has_value() && (*have)->size() >= 64) return **have;
  std::string secret = access::random_hex(32);
  LD_RETURN_IF_ERROR(store.put_meta("access_secret", secret));
  return secret;
}

core::Result<json> create_administrator(engine::Engine& engine, const std::string& name, const std::string& password,
                                        size_t min_length, access::PasswordCost cost, const engine::Actor& actor) {
  LD_RETURN_IF_ERROR(access::check_password_policy(password, name, min_length));
  auto hash = access::hash_password(password, cost);
  if (!hash) return hash.status();
  std::string node = engine.options().node;
  engine::CreatePerson c{name, "Administrator", "", node, {{"administrator", node, true, false}}, *hash};
  auto r = engine.execute(std::move(c), actor);
  if (!r) return r.status();
  return json{{"id", r->body["id"]}, {"name", r->body["name"]}, {"roles", r->body["roles"]}};
}

core::Result<json> create_api_key(engine::Engine& engine, const std::string& secret, const std::string& name,
                                  const std::string& role, const std::string& jurisdiction,
                                  const engine::Actor& actor) {
  std::string key_secret = access::random_token("", 32);
  engine::CreateKey c{name.empty() ? role + " key" : name, {role, jurisdiction, true, false},
                      access::keyed_hash(secret, key_secret)};
  auto r = engine.execute(std::move(c), actor);
  if (!r) return r.status();
  auto id = core::parse_id(r->body.value("id", std::string()));
  json out = r->body;
  out["key"] = api::Auth::key_token(id ? id->seq : 0, key_secret);
  return out;
}

}  // namespace liandong::app
