// Contraction hierarchies (Geisberger et al. 2008): nodes are ordered by importance and contracted
// one by one; a shortcut replaces u → v → w when that is the only shortest path (no witness path
// around v). A query then searches only "upward" from both ends and settles tens to hundreds of
// nodes instead of most of the graph. docs/ROUTING.md describes the ordering, the witness search
// and the query.
//
// The hierarchy is stored by rank (rank 0 = least important): up arcs leave a node towards a
// higher rank; down arcs are the arcs u → v with rank(u) > rank(v), stored at v (so a backward
// search from a target also walks upward). Each arc is an original arc or a shortcut over a
// middle node; paths unpack to original arcs.
//
// A ContractionHierarchy is a plain value, built once (build_contraction_hierarchy), saved and
// loaded with the graph (graph_file.h), read-only after, safe to share between threads.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "routing/graph.h"

namespace liandong::routing {

struct ChArc {
  uint32_t other = 0;   // rank of the other end (head for up arcs, tail for down arcs)
  uint32_t weight = 0;  // travel time, ms
  // An original arc's id, or (kShortcutBit | rank of the middle node) for a shortcut.
  uint32_t unpack = 0;
  static constexpr uint32_t kShortcutBit = 0x80000000u;
  bool is_shortcut() const { return (unpack & kShortcutBit) != 0; }
  uint32_t middle() const { return unpack & ~kShortcutBit; }
};

struct ContractionHierarchy {
  std::vector<uint32_t> rank;   // rank[node]
  std::vector<NodeId> order;    // order[rank] = node
  std::vector<uint32_t> up_first;    // node_count()+1, by rank
  std::vector<ChArc> up;
  std::vector<uint32_t> down_first;  // node_count()+1, by rank
  std::vector<ChArc> down;

  uint32_t node_count() const { return uint32_t(rank.size()); }
  // Sizes, ranges and that up arcs go up and down arcs come down. invalid_argument on a fault.
  core::Status check(const Graph& graph) const;
};

struct ChBuildOptions {
  // Witness searches stop after settling this many nodes (a missed witness only adds a shortcut,
  // never a wrong answer).
  uint32_t witness_settle_limit = 500;
  // Called now and then with (nodes contracted, node count); may be empty.
  std::function<void(uint32_t done, uint32_t total)> progress;
};

struct ChBuildStats {
  uint64_t shortcuts = 0;
  uint64_t up_arcs = 0, down_arcs = 0;
  double seconds = 0;
};

// Builds the hierarchy of `graph` (which must pass Graph::check()). Parallel arcs and loops are
// handled (the least time wins; loops are dropped). Deterministic for a given graph.
ContractionHierarchy build_contraction_hierarchy(const Graph& graph, const ChBuildOptions& options,
                                                 ChBuildStats* stats = nullptr);

}  // namespace liandong::routing
