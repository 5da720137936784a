#include "dispatch/internal/assignment_solver.h"

#include <algorithm>
#include <bit>
#include <queue>

namespace liandong::dispatch::internal {
namespace {

// Costs compare lexicographically (eta first, then rank): an ordered group, so Dijkstra with
// potentials works on it as on numbers, and sums cannot overflow as a packed single number could.
struct Cost {
  int64_t eta = 0;
  int64_t rank = 0;
};
bool operator<(const Cost& a, const Cost& b) {
  return a.eta != b.eta ? a.eta < b.eta : a.rank < b.rank;
}
bool operator==(const Cost& a, const Cost& b) { return a.eta == b.eta && a.rank == b.rank; }
Cost operator+(const Cost& a, const Cost& b) { return {a.eta + b.eta, a.rank + b.rank}; }
Cost operator-(const Cost& a, const Cost& b) { return {a.eta - b.eta, a.rank - b.rank}; }
Cost operator-(const Cost& a) { return {-a.eta, -a.rank}; }

// Successive shortest paths. Every augmenting path ends in a candidate → sink arc of capacity 1,
// so each round adds exactly one filled position.
class MinCostFlow {
 public:
  explicit MinCostFlow(uint32_t nodes) : out_(nodes) {}

  uint32_t add_arc(uint32_t from, uint32_t to, uint32_t capacity, Cost cost) {
    const uint32_t a = uint32_t(arcs_.size());
    arcs_.push_back({to, capacity, cost});
    out_[from].push_back(a);
    arcs_.push_back({from, 0, -cost});
    out_[to].push_back(a + 1);
    return a;
  }

  bool used(uint32_t arc) const { return arcs_[arc].capacity == 0; }

  void run(uint32_t source, uint32_t sink) {
    const uint32_t n = uint32_t(out_.size());
    std::vector<Cost> potential(n);
    std::vector<Cost> dist(n);
    std::vector<bool> reached(n), done(n);
    std::vector<uint32_t> via(n);  // the arc that reached each node
    using Entry = std::pair<Cost, uint32_t>;
    auto later = [](const Entry& x, const Entry& y) {
      return y.first < x.first || (x.first == y.first && x.second > y.second);
    };
    std::priority_queue<Entry, std::vector<Entry>, decltype(later)> heap(later);
    for (;;) {
      std::fill(reached.begin(), reached.end(), false);
      std::fill(done.begin(), done.end(), false);
      dist[source] = {};
      reached[source] = true;
      heap.push({Cost{}, source});
      while (!heap.empty()) {
        const auto [d, u] = heap.top();
        heap.pop();
        if (done[u]) continue;
        done[u] = true;
        for (uint32_t a : out_[u]) {
          const Arc& arc = arcs_[a];
          if (arc.capacity == 0 || done[arc.to]) continue;
          // Reduced costs are >= 0 on residual arcs between reachable nodes.
          const Cost nd = d + arc.cost + potential[u] - potential[arc.to];
          if (!reached[arc.to] || nd < dist[arc.to]) {
            reached[arc.to] = true;
            dist[arc.to] = nd;
            via[arc.to] = a;
            heap.push({nd, arc.to});
          }
        }
      }
      if (!reached[sink]) return;
      // A node not reached now is never reached later (no residual arc can come to lead to it),
      // so its potential no longer matters.
      for (uint32_t v = 0; v < n; ++v) {
        if (reached[v]) potential[v] = potential[v] + dist[v];
      }
      for (uint32_t v = sink; v != source;) {
        const uint32_t a = via[v];
        arcs_[a].capacity -= 1;
        arcs_[a ^ 1].capacity += 1;
        v = arcs_[a ^ 1].to;
      }
    }
  }

 private:
  struct Arc {
    uint32_t to;
    uint32_t capacity;
    Cost cost;
  };
  std::vector<std::vector<uint32_t>> out_;
  std::vector<Arc> arcs_;  // arc a's residual twin is a ^ 1
};

}  // namespace

std::vector<uint32_t> solve_by_flow(std::span<const uint32_t> slot_counts,
                                    std::span<const Candidate> sorted) {
  const uint32_t slots = uint32_t(std::min<size_t>(slot_counts.size(), 64));
  const uint32_t n = uint32_t(sorted.size());
  std::vector<uint32_t> result(n, kNotChosen);
  uint64_t positions = 0;
  for (uint32_t i = 0; i < slots; ++i) positions += slot_counts[i];
  // A unit beyond a slot's best `positions` qualifying candidates never fills it in an optimum:
  // one of those better ones is free and could take its place.
  const uint64_t per_slot = std::min<uint64_t>(positions, n);

  const uint32_t source = 0, sink = 1 + slots + n;
  auto slot_node = [](uint32_t i) { return 1 + i; };
  auto candidate_node = [&](uint32_t j) { return 1 + slots + j; };
  MinCostFlow flow(sink + 1);
  struct Link {
    uint32_t arc, slot, candidate;
  };
  std::vector<Link> links;
  std::vector<bool> linked(n, false);
  for (uint32_t i = 0; i < slots; ++i) {
    if (slot_counts[i] == 0) continue;
    flow.add_arc(source, slot_node(i), slot_counts[i], {});
    uint64_t taken = 0;
    for (uint32_t j = 0; j < n && taken < per_slot; ++j) {
      if (((sorted[j].slots >> i) & 1) == 0) continue;
      const Cost cost{int64_t(sorted[j].eta_ms), int64_t(j)};
      links.push_back({flow.add_arc(slot_node(i), candidate_node(j), 1, cost), i, j});
      linked[j] = true;
      ++taken;
    }
  }
  for (uint32_t j = 0; j < n; ++j) {
    if (linked[j]) flow.add_arc(candidate_node(j), sink, 1, {});
  }
  flow.run(source, sink);
  for (const Link& l : links) {
    if (flow.used(l.arc)) result[l.candidate] = l.slot;
  }
  return result;
}

std::vector<uint32_t> solve_independent(std::span<const uint32_t> slot_counts,
                                        std::span<const Candidate> sorted) {
  const uint32_t slots = uint32_t(std::min<size_t>(slot_counts.size(), 64));
  std::vector<uint32_t> left(slot_counts.begin(), slot_counts.begin() + slots);
  std::vector<uint32_t> result(sorted.size(), kNotChosen);
  for (size_t j = 0; j < sorted.size(); ++j) {
    const uint64_t mask = sorted[j].slots;
    if (mask == 0) continue;
    const uint32_t i = uint32_t(std::countr_zero(mask));
    if (i < slots && left[i] > 0) {
      --left[i];
      result[j] = i;
    }
  }
  return result;
}

}  // namespace liandong::dispatch::internal
