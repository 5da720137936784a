// bench_monitoring's geofence section: synthetic fences over the Huizhou area
// and tracked objects on random walks, through geofence::FenceIndex and
// geofence::Tracker in this process, against the naive check (every fence's
// box, then its edges) on a subset of the same fixes. See bench/README.md
// "monitoring".
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

namespace liandong::bench {

struct GeofenceOptions {
  size_t objects = 100'000;
  size_t small_fences = 9'700;     // circles-as-polygons, 8–64 vertices, radius 100–800 m
  size_t large_fences = 300;       // 200–600 vertices, radius 1–5 km, every third with a hole
  size_t fixes = 5'000'000;        // through the Tracker, in time order, interleaved
                                   // across objects
  size_t baseline_fixes = 20'000;  // the naive check on the first ones of the same fixes
  uint64_t seed = 1;
};

struct GeofenceResult {
  nlohmann::json figures;  // see bench/README.md "monitoring", JSON figures
  double fixes_per_s = 0;  // through the Tracker (wall time)
  bool agree = false;      // index and naive gave the same fences on every baseline fix
};

// Builds the data, measures, prints the section's table to stdout. Throws
// std::runtime_error when the index cannot be built.
GeofenceResult run_geofence(const GeofenceOptions &o);

}  // namespace liandong::bench
