// The records of plans in the live state (issue "Contingency plans"): plans with their versions
// and life-cycle, activations of a plan on an incident, the tasks an activation creates, and the
// notifications it sends. Plain values; the engine replaces a record to change it. to_json gives
// the API and snapshot form (docs/API.md); from_json is its inverse and fails with
// kInvalidArgument on a malformed record.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "plans/plan.h"

namespace liandong::engine {

// One step of a version's life-cycle (plans/lifecycle.h), with who and when.
struct LifecycleStep {
  std::string status;  // the status reached
  std::string by;
  core::Timestamp at{};
  std::string note;
};

struct PlanVersion {
  uint32_t number = 1;
  std::string status = "draft";
  std::string source;  // the YAML as written
  plans::Plan plan;    // as parsed (validated by the API before it reached the engine)
  std::string author;  // who saved it
  core::Timestamp saved_at{};
  std::vector<LifecycleStep> steps;  // oldest first
};

// An observation from a review (of an incident or a drill) kept for the plan's next revision.
struct Finding {
  core::Timestamp at{};
  std::string by;
  std::string incident_id;  // may be ""
  std::string text;
};

struct PlanRecord {
  std::string id;  // 441200-PLN-3
  std::string jurisdiction;
  std::string key;  // the plan's key; unique among the node's plans
  std::vector<PlanVersion> versions;  // number = index + 1
  std::optional<core::Timestamp> last_drilled_at;
  std::optional<core::Timestamp> last_reviewed_at;
  std::vector<Finding> findings;

  // The version that activates: the newest approved, filed or under_revision one; nullptr if none.
  const PlanVersion* effective() const;
  const PlanVersion& latest() const { return versions.back(); }
  bool retired() const;  // every version retired or superseded
};

struct ReportDueRecord {
  std::string type;
  std::string recipient_level;
  core::Timestamp due_at{};
  std::string level;  // the level that made it due
};

struct LevelChange {
  std::string from;  // "" when activated
  std::string to;    // "" when stood down
  core::Timestamp at{};
  std::string by;
  std::string reason;
};

struct Inject {
  core::Millis after{};   // after the drill's start
  std::string action;     // "confirm_grade" | "figures" | "task" | "note"
  nlohmann::json data;    // the action's fields (docs/API.md "Drills")
  bool done = false;
};

struct Activation {
  std::string id;  // 441200-ACT-7
  std::string jurisdiction;
  std::string incident_id;
  std::string plan_id;
  uint32_t plan_version = 0;
  std::string level;                // "I".."IV"; the level in force ("" once stood down)
  std::string status = "active";    // active | stood_down
  bool automatic = false;           // started by a confirmed grade, not by hand
  bool exercise = false;            // a drill's
  core::Timestamp activated_at{};
  std::optional<core::Timestamp> stood_down_at;
  std::string lead;
  std::string command_post;
  std::vector<plans::Force> forces;  // the current level's requirement
  std::vector<ReportDueRecord> reports_due;
  std::vector<std::string> task_ids;  // every task it created, in order
  std::vector<LevelChange> history;
  std::vector<Inject> injects;        // drills only
  bool active() const { return status == "active"; }
};

struct TaskNote {
  core::Timestamp at{};
  std::string by;
  std::string action;  // accept | start | complete | note | release | overdue | stand_down
  std::string text;
};

// Task statuses: waiting (held by unfinished predecessors) → open → accepted → in_progress →
// completed; stood_down from any but completed.
struct Task {
  std::string id;  // 441200-TSK-19
  std::string jurisdiction;
  std::string activation_id;
  std::string incident_id;
  std::string key;          // the plan's task key
  std::string level;        // the level that brought it
  std::string owner;        // agency kind or working-group key from the plan
  std::string agency_id;    // the agency of that kind found at activation, or ""
  std::string role;         // who carries it out
  std::string description;
  std::string status = "open";
  std::vector<std::string> depends_on;  // task ids
  core::Timestamp created_at{};
  core::Timestamp deadline{};
  std::optional<core::Timestamp> accepted_at, started_at, completed_at;
  std::optional<core::Timestamp> overdue_at;  // set when the deadline passed unfinished
  std::string escalated_to;                   // role it was escalated to
  bool exercise = false;
  std::vector<TaskNote> notes;
  bool finished() const { return status == "completed" || status == "stood_down"; }
};

struct Notification {
  std::string id;  // 441200-NTF-4
  std::string jurisdiction;
  std::string incident_id;
  std::string activation_id;
  std::string task_id;  // for escalations
  std::string role;
  std::string agency;   // kind, or ""
  std::string channel;
  std::string message;
  core::Timestamp at{};
  bool exercise = false;
  std::string delivery;  // "logged" (console and log; outside channels come later) | "suppressed_exercise"
};

nlohmann::json to_json(const PlanVersion& v, bool with_plan);
nlohmann::json to_json(const PlanRecord& p, bool with_versions);
nlohmann::json to_json(const Activation& a);
nlohmann::json to_json(const Task& t);
nlohmann::json to_json(const Notification& n);

core::Result<PlanRecord> plan_record_from_json(const nlohmann::json& j);
core::Result<Activation> activation_from_json(const nlohmann::json& j);
core::Result<Task> task_from_json(const nlohmann::json& j);
core::Result<Notification> notification_from_json(const nlohmann::json& j);

}  // namespace liandong::engine
