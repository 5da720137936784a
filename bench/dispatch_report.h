// bench_dispatch's report: per graph a table of measures (measured, goal, verdict), the
// side-by-side comparison with its ratios, and one PASS/MISS/SKIP line per goal.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace liandong::bench {

struct GoalSettings {
  double fix_rate = 10'000;      // fixes/s the stream must absorb
  double node_p99_us = 500;      // recommendation p99 inside the node
  double http_p99_us = 5'000;    // recommendation p99 over HTTP
  double max_lag_ms = 100;       // each fix in the index within this of its arrival
  double absorbed_share = 0.99;  // of the offered rate, applied
};

// Prints the report of `results` (graph name → figures) for `graphs` to stdout and adds
// results["goals"] (name → "PASS", "MISS" or "SKIP"). Returns 0 when every goal passes, 2 when one
// misses or was not measured.
int print_dispatch_report(const std::vector<std::string>& graphs, nlohmann::json& results,
                          const GoalSettings& goals);

}  // namespace liandong::bench
