#include "dispatch/coverage.h"

#include <cmath>

namespace liandong::dispatch {
namespace {

std::vector<double> road_length_weights(const routing::Graph& g) {
  std::vector<double> w(g.node_count(), 0.0);
  uint64_t total = 0;
  for (routing::NodeId v = 0; v < g.node_count(); ++v) {
    for (uint32_t a = g.first_out[v]; a < g.first_out[v + 1]; ++a) {
      w[v] += g.length_m[a];
      total += g.length_m[a];
    }
  }
  if (total == 0) std::fill(w.begin(), w.end(), 1.0);
  return w;
}

}  // namespace

core::Result<Coverage> Coverage::create(const routing::Graph& graph,
                                        std::vector<double> node_weights) {
  if (node_weights.empty()) return Coverage(graph, road_length_weights(graph));
  if (node_weights.size() != graph.node_count()) {
    return core::invalid("node_weights has " + std::to_string(node_weights.size()) +
                             " entries for a graph of " + std::to_string(graph.node_count()) +
                             " nodes",
                         "node_weights");
  }
  for (size_t v = 0; v < node_weights.size(); ++v) {
    if (!std::isfinite(node_weights[v]) || node_weights[v] < 0) {
      return core::invalid("node_weights[" + std::to_string(v) + "] must be a finite number >= 0",
                           "node_weights");
    }
  }
  return Coverage(graph, std::move(node_weights));
}

Coverage::Coverage(const routing::Graph& graph, std::vector<double> weights)
    : graph_(&graph), weights_(std::move(weights)), search_(graph) {
  for (double w : weights_) total_ += w;
}

bool Coverage::on_graph(const routing::Place& p) const {
  const routing::Graph& g = *graph_;
  if (p.node != routing::kInvalid) return p.node < g.node_count();
  if (p.arc == routing::kInvalid || p.arc >= g.arc_count()) return false;
  return p.twin == routing::kInvalid || p.twin < g.arc_count();
}

std::vector<routing::NodeId> Coverage::reached(std::span<const routing::Place> sources,
                                               uint32_t limit_ms) {
  seeds_.clear();
  for (const routing::Place& p : sources) {
    if (!on_graph(p)) continue;
    routing::departure_seeds(*graph_, p, place_seeds_);
    seeds_.insert(seeds_.end(), place_seeds_.begin(), place_seeds_.end());
  }
  std::vector<routing::NodeId> out;
  search_.run(seeds_, limit_ms, out);
  return out;
}

double Coverage::share(std::span<const routing::Place> sources, uint32_t limit_ms) {
  return share_of(reached(sources, limit_ms));
}

double Coverage::share_of(std::span<const routing::NodeId> nodes) const {
  if (total_ <= 0) return 0;
  double covered = 0;
  for (routing::NodeId v : nodes) covered += weights_[v];
  return covered / total_;
}

}  // namespace liandong::dispatch
