#include "routing/ch_query.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace liandong::routing {
namespace {

constexpr uint64_t key(uint32_t d, uint32_t r) { return (uint64_t(d) << 32) | r; }
constexpr std::greater<uint64_t> kMinHeap{};

// Local metres between two coordinates (equirectangular; fine along one road).
double metres(const Coord& a, const Coord& b) {
  constexpr double kMetresPerDegree = 111195.08;
  const double mean_lat = (a.lat() + b.lat()) * 0.5 * M_PI / 180.0;
  const double dx = (b.lon() - a.lon()) * std::cos(mean_lat) * kMetresPerDegree;
  const double dy = (b.lat() - a.lat()) * kMetresPerDegree;
  return std::sqrt(dx * dx + dy * dy);
}

void arc_polyline(const Graph& g, ArcId a, NodeId tail, std::vector<Coord>& out) {
  out.clear();
  out.push_back(g.coord[tail]);
  for (uint32_t i = g.shape_first[a]; i < g.shape_first[a + 1]; ++i) out.push_back(g.shape[i]);
  out.push_back(g.coord[g.head[a]]);
}

// Appends the part of arc a's polyline between fractions `from` and `to` (0 = tail, 1 = head) of
// its length.
void append_part(const Graph& g, ArcId a, double from, double to, std::vector<Coord>& out) {
  std::vector<Coord> line;
  arc_polyline(g, a, tail_of(g, a), line);
  double total = 0;
  for (size_t i = 1; i < line.size(); ++i) total += metres(line[i - 1], line[i]);
  const double start = from * total, end = to * total;
  auto lerp = [](const Coord& p, const Coord& q, double t) {
    return Coord{int32_t(std::lround(p.lon_e7 + (q.lon_e7 - p.lon_e7) * t)),
                 int32_t(std::lround(p.lat_e7 + (q.lat_e7 - p.lat_e7) * t))};
  };
  double walked = 0;
  bool started = false;
  for (size_t i = 1; i < line.size(); ++i) {
    const double len = metres(line[i - 1], line[i]);
    const double next = walked + len;
    if (!started && next >= start) {
      out.push_back(len > 0 ? lerp(line[i - 1], line[i], (start - walked) / len) : line[i - 1]);
      started = true;
    }
    if (started) {
      if (next >= end) {
        out.push_back(len > 0 ? lerp(line[i - 1], line[i], (end - walked) / len) : line[i]);
        return;
      }
      out.push_back(line[i]);
    }
    walked = next;
  }
  if (!started) out.push_back(line.back());
}

double fraction_of(const Graph& g, ArcId a, uint32_t along_ms) {
  const uint32_t t = g.time_ms[a];
  return t == 0 ? 0.0 : std::min(1.0, double(along_ms) / t);
}

}  // namespace

ChQuery::ChQuery(const Graph& graph, const ContractionHierarchy& ch) : graph_(graph), ch_(ch) {
  for (int side = 0; side < 2; ++side) {
    dist_[side].assign(ch.node_count(), kInfinity);
    parent_[side].assign(ch.node_count(), kInvalid);
  }
}

