// Forward Dijkstra from seeds that stops at a time limit: the nodes reachable within it. routing's
// Dijkstra::all() has no bound and would settle the whole graph for each unit and post.
// Owns scratch arrays sized to the graph and resets only what it touched. Not thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "routing/graph.h"
#include "routing/place.h"

namespace liandong::dispatch::internal {

class BoundedSearch {
 public:
  explicit BoundedSearch(const routing::Graph& graph);

  // Replaces `reached` with every node whose travel time from the nearest seed is <= limit_ms,
  // ascending by node id. Seeds must name nodes of the graph.
  void run(std::span<const routing::Seed> seeds, uint32_t limit_ms,
           std::vector<routing::NodeId>& reached);

 private:
  const routing::Graph* graph_;
  std::vector<uint32_t> dist_;
  std::vector<uint64_t> heap_;  // (time << 32 | node), lazy deletion
};

}  // namespace liandong::dispatch::internal
