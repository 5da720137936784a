#include "routing/ch_query.h"

#include "routing/internal/upward_search.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace liandong::routing {
namespace {


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
  side_[0] = std::make_unique<internal::UpwardSearch>(ch, true, true);
  side_[1] = std::make_unique<internal::UpwardSearch>(ch, false, true);
}

ChQuery::~ChQuery() = default;

// Bidirectional upward search: always the side with the smaller next key, each side until its
// next time reaches the best meeting found.
uint32_t ChQuery::search(const std::vector<Seed>& forward, const std::vector<Seed>& backward,
                         uint32_t* meeting) {
  internal::UpwardSearch& f = *side_[0];
  internal::UpwardSearch& b = *side_[1];
  f.clear();
  b.clear();
  settled_ = 0;
  for (const Seed& s : forward) f.push(ch_.rank[s.node], s.time_ms);
  for (const Seed& s : backward) b.push(ch_.rank[s.node], s.time_ms);

  uint32_t best = kInfinity;
  *meeting = kInvalid;
  while (true) {
    int side = -1;
    uint64_t least = UINT64_MAX;
    for (int s = 0; s < 2; ++s) {
      const uint64_t key = side_[s]->min_key();
      if (key < least && uint32_t(key >> 32) < best) {
        least = key;
        side = s;
      }
    }
    if (side < 0) break;
    uint32_t r = 0, d = 0;  // min_key() said there is a node to settle
    bool stalled;
    side_[side]->settle_next(&r, &d, &stalled);
    ++settled_;
    const uint32_t other = side_[1 - side]->dist(r);
    if (other != kInfinity && uint64_t(d) + other < best) {
      best = d + other;
      *meeting = r;
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
  // The chain of CH arcs: sources → meeting (forward parents, up arcs), meeting → targets
  // (backward parents, down arcs); each arc's weight is the difference of its ends' times.
  const internal::UpwardSearch& f = *side_[0];
  const internal::UpwardSearch& b = *side_[1];
  std::vector<uint32_t> up_chain{meeting};  // meeting, ..., the first rank after the start
  for (uint32_t r = meeting; f.parent(r) != kInvalid; r = f.parent(r)) up_chain.push_back(f.parent(r));
  std::vector<ArcId> middle;
  for (size_t k = up_chain.size() - 1; k > 0; --k) {
    const uint32_t p = up_chain[k], r = up_chain[k - 1];
    unpack(ch_, p, r, f.dist(r) - f.dist(p), middle);
  }
  for (uint32_t r = meeting; b.parent(r) != kInvalid; r = b.parent(r)) {
    const uint32_t p = b.parent(r);
    unpack(ch_, r, p, b.dist(r) - b.dist(p), middle);
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
