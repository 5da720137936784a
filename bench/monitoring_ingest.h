// bench_monitoring's ingestion section: readings acknowledged durable per
// second through POST /api/v1/readings/lines of a real node (`liandong serve`,
// fresh data folder, loopback) with every detector on, at several station
// counts; and, in the same run on the same rows, a plain C++ loop inserting
// them into SQLite in transactions of the same size (no HTTP, no detectors) as
// the baseline of the ratio. See bench/README.md "monitoring" and
// docs/BENCHMARKS.md.
//
// Benchmark harness code: not thread-safe, one caller. A node that cannot be
// started or set up (keys, station import) throws std::runtime_error; a row
// that fails after start is reported in the result (`failed`, `error`) and the
// other rows still run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace liandong::bench {

struct IngestOptions {
  std::string node;                                         // the liandong binary
  std::vector<size_t> stations = {1'000, 10'000, 100'000};  // one row each
  size_t batch = 5'000;          // lines a request; rows a baseline transaction
  int connections = 8;           // concurrent keep-alive HTTP connections, closed loop
  double warmup_s = 2;           // after the priming round, before the measured window
  double measure_s = 10;         // the measured window (HTTP and baseline alike)
  int http_threads = 2;          // the node's http_threads
  std::string tmp;               // parent of the data folders (a real disk: fsync is measured)
  bool keep_data = false;        // leave the nodes' data folders behind
  double wait_quiet_s = 30;      // before each half, wait up to this long for an idle machine
  bool probe_new_series = true;  // time the first readings of series the node has never seen
};

struct IngestRow {
  size_t stations = 0;
  // HTTP, over the measured window.
  double readings_per_s = 0;  // acknowledged (accepted in 2xx answers arriving in the window)
  double requests_per_s = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0,
         max_ms = 0;            // latency of the 2xx answers
  uint64_t errors = 0;          // non-2xx answers and connection failures, whole run
  uint64_t rejected_lines = 0;  // lines a 2xx answer listed as problems, whole run
  std::string first_error;
  double prime_s = 0;  // the priming round: every series' first reading
  double node_cpu = 0, gen_cpu = 0, machine_busy = 0;  // cores in the window
  double busy_before = 0;                              // cores busy before the half started
  uint64_t warnings = 0;  // warnings on the node after the run (detectors really fired)
  // The baseline, over its own measured window.
  double baseline_rows_per_s = 0;
  double baseline_commit_p50_ms = 0, baseline_commit_p99_ms = 0;
  double baseline_cpu = 0, baseline_busy = 0;
  double ratio = 0;  // readings_per_s / baseline_rows_per_s
  bool failed = false;
  std::string error;
};

struct IngestResult {
  std::vector<IngestRow> rows;
  std::optional<double> new_series_ms;  // per series, from the probe (first reading of each)
  size_t new_series = 0;
  nlohmann::json figures;  // see bench/README.md "monitoring", JSON figures
  bool failed = false;     // a row failed
};

// Runs every row, prints the section's table to stdout, and returns the
// figures.
IngestResult run_ingestion(const IngestOptions &o);

}  // namespace liandong::bench
