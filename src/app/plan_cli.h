// `liandong plan validate FILE...`: checks contingency plan files (docs/PLANS.md) offline, against
// the codes a node knows by default (unit types, report types, roles, incident types).
//
// For each file, in the order given, it prints "FILE: OK" followed by the file's warnings, or every
// diagnostic ("FILE:LINE: PATH: what is wrong") and a count; a file that cannot be read is named
// with the reason. Everything goes to `out`. The exit code is 0 when no file has an error, 1 when
// one has (or cannot be read); warnings alone do not fail.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "plans/parse.h"

namespace CLI {
class App;
}

namespace liandong::app {

// The codes of a node with no configuration of its own: core's default unit types and report
// types, the default role catalog's roles, the default taxonomy's incident types.
plans::Known default_known();

int plan_validate(const std::vector<std::string>& files, std::ostream& out);

// Registers `plan` and its subcommands on `cli`. After parsing, chosen() says whether a plan
// command was given and run() runs it on the standard streams.
class PlanCommands {
 public:
  explicit PlanCommands(CLI::App& cli);
  ~PlanCommands();
  bool chosen() const;
  int run();

 private:
  struct Flags;
  std::unique_ptr<Flags> flags_;
};

}  // namespace liandong::app
