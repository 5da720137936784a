// Plan activation as pure functions: does a plan cover an incident, which level applies, and what
// changes when an activation moves from one level to another.
//
// Levels compare by gravity: I is gravest. When several levels match, the gravest applies.
// Escalating adds what the higher level has and the lower lacked (tasks by key, notifications of
// the new level, reports, forces); de-escalating stands down the tasks the lower level does not
// have; standing down closes everything.
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plans/plan.h"

namespace liandong::plans {

// What activation looks at about an incident.
struct Facts {
  core::Category category{};
  std::string type;
  std::string jurisdiction;                 // six-digit code of the incident
  std::optional<core::Grade> confirmed_grade;
  taxonomy::Figures figures;
  std::string warning_level;                // gravest warning in force on it, or ""
};

// Whether the incident lies in the plan's scope: its category is listed (or none are) and its type
// is listed (or none are), and its jurisdiction is one of the scope's or below one (county 441202 is
// below city 441200 and province 440000); an empty jurisdiction list covers everything.
bool in_scope(const Plan& plan, const Facts& facts);

// The gravest level of the plan whose criteria hold, or nullopt. Criteria hold when the confirmed
// grade is listed, or a threshold is reached, or the warning level is at least as grave as the
// level's (red > orange > yellow > blue). No confirmed grade: only thresholds and warnings count.
std::optional<Level> select_level(const Plan& plan, const Facts& facts);

// Whether `a` is graver than `b` (I graver than II).
bool graver(Level a, Level b);

// What moving an activation from `from` (nullopt: not active) to `to` brings. Tasks are matched by
// key across levels: a key in both stays (its deadline is not moved).
struct Step {
  std::vector<const TaskSpec*> add_tasks;          // in `to`, not in `from`; plan order
  std::vector<std::string> stand_down_tasks;       // keys in `from`, not in `to`
  std::vector<const NotificationSpec*> notify;     // the `to` level's notifications (all of them)
  std::vector<const ReportDue*> add_reports;       // reports of `to` whose type+recipient `from` lacked
  std::vector<Force> forces;                       // the `to` level's forces (the whole requirement)
};
// `to` must be a level the plan defines (else an empty Step).
Step step(const Plan& plan, std::optional<Level> from, Level to);

// Task keys of `level` in an order where every task comes after those it depends on (the plan
// validator guarantees there is no cycle).
std::vector<std::string> task_order(const LevelSpec& level);

}  // namespace liandong::plans
