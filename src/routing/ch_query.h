// Queries on a contraction hierarchy: point-to-point travel time and path (bidirectional upward
// search with stall-on-demand, paths unpacked to original arcs and to road geometry).
//
// A ChQuery owns scratch arrays sized to the graph and reuses them (only touched entries are
// reset). It keeps references to the graph and hierarchy, which must outlive it. Not thread-safe:
// one object per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "routing/ch.h"
#include "routing/graph.h"
#include "routing/place.h"

namespace liandong::routing {

struct Route {
  uint32_t time_ms = kInfinity;  // kInfinity when unreachable
  uint32_t length_m = 0;
  std::vector<ArcId> arcs;       // original arcs, in travel order (empty for a same-road route)
  std::vector<Coord> geometry;   // the road's shape, from the start place to the end place
};

namespace internal {
class UpwardSearch;
}

class ChQuery {
 public:
  ChQuery(const Graph& graph, const ContractionHierarchy& ch);
  ~ChQuery();
  ChQuery(const ChQuery&) = delete;
  ChQuery& operator=(const ChQuery&) = delete;

  // Travel time from node s to node t (ids of the graph), kInfinity when unreachable.
  uint32_t distance(NodeId s, NodeId t);
  // Between places (the same-road case included).
  uint32_t distance(const Place& from, const Place& to);
  // The path and its geometry.
  Route route(const Place& from, const Place& to);

  // Nodes settled (both directions) by the last query, for benchmarks.
  uint64_t settled() const { return settled_; }

 private:
  uint32_t search(const std::vector<Seed>& forward, const std::vector<Seed>& backward,
                  uint32_t* meeting);

  const Graph& graph_;
  const ContractionHierarchy& ch_;
  std::unique_ptr<internal::UpwardSearch> side_[2];  // forward from the start, backward from the end
  std::vector<Seed> seeds_[2];
  uint64_t settled_ = 0;
};

// Expands a chain of original arcs into road geometry (node coordinates and shape points).
void arcs_geometry(const Graph& graph, const std::vector<ArcId>& arcs, std::vector<Coord>& out);

}  // namespace liandong::routing
