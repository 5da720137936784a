// bench_dispatch's reference: the same recommendation (k nearest qualifying units per slot, then
// dispatch::assign over their union) computed with the stopping reverse Dijkstra
// (routing::Dijkstra::nearest) over the unit places, with no index.
//
// Units stand part-way along arcs (snapped fixes) and Dijkstra::nearest takes sources at nodes,
// so the reference searches a copy of the graph with one extra node per unit and arcs from it to
// the places the unit can leave to (routing::departure_seeds: the arc's head, and on a two-way
// road its tail, each after the matching part of the road). A unit ahead of the incident on the
// incident's own road is offered with routing::same_road_time, as the index does. The times are
// then exactly the index's, so the answers must be the same. Built once per set of places (the
// positions must stand still); not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "dispatch/assign.h"
#include "dispatch/requirement.h"
#include "dispatch_world.h"
#include "routing/ch.h"
#include "routing/dijkstra.h"
#include "routing/graph.h"
#include "routing/place.h"
#include "routing/source_index.h"

namespace liandong::bench {

class DijkstraRecommender {
 public:
  // `places[u]`: where unit u stands (invalid: not dispatchable or not on the road graph);
  // `units[u]` its type and capabilities. Keeps references to `graph` and `units`.
  DijkstraRecommender(const routing::Graph& graph, const std::vector<routing::Place>& places,
                      const std::vector<UnitSpec>& units);

  // The assignment for `requirement` at `target`, with `alternatives` next-best per slot, asking
  // each slot for as many units as the fleet does (its count, the alternatives, and the counts of
  // the other slots of the same type).
  dispatch::Assignment recommend(const routing::Place& target,
                                 const dispatch::Requirement& requirement, uint32_t alternatives);

  uint64_t last_settled() const { return settled_; }  // nodes settled by the last recommend()
  uint32_t units_placed() const { return placed_; }

 private:
  const routing::Graph& base_;
  const std::vector<UnitSpec>& units_;
  std::vector<routing::Place> places_;
  routing::Graph graph_;  // base_ plus one node per placed unit
  std::vector<uint32_t> sources_first_, sources_at_;
  std::unordered_map<routing::ArcId, std::vector<uint32_t>> on_arc_;  // units by arc and twin
  routing::Dijkstra dijkstra_;
  std::vector<routing::SourceTime> found_;
  uint64_t settled_ = 0;
  uint32_t placed_ = 0;
};

// The fleet's method without the fleet around it: a routing::SourceIndex over the same places,
// one group per unit type, k nearest per slot (a capability filter as a predicate, as the fleet
// does), then dispatch::assign. Shows what the index and the assignment cost alone, so that the
// rest of a fleet recommendation (the hand-over to its worker thread, snapping, describing the
// units, routes) can be told apart. Not thread-safe.
class IndexRecommender {
 public:
  IndexRecommender(const routing::Graph& graph, const routing::ContractionHierarchy& ch,
                   const std::vector<routing::Place>& places, const std::vector<UnitSpec>& units);
  dispatch::Assignment recommend(const routing::Place& target,
                                 const dispatch::Requirement& requirement, uint32_t alternatives);

 private:
  const std::vector<UnitSpec>& units_;
  std::vector<std::string> types_;  // group g = types_[g]
  routing::SourceIndex index_;
  std::vector<routing::SourceTime> found_;
};

}  // namespace liandong::bench