// Bidirectional upward search over ranks. Side 0 walks up arcs from the sources, side 1 down
// arcs (against their direction) from the targets. Stall-on-demand: a node reached more cheaply
// through a higher neighbour (seen by the same side) is not expanded.
uint32_t ChQuery::search(const std::vector<Seed>& forward, const std::vector<Seed>& backward,
                         uint32_t* meeting) {
  for (int side = 0; side < 2; ++side) {
    for (uint32_t r : touched_[side]) {
      dist_[side][r] = kInfinity;
      parent_[side][r] = kInvalid;
    }
    touched_[side].clear();
    heap_[side].clear();
  }
  settled_ = 0;
  auto push = [&](int side, uint32_t r, uint32_t d, uint32_t via) {
    if (d >= dist_[side][r]) return;
    if (dist_[side][r] == kInfinity) touched_[side].push_back(r);
    dist_[side][r] = d;
    parent_[side][r] = via;
    heap_[side].push_back(key(d, r));
    std::push_heap(heap_[side].begin(), heap_[side].end(), kMinHeap);
  };
  for (const Seed& s : forward) push(0, ch_.rank[s.node], s.time_ms, kInvalid);
  for (const Seed& s : backward) push(1, ch_.rank[s.node], s.time_ms, kInvalid);

  uint32_t best = kInfinity;
  *meeting = kInvalid;
  while (true) {
    int side = -1;
    uint64_t least = UINT64_MAX;
    for (int s = 0; s < 2; ++s) {
      if (!heap_[s].empty() && heap_[s].front() < least && uint32_t(heap_[s].front() >> 32) < best) {
        least = heap_[s].front();
        side = s;
      }
    }
    if (side < 0) break;
    auto& heap = heap_[side];
    std::pop_heap(heap.begin(), heap.end(), kMinHeap);
    heap.pop_back();
    const uint32_t d = uint32_t(least >> 32);
    const uint32_t r = uint32_t(least);
    if (d != dist_[side][r]) continue;
    ++settled_;
    const uint32_t other = dist_[1 - side][r];
    if (other != kInfinity && uint64_t(d) + other < best) {
      best = d + other;
      *meeting = r;
    }
    // Stall: the opposite-direction arcs of r lead to higher nodes this side may have reached.
    const auto& stall_first = side == 0 ? ch_.down_first : ch_.up_first;
    const auto& stall_arcs = side == 0 ? ch_.down : ch_.up;
    bool stalled = false;
    for (uint32_t i = stall_first[r]; i < stall_first[r + 1]; ++i) {
      const uint32_t x = stall_arcs[i].other;
      if (dist_[side][x] != kInfinity && uint64_t(dist_[side][x]) + stall_arcs[i].weight < d) {
        stalled = true;
        break;
      }
    }
    if (stalled) continue;
    const auto& first = side == 0 ? ch_.up_first : ch_.down_first;
    const auto& arcs = side == 0 ? ch_.up : ch_.down;
    for (uint32_t i = first[r]; i < first[r + 1]; ++i) {
      const uint64_t nd = uint64_t(d) + arcs[i].weight;
      if (nd < kInfinity) push(side, arcs[i].other, uint32_t(nd), i);
    }
  }
  return best;
}

uint32_t ChQuery::distance(NodeId s, NodeId t) {
  return distance(Place::at_node(s), Place::at_node(t));
}

uint32_t ChQuery::distance(const Place& from, const Place& to) {
  departure_seeds(graph_, from, seeds_[0]);
  arrival_seeds(graph_, to, seeds_[1]);
  uint32_t meeting;
  const uint32_t via_nodes = search(seeds_[0], seeds_[1], &meeting);
  return std::min(via_nodes, same_road_time(graph_, from, to));
}

namespace {

// Finds the CH arc from rank x to rank y (graph direction) stored at the lower of the two, and
// appends its original arcs. Shortcuts x → m → y have m below both: x → m is a down arc at m,
// m → y an up arc at m.
void unpack(const ContractionHierarchy& ch, uint32_t x, uint32_t y, uint32_t weight,
            std::vector<ArcId>& out) {
  const ChArc* found = nullptr;
  if (x < y) {
    for (uint32_t i = ch.up_first[x]; i < ch.up_first[x + 1]; ++i) {
      if (ch.up[i].other == y && ch.up[i].weight == weight) { found = &ch.up[i]; break; }
    }
  } else {
    for (uint32_t i = ch.down_first[y]; i < ch.down_first[y + 1]; ++i) {
      if (ch.down[i].other == x && ch.down[i].weight == weight) { found = &ch.down[i]; break; }
    }
  }
  if (found == nullptr) return;  // cannot happen on a checked hierarchy
  if (!found->is_shortcut()) {
    out.push_back(found->unpack);
    return;
  }
  const uint32_t m = found->middle();
  // The halves' weights sum to the shortcut's; find x → m (down at m) then m → y (up at m).
  for (uint32_t i = ch.down_first[m]; i < ch.down_first[m + 1]; ++i) {
    if (ch.down[i].other != x || ch.down[i].weight > weight) continue;
    const uint32_t rest = weight - ch.down[i].weight;
    for (uint32_t j = ch.up_first[m]; j < ch.up_first[m + 1]; ++j) {
      if (ch.up[j].other == y && ch.up[j].weight == rest) {
        unpack(ch, x, m, ch.down[i].weight, out);
        unpack(ch, m, y, rest, out);
        return;
      }
    }
  }
}

}  // namespace

