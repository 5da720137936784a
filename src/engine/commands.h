// Commands: every change to the live state is one of these, submitted to the Engine.
//
// A command is validated against the state by the writer; if it succeeds it yields events (see
// docs/API.md for their types and data) and an answer. Every command is submitted with an Actor
// (who asked, from where), which the engine writes into each event's data as "by" and "by_address".
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>

#include "access/principal.h"
#include "engine/records.h"

namespace liandong::engine {

struct ReportAlarm {
  std::string jurisdiction;  // empty: the node's own
  std::string channel;
  core::Timestamp reported_at{};
  std::optional<Caller> caller;
  std::optional<core::LonLat> location;
  std::string address;
  std::optional<core::Category> category;
  std::string type;
  std::string description;
  Figures figures;
  std::optional<core::Priority> priority;
  std::string idempotency_key;
};

struct MarkNuisance {
  std::string alarm_id;
  std::string reason;  // malicious | silent | misdialled
};

struct LocateAlarm {
  std::string alarm_id;
  core::LonLat location;
};

struct SplitAlarm {
  std::string alarm_id;
};

struct MergeIncidents {
  std::string into;
  std::string from;
};

struct UpdateIncident {
  std::string incident_id;
  nlohmann::json changes;  // validated subset: title description address location type category figures
};

struct ChangeStatus {
  std::string incident_id;
  std::string status;
  std::string reason;
};

struct SetPriority {
  std::string incident_id;
  core::Priority priority;
};

struct ConfirmGrade {
  std::string incident_id;
  core::Grade grade;
  std::string reason;
};

// Registry seeding (the demo; the full registries arrive with later issues).
struct RegisterAgency {
  Agency agency;  // id assigned by the engine when empty
};
struct RegisterStation {
  Station station;
};
struct RegisterUnit {
  Unit unit;
};

// Access (issue "Access and audit"). Secrets arrive hashed: the engine never sees a password, key
// or session token. The API checks who may submit these; the engine checks the records.
struct CreatePerson {
  std::string name;
  std::string display_name;
  std::string agency_id;  // may be empty
  std::string jurisdiction;
  std::vector<access::Grant> roles;
  std::string password_hash;  // Argon2id string
};
struct UpdatePerson {
  std::string person_id;
  std::optional<std::string> display_name;
  std::optional<std::string> agency_id;
  std::optional<std::vector<access::Grant>> roles;
};
struct SetPassword {
  std::string person_id;
  std::string password_hash;
  std::string reason;           // "changed" (by the person) | "reset" (by an administrator)
  std::string keep_session_id;  // the session that changed it stays open; all others close
};
struct SetPersonDisabled {
  std::string person_id;
  bool disabled = true;  // disabling closes the person's sessions
};
struct CreateKey {
  std::string name;
  access::Grant grant;
  std::string key_hash;
};
struct RevokeKey {
  std::string key_id;
};
struct OpenSession {
  std::string person_id;
  std::string token_hash;
  core::Timestamp expires_at{};
};
struct CloseSession {
  std::string session_id;
  std::string reason;  // signed_out | revoked
};
// A signed-in caller refused by access control: journaled for the audit trail, changes nothing.
struct RecordRefusal {
  std::string jurisdiction;  // the caller's
  std::string method;
  std::string route;
  std::string permission;
  std::string code;  // forbidden | csrf_failed | ...
};
// An unmasked read of personal data.
struct RecordReveal {
  std::string record_id;
  std::string jurisdiction;  // the record's
  std::vector<std::string> fields;
};

using Command = std::variant<ReportAlarm, MarkNuisance, LocateAlarm, SplitAlarm, MergeIncidents, UpdateIncident,
                             ChangeStatus, SetPriority, ConfirmGrade, RegisterAgency, RegisterStation, RegisterUnit,
                             CreatePerson, UpdatePerson, SetPassword, SetPersonDisabled, CreateKey, RevokeKey,
                             OpenSession, CloseSession, RecordRefusal, RecordReveal>;

// Who submits a command: a person or key id (or "anonymous", "system", "demo"), and from where
// (the client's address, or "admin-socket", "cli").
struct Actor {
  std::string by;
  std::string from;
  Actor() = default;
  Actor(std::string by_, std::string from_ = {}) : by(std::move(by_)), from(std::move(from_)) {}
  Actor(const char* by_) : by(by_) {}
};

// What a successful command answers. `created` is true when it made a new record (HTTP 201),
// false for changes and idempotent repeats.
struct Outcome {
  nlohmann::json body;
  bool created = false;
};

const char* command_name(const Command& c);

}  // namespace liandong::engine
