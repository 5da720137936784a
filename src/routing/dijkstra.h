// Plain Dijkstra: the reference every faster algorithm is checked against, and the baseline the
// benchmark compares with. A Dijkstra object owns its scratch arrays and reuses them between runs
// (only the touched entries are reset), so repeated queries cost what they settle. Not
// thread-safe; use one object per thread. It keeps a reference to the graph.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "routing/graph.h"
#include "routing/place.h"

namespace liandong::routing {

struct SourceTime {
  uint32_t source = 0;   // the caller's source id
  uint32_t time_ms = 0;  // travel time from the source to the target
  bool operator==(const SourceTime&) const = default;
};

class Dijkstra {
 public:
  // Searches against the arc direction (reverse all(), nearest()) read `reverse`, which must
  // outlive the object; when it is null, the object builds its own on first need.
  Dijkstra(const Graph& graph, const ReverseIndex* reverse = nullptr);

  // One-to-all from `seeds` (node, starting time): fills and returns the time of every node
  // (kInfinity where unreachable). Forward: times from the seeds; reverse: times to them.
  const std::vector<uint32_t>& all(std::span<const Seed> seeds, bool reverse);

  // Point to point (forward), stopping when the target is settled; kInfinity when unreachable.
  uint32_t distance(NodeId source, NodeId target);
  uint32_t distance(const Place& from, const Place& to);

  // Stopping reverse Dijkstra from a target: the k sources with the least travel time to `target`
  // among those for which `accept` returns true (all when null), ascending by (time, source).
  // `sources_at[v]` lists the sources placed at node v; `sources_first` is CSR over nodes
  // (sources_first.size() == node_count()+1). It stops once k sources are settled.
  void nearest(const Place& target, uint32_t k, std::span<const uint32_t> sources_first,
               std::span<const uint32_t> sources_at, const std::function<bool(uint32_t)>* accept,
               std::vector<SourceTime>& out);

  // Nodes settled by the last run (for benchmarks and tests).
  uint64_t settled() const { return settled_; }

 private:
  void reset();
  void push(NodeId v, uint32_t d);
  // The next settled node in time order; false when the queue is empty.
  bool pop(uint32_t* d, NodeId* v);
  const ReverseIndex& reverse_index();
  const Graph& graph_;
  const ReverseIndex* reverse_;
  std::unique_ptr<ReverseIndex> own_reverse_;
  std::vector<uint32_t> dist_;
  std::vector<NodeId> touched_;
  std::vector<uint64_t> heap_;  // (dist << 32 | node), lazy deletion
  uint64_t settled_ = 0;
};

}  // namespace liandong::routing
