// The access commands: people, API keys, sessions, and the audit records of refusals and reveals.
#include "core/ids.h"
#include "engine/internal/handlers.h"

namespace liandong::engine::internal {

using nlohmann::json;

namespace {

core::Status check_name(std::string_view name) {
  if (name.size() < 2 || name.size() > 64)
    return core::invalid("a sign-in name has 2 to 64 characters", "name");
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '@';
    if (!ok)
      return core::invalid("a sign-in name uses lower-case letters, digits and . _ - @ only (got '" +
                               std::string(name) + "')",
                           "name");
  }
  return core::Status::ok();
}

core::Status check_grants(const Tx& tx, const std::vector<access::Grant>& grants) {
  for (size_t i = 0; i < grants.size(); ++i) {
    std::string field = "roles[" + std::to_string(i) + "]";
    auto st = access::validate_grant(grants[i], *tx.rules().roles);
    if (!st.is_ok()) return core::invalid(st.message(), field + "." + st.field());
    auto within = check_jurisdiction(tx, grants[i].jurisdiction);
    if (!within.is_ok()) return core::invalid(within.message(), field + ".jurisdiction");
  }
  return core::Status::ok();
}

core::Status check_agency(const Tx& tx, const std::string& agency_id) {
  if (!agency_id.empty() && !tx.view().find_agency(agency_id))
    return core::invalid("no agency " + agency_id + " on this node", "agency_id");
  return core::Status::ok();
}

core::Result<const Person*> get_person(const Tx& tx, const std::string& id) {
  const Person* p = tx.view().find_person(id);
  if (!p) return core::not_found("no person " + id + " on this node");
  return p;
}

// Closes the person's live sessions except `keep`.
core::Status close_sessions(Tx& tx, const Person& p, std::string_view keep, std::string_view reason) {
  std::vector<std::string> ids;
  const auto& sessions = tx.view().sessions;
  for (size_t i = 0; i < sessions.size(); ++i) {
    const Session& s = sessions[i];
    if (s.person_id == p.id && s.id != keep && s.live(tx.now())) ids.push_back(s.id);
  }
  for (const auto& id : ids)
    LD_RETURN_IF_ERROR(
        tx.emit("session.closed", p.jurisdiction, {{"session_id", id}, {"reason", std::string(reason)}}));
  return core::Status::ok();
}

}  // namespace

core::Result<Outcome> handle_access(Tx& tx, const CreatePerson& c) {
  LD_RETURN_IF_ERROR(check_name(c.name));
  if (tx.view().find_person_by_name(c.name)) return core::conflict("the name '" + c.name + "' is taken", "name");
  LD_RETURN_IF_ERROR(check_jurisdiction(tx, c.jurisdiction));
  LD_RETURN_IF_ERROR(check_agency(tx, c.agency_id));
  LD_RETURN_IF_ERROR(check_grants(tx, c.roles));
  if (c.password_hash.rfind("$argon2id$", 0) != 0)
    return core::invalid("a person needs a password (stored as an Argon2id hash)", "password");
  if (c.display_name.size() > 200) return core::invalid("display_name is longer than 200 bytes", "display_name");
  Person p;
  p.id = next_id(tx, core::kKindPerson, tx.view().people.size());
  p.jurisdiction = c.jurisdiction;
  p.name = c.name;
  p.display_name = c.display_name.empty() ? c.name : c.display_name;
  p.agency_id = c.agency_id;
  p.roles = c.roles;
  p.password_hash = c.password_hash;
  p.created_at = p.updated_at = tx.now();
  LD_RETURN_IF_ERROR(tx.emit("person.created", p.jurisdiction, {{"person", to_json(p)}}));
  return Outcome{to_public_json(*tx.view().find_person(p.id)), true};
}

core::Result<Outcome> handle_access(Tx& tx, const UpdatePerson& c) {
  auto p = get_person(tx, c.person_id);
  if (!p) return p.status();
  json changes = json::object();
  if (c.display_name) {
    if (c.display_name->empty() || c.display_name->size() > 200)
      return core::invalid("display_name has 1 to 200 bytes", "display_name");
    changes["display_name"] = *c.display_name;
  }
  if (c.agency_id) {
    LD_RETURN_IF_ERROR(check_agency(tx, *c.agency_id));
    changes["agency_id"] = *c.agency_id;
  }
  if (c.roles) {
    LD_RETURN_IF_ERROR(check_grants(tx, *c.roles));
    json roles = json::array();
    for (const auto& g : *c.roles) roles.push_back(to_json(g));
    changes["roles"] = std::move(roles);
  }
  if (changes.empty()) return core::invalid("nothing to change (display_name, agency_id, roles)");
  LD_RETURN_IF_ERROR(tx.emit("person.updated", (*p)->jurisdiction, {{"person_id", c.person_id}, {"changes", changes}}));
  return Outcome{to_public_json(*tx.view().find_person(c.person_id)), false};
}

