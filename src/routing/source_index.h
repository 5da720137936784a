// Many-to-one travel times for sources that move: "which units reach this incident first?".
//
// Each source (a unit) does one upward search in the hierarchy from its place and leaves an entry
// (source, time) in the bucket of every node it settles. A query from a target does one upward
// backward search and combines the buckets it meets (Knopp et al. 2007, "Computing many-to-many
// shortest paths using highway hierarchies"; Geisberger's k-nearest variant). Buckets are kept
// sorted by time in blocks, so
//   - setting (adding or moving) one source costs one small upward search and O(log) bucket edits,
//     and does not touch other sources' work;
//   - the k nearest are found by merging buckets in time order and stopping at the k-th, without
//     scanning sources that cannot be among them.
// docs/ROUTING.md has the details.
//
// Each source belongs to one group (e.g. a unit type: ambulances, ladders). Buckets are kept per
// group, so "the 5 nearest ladders" reads only ladders' entries however many other units there
// are; a predicate (`accept`) can narrow further but must skip what it rejects, so a filter that
// lets few through is fast as a group and slow as a predicate.
//
// Source ids are the caller's (e.g. a unit's index); memory is proportional to the largest id, so
// keep them dense. Groups are small integers; each group used costs 4 bytes per graph node. Keeps references to the graph and hierarchy. Not thread-safe: the queries use
// scratch space too, so one thread at a time (the dispatch module serialises).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "routing/ch.h"
#include "routing/dijkstra.h"
#include "routing/graph.h"
#include "routing/place.h"

namespace liandong::routing {

class SourceIndex {
 public:
  SourceIndex(const Graph& graph, const ContractionHierarchy& ch);
  ~SourceIndex();
  SourceIndex(const SourceIndex&) = delete;
  SourceIndex& operator=(const SourceIndex&) = delete;

  // Adds `source` at `place` in `group`, or moves it there (and into `group`). A place that is
  // not valid removes it.
  void set(uint32_t source, const Place& place, uint32_t group = 0);
  void remove(uint32_t source);
  bool contains(uint32_t source) const;
  uint32_t size() const;

  // Which groups a query reads: all (the default), or the listed ones.
  struct Groups {
    std::vector<uint32_t> only;  // empty: every group
  };

  // Travel time from every source (of the groups) that can reach `target`, in no order.
  void times_to(const Place& target, std::vector<SourceTime>& out, const Groups& groups = {});

  // The k sources with the least travel time to `target` (ascending by time, then source id),
  // among those of `groups` that `accept` lets through (all when null). Fewer when fewer can
  // reach it.
  void nearest(const Place& target, uint32_t k, std::vector<SourceTime>& out,
               const std::function<bool(uint32_t)>* accept = nullptr, const Groups& groups = {});

  // Bucket entries held (memory and benchmark figure).
  uint64_t entry_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace liandong::routing
