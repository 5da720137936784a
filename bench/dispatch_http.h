// bench_dispatch over HTTP: the real node (`liandong serve` with the cached .ldg as its road
// network, a fresh data folder, port 0) loaded with the same units through
// POST /api/v1/units/import, a sensor-gateway key streaming POST /api/v1/positions and a
// dispatcher key asking POST /api/v1/incidents/{id}/recommend, paced, on keep-alive connections
// from one generator thread. See bench/README.md.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "dispatch/requirement.h"
#include "dispatch_world.h"
#include "routing/graph.h"

namespace liandong::bench {

struct HttpOptions {
  std::string binary;      // the liandong executable
  std::string graph_file;  // the .ldg the node loads
  std::string tmp;         // parent of the node's data folder ("" = system temp)
  bool keep_data = false;
  std::vector<UnitSpec> units;
  double seconds = 20;
  double fix_rate = 10'000;
  double rec_rate = 100;
  double tick_ms = 10;
  double parked = 0;  // share of units standing still (Drivers)
  dispatch::Requirement requirement;
  uint32_t incidents = 20;   // open incidents the recommendations are asked for, at random places
  uint32_t connections = 4;  // keep-alive connections per stream
  int http_threads = 2;
  uint64_t seed = 1;
  std::string node = "441300";
};

// Thrown when the node answers 404 to a route this benchmark needs (not built into it yet).
struct RouteMissing : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Runs the HTTP half; `graph` is the network in the file (for incident and unit places).
// Figures as JSON (keys in bench/README.md). Throws RouteMissing, or std::runtime_error when the
// node cannot be started or set up.
nlohmann::json run_http(const routing::Graph& graph, const HttpOptions& options);

}  // namespace liandong::bench
