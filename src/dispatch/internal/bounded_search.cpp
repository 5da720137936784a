#include "dispatch/internal/bounded_search.h"

#include <algorithm>
#include <functional>

namespace liandong::dispatch::internal {

BoundedSearch::BoundedSearch(const routing::Graph& graph)
    : graph_(&graph), dist_(graph.node_count(), routing::kInfinity) {}

void BoundedSearch::run(std::span<const routing::Seed> seeds, uint32_t limit_ms,
                        std::vector<routing::NodeId>& reached) {
  const routing::Graph& g = *graph_;
  constexpr std::greater<uint64_t> kMinHeap{};
  reached.clear();
  heap_.clear();
  auto push = [&](routing::NodeId v, uint64_t d) {
    if (d > limit_ms || d >= dist_[v]) return;
    if (dist_[v] == routing::kInfinity) reached.push_back(v);  // touched; all will be settled
    dist_[v] = uint32_t(d);
    heap_.push_back((d << 32) | v);
    std::push_heap(heap_.begin(), heap_.end(), kMinHeap);
  };
  for (const routing::Seed& s : seeds) push(s.node, s.time_ms);
  while (!heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), kMinHeap);
    const uint64_t top = heap_.back();
    heap_.pop_back();
    const uint32_t d = uint32_t(top >> 32);
    const routing::NodeId v = routing::NodeId(top);
    if (d != dist_[v]) continue;
    for (uint32_t a = g.first_out[v]; a < g.first_out[v + 1]; ++a) {
      push(g.head[a], uint64_t(d) + g.time_ms[a]);
    }
  }
  // Every touched node was pushed within the limit, so it is reached; reset for the next run.
  for (routing::NodeId v : reached) dist_[v] = routing::kInfinity;
  std::sort(reached.begin(), reached.end());
}

}  // namespace liandong::dispatch::internal
