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
#include "engine/alert_records.h"
#include "engine/monitoring_records.h"
#include "engine/plan_records.h"
#include "engine/records.h"
#include "reports/content.h"
#include "plans/plan.h"

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

// Registries (issue "Dispatch"). Ids are assigned by the engine.
struct RegisterAgency {
  Agency agency;
};
struct RegisterStation {
  Station station;
};
struct RegisterUnit {
  Unit unit;  // status, status_since, incident_id and history are the engine's
};
// Several units at once (an import), all or nothing.
struct RegisterUnits {
  std::vector<Unit> units;
};
// Changes what is given; a unit's type changes only while it is not assigned to an incident.
struct UpdateUnit {
  std::string unit_id;
  std::optional<std::string> call_sign;
  std::optional<std::string> type;
  std::optional<std::string> agency_id;
  std::optional<std::string> station_id;
  std::optional<std::vector<std::string>> capabilities;
  std::optional<uint32_t> crew;
};

// Dispatch. A unit's status moves along dispatch::is_valid_unit_transition; `dispatched` is reached
// only by DispatchUnits or ReassignUnit (which name the incident).
struct ChangeUnitStatus {
  std::string unit_id;
  std::string status;
  std::string reason;
  std::optional<core::Timestamp> at;  // when the unit reported it (not before its last change, not ahead of now)
};
struct DispatchUnits {
  struct Pick {
    std::string unit_id;
    std::optional<uint32_t> eta_s;  // the road ETA the dispatcher saw
  };
  std::string incident_id;
  std::vector<Pick> units;   // at least one, no repeats
  bool recommended = false;  // the set came from a recommendation
};
// Takes a unit off its incident: `available` when it had not left (dispatched), else `returning`.
struct RecallUnit {
  std::string unit_id;
  std::string reason;
};
// Sends an assigned unit to another incident of higher priority (P1 before P4), with a reason.
struct ReassignUnit {
  std::string unit_id;
  std::string incident_id;
  std::string reason;
  std::optional<uint32_t> eta_s;
};

// Plans (issue "Contingency plans"). The API parses and validates the YAML (plans::parse_plan); the
// engine checks what depends on the state (the key is free, the version is a draft ...).
// A new plan (version 1, draft).
struct CreatePlan {
  std::string jurisdiction;  // empty: the node's own
  std::string source;
  plans::Plan plan;
};
// Saves a version: replaces the newest version when it is a draft, else starts a new draft version
// (the version in force, if any, becomes under_revision). The key must stay the same.
struct SavePlanDraft {
  std::string plan_id;
  std::string source;
  plans::Plan plan;
};
// One life-cycle step of a version (plans/lifecycle.h): to "submitted", "reviewed", "approved",
// "filed", "retired", or back to "draft" (returned, with a reason). Reviewing and approving need
// a person other than the version's author. Approving a revision supersedes the version it revises.
struct ChangePlanVersion {
  std::string plan_id;
  uint32_t version = 0;
  std::string to;
  std::string note;
};
struct AddPlanFinding {
  std::string plan_id;
  std::string incident_id;  // may be empty
  std::string text;
};
// Activates a plan at a level on an incident by hand (or changes the level of its activation).
struct ActivatePlan {
  std::string incident_id;
  std::string plan_id;
  std::string level;  // "I".."IV"
  std::string reason;
};
struct ChangeActivationLevel {
  std::string activation_id;
  std::string level;
  std::string reason;
};
struct StandDown {
  std::string activation_id;
  std::string reason;
};
// accept | start | complete | note, on a task.
struct UpdateTask {
  std::string task_id;
  std::string action;
  std::string note;
};
// Opens a drill incident and activates the plan on it in exercise mode; injects run on the clock.
struct StartDrill {
  std::string plan_id;
  std::string level;
  std::string jurisdiction;  // empty: the node's own
  std::string type;          // incident type; empty: the plan scope's first type
  std::string title;
  std::optional<core::LonLat> location;
  std::string address;
  std::vector<Inject> injects;
};
// Fires every timer due at the engine's clock (task deadlines, drill injects). The engine submits
// it itself; it is harmless at any time.
struct FireTimers {};

