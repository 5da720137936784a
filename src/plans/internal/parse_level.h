// Reading one response level of a plan file (parse_level.cpp), and the checks that need the whole
// plan: working groups referred to, task owners, dependencies and their cycles (parse_checks.cpp).
#pragma once

#include <string>
#include <vector>

#include "plans/internal/parse_context.h"

namespace liandong::plans::internal {

// Where something was written: its line and its path in the plan.
struct Where {
  int line = 0;
  std::string path;
};

// Where a task's parts were written, for the checks after the whole file is read.
struct TaskLines {
  Where key;
  Where owner;
  std::vector<Where> after;  // parallel to TaskSpec::depends_on
};

struct LevelRead {
  LevelSpec spec;
  int line = 0;
  std::string path;              // "levels.II"
  std::vector<Where> groups;     // parallel to spec.groups
  std::vector<TaskLines> tasks;  // parallel to spec.tasks
};

// Reads the body of level `level` written at `key_node`.
LevelRead read_level(Context& c, Level level, const YAML::Node& key_node, const YAML::Node& value,
                     const std::string& path);

// The checks across levels and groups, once everything is read: groups a level names are defined,
// task owners take part in their level, `after` names tasks of the same level, no dependency
// cycle, and a task key used at several levels keeps its owner (a warning).
void check_references(Context& c, const std::vector<Group>& groups,
                      const std::vector<LevelRead>& levels);

}  // namespace liandong::plans::internal
