// One direction of an upward search in a contraction hierarchy, with stall-on-demand: the
// search that ChQuery runs from both ends and that SourceIndex runs from a source (forward) or a
// target (backward). Nodes are ranks. Forward searches follow up arcs and stall on down arcs;
// backward searches follow down arcs against their direction and stall on up arcs.
//
// Scratch arrays are sized to the hierarchy and reset through the list of touched nodes, so a
// search costs what it settles. Not thread-safe; keeps a reference to the hierarchy.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include "routing/ch.h"

namespace liandong::routing::internal {

class UpwardSearch {
 public:
  // `parents`: keep each node's parent (for paths; searches that need only times skip it).
  UpwardSearch(const ContractionHierarchy& ch, bool forward, bool parents)
      : ch_(ch),
        forward_(forward),
        dist_(ch.node_count(), kInfinity),
        parent_(parents ? ch.node_count() : 0, kInvalid) {}

  void clear() {
    for (uint32_t r : touched_) dist_[r] = kInfinity;
    if (!parent_.empty()) {
      for (uint32_t r : touched_) parent_[r] = kInvalid;
    }
    touched_.clear();
    heap_.clear();
  }

  // Reaches rank r at time d from rank `parent` (kInvalid for a seed), if that is better.
  void push(uint32_t r, uint32_t d, uint32_t parent = kInvalid) {
    if (d >= dist_[r]) return;
    if (dist_[r] == kInfinity) touched_.push_back(r);
    dist_[r] = d;
    if (!parent_.empty()) parent_[r] = parent;
    heap_.push_back((uint64_t(d) << 32) | r);
    std::push_heap(heap_.begin(), heap_.end(), std::greater<uint64_t>());
  }

  // The next node to settle as (time << 32 | rank), UINT64_MAX when there is none (stale
  // entries, left by nodes reached again more cheaply, are dropped here).
  uint64_t min_key() {
    while (!heap_.empty() && uint32_t(heap_.front() >> 32) != dist_[uint32_t(heap_.front())]) {
      pop_top();
    }
    return heap_.empty() ? UINT64_MAX : heap_.front();
  }
  // Its time, kInfinity when there is none.
  uint32_t min_time() {
    const uint64_t key = min_key();
    return key == UINT64_MAX ? kInfinity : uint32_t(key >> 32);
  }

  // Settles the next node: false when there is none. A node that a more important neighbour
  // reaches more cheaply (its time is not a shortest one) is returned with *stalled set and is
  // not expanded.
  bool settle_next(uint32_t* rank, uint32_t* d, bool* stalled) {
    uint64_t top;
    do {
      if (heap_.empty()) return false;
      top = pop_top();
    } while (uint32_t(top >> 32) != dist_[uint32_t(top)]);  // skip stale entries
    const uint32_t r = uint32_t(top);
    const uint32_t dr = uint32_t(top >> 32);
    const auto& stall_first = forward_ ? ch_.down_first : ch_.up_first;
    const auto& stall_arcs = forward_ ? ch_.down : ch_.up;
    *stalled = false;
    for (uint32_t i = stall_first[r]; i < stall_first[r + 1]; ++i) {
      const uint32_t x = stall_arcs[i].other;
      if (dist_[x] != kInfinity && uint64_t(dist_[x]) + stall_arcs[i].weight < dr) {
        *stalled = true;
        break;
      }
    }
    if (!*stalled) {
      const auto& first = forward_ ? ch_.up_first : ch_.down_first;
      const auto& arcs = forward_ ? ch_.up : ch_.down;
      for (uint32_t i = first[r]; i < first[r + 1]; ++i) {
        const uint64_t nd = uint64_t(dr) + arcs[i].weight;
        if (nd < kInfinity) push(arcs[i].other, uint32_t(nd), r);
      }
    }
    *rank = r;
    *d = dr;
    return true;
  }

  uint32_t dist(uint32_t r) const { return dist_[r]; }
  // The rank r was last reached from (kInvalid for a seed or an unreached node); only with
  // `parents`.
  uint32_t parent(uint32_t r) const { return parent_[r]; }

 private:
  uint64_t pop_top() {
    std::pop_heap(heap_.begin(), heap_.end(), std::greater<uint64_t>());
    const uint64_t top = heap_.back();
    heap_.pop_back();
    return top;
  }

  const ContractionHierarchy& ch_;
  const bool forward_;
  std::vector<uint32_t> dist_;
  std::vector<uint32_t> parent_;
  std::vector<uint32_t> touched_;
  std::vector<uint64_t> heap_;  // (time << 32 | rank), lazy deletion
};

}  // namespace liandong::routing::internal
