// Commands: every change to the live state is one of these, submitted to the Engine.
//
// A command is validated against the state by the writer; if it succeeds it yields events (see
// docs/API.md for their types and data) and an answer. Commands carry `by`, who asked.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>

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

using Command = std::variant<ReportAlarm, MarkNuisance, LocateAlarm, SplitAlarm, MergeIncidents, UpdateIncident,
                             ChangeStatus, SetPriority, ConfirmGrade, RegisterAgency, RegisterStation, RegisterUnit>;

// What a successful command answers. `created` is true when it made a new record (HTTP 201),
// false for changes and idempotent repeats.
struct Outcome {
  nlohmann::json body;
  bool created = false;
};

const char* command_name(const Command& c);

}  // namespace liandong::engine
