#include <gtest/gtest.h>

#include "routing/ascii_map.h"
#include "routing/ch.h"
#include "routing/ch_query.h"
#include "routing/dijkstra.h"
#include "routing/test_graphs.h"

namespace liandong::routing {
namespace {

using testing::AsciiMap;
using testing::AsciiRoad;
using testing::draw;

struct Network {
  AsciiMap map;
  ContractionHierarchy ch;
};

Network contract(AsciiMap map) {
  Network n{std::move(map), {}};
  EXPECT_TRUE(n.map.graph.check().is_ok());
  n.ch = build_contraction_hierarchy(n.map.graph, {});
  EXPECT_TRUE(n.ch.check(n.map.graph).is_ok()) << n.ch.check(n.map.graph).to_string();
  return n;
}

// Expected times as a table, OSRM feature-test style: each row "from to milliseconds".
struct Expect {
  char from, to;
  uint32_t ms;
};

void expect_times(const Network& n, const std::vector<Expect>& table) {
  ChQuery query(n.map.graph, n.ch);
  Dijkstra reference(n.map.graph);
  for (const Expect& e : table) {
    EXPECT_EQ(query.distance(n.map[e.from], n.map[e.to]), e.ms) << e.from << " → " << e.to;
    EXPECT_EQ(reference.distance(n.map[e.from], n.map[e.to]), e.ms) << "reference " << e.from << " → " << e.to;
  }
}

TEST(ChAscii, StraightRoad) {
  const auto n = contract(draw("a b c", {{"abc"}}, 50));  // one column = 50 m, two per step
  expect_times(n, {{'a', 'c', 20000}, {'c', 'a', 20000}, {'a', 'b', 10000}, {'b', 'b', 0}});
}

TEST(ChAscii, OneWayLoopForcesTheLongWayRound) {
  const auto n = contract(draw(R"(
a b
d c
)",
                               {{"abcda", 36, true}}));
  // a–b and c–d are two columns (200 m, 20 s), b–c and d–a one row (100 m, 10 s).
  expect_times(n, {{'a', 'b', 20000}, {'b', 'a', 10000 + 20000 + 10000}, {'a', 'd', 20000 + 10000 + 20000}});
}

TEST(ChAscii, FasterArterialBeatsShorterStreet) {
  const auto n = contract(draw(R"(
a.....b
.     .
c.....d
)",
                               {{"ab", 18}, {"acdb", 72}}));
  // a–b direct: 600 m at 5 m/s = 120 s; around: 200 + 600 + 200 = 1000 m at 20 m/s = 50 s.
  expect_times(n, {{'a', 'b', 50000}, {'b', 'a', 50000}});
}

TEST(ChAscii, UnreachableIsInfinity) {
  const auto n = contract(draw("a b   x", {{"ab"}}));
  expect_times(n, {{'a', 'x', kInfinity}, {'x', 'a', kInfinity}, {'x', 'x', 0}});
}

TEST(ChAscii, RouteUnpacksToOriginalArcsAndGeometry) {
  const auto n = contract(draw(R"(
a.b.c.d
      .
      e
)",
                               {{"abcde"}}));
  ChQuery query(n.map.graph, n.ch);
  const Route r = query.route(Place::at_node(n.map['a']), Place::at_node(n.map['e']));
  ASSERT_EQ(r.arcs.size(), 4u);
  EXPECT_EQ(r.time_ms, 80000u);
  EXPECT_EQ(r.length_m, 800u);
  EXPECT_EQ(tail_of(n.map.graph, r.arcs.front()), n.map['a']);
  EXPECT_EQ(n.map.graph.head[r.arcs.back()], n.map['e']);
  for (size_t i = 1; i < r.arcs.size(); ++i) {
    EXPECT_EQ(n.map.graph.head[r.arcs[i - 1]], tail_of(n.map.graph, r.arcs[i]));
  }
  ASSERT_EQ(r.geometry.size(), 5u);
  EXPECT_EQ(r.geometry.front(), n.map.graph.coord[n.map['a']]);
  EXPECT_EQ(r.geometry.back(), n.map.graph.coord[n.map['e']]);
}

