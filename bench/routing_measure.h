// bench_routing's measurements on one contracted graph: point-to-point, many-to-one, k nearest
// (unfiltered, 1% predicate, 1% group), source moves; the Dijkstra baselines on the same queries;
// pgRouting when given; exactness checks between all of them. See bench/README.md.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "routing/ch.h"
#include "routing/graph.h"

namespace liandong::bench {

class PgRouting;

// Latency samples in microseconds.
class Samples {
 public:
  void reserve(size_t n) { us_.reserve(n); }
  void add(double us) { us_.push_back(us); }
  size_t size() const { return us_.size(); }
  double operator[](size_t i) const { return us_[i]; }
  // Nearest rank: the smallest sample with at least q of the samples at or below it.
  double percentile(double q) const;
  double mean() const;
  // The first n samples only (the queries a baseline also ran).
  Samples first(size_t n) const;
  nlohmann::json summary() const;  // {"p50_us", "p99_us", "mean_us", "n"}

 private:
  std::vector<double> us_;
};

// Our queries are timed in several passes over the same list: `first` is the first pass (the
// figure of record), `best` each query's least time over the passes, which filters out the
// preemptions and cache interference that other processes on a shared machine cause.
struct Timing {
  Samples first, best;
  uint32_t passes = 1;
  // first.summary() plus "best_p50_us", "best_p99_us" and "passes".
  nlohmann::json summary() const;
};

struct MeasureOptions {
  uint32_t queries = 10'000;          // our queries per kind (targets, pairs)
  uint32_t baseline_queries = 1'000;  // stopping-Dijkstra queries (the first of the same targets)
  uint32_t slow_queries = 100;        // plain Dijkstra point-to-point and full one-to-all
  uint32_t moves = 5'000;
  uint32_t passes = 3;  // timing passes over our queries (Timing)
  uint32_t k = 5;
  uint64_t seed = 1;
  std::vector<uint32_t> many_to_one_sizes = {1'000, 10'000};
  std::vector<uint32_t> nearest_sizes = {10'000, 100'000};
  PgRouting* pg = nullptr;       // null: no pgRouting for this graph
  uint32_t pg_sources = 10'000;  // the source set pgRouting answers "k nearest among" for
  uint32_t pg_per_source = 20;   // per-source calls measured (extrapolated to pg_sources)
  uint32_t pg_one_to_many = 5;   // one-to-many calls measured (<= slow_queries)
};

// Runs every measurement on `graph` and `ch`. Figures as JSON (keys documented in
// bench/README.md); "mismatches" counts answers that differed between methods.
nlohmann::json measure_queries(const routing::Graph& graph, const routing::ContractionHierarchy& ch,
                               const MeasureOptions& options);

// Resident set size and its high-water mark of this process (/proc/self/status), bytes.
uint64_t rss_bytes();
uint64_t rss_peak_bytes();
// Resets the high-water mark to the current RSS (echo 5 > /proc/self/clear_refs); false if the
// kernel refused.
bool reset_rss_peak();

}  // namespace liandong::bench
