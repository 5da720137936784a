// The road graph: a directed graph in compact arrays (CSR), the shape every routing algorithm reads.
//
// Nodes are numbered 0..n-1 and carry a WGS-84 coordinate (fixed point, 1e-7 degree) and, when the
// graph came from a file with its own ids (OSM node ids, DIMACS ids), that external id. The arcs
// leaving node v are first_out[v] .. first_out[v+1]-1; arc a goes to head[a], takes time_ms[a]
// milliseconds and is length_m[a] metres long (0 when unknown, as in DIMACS travel-time graphs).
// The road between the two ends of arc a bends through shape[shape_first[a] .. shape_first[a+1]-1]
// (intermediate points only; the end points are the nodes' coordinates), kept to draw routes.
//
// A Graph is a plain value: no hidden state, safe to read from many threads at once.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "core/status.h"

namespace liandong::routing {

using NodeId = uint32_t;
using ArcId = uint32_t;

// Unreachable travel time, and "no node/arc".
inline constexpr uint32_t kInfinity = std::numeric_limits<uint32_t>::max();
inline constexpr uint32_t kInvalid = std::numeric_limits<uint32_t>::max();

// A WGS-84 position in fixed point: degrees × 1e7 (about 1 cm).
struct Coord {
  int32_t lon_e7 = 0;
  int32_t lat_e7 = 0;
  double lon() const { return lon_e7 * 1e-7; }
  double lat() const { return lat_e7 * 1e-7; }
  static Coord from_degrees(double lon, double lat);
  bool operator==(const Coord&) const = default;
};

// Road class of an arc, for drawing (major roads first when zoomed out) and for reports.
enum class RoadClass : uint8_t {
  kMotorway = 0,
  kTrunk = 1,
  kPrimary = 2,
  kSecondary = 3,
  kTertiary = 4,
  kResidential = 5,
  kService = 6,
  kOther = 7,
};

struct Graph {
  std::vector<uint32_t> first_out;    // node_count() + 1 entries
  std::vector<NodeId> head;           // arc_count()
  std::vector<uint32_t> time_ms;      // arc_count()
  std::vector<uint32_t> length_m;     // arc_count(); 0 = unknown
  std::vector<RoadClass> road_class;  // arc_count()
  std::vector<Coord> coord;           // node_count(); all zero when the source had none
  std::vector<uint32_t> shape_first;  // arc_count() + 1
  std::vector<Coord> shape;           // intermediate shape points of all arcs
  std::vector<uint64_t> external_id;  // node_count(), or empty: the external id is the index

  uint32_t node_count() const { return first_out.empty() ? 0 : uint32_t(first_out.size() - 1); }
  uint32_t arc_count() const { return uint32_t(head.size()); }
  bool has_coordinates() const;

  // The tail of every arc (computed; arc_count() entries).
  std::vector<NodeId> tails() const;
  // The external id of node v (external_id[v], or v when there are none).
  uint64_t external(NodeId v) const { return external_id.empty() ? v : external_id[v]; }

  // Checks the arrays' sizes and ranges (heads < n, first_out monotone, shape indices in range).
  // Returns invalid_argument naming the first fault; a loaded file is checked with it.
  core::Status check() const;
};

// Collects nodes and arcs in any order and builds a Graph with arcs grouped by tail (the order of
// arcs with the same tail is kept). Not thread-safe.
class GraphBuilder {
 public:
  NodeId add_node(Coord coord, uint64_t external_id);
  void add_arc(NodeId tail, NodeId head, uint32_t time_ms, uint32_t length_m, RoadClass road_class,
               std::span<const Coord> shape = {});
  uint32_t node_count() const { return uint32_t(coord_.size()); }
  uint32_t arc_count() const { return uint32_t(arc_tail_.size()); }
  // Keep external ids only if they are not simply 0..n-1 (saves space for DIMACS-like inputs).
  Graph build() &&;

 private:
  std::vector<Coord> coord_;
  std::vector<uint64_t> external_;
  std::vector<NodeId> arc_tail_, arc_head_;
  std::vector<uint32_t> arc_time_, arc_length_;
  std::vector<RoadClass> arc_class_;
  std::vector<uint32_t> arc_shape_first_;
  std::vector<Coord> shape_;
};

// The transposed graph's arcs, for searches against the arc direction: for node v, the arcs
// entering v are in_arc[first_in[v] .. first_in[v+1]-1] (arc ids of the original graph), their
// tails in in_tail.
struct ReverseIndex {
  std::vector<uint32_t> first_in;
  std::vector<ArcId> in_arc;
  std::vector<NodeId> in_tail;
  static ReverseIndex build(const Graph& graph);
};

// The tail of arc a (binary search over first_out; O(log n)). Use Graph::tails() for many arcs.
NodeId tail_of(const Graph& graph, ArcId a);

// Finds the arc from `tail` to `head` with the least time, or kInvalid.
ArcId find_arc(const Graph& graph, NodeId tail, NodeId head);

// The opposite arc of arc a (head → tail) with the same length ± 1 m when lengths are known, or
// the least-time one otherwise; kInvalid on a one-way road.
ArcId find_twin(const Graph& graph, const std::vector<NodeId>& tails, ArcId a);

}  // namespace liandong::routing