TEST(ChAscii, PlacesPartWayAlongRoads) {
  // A one-way street a → b and a two-way street b – c.
  const auto n = contract(draw(R"(
a...b...c
)",
                               {{"ab", 36, true}, {"bc"}}));
  const Graph& g = n.map.graph;
  ChQuery query(g, n.ch);
  const ArcId ab = find_arc(g, n.map['a'], n.map['b']);
  const ArcId bc = find_arc(g, n.map['b'], n.map['c']);
  const ArcId cb = find_arc(g, n.map['c'], n.map['b']);
  ASSERT_NE(ab, kInvalid);
  ASSERT_EQ(find_twin(g, g.tails(), ab), kInvalid);
  ASSERT_EQ(find_twin(g, g.tails(), bc), cb);
  const Place on_ab{kInvalid, ab, 10000, kInvalid};  // 100 m after a (arc takes 40 s)
  const Place later_on_ab{kInvalid, ab, 30000, kInvalid};
  const Place on_bc{kInvalid, bc, 5000, cb};
  // Same road, in the direction of travel: 20 s; against a one-way: unreachable (no way back).
  EXPECT_EQ(query.distance(on_ab, later_on_ab), 20000u);
  EXPECT_EQ(query.distance(later_on_ab, on_ab), kInfinity);
  // From the one-way street onto the two-way street: rest of ab (30 s) + 5 s.
  EXPECT_EQ(query.distance(on_ab, on_bc), 35000u);
  // From bc back towards b and up to c both work on a two-way street.
  EXPECT_EQ(query.distance(on_bc, Place::at_node(n.map['b'])), 5000u);
  EXPECT_EQ(query.distance(on_bc, Place::at_node(n.map['c'])), 35000u);
  // The same place given by its twin: 5 s from b is 35 s from c along cb.
  const Place on_cb{kInvalid, cb, 35000, bc};
  EXPECT_EQ(query.distance(on_bc, on_cb), 0u);
  const Route r = query.route(on_ab, on_bc);
  EXPECT_EQ(r.time_ms, 35000u);
  ASSERT_EQ(r.arcs.size(), 2u);
  EXPECT_EQ(r.arcs[0], ab);
  EXPECT_EQ(r.arcs[1], bc);
  EXPECT_EQ(r.length_m, 350u);
  Dijkstra reference(g);
  EXPECT_EQ(reference.distance(on_ab, on_bc), 35000u);
  EXPECT_EQ(reference.distance(on_ab, later_on_ab), 20000u);
}

// Property: on random graphs with one-way streets, parallel arcs, loops and zero-time arcs, the
// hierarchy's answers equal Dijkstra's, and routes are connected chains whose times add up.
TEST(ChProperty, AgreesWithDijkstraOnRandomGraphs) {
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    const Graph g = testing::random_graph(seed <= 4 ? 60 : 900, seed);
    ASSERT_TRUE(g.check().is_ok());
    const ContractionHierarchy ch = build_contraction_hierarchy(g, {});
    ASSERT_TRUE(ch.check(g).is_ok()) << ch.check(g).to_string();
    ChQuery query(g, ch);
    Dijkstra reference(g);
    testing::Rng rng{seed * 77};
    const std::vector<NodeId> tails = g.tails();
    for (int i = 0; i < 300; ++i) {
      const NodeId s = rng.below(g.node_count()), t = rng.below(g.node_count());
      const uint32_t expected = reference.distance(s, t);
      ASSERT_EQ(query.distance(s, t), expected) << "seed " << seed << " " << s << " → " << t;
      const Route r = query.route(Place::at_node(s), Place::at_node(t));
      ASSERT_EQ(r.time_ms, expected);
      if (expected == kInfinity || s == t) continue;
      uint64_t sum = 0;
      NodeId at = s;
      for (ArcId a : r.arcs) {
        ASSERT_EQ(tails[a], at) << "route is not a chain";
        at = g.head[a];
        sum += g.time_ms[a];
      }
      EXPECT_EQ(at, t);
      EXPECT_EQ(sum, expected);
    }
    // Places part-way along random arcs.
    for (int i = 0; i < 100; ++i) {
      const ArcId a = rng.below(g.arc_count()), b = rng.below(g.arc_count());
      const Place from{kInvalid, a, rng.below(g.time_ms[a] + 1), find_twin(g, tails, a)};
      const Place to{kInvalid, b, rng.below(g.time_ms[b] + 1), find_twin(g, tails, b)};
      ASSERT_EQ(query.distance(from, to), reference.distance(from, to)) << "seed " << seed;
    }
  }
}

TEST(ChBuild, ReportsProgressAndStats) {
  const Graph g = testing::random_graph(2000, 99);
  uint32_t calls = 0, last = 0;
  ChBuildOptions options;
  options.progress = [&](uint32_t done, uint32_t total) {
    ++calls;
    EXPECT_EQ(total, g.node_count());
    EXPECT_GE(done, last);
    last = done;
  };
  ChBuildStats stats;
  const ContractionHierarchy ch = build_contraction_hierarchy(g, options, &stats);
  EXPECT_GT(calls, 1u);
  EXPECT_EQ(last, g.node_count());
  EXPECT_EQ(stats.up_arcs, ch.up.size());
  EXPECT_EQ(stats.down_arcs, ch.down.size());
  // Deterministic.
  const ContractionHierarchy again = build_contraction_hierarchy(g, {});
  EXPECT_EQ(ch.order, again.order);
}

TEST(ChCheck, RefusesInconsistentHierarchies) {
  const Graph g = testing::random_graph(100, 5);
  ContractionHierarchy ch = build_contraction_hierarchy(g, {});
  ASSERT_TRUE(ch.check(g).is_ok());
  ContractionHierarchy bad = ch;
  std::swap(bad.rank[0], bad.rank[1]);
  EXPECT_FALSE(bad.check(g).is_ok());
  bad = ch;
  ASSERT_FALSE(bad.up.empty());
  bad.up[0].other = 0;  // leads down
  EXPECT_FALSE(bad.check(g).is_ok());
  bad = ch;
  bad.up_first.pop_back();
  EXPECT_FALSE(bad.check(g).is_ok());
  EXPECT_TRUE(ContractionHierarchy{}.check(g).is_ok());  // not contracted yet
}

}  // namespace
}  // namespace liandong::routing
