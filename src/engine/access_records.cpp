#include "engine/access_records.h"

#include "engine/internal/json_fields.h"

namespace liandong::engine {

using internal::guarded;
using internal::opt_time;
using internal::opt_time_at;
using internal::str_or;
using internal::time_at;
using nlohmann::json;

json to_json(const access::Grant& g) {
  return {{"role", g.role}, {"jurisdiction", g.jurisdiction}, {"subordinates", g.subordinates},
          {"agency_only", g.agency_only}};
}

core::Result<access::Grant> grant_from_json(const json& j, std::string_view field) {
  std::string f(field);
  if (!j.is_object()) return core::invalid("a role grant is an object {role, jurisdiction, subordinates?, agency_only?}", f);
  access::Grant g;
  auto role = j.find("role");
  auto jur = j.find("jurisdiction");
  if (role == j.end() || !role->is_string()) return core::invalid("a role grant needs 'role' (text)", f + ".role");
  if (jur == j.end() || !jur->is_string())
    return core::invalid("a role grant needs 'jurisdiction' (six digits)", f + ".jurisdiction");
  g.role = role->get<std::string>();
  g.jurisdiction = jur->get<std::string>();
  for (auto [key, out] : {std::pair{"subordinates", &g.subordinates}, std::pair{"agency_only", &g.agency_only}}) {
    auto it = j.find(key);
    if (it == j.end()) continue;
    if (!it->is_boolean()) return core::invalid(std::string("'") + key + "' must be true or false", f + "." + key);
    *out = it->get<bool>();
  }
  return g;
}

namespace {

json grants_json(const std::vector<access::Grant>& gs) {
  json out = json::array();
  for (const auto& g : gs) out.push_back(to_json(g));
  return out;
}

std::vector<access::Grant> grants_at(const json& j) {
  std::vector<access::Grant> out;
  for (const auto& item : j.at("roles")) {
    auto g = grant_from_json(item, "roles");
    if (!g) throw std::invalid_argument(g.status().message());
    out.push_back(*std::move(g));
  }
  return out;
}

}  // namespace

json to_public_json(const Person& p) {
  return {{"id", p.id},
          {"jurisdiction", p.jurisdiction},
          {"name", p.name},
          {"display_name", p.display_name},
          {"agency_id", p.agency_id},
          {"roles", grants_json(p.roles)},
          {"disabled", p.disabled},
          {"created_at", core::format_utc(p.created_at)},
          {"updated_at", core::format_utc(p.updated_at)}};
}

json to_json(const Person& p) {
  json j = to_public_json(p);
  j["password_hash"] = p.password_hash;
  j["version"] = p.version;
  return j;
}

core::Result<Person> person_from_json(const json& j) {
  return guarded("person", [&] {
    Person p;
    p.id = j.at("id").get<std::string>();
    p.jurisdiction = j.at("jurisdiction").get<std::string>();
    p.name = j.at("name").get<std::string>();
    p.display_name = str_or(j, "display_name");
    p.agency_id = str_or(j, "agency_id");
    p.roles = grants_at(j);
    p.password_hash = str_or(j, "password_hash");
    p.disabled = j.value("disabled", false);
    p.created_at = time_at(j, "created_at");
    p.updated_at = time_at(j, "updated_at");
    p.version = j.value("version", uint64_t{0});
    return p;
  });
}

json to_public_json(const ApiKey& k) {
  return {{"id", k.id},
          {"jurisdiction", k.jurisdiction},
          {"name", k.name},
          {"role", k.grant.role},
          {"grant", to_json(k.grant)},
          {"created_at", core::format_utc(k.created_at)},
          {"created_by", k.created_by},
          {"revoked", k.revoked_at.has_value()},
          {"revoked_at", opt_time(k.revoked_at)}};
}

json to_json(const ApiKey& k) {
  json j = to_public_json(k);
  j["key_hash"] = k.key_hash;
  return j;
}

core::Result<ApiKey> key_from_json(const json& j) {
  return guarded("key", [&] {
    ApiKey k;
    k.id = j.at("id").get<std::string>();
    k.jurisdiction = j.at("jurisdiction").get<std::string>();
    k.name = j.at("name").get<std::string>();
    auto g = grant_from_json(j.at("grant"), "grant");
    if (!g) throw std::invalid_argument(g.status().message());
    k.grant = *g;
    k.key_hash = j.at("key_hash").get<std::string>();
    k.created_at = time_at(j, "created_at");
    k.created_by = str_or(j, "created_by");
    k.revoked_at = opt_time_at(j, "revoked_at");
    return k;
  });
}

json to_public_json(const Session& s) {
  return {{"id", s.id},
          {"jurisdiction", s.jurisdiction},
          {"person_id", s.person_id},
          {"from", s.from},
          {"opened_at", core::format_utc(s.opened_at)},
          {"expires_at", core::format_utc(s.expires_at)},
          {"closed_at", opt_time(s.closed_at)},
          {"close_reason", s.close_reason}};
}

json to_json(const Session& s) {
  json j = to_public_json(s);
  j["token_hash"] = s.token_hash;
  return j;
}

core::Result<Session> session_from_json(const json& j) {
  return guarded("session", [&] {
    Session s;
    s.id = j.at("id").get<std::string>();
    s.jurisdiction = j.at("jurisdiction").get<std::string>();
    s.person_id = j.at("person_id").get<std::string>();
    s.token_hash = j.at("token_hash").get<std::string>();
    s.from = str_or(j, "from");
    s.opened_at = time_at(j, "opened_at");
    s.expires_at = time_at(j, "expires_at");
    s.closed_at = opt_time_at(j, "closed_at");
    s.close_reason = str_or(j, "close_reason");
    return s;
  });
}

}  // namespace liandong::engine
