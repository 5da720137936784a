// Coverage: which parts of the road network the available units reach within a target travel
// time T, and what share of the whole that is.
//
// A node is covered when a forward search from the departure seeds of at least one source place
// (routing::departure_seeds) reaches it in at most T milliseconds (inclusive). The covered share
// weighs nodes:
//   - by default, a node weighs the total length_m of the arcs leaving it (so the share is the
//     share of road length whose start is covered); when every arc's length is 0 (DIMACS time
//     graphs) each node weighs 1 instead;
//   - or by the caller's per-node weights (e.g. population points mapped to their nearest node).
// share = weight of covered nodes / weight of all nodes, in 0..1; 0 when the total weight is 0.
//
// Source places that are not on the graph (invalid, or node/arc ids out of range) are ignored.
// A Coverage keeps a pointer to the graph, which must outlive it, and owns scratch space for its
// searches: not thread-safe, one object per thread. Cost: one search bounded at T per call.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/status.h"
#include "dispatch/internal/bounded_search.h"
#include "routing/graph.h"
#include "routing/place.h"

namespace liandong::dispatch {

class Coverage {
 public:
  // `node_weights`: empty for the default weights, or node_count() entries, each finite and >= 0;
  // otherwise invalid_argument (field "node_weights").
  static core::Result<Coverage> create(const routing::Graph& graph,
                                       std::vector<double> node_weights = {});

  // Nodes covered from `sources` within limit_ms, ascending.
  std::vector<routing::NodeId> reached(std::span<const routing::Place> sources, uint32_t limit_ms);
  // The covered share (0..1) from `sources` within limit_ms.
  double share(std::span<const routing::Place> sources, uint32_t limit_ms);

  // The weight of a set of nodes (ascending, no repeats) as a share of the total (0..1).
  double share_of(std::span<const routing::NodeId> nodes) const;
  double weight(routing::NodeId v) const { return weights_[v]; }
  double total_weight() const { return total_; }
  const routing::Graph& graph() const { return *graph_; }

  // True when `place` names a node or arc of the graph (what the searches accept).
  bool on_graph(const routing::Place& place) const;

 private:
  Coverage(const routing::Graph& graph, std::vector<double> weights);

  const routing::Graph* graph_;
  std::vector<double> weights_;
  double total_ = 0;
  internal::BoundedSearch search_;
  std::vector<routing::Seed> seeds_, place_seeds_;
};

}  // namespace liandong::dispatch