Route ChQuery::route(const Place& from, const Place& to) {
  Route route;
  departure_seeds(graph_, from, seeds_[0]);
  arrival_seeds(graph_, to, seeds_[1]);
  uint32_t meeting;
  const uint32_t via_nodes = search(seeds_[0], seeds_[1], &meeting);
  const uint32_t direct = same_road_time(graph_, from, to);
  if (direct != kInfinity && direct <= via_nodes) {
    // Along one road: the part of the arc (or its twin) between the two places.
    route.time_ms = direct;
    const uint32_t to_on_arc = along_on(graph_, to, from.arc);
    const ArcId arc =
        to_on_arc != kInfinity && to_on_arc >= from.along_ms ? from.arc : from.twin;
    const double a = fraction_of(graph_, arc, along_on(graph_, from, arc));
    const double b = fraction_of(graph_, arc, along_on(graph_, to, arc));
    route.arcs.push_back(arc);
    append_part(graph_, arc, a, b, route.geometry);
    route.length_m = uint32_t(std::lround(graph_.length_m[arc] * std::max(0.0, b - a)));
    return route;
  }
  if (via_nodes == kInfinity) return route;
  route.time_ms = via_nodes;
  // The chain of CH arcs: sources → meeting (side 0 parents are up arcs), meeting → targets.
  std::vector<std::pair<uint32_t, uint32_t>> up_chain;  // (from rank, to rank)
  std::vector<uint32_t> up_weights;
  for (uint32_t r = meeting; parent_[0][r] != kInvalid;) {
    const uint32_t i = parent_[0][r];
    // Up arc i is stored at the rank p whose range holds i.
    const uint32_t p = uint32_t(std::upper_bound(ch_.up_first.begin(), ch_.up_first.end(), i) -
                                ch_.up_first.begin() - 1);
    up_chain.push_back({p, r});
    up_weights.push_back(ch_.up[i].weight);
    r = p;
  }
  std::vector<ArcId> middle;
  for (size_t k = up_chain.size(); k-- > 0;) {
    unpack(ch_, up_chain[k].first, up_chain[k].second, up_weights[k], middle);
  }
  for (uint32_t r = meeting; parent_[1][r] != kInvalid;) {
    const uint32_t i = parent_[1][r];
    const uint32_t p = uint32_t(std::upper_bound(ch_.down_first.begin(), ch_.down_first.end(), i) -
                                ch_.down_first.begin() - 1);
    unpack(ch_, r, p, ch_.down[i].weight, middle);
    r = p;
  }
  // The first and last seed nodes tell which way the route leaves and reaches the places.
  NodeId start = middle.empty() ? ch_.order[meeting] : tail_of(graph_, middle.front());
  NodeId end = middle.empty() ? ch_.order[meeting] : graph_.head[middle.back()];
  if (from.node == kInvalid) {
    const ArcId arc = graph_.head[from.arc] == start || from.twin == kInvalid ? from.arc : from.twin;
    const double a = fraction_of(graph_, arc, along_on(graph_, from, arc));
    route.arcs.push_back(arc);
    append_part(graph_, arc, a, 1.0, route.geometry);
    route.length_m += uint32_t(std::lround(graph_.length_m[arc] * (1.0 - a)));
  }
  std::vector<Coord> body;
  arcs_geometry(graph_, middle, body);
  if (!route.geometry.empty() && !body.empty()) body.erase(body.begin());
  route.geometry.insert(route.geometry.end(), body.begin(), body.end());
  for (ArcId a : middle) {
    route.arcs.push_back(a);
    route.length_m += graph_.length_m[a];
  }
  if (to.node == kInvalid) {
    const ArcId arc = tail_of(graph_, to.arc) == end || to.twin == kInvalid ? to.arc : to.twin;
    const double b = fraction_of(graph_, arc, along_on(graph_, to, arc));
    route.arcs.push_back(arc);
    std::vector<Coord> tail_part;
    append_part(graph_, arc, 0.0, b, tail_part);
    if (!route.geometry.empty() && !tail_part.empty()) tail_part.erase(tail_part.begin());
    route.geometry.insert(route.geometry.end(), tail_part.begin(), tail_part.end());
    route.length_m += uint32_t(std::lround(graph_.length_m[arc] * b));
  }
  return route;
}

void arcs_geometry(const Graph& graph, const std::vector<ArcId>& arcs, std::vector<Coord>& out) {
  out.clear();
  for (size_t k = 0; k < arcs.size(); ++k) {
    const ArcId a = arcs[k];
    if (k == 0) out.push_back(graph.coord[tail_of(graph, a)]);
    for (uint32_t i = graph.shape_first[a]; i < graph.shape_first[a + 1]; ++i) {
      out.push_back(graph.shape[i]);
    }
    out.push_back(graph.coord[graph.head[a]]);
  }
}

}  // namespace liandong::routing
