// Reading and checking plan files (YAML, docs/PLANS.md).
//
// parse_plan() reads one plan and reports every problem it finds, not just the first: each
// Diagnostic names the file, the line, the path inside the plan ("levels.II.tasks.cordon.deadline")
// and what is wrong. Errors make the plan unusable; warnings (e.g. a level without criteria, a task
// deadline beyond a week) do not. Cross-references within the plan are always checked (task
// dependencies exist at the same level and have no cycle, group keys exist, levels appear once);
// codes from outside (unit types, report types, roles, incident types) are checked against `known`
// when its lists are not empty.
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plans/plan.h"

namespace liandong::plans {

struct Diagnostic {
  std::string source;   // file name as given
  int line = 0;         // 1-based; 0 when unknown
  std::string path;     // "levels.II.tasks.cordon.deadline", "levels.I.forces[0].count"; "" for
                        // the whole document
  std::string message;  // what is wrong and what is allowed
  bool error = true;    // false: a warning
  // "fire.yaml:12: levels.II.tasks.a.deadline: must be a duration such as 30m, 2h, 1d or 1h30m"
  // (with "warning: " after the location for warnings).
  std::string text() const;
};

// Codes the plan may refer to. An empty list is not checked.
struct Known {
  std::vector<std::string> unit_types;
  std::vector<std::string> report_types;
  std::vector<std::string> roles;
  std::vector<std::string> incident_types;
};

struct Parsed {
  std::optional<Plan> plan;  // set when there is no error
  std::vector<Diagnostic> diagnostics;
  bool ok() const { return plan.has_value(); }
  size_t errors() const;
};

Parsed parse_plan(std::string_view text, std::string_view source, const Known& known = {});

// Durations as plan files write them: "90s", "30m", "2h", "1d", "1h30m". nullopt when malformed.
std::optional<core::Millis> parse_duration(std::string_view text);
// The shortest such form: 5400000 ms → "1h30m".
std::string format_duration(core::Millis d);

}  // namespace liandong::plans
