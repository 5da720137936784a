// The access records of the live state: people, API keys and sign-in sessions (issue "Access and
// audit"). Journaled like every other record, so that who may do what is recovered, replicated and
// audited with the rest of the state.
//
// Secrets: a person's password is kept only as an Argon2id string, a key and a session token only
// as a keyed hash (access/secrets.h). These `*_hash` fields are in the journal and snapshots but
// never in an API answer or a stream frame (to_public_json, and engine/event.h's redaction).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "access/principal.h"
#include "core/status.h"
#include "core/time.h"

namespace liandong::engine {

struct Person {
  std::string id;            // {node}-USR-{n}
  std::string jurisdiction;  // where the person works (six digits)
  std::string name;          // sign-in name, unique on the node
  std::string display_name;
  std::string agency_id;     // may be empty (e.g. the first administrator)
  std::vector<access::Grant> roles;
  std::string password_hash;
  bool disabled = false;
  core::Timestamp created_at{};
  core::Timestamp updated_at{};
  uint64_t version = 0;  // seq of the last event that changed the person (principal caches)
};

struct ApiKey {
  std::string id;  // {node}-KEY-{n}
  std::string jurisdiction;
  std::string name;
  access::Grant grant;  // role and scope
  std::string key_hash;
  core::Timestamp created_at{};
  std::optional<core::Timestamp> revoked_at;
  std::string created_by;
};

struct Session {
  std::string id;  // {node}-SES-{n}
  std::string jurisdiction;
  std::string person_id;
  std::string token_hash;
  std::string from;  // address signed in from
  core::Timestamp opened_at{};
  core::Timestamp expires_at{};
  std::optional<core::Timestamp> closed_at;
  std::string close_reason;  // signed_out | revoked | password_changed | disabled

  bool live(core::Timestamp now) const { return !closed_at && now < expires_at; }
};

nlohmann::json to_json(const access::Grant& g);
core::Result<access::Grant> grant_from_json(const nlohmann::json& j, std::string_view field);

// Full form (journal, snapshot), secrets included.
nlohmann::json to_json(const Person& p);
nlohmann::json to_json(const ApiKey& k);
nlohmann::json to_json(const Session& s);
core::Result<Person> person_from_json(const nlohmann::json& j);
core::Result<ApiKey> key_from_json(const nlohmann::json& j);
core::Result<Session> session_from_json(const nlohmann::json& j);

// API form: the same without the secret hashes.
nlohmann::json to_public_json(const Person& p);
nlohmann::json to_public_json(const ApiKey& k);
nlohmann::json to_public_json(const Session& s);

}  // namespace liandong::engine
