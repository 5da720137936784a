#include "routing/graph.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace liandong::routing {

Coord Coord::from_degrees(double lon, double lat) {
  return Coord{int32_t(std::lround(lon * 1e7)), int32_t(std::lround(lat * 1e7))};
}

bool Graph::has_coordinates() const {
  return std::any_of(coord.begin(), coord.end(), [](const Coord& c) { return c != Coord{}; });
}

std::vector<NodeId> Graph::tails() const {
  std::vector<NodeId> tail(arc_count());
  for (NodeId v = 0; v < node_count(); ++v) {
    for (uint32_t a = first_out[v]; a < first_out[v + 1]; ++a) tail[a] = v;
  }
  return tail;
}

core::Status Graph::check() const {
  using core::invalid;
  if (first_out.empty()) return invalid("graph: first_out is empty (it has node count + 1 entries)");
  const uint64_t n = first_out.size() - 1;
  const uint64_t m = head.size();
  if (first_out.front() != 0) return invalid("graph: first_out[0] is not 0");
  if (first_out.back() != m) {
    return invalid("graph: first_out ends at " + std::to_string(first_out.back()) + " but there are " +
                   std::to_string(m) + " arcs");
  }
  for (uint64_t v = 0; v < n; ++v) {
    if (first_out[v] > first_out[v + 1]) {
      return invalid("graph: first_out decreases at node " + std::to_string(v));
    }
  }
  if (time_ms.size() != m || length_m.size() != m || road_class.size() != m) {
    return invalid("graph: per-arc arrays (time, length, class) do not all have " +
                   std::to_string(m) + " entries");
  }
  if (coord.size() != n) return invalid("graph: coordinates do not match the node count");
  if (!external_id.empty() && external_id.size() != n) {
    return invalid("graph: external ids do not match the node count");
  }
  for (uint64_t a = 0; a < m; ++a) {
    if (head[a] >= n) return invalid("graph: arc " + std::to_string(a) + " points past the last node");
    if (time_ms[a] == kInfinity) return invalid("graph: arc " + std::to_string(a) + " has an infinite time");
    if (uint8_t(road_class[a]) > uint8_t(RoadClass::kOther)) {
      return invalid("graph: arc " + std::to_string(a) + " has an unknown road class");
    }
  }
  if (shape_first.size() != m + 1 || shape_first.front() != 0 || shape_first.back() != shape.size()) {
    return invalid("graph: shape index does not match the arcs and shape points");
  }
  for (uint64_t a = 0; a < m; ++a) {
    if (shape_first[a] > shape_first[a + 1]) return invalid("graph: shape index decreases at arc " + std::to_string(a));
  }
  return core::Status::ok();
}

NodeId GraphBuilder::add_node(Coord coord, uint64_t external_id) {
  coord_.push_back(coord);
  external_.push_back(external_id);
  return NodeId(coord_.size() - 1);
}

void GraphBuilder::add_arc(NodeId tail, NodeId head, uint32_t time_ms, uint32_t length_m,
                           RoadClass road_class, std::span<const Coord> shape) {
  arc_tail_.push_back(tail);
  arc_head_.push_back(head);
  arc_time_.push_back(time_ms);
  arc_length_.push_back(length_m);
  arc_class_.push_back(road_class);
  arc_shape_first_.push_back(uint32_t(shape_.size()));
  shape_.insert(shape_.end(), shape.begin(), shape.end());
}

Graph GraphBuilder::build() && {
  Graph g;
  const uint32_t n = node_count();
  const uint32_t m = arc_count();
  g.first_out.assign(n + 1, 0);
  for (uint32_t a = 0; a < m; ++a) ++g.first_out[arc_tail_[a] + 1];
  for (uint32_t v = 0; v < n; ++v) g.first_out[v + 1] += g.first_out[v];
  std::vector<uint32_t> order(m);
  {
    std::vector<uint32_t> next(g.first_out.begin(), g.first_out.end() - 1);
    for (uint32_t a = 0; a < m; ++a) order[next[arc_tail_[a]]++] = a;  // stable by tail
  }
  g.head.resize(m);
  g.time_ms.resize(m);
  g.length_m.resize(m);
  g.road_class.resize(m);
  g.shape_first.resize(m + 1);
  g.shape.reserve(shape_.size());
  for (uint32_t i = 0; i < m; ++i) {
    const uint32_t a = order[i];
    g.head[i] = arc_head_[a];
    g.time_ms[i] = arc_time_[a];
    g.length_m[i] = arc_length_[a];
    g.road_class[i] = arc_class_[a];
    g.shape_first[i] = uint32_t(g.shape.size());
    const uint32_t end = a + 1 < m ? arc_shape_first_[a + 1] : uint32_t(shape_.size());
    g.shape.insert(g.shape.end(), shape_.begin() + arc_shape_first_[a], shape_.begin() + end);
  }
  g.shape_first[m] = uint32_t(g.shape.size());
  g.coord = std::move(coord_);
  bool identity = true;
  for (uint32_t v = 0; v < n && identity; ++v) identity = external_[v] == v;
  if (!identity) g.external_id = std::move(external_);
  return g;
}

ReverseIndex ReverseIndex::build(const Graph& graph) {
  ReverseIndex r;
  const uint32_t n = graph.node_count();
  const uint32_t m = graph.arc_count();
  r.first_in.assign(n + 1, 0);
  for (uint32_t a = 0; a < m; ++a) ++r.first_in[graph.head[a] + 1];
  for (uint32_t v = 0; v < n; ++v) r.first_in[v + 1] += r.first_in[v];
  r.in_arc.resize(m);
  r.in_tail.resize(m);
  std::vector<uint32_t> next(r.first_in.begin(), r.first_in.end() - 1);
  for (NodeId v = 0; v < n; ++v) {
    for (uint32_t a = graph.first_out[v]; a < graph.first_out[v + 1]; ++a) {
      const uint32_t slot = next[graph.head[a]]++;
      r.in_arc[slot] = a;
      r.in_tail[slot] = v;
    }
  }
  return r;
}

NodeId tail_of(const Graph& graph, ArcId a) {
  // The last node whose first arc is <= a and that has arcs.
  const auto it = std::upper_bound(graph.first_out.begin(), graph.first_out.end(), a);
  return NodeId(it - graph.first_out.begin() - 1);
}

ArcId find_arc(const Graph& graph, NodeId tail, NodeId head) {
  ArcId best = kInvalid;
  for (uint32_t a = graph.first_out[tail]; a < graph.first_out[tail + 1]; ++a) {
    if (graph.head[a] == head && (best == kInvalid || graph.time_ms[a] < graph.time_ms[best])) best = a;
  }
  return best;
}

ArcId find_twin(const Graph& graph, const std::vector<NodeId>& tails, ArcId a) {
  const NodeId from = graph.head[a];
  const NodeId to = tails[a];
  ArcId best = kInvalid;
  for (uint32_t b = graph.first_out[from]; b < graph.first_out[from + 1]; ++b) {
    if (graph.head[b] != to || b == a) continue;
    if (graph.length_m[a] != 0) {
      const int64_t diff = int64_t(graph.length_m[a]) - int64_t(graph.length_m[b]);
      if (diff < -1 || diff > 1) continue;
    }
    if (best == kInvalid || graph.time_ms[b] < graph.time_ms[best]) best = b;
  }
  return best;
}

}  // namespace liandong::routing