// Monitoring (issue "Monitoring and early warning"). Readings are telemetry and never commands;
// the watch (src/watch) submits what its detectors and fences find.
// One station or many (an import), all or nothing; ids are assigned by the engine, conditions
// start empty.
struct RegisterMonitoringStations {
  std::vector<MonitoringStation> stations;
};
// Changes what is given.
struct UpdateMonitoringStation {
  std::string station_id;
  std::optional<std::string> name;
  std::optional<std::string> operator_name;
  std::optional<std::vector<StationParameter>> parameters;
  std::optional<int> target_class;
  std::optional<bool> drinking_water_source;
  std::optional<std::string> river_site;
  std::optional<bool> active;
};
// A detector of a station's parameter started or stopped firing; `level` is the warning level the
// series stands at afterwards ("" when none).
struct Detection {
  std::string station_id;
  std::string parameter;
  std::string detector;  // monitoring::name(DetectorKind)
  bool firing = true;
  core::Timestamp at{};
  double value = 0;
  double score = 0;
  double limit = 0;
  std::string level;
  std::string reason;
};
// Journals the detections; a series whose level rises raises a warning (or raises the level of
// its open one); a level falling to none marks the warning's condition cleared (a person lifts it).
struct RecordDetections {
  std::vector<Detection> detections;
};
// A warning raised by hand.
struct RaiseWarning {
  std::string jurisdiction;  // empty: the node's own (or the station's)
  std::string level;
  std::string title;
  std::string description;
  std::string type;  // an incident type, or ""
  std::optional<core::LonLat> location;
  std::string station_id;  // optional
  std::string parameter;
};
// A life-cycle step: confirm | issue | update (level and/or description) | lift.
struct ChangeWarning {
  std::string warning_id;
  std::string action;
  std::string level;        // update: the new level, or ""
  std::string description;  // update: the new text, or ""
  std::string note;
};
// Attaches a warning to an incident, or opens one from it (incident_id empty).
struct LinkWarning {
  std::string warning_id;
  std::string incident_id;
};
// Replaces the node's river network (parsed and checked by the API).
struct LoadRiverNetwork {
  std::string source;
  std::shared_ptr<const river::Network> network;
};
struct RegisterTrackedObject {
  TrackedObject object;
};
struct CreateFence {
  FenceRecord fence;  // area checked by the API (geofence::fences_from_geojson)
};
struct UpdateFence {
  std::string fence_id;
  std::optional<bool> active;
  std::optional<std::string> warning_level;
};
struct FenceHit {
  std::string fence_id;
  std::string object_id;
  std::string kind;  // enter | exit | dwell | speed
  core::Timestamp at{};
  double value = 0;  // dwell seconds, speed km/h
  core::LonLat position;
};
// Journals fence hits; a hit on a fence with a warning level raises a warning (one open warning
// per fence and object).
struct RecordFenceHits {
  std::vector<FenceHit> hits;
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

// CAP alerts (issue "CAP alerts"; docs/ALERTS.md). The API checks who may submit these (warning.issue to
// draft and submit, the alert's approval permission to approve, alert.manage for subscribers and
// feeds); the engine checks the records and that an approver is neither the drafter nor the
// submitter.
//
// Drafts an alert from a warning: the content is derived from the warning (alert_mapping.h) and
// then `content`'s non-empty fields replace it. An Update or Cancel names the published alert it
// follows in `replaces` (the warning is then that alert's).
struct DraftAlert {
  std::string warning_id;
  std::string msg_type = "Alert";  // Alert | Update | Cancel
  std::string replaces;
  std::string cap_status = "Actual";  // Actual | Exercise | Test
  std::optional<AlertContent> content;
};
// Replaces a draft's content (drafts only).
struct EditAlert {
  std::string alert_id;
  AlertContent content;
};
// Submits a draft: it is rendered and checked as CAP 1.2; then published at once when it needs no
// approval, else it waits for an approver.
struct SubmitAlert {
  std::string alert_id;
};
// approve: a second person publishes a pending alert; reject: back to draft, with the reason.
struct ReviewAlert {
  std::string alert_id;
  bool approve = true;
  std::string note;
};
// A CAP alert from outside (a feed, or pushed), read and checked by the codec. `accepted` alerts
// are applied (a new warning, an update, a cancel); others are quarantined with `report`.
struct ReceiveAlert {
  std::string source;  // a feed id, or "push"
  std::string xml;
  bool accepted = false;
  AlertRecord parsed;      // identifier, sender, sent, msg_type, cap_status, scope, references, content, level
  nlohmann::json report;   // the codec's issues
  bool open_incidents = true;
};
struct CreateSubscriber {
  Subscriber subscriber;  // id, created_* assigned by the engine
};
struct UpdateSubscriber {
  Subscriber subscriber;  // by id; an empty secret keeps the old one
};
struct CreateFeed {
  FeedRecord feed;
};
struct UpdateFeed {
  FeedRecord feed;
};

// Information reports (issue "Information reports"). Ids are assigned by the engine.
// A new draft, pre-filled from the record: an incident report (initial, progress, final, special)
// names its incident; a daily report or bulletin its period. `jurisdiction` defaults to the
// incident's (else the node's), `to_jurisdiction` to the office one level up.
struct DraftReport {
  std::string type;
  std::string incident_id;
  std::string jurisdiction;
  std::string to_jurisdiction;
  std::string channel = "written";
  std::optional<core::Timestamp> period_from, period_to;
  std::string reporting_unit;  // who signs it ("" = the office's name)
  std::string contact;         // the drafter's name and telephone
};
// Replaces the working copy.
struct EditReport {
  std::string report_id;
  reports::Content content;
};
// Freezes the working copy as the next version; refused while required elements are missing; a
// correction needs a note and a change.
struct SubmitReport {
  std::string report_id;
  std::string note;
};
// The receiving level acknowledges receipt ("receive") or returns the report ("return", reason
// required).
struct ReviewReport {
  std::string report_id;
  std::string action;
  std::string reason;
};
// Creates the duty offices' daily-report obligations that are missing (at node start; idempotent).
struct EnsureReportDuty {};

using Command = std::variant<ReportAlarm, MarkNuisance, LocateAlarm, SplitAlarm, MergeIncidents, UpdateIncident,
                             ChangeStatus, SetPriority, ConfirmGrade, RegisterAgency, RegisterStation, RegisterUnit,
                             RegisterUnits, UpdateUnit, ChangeUnitStatus, DispatchUnits, RecallUnit, ReassignUnit,
                             CreatePerson, UpdatePerson, SetPassword, SetPersonDisabled, CreateKey, RevokeKey,
                             OpenSession, CloseSession, RecordRefusal, RecordReveal, CreatePlan, SavePlanDraft,
                             ChangePlanVersion, AddPlanFinding, ActivatePlan, ChangeActivationLevel, StandDown,
                             UpdateTask, StartDrill, FireTimers, RegisterMonitoringStations,
                             UpdateMonitoringStation, RecordDetections, RaiseWarning, ChangeWarning, LinkWarning,
                             LoadRiverNetwork, RegisterTrackedObject, CreateFence, UpdateFence, RecordFenceHits,
                             DraftAlert, EditAlert, SubmitAlert, ReviewAlert, ReceiveAlert, CreateSubscriber,
                             UpdateSubscriber, CreateFeed, UpdateFeed, DraftReport, EditReport, SubmitReport,
                             ReviewReport, EnsureReportDuty>;

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
