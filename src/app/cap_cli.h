// `liandong cap validate FILE...` and `liandong cap normalize FILE`: the CAP codec (src/alerts,
// docs/CAP.md) on the command line, offline.
//
// validate: for each file, in the order given, "FILE: OK" (with "(N warnings)" and a line for
// each warning) or a line for each issue ("FILE: error CODE PATH: message") and the count
// ("FILE: 2 errors, 1 warning"); a file that cannot be read is named with the reason. Everything
// goes to `out`. Exit code 0 when every file is a valid alert (warnings allowed), 1 otherwise.
//
// normalize: the alert as CAP 1.2 (UTF-8, XSD order; CAP 1.0 and 1.1 mapped) on `out`, its
// warnings on `err`, exit 0; when the file is not a valid alert or cannot be read, the reasons on
// `err` and exit 1, nothing on `out`.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace liandong::app {

int cap_validate(const std::vector<std::string>& files, std::ostream& out);
int cap_normalize(const std::string& file, std::ostream& out, std::ostream& err);

// Registers `cap` and its subcommands on `cli`. After parsing, chosen() says whether a cap
// command was given and run() runs it on the standard streams.
class CapCommands {
 public:
  explicit CapCommands(CLI::App& cli);
  ~CapCommands();
  bool chosen() const;
  int run();

 private:
  struct Flags;
  std::unique_ptr<Flags> flags_;
};

}  // namespace liandong::app
