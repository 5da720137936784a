// Progress of a long import step, and a display of it for the command line.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

namespace liandong::roadimport {

// Progress: phase (e.g. "ways", "nodes", "graph", "connectivity", "hierarchy"), work done and the
// total (bytes of a file while reading it, nodes while contracting). Called from the importing
// thread, with `done` not decreasing within a phase.
using ImportProgress = std::function<void(std::string_view phase, uint64_t done, uint64_t total)>;

// Shows progress on `out`: on a terminal, a bar redrawn in place on one line per phase
// ("hierarchy     [##########..........]  52%"); otherwise (a log, a pipe) a plain line when a
// phase starts and at every quarter. Not thread-safe; keeps a reference to `out`.
class ProgressDisplay {
 public:
  ProgressDisplay(std::ostream& out, bool terminal) : out_(out), terminal_(terminal) {}
  ~ProgressDisplay() { finish(); }
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

  void update(std::string_view phase, uint64_t done, uint64_t total);
  // Ends the current phase's line (on a terminal).
  void finish();
  // A callback that forwards to update(); valid while this object lives.
  ImportProgress callback() {
    return [this](std::string_view phase, uint64_t done, uint64_t total) {
      update(phase, done, total);
    };
  }

 private:
  std::ostream& out_;
  bool terminal_;
  std::string phase_;
  int shown_ = -1;  // the percentage (terminal) or quarter (plain) last shown
};

}  // namespace liandong::roadimport
