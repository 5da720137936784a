// A contingency plan (预案) as data: what a plan file (YAML, docs/PLANS.md) says, parsed and checked.
//
// A plan states, for a scope of incidents (categories, types, jurisdictions) and for each response
// level I–IV it defines, when that level applies, who leads, who takes part with which duties, the
// forces to send, the supplies to mobilise, the tasks with deadlines relative to activation, who is
// notified and which reports become due. Working groups (综合组, 物资保障组 …) are named groups of
// agencies that tasks and duties may be given to.
//
// Agencies are named by their *kind* code ("fire", "police", "health", "environment", "119" …), not
// by record id: a plan is written once and used by any node; at activation the engine gives a task
// to the agency of that kind in the incident's jurisdiction (or the nearest one above it).
//
// Plain values; thread-safe to share once built.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/codes.h"
#include "core/time.h"
#include "taxonomy/grade_rules.h"

namespace liandong::plans {

// Response levels use the grades' numbering: level I answers the gravest incidents.
using Level = core::Grade;

// "figure N or more" (DESIGN: thresholds read inclusive).
struct Threshold {
  taxonomy::Figure figure;
  int64_t at_least = 0;
  bool operator==(const Threshold&) const = default;
};

// When a level applies. It applies when the incident's confirmed grade is one of `grades`, or any
// threshold is reached, or a warning of `warning_level` or graver is in force. A level with none of
// these never matches automatically (it can still be activated by hand).
struct Criteria {
  std::vector<core::Grade> grades;
  std::vector<Threshold> thresholds;
  std::string warning_level;  // "" or one of core::warning_levels(): red orange yellow blue
  bool operator==(const Criteria&) const = default;
};

struct Participant {
  std::string agency;               // agency kind code
  std::vector<std::string> duties;  // free text, each non-empty
  bool operator==(const Participant&) const = default;
};

// One slot of the force to send: `count` units of `type`, each with every capability listed
// (dispatch::Slot's shape; the engine hands the level's forces to dispatch as its requirement).
struct Force {
  std::string type;  // a unit type code
  uint32_t count = 1;
  std::vector<std::string> capabilities;
  bool operator==(const Force&) const = default;
};

struct Supply {
  std::string item;      // free text, e.g. "活性炭" or a code
  double quantity = 0;   // > 0
  std::string unit;      // "t", "套", "boxes" …
  std::string from;      // optional: depot or agency kind
  bool operator==(const Supply&) const = default;
};

struct TaskSpec {
  std::string key;          // code, unique within the plan (across levels, the same key is the same task)
  std::string owner;        // an agency kind, or a working group key
  std::string description;  // non-empty
  core::Millis deadline{};  // after activation (of the level that first has the task); > 0
  std::vector<std::string> depends_on;  // keys of tasks of the same level; no cycles
  std::string role;         // the role that carries it out (default "duty_officer"); escalation goes up from it
  bool operator==(const TaskSpec&) const = default;
};

struct NotificationSpec {
  std::string role;     // a role code of the access catalog, e.g. "supervisor"
  std::string agency;   // optional agency kind ("" = the lead agency's jurisdiction office)
  std::string channel;  // "console", "sms", "phone", "fax", "email" …
  std::string message;  // optional text; a default is composed at activation
  bool operator==(const NotificationSpec&) const = default;
};

struct ReportDue {
  std::string type;             // one of core::report_types()
  std::string recipient_level;  // "county" | "city" | "province" | "national"
  core::Millis deadline{};      // after activation; > 0
  bool operator==(const ReportDue&) const = default;
};

struct Group {
  std::string key;                   // code, unique within the plan
  std::string name;                  // e.g. "综合组"
  std::string lead;                  // agency kind
  std::vector<std::string> members;  // agency kinds
  std::vector<std::string> duties;
  bool operator==(const Group&) const = default;
};

struct LevelSpec {
  Level level = Level::kIV;
  Criteria when;
  std::string lead;          // lead agency kind
  std::string command_post;  // free text (指挥部)
  std::vector<Participant> participants;
  std::vector<std::string> groups;  // working group keys activated at this level
  std::vector<Force> forces;
  std::vector<Supply> supplies;
  std::vector<TaskSpec> tasks;
  std::vector<NotificationSpec> notifications;
  std::vector<ReportDue> reports;
  bool operator==(const LevelSpec&) const = default;
};

struct Scope {
  std::vector<core::Category> categories;  // empty: any (then `types` must not be empty)
  std::vector<std::string> types;          // incident type codes; empty: any of the categories
  std::vector<std::string> jurisdictions;  // six-digit codes, each covering its subordinates; empty: the whole node
  bool operator==(const Scope&) const = default;
};

struct Plan {
  std::string key;    // code, stable across versions ("fire_general")
  std::string title;  // non-empty
  std::string owner;  // agency kind that owns the plan
  Scope scope;
  std::vector<Group> groups;
  std::vector<LevelSpec> levels;  // at least one; each level at most once; gravest (I) first
  uint32_t drill_every_days = 365;    // a drill is due this long after the last
  uint32_t review_every_days = 1095;  // a review is due this long after the last (three years)
  bool operator==(const Plan&) const = default;

  // The level's spec, or nullptr when the plan does not define it.
  const LevelSpec* find_level(Level level) const;
};

}  // namespace liandong::plans