core::Result<Outcome> handle_access(Tx& tx, const SetPassword& c) {
  auto p = get_person(tx, c.person_id);
  if (!p) return p.status();
  if (c.password_hash.rfind("$argon2id$", 0) != 0) return core::invalid("the password hash is not Argon2id", "password");
  if (c.reason != "changed" && c.reason != "reset") return core::invalid("reason is changed or reset", "reason");
  Person person = **p;
  LD_RETURN_IF_ERROR(tx.emit("person.password_set", person.jurisdiction,
                             {{"person_id", person.id}, {"password_hash", c.password_hash}, {"reason", c.reason}}));
  LD_RETURN_IF_ERROR(close_sessions(tx, person, c.keep_session_id, "password_" + c.reason));
  return Outcome{to_public_json(*tx.view().find_person(person.id)), false};
}

core::Result<Outcome> handle_access(Tx& tx, const SetPersonDisabled& c) {
  auto p = get_person(tx, c.person_id);
  if (!p) return p.status();
  Person person = **p;
  if (person.disabled != c.disabled) {
    LD_RETURN_IF_ERROR(tx.emit(c.disabled ? "person.disabled" : "person.enabled", person.jurisdiction,
                               {{"person_id", person.id}}));
    if (c.disabled) LD_RETURN_IF_ERROR(close_sessions(tx, person, "", "disabled"));
  }
  return Outcome{to_public_json(*tx.view().find_person(person.id)), false};
}

core::Result<Outcome> handle_access(Tx& tx, const CreateKey& c) {
  if (c.name.empty() || c.name.size() > 100) return core::invalid("a key needs a name of 1 to 100 bytes", "name");
  auto st = access::validate_grant(c.grant, *tx.rules().roles);
  if (!st.is_ok()) return core::invalid(st.message(), st.field());
  LD_RETURN_IF_ERROR(check_jurisdiction(tx, c.grant.jurisdiction));
  if (c.key_hash.size() != 64) return core::invalid("the key hash is not a 256-bit hex digest", "key_hash");
  ApiKey k;
  k.id = next_id(tx, core::kKindKey, tx.view().keys.size());
  k.jurisdiction = c.grant.jurisdiction;
  k.name = c.name;
  k.grant = c.grant;
  k.key_hash = c.key_hash;
  k.created_at = tx.now();
  k.created_by = tx.by();
  LD_RETURN_IF_ERROR(tx.emit("key.created", k.jurisdiction, {{"key", to_json(k)}}));
  return Outcome{to_public_json(k), true};
}

core::Result<Outcome> handle_access(Tx& tx, const RevokeKey& c) {
  const ApiKey* k = tx.view().find_key(c.key_id);
  if (!k) return core::not_found("no API key " + c.key_id + " on this node");
  if (!k->revoked_at) LD_RETURN_IF_ERROR(tx.emit("key.revoked", k->jurisdiction, {{"key_id", k->id}}));
  return Outcome{to_public_json(*tx.view().find_key(c.key_id)), false};
}

core::Result<Outcome> handle_access(Tx& tx, const OpenSession& c) {
  auto p = get_person(tx, c.person_id);
  if (!p) return p.status();
  if ((*p)->disabled) return core::Status(core::Code::kUnauthenticated, "the account is disabled");
  if (c.token_hash.size() != 64) return core::invalid("the token hash is not a 256-bit hex digest", "token_hash");
  if (c.expires_at <= tx.now()) return core::invalid("a session must expire in the future", "expires_at");
  Session s;
  s.id = next_id(tx, core::kKindSession, tx.view().sessions.size());
  s.jurisdiction = (*p)->jurisdiction;
  s.person_id = (*p)->id;
  s.token_hash = c.token_hash;
  s.opened_at = tx.now();
  s.expires_at = c.expires_at;
  LD_RETURN_IF_ERROR(tx.emit("session.opened", s.jurisdiction, {{"session", to_json(s)}}));
  return Outcome{to_public_json(*tx.view().find_session(s.id)), true};
}

core::Result<Outcome> handle_access(Tx& tx, const CloseSession& c) {
  const Session* s = tx.view().find_session(c.session_id);
  if (!s) return core::not_found("no session " + c.session_id + " on this node");
  if (c.reason != "signed_out" && c.reason != "revoked") return core::invalid("reason is signed_out or revoked", "reason");
  if (!s->closed_at)
    LD_RETURN_IF_ERROR(tx.emit("session.closed", s->jurisdiction, {{"session_id", s->id}, {"reason", c.reason}}));
  return Outcome{to_public_json(*tx.view().find_session(c.session_id)), false};
}

core::Result<Outcome> handle_access(Tx& tx, const RecordRefusal& c) {
  LD_RETURN_IF_ERROR(tx.emit("access.refused", c.jurisdiction.empty() ? tx.rules().node : c.jurisdiction,
                             {{"method", c.method}, {"route", c.route}, {"permission", c.permission}, {"code", c.code}}));
  return Outcome{json::object(), false};
}

core::Result<Outcome> handle_access(Tx& tx, const RecordReveal& c) {
  json fields = json::array();
  for (const auto& f : c.fields) fields.push_back(f);
  LD_RETURN_IF_ERROR(tx.emit("personal.revealed", c.jurisdiction.empty() ? tx.rules().node : c.jurisdiction,
                             {{"record_id", c.record_id}, {"fields", std::move(fields)}}));
  return Outcome{json::object(), false};
}

}  // namespace liandong::engine::internal
