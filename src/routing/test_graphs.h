// Random graphs for property tests (for tests only).
#pragma once

#include <cstdint>

#include "routing/graph.h"

namespace liandong::routing::testing {

// A random directed graph: n nodes on a jittered grid, each joined to a few neighbours (mostly
// both ways, some one-way), plus a few long arcs, parallel arcs, loops and zero-time arcs so that
// the corner cases happen. Deterministic for a seed.
Graph random_graph(uint32_t n, uint64_t seed);

// splitmix64: a small deterministic generator.
struct Rng {
  uint64_t state;
  uint64_t next();
  uint32_t below(uint32_t bound) { return uint32_t(next() % bound); }
};

}  // namespace liandong::routing::testing
