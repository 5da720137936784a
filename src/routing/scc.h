// Strongly connected components: a road graph imported from OSM has islands (a car park whose only
// exit is tagged private, a one-way stub cut at the extract's edge); a vehicle placed there could
// never leave or be reached. The importer keeps the largest strongly connected part.
#pragma once

#include <cstdint>
#include <vector>

#include "routing/graph.h"

namespace liandong::routing {

// component[v] for every node; components are numbered 0..count-1. Iterative (no recursion), so
// graphs of millions of nodes are fine. Pure function.
struct Components {
  std::vector<uint32_t> component;
  uint32_t count = 0;
};
Components strongly_connected_components(const Graph& graph);

struct SccReport {
  uint32_t components = 0;
  uint32_t kept_nodes = 0, dropped_nodes = 0;
  uint32_t kept_arcs = 0, dropped_arcs = 0;
};

// The subgraph induced by the largest strongly connected component (nodes renumbered in their old
// order; coordinates, external ids, shapes and classes kept). `report` may be null.
Graph largest_strongly_connected(const Graph& graph, SccReport* report);

}  // namespace liandong::routing
