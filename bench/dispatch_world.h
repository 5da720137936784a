// bench_dispatch's world: the road network (built once and cached as a .ldg file), the 10,000
// units (types, capabilities and statuses in fixed proportions), how they drive along the roads
// between position fixes, the force requirement, and the small measuring helpers both halves of
// the benchmark share (latency samples, resident memory). See bench/README.md, "dispatch".
// Benchmark harness code: failures throw std::runtime_error. Not thread-safe unless stated.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "core/geo.h"
#include "dispatch/requirement.h"
#include "routing/graph.h"
#include "routing/graph_file.h"

namespace liandong::bench {

// Latency samples in microseconds; percentiles by nearest rank.
class Latencies {
 public:
  void add(double us) { us_.push_back(us); }
  size_t size() const { return us_.size(); }
  double percentile(double q) const;
  double mean() const;
  double max() const;
  nlohmann::json summary() const;  // {"p50_us", "p99_us", "max_us", "mean_us", "n"}

 private:
  std::vector<double> us_;
};

// The contracted road network of graph `name` ("ny": DIMACS NY travel times with the coordinates
// of USA-road-d.NY.co.gz; "synth": roadimport::synth_city with `synth_nodes`, seed 1), read from
// CACHE_DIR/dispatch-NAME.ldg when that file holds the same source, else imported, contracted and
// saved there. Fills fig["source"], ["nodes"], ["arcs"], ["cache"] ("hit" or "built"),
// ["prepare_s"], ["file"].
routing::RoadNetwork load_network(const std::string& name, const std::string& data_dir,
                                  const std::string& cache_dir, uint32_t synth_nodes,
                                  nlohmann::json& fig);

// One unit of the benchmark's fleet, as the engine would hold it.
struct UnitSpec {
  std::string call_sign;
  std::string type;
  std::vector<std::string> capabilities;  // sorted
  std::string status;
};

// `count` units: types in fixed shares (engine 28%, ambulance 22%, patrol 18%, ladder 7%,
// rescue 6%, traffic 6%, water_tender 4%, team 4%, hazmat 3%, boat 2%), some capabilities per
// type (breathing_apparatus, foam, aerial_32m, als, heavy_rescue, decon), statuses 80% available,
// 4% returning, 12% busy with an incident (dispatched, en_route, on_scene, transporting), 4% out of
// service. Deterministic for a seed.
std::vector<UnitSpec> make_units(uint32_t count, uint64_t seed);
// Counts by type and how many may be dispatched (available or returning), as JSON.
nlohmann::json describe_units(const std::vector<UnitSpec>& units);

// Where each unit drives: along a road arc at its own speed (20–60 km/h), on to a random next
// arc at the arc's end (not back the way it came unless it must), so that every fix is on a road
// and a little farther on than the last. A `parked` share of the units (at random) stands still:
// their fixes repeat the same place with a newer time.
class Drivers {
 public:
  Drivers(const routing::Graph& graph, uint32_t units, uint64_t seed, double parked = 0);
  // Moves unit `u` on by `seconds` and returns where it is.
  core::LonLat advance(uint32_t u, double seconds);
  core::LonLat where(uint32_t u) const;

 private:
  double length_m(routing::ArcId a) const;
  const routing::Graph& graph_;
  std::vector<routing::NodeId> tails_;
  std::mt19937_64 rng_;
  std::vector<routing::ArcId> arc_;
  std::vector<double> offset_m_, speed_mps_;
};

// "engine:2,ladder:1:aerial_32m,ambulance:1" (type:count[:capability+capability...]).
dispatch::Requirement parse_requirement(const std::string& text);
// The JSON form of the API ([{"type", "count", "capabilities"}]).
nlohmann::json requirement_json(const dispatch::Requirement& r);

// A node's coordinate, as a position.
core::LonLat node_position(const routing::Graph& graph, routing::NodeId v);

// VmRSS / VmHWM of a process (0: this one) from /proc/PID/status, bytes; 0 when unreadable.
uint64_t rss_bytes(pid_t pid = 0);
uint64_t rss_peak_bytes(pid_t pid = 0);

}  // namespace liandong::bench
