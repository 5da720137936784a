// pgRouting as a peer for bench_routing: a throw-away PostgreSQL 15 server with pgRouting
// (bench/pgrouting-server) and a libpq client that loads a road graph as an edge table and times
// pgr_dijkstraCost. Benchmark code: failures throw std::runtime_error. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "routing/graph.h"

struct pg_conn;

namespace liandong::bench {

// Starts the server with `script start --owner-pid <this process>` (which installs the packages
// when missing; its watchdog stops the server should this process die) and stops it and removes
// its folder on destruction.
class PgServer {
 public:
  explicit PgServer(const std::string& script);
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  const std::string& conninfo() const { return conninfo_; }
  const std::string& dir() const { return dir_; }

 private:
  std::string script_, dir_, conninfo_;
};

// One connection. Node v of the graph is vertex v+1 in pgRouting, arc a is edge a+1, and an
// arc's cost is its time in ms (float8; sums of whole milliseconds are exact).
class PgRouting {
 public:
  explicit PgRouting(const std::string& conninfo);
  ~PgRouting();
  PgRouting(const PgRouting&) = delete;
  PgRouting& operator=(const PgRouting&) = delete;

  std::string version();  // pgr_version()

  // (Re)creates table edges(id bigint, source bigint, target bigint, cost float8) with the
  // graph's arcs (COPY), indexes on source and target, and ANALYZE. Returns seconds taken.
  double load_edges(const routing::Graph& graph);

  // Per-source form: pgr_dijkstraCost over the edge table from `source` to `target`. Returns
  // the cost in ms (kInfinity when pgRouting returns no row: unreachable) and the call's wall
  // time in *seconds.
  uint32_t per_source(routing::NodeId source, routing::NodeId target, double* seconds);

  // One-to-many form on the reversed graph: one pgr_dijkstraCost from `target` to every source
  // node over 'SELECT id, target AS source, source AS target, cost FROM edges', i.e. the time
  // from each source to `target`. Fills (node, ms) for every source node pgRouting reached
  // (the target itself and unreachable ones are absent) and returns the call's wall seconds.
  double one_to_many(routing::NodeId target, const std::vector<routing::NodeId>& sources,
                     std::vector<std::pair<routing::NodeId, uint32_t>>& out);

 private:
  void exec(const std::string& sql);
  pg_conn* conn_ = nullptr;
};

}  // namespace liandong::bench
