#include "routing/dijkstra.h"

#include <algorithm>
#include <functional>

namespace liandong::routing {
namespace {

constexpr uint64_t key(uint32_t d, uint32_t v) { return (uint64_t(d) << 32) | v; }
constexpr std::greater<uint64_t> kMinHeap{};

}  // namespace

Dijkstra::Dijkstra(const Graph& graph, const ReverseIndex* reverse)
    : graph_(graph), reverse_(reverse), dist_(graph.node_count(), kInfinity) {}

const ReverseIndex& Dijkstra::reverse_index() {
  if (reverse_ == nullptr) {
    own_reverse_ = std::make_unique<ReverseIndex>(ReverseIndex::build(graph_));
    reverse_ = own_reverse_.get();
  }
  return *reverse_;
}

void Dijkstra::reset() {
  for (NodeId v : touched_) dist_[v] = kInfinity;
  touched_.clear();
  heap_.clear();
  settled_ = 0;
}

bool Dijkstra::pop(uint32_t* d, NodeId* v) {
  while (!heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), kMinHeap);
    const uint64_t top = heap_.back();
    heap_.pop_back();
    *d = uint32_t(top >> 32);
    *v = NodeId(top);
    if (*d == dist_[*v]) return true;  // else a stale entry (lazy deletion)
  }
  return false;
}

void Dijkstra::push(NodeId v, uint32_t d) {
  if (d >= dist_[v]) return;
  if (dist_[v] == kInfinity) touched_.push_back(v);
  dist_[v] = d;
  heap_.push_back(key(d, v));
  std::push_heap(heap_.begin(), heap_.end(), kMinHeap);
}

const std::vector<uint32_t>& Dijkstra::all(std::span<const Seed> seeds, bool reverse) {
  if (reverse) reverse_index();
  reset();
  for (const Seed& s : seeds) push(s.node, s.time_ms);
  uint32_t d;
  NodeId v;
  while (pop(&d, &v)) {
    ++settled_;
    if (!reverse) {
      for (uint32_t a = graph_.first_out[v]; a < graph_.first_out[v + 1]; ++a) {
        push(graph_.head[a], d + graph_.time_ms[a]);
      }
    } else {
      for (uint32_t i = reverse_->first_in[v]; i < reverse_->first_in[v + 1]; ++i) {
        push(reverse_->in_tail[i], d + graph_.time_ms[reverse_->in_arc[i]]);
      }
    }
  }
  return dist_;
}

uint32_t Dijkstra::distance(NodeId source, NodeId target) {
  return distance(Place::at_node(source), Place::at_node(target));
}

uint32_t Dijkstra::distance(const Place& from, const Place& to) {
  reset();
  std::vector<Seed> seeds;
  departure_seeds(graph_, from, seeds);
  for (const Seed& s : seeds) push(s.node, s.time_ms);
  std::vector<Seed> arrivals;
  arrival_seeds(graph_, to, arrivals);
  uint32_t best = same_road_time(graph_, from, to);
  uint32_t d;
  NodeId v;
  while (pop(&d, &v)) {
    if (d >= best) break;
    ++settled_;
    for (const Seed& a : arrivals) {
      if (a.node == v) best = std::min(best, d + a.time_ms);
    }
    for (uint32_t a = graph_.first_out[v]; a < graph_.first_out[v + 1]; ++a) {
      push(graph_.head[a], d + graph_.time_ms[a]);
    }
  }
  return best;
}

void Dijkstra::nearest(const Place& target, uint32_t k, std::span<const uint32_t> sources_first,
                       std::span<const uint32_t> sources_at,
                       const std::function<bool(uint32_t)>* accept, std::vector<SourceTime>& out) {
  out.clear();
  reverse_index();
  reset();
  if (k == 0) return;
  std::vector<Seed> seeds;
  arrival_seeds(graph_, target, seeds);
  for (const Seed& s : seeds) push(s.node, s.time_ms);
  // Sources found at a settled node are final: every later node is at least as far. Sources with
  // the same time as the k-th are all collected, then the list is cut by (time, id).
  uint32_t cutoff = kInfinity;
  uint32_t d;
  NodeId v;
  while (pop(&d, &v)) {
    if (d > cutoff) break;
    ++settled_;
    for (uint32_t i = sources_first[v]; i < sources_first[v + 1]; ++i) {
      const uint32_t s = sources_at[i];
      if (accept != nullptr && !(*accept)(s)) continue;
      out.push_back({s, d});
      if (out.size() >= k) cutoff = std::min(cutoff, d);
    }
    for (uint32_t i = reverse_->first_in[v]; i < reverse_->first_in[v + 1]; ++i) {
      push(reverse_->in_tail[i], d + graph_.time_ms[reverse_->in_arc[i]]);
    }
  }
  std::sort(out.begin(), out.end(), [](const SourceTime& a, const SourceTime& b) {
    return a.time_ms != b.time_ms ? a.time_ms < b.time_ms : a.source < b.source;
  });
  if (out.size() > k) out.resize(k);
}

}  // namespace liandong::routing
