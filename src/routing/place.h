// Where a unit or an incident is on the road graph: at a node, or part-way along an arc (what
// snapping a GPS fix gives). The searches start from "seeds": the nodes a place leaves to (with the
// time to get there) and the nodes it is reached from.
#pragma once

#include <cstdint>
#include <vector>

#include "routing/graph.h"

namespace liandong::routing {

struct Seed {
  NodeId node = kInvalid;
  uint32_t time_ms = 0;  // time between the place and the node
  bool operator==(const Seed&) const = default;
};

struct Place {
  NodeId node = kInvalid;  // a node place, or kInvalid for a place on an arc
  ArcId arc = kInvalid;    // the arc the place is on
  uint32_t along_ms = 0;   // time from the arc's tail to the place (<= time_ms[arc])
  ArcId twin = kInvalid;   // the opposite arc of a two-way road (kInvalid on a one-way road)

  static Place at_node(NodeId v) { return Place{v, kInvalid, 0, kInvalid}; }
  bool valid() const { return node != kInvalid || arc != kInvalid; }
  bool operator==(const Place&) const = default;
};

// Seeds to leave `place` (forward): its node at 0, or the arc's head after the rest of the arc
// and, on a two-way road, the arc's tail by the twin arc. `tails` = graph.tails().
void departure_seeds(const Graph& graph, const Place& place, std::vector<Seed>& out);
// Seeds to reach `place` (backward): its node at 0, or the arc's tail plus along_ms and, on a
// two-way road, the arc's head plus the matching part of the twin.
void arrival_seeds(const Graph& graph, const Place& place, std::vector<Seed>& out);

// Where `place` is on `arc` (time from the arc's tail) when the place lies on it or on its twin,
// else kInfinity.
uint32_t along_on(const Graph& graph, const Place& place, ArcId arc);

// The time from `from` to `to` without leaving the road they are both on (same arc or its twin,
// `from` before `to` in the direction of travel), or kInfinity. Searches through nodes miss this
// case, so every query takes the minimum of the two.
uint32_t same_road_time(const Graph& graph, const Place& from, const Place& to);

}  // namespace liandong::routing
