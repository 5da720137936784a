// bench_dispatch inside the node: a fleet::Fleet on the road network with a hand-built engine
// View of the units and an in-memory position store, driven for a fixed time by two threads — a
// paced stream of position fixes and paced recommendations — while a third samples the fix
// queue; then, with the positions still, the same recommendations side by side with routes off
// and with a stopping reverse Dijkstra over the same unit places (no index). See bench/README.md.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dispatch/requirement.h"
#include "dispatch_world.h"
#include "routing/graph_file.h"
#include "routing/snap.h"

namespace liandong::bench {

struct InProcessOptions {
  std::vector<UnitSpec> units;
  double seconds = 20;       // measured run
  double fix_rate = 10'000;  // fixes per second, in batches every tick
  double rec_rate = 100;     // recommendations per second
  double tick_ms = 10;       // batch period of the fix stream
  double parked = 0;         // share of units standing still (Drivers)
  dispatch::Requirement requirement;
  uint32_t baseline_queries = 500;  // side-by-side queries after the run
  uint32_t passes = 3;  // side-by-side passes over the same queries (best of, per query)
  uint64_t seed = 1;
  std::string node = "441300";  // the node's (and every unit's) jurisdiction
};

// Runs the in-node half on `network` (contracted, with coordinates) and `snap` (over its graph).
// Figures as JSON (keys in bench/README.md); "mismatches" counts baseline answers that differed.
nlohmann::json run_in_process(const routing::RoadNetwork& network, const routing::SnapIndex& snap,
                              const InProcessOptions& options);

}  // namespace liandong::bench
