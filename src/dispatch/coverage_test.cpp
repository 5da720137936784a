#include "dispatch/coverage.h"

#include <gtest/gtest.h>

#include <cmath>

#include "routing/ascii_map.h"
#include "routing/dijkstra.h"
#include "routing/test_graphs.h"

namespace liandong::dispatch {
namespace {

using routing::NodeId;
using routing::Place;
using routing::testing::AsciiMap;
using routing::testing::draw;

// a - e, 100 m and 10 s apart, both ways. Weights (road leaving each node): a 100, b 200, c 200,
// d 200, e 100; total 800.
AsciiMap line() { return draw("abcde", {{"abcde"}}); }

Coverage make(const routing::Graph& g, std::vector<double> weights = {}) {
  core::Result<Coverage> c = Coverage::create(g, std::move(weights));
  EXPECT_TRUE(c.is_ok()) << c.status().to_string();
  return std::move(c).value();
}

TEST(Coverage, NodePlacesOnALine) {
  const AsciiMap m = line();
  Coverage c = make(m.graph);
  EXPECT_EQ(c.total_weight(), 800);
  const std::vector<Place> a = {Place::at_node(m['a'])};
  EXPECT_EQ(c.reached(a, 20000), (std::vector<NodeId>{m['a'], m['b'], m['c']}));
  EXPECT_EQ(c.share(a, 20000), 500.0 / 800);
  EXPECT_EQ(c.share(a, 19999), 300.0 / 800);  // c is 20 s away: the limit is inclusive
  EXPECT_EQ(c.share(a, 0), 100.0 / 800);
  EXPECT_EQ(c.share(std::vector<Place>{Place::at_node(m['c'])}, 10000), 600.0 / 800);
  const std::vector<Place> ends = {Place::at_node(m['a']), Place::at_node(m['e'])};
  EXPECT_EQ(c.share(ends, 10000), 600.0 / 800);
  EXPECT_EQ(c.share(ends, 20000), 1.0);
  EXPECT_EQ(c.share({}, 20000), 0.0);
  EXPECT_TRUE(c.reached({}, 20000).empty());
}

TEST(Coverage, PlaceOnAnArc) {
  const AsciiMap m = line();
  Coverage c = make(m.graph);
  const std::vector<NodeId> tails = m.graph.tails();
  const routing::ArcId bc = routing::find_arc(m.graph, m['b'], m['c']);
  const Place mid{routing::kInvalid, bc, 5000, routing::find_twin(m.graph, tails, bc)};
  const std::vector<Place> p = {mid};
  EXPECT_EQ(c.reached(p, 5000), (std::vector<NodeId>{m['b'], m['c']}));
  EXPECT_EQ(c.share(p, 4999), 0.0);
  EXPECT_EQ(c.share(p, 15000), 700.0 / 800);  // a and d at 15 s; e (100) at 25 s
  // A place without twin (a one-way road) leaves forward only: c at 5 s, then b and d at 15 s,
  // a not before 25 s.
  const Place oneway{routing::kInvalid, bc, 5000, routing::kInvalid};
  EXPECT_EQ(c.reached(std::vector<Place>{oneway}, 24999),
            (std::vector<NodeId>{m['b'], m['c'], m['d']}));
}

TEST(Coverage, FollowsOneWayStreets) {
  // a → b → c, one way: c has no road leaving it, so it weighs nothing.
  const AsciiMap m = draw("abc", {{"abc", 36, true}});
  Coverage c = make(m.graph);
  EXPECT_EQ(c.total_weight(), 200);
  EXPECT_EQ(c.share(std::vector<Place>{Place::at_node(m['c'])}, 100000), 0.0);
  EXPECT_EQ(c.share(std::vector<Place>{Place::at_node(m['b'])}, 100000), 0.5);
  EXPECT_EQ(c.share(std::vector<Place>{Place::at_node(m['a'])}, 100000), 1.0);
}

TEST(Coverage, NodesWeighOneWhenLengthsAreUnknown) {
  routing::GraphBuilder b;
  for (int i = 0; i < 4; ++i) b.add_node({}, uint64_t(i));
  b.add_arc(0, 1, 1000, 0, routing::RoadClass::kOther);
  b.add_arc(1, 2, 1000, 0, routing::RoadClass::kOther);
  b.add_arc(2, 3, 1000, 0, routing::RoadClass::kOther);
  const routing::Graph g = std::move(b).build();
  Coverage c = make(g);
  EXPECT_EQ(c.total_weight(), 4);
  EXPECT_EQ(c.share(std::vector<Place>{Place::at_node(0)}, 1000), 0.5);
  EXPECT_EQ(c.share(std::vector<Place>{Place::at_node(3)}, 1000), 0.25);
}

TEST(Coverage, CallersWeights) {
  const AsciiMap m = line();
  std::vector<double> people(5, 0.0);
  people[m['e']] = 5;
  people[m['d']] = 15;
  Coverage c = make(m.graph, people);
  const std::vector<Place> a = {Place::at_node(m['a'])};
  EXPECT_EQ(c.share(a, 20000), 0.0);
  EXPECT_EQ(c.share(a, 30000), 0.75);
  EXPECT_EQ(c.share(a, 40000), 1.0);

  // All-zero weights: every share is 0.
  Coverage none = make(m.graph, std::vector<double>(5, 0.0));
  EXPECT_EQ(none.share(a, 40000), 0.0);
}

TEST(Coverage, BadWeightsAreRefused) {
  const AsciiMap m = line();
  core::Result<Coverage> r = Coverage::create(m.graph, {1, 2, 3});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument);
  EXPECT_EQ(r.status().field(), "node_weights");
  EXPECT_EQ(r.status().message(), "node_weights has 3 entries for a graph of 5 nodes");
  r = Coverage::create(m.graph, {1, 2, -3, 4, 5});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().message(), "node_weights[2] must be a finite number >= 0");
  r = Coverage::create(m.graph, {1, 2, 3, std::nan(""), 5});
  ASSERT_FALSE(r.is_ok());
  r = Coverage::create(m.graph, {1, 2, 3, INFINITY, 5});
  ASSERT_FALSE(r.is_ok());
}

TEST(Coverage, PlacesOffTheGraphAreIgnored) {
  const AsciiMap m = line();
  Coverage c = make(m.graph);
  const std::vector<Place> bad = {Place{}, Place::at_node(99), Place{routing::kInvalid, 99, 0, 0},
                                  Place{routing::kInvalid, 0, 0, 99}};
  for (const Place& p : bad) EXPECT_FALSE(c.on_graph(p));
  EXPECT_EQ(c.share(bad, 100000), 0.0);
  std::vector<Place> mixed = bad;
  mixed.push_back(Place::at_node(m['e']));
  EXPECT_EQ(c.share(mixed, 10000), 300.0 / 800);
}

// Against the reference Dijkstra: a node is covered iff its time from the sources is <= T.
TEST(Coverage, MatchesDijkstraOnRandomGraphs) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    const routing::Graph g = routing::testing::random_graph(80 + uint32_t(seed) * 7, seed);
    const std::vector<NodeId> tails = g.tails();
    routing::testing::Rng rng{seed * 31};
    std::vector<Place> sources;
    for (uint32_t i = 0, k = 1 + rng.below(4); i < k; ++i) {
      if (rng.below(2) == 0) {
        sources.push_back(Place::at_node(rng.below(g.node_count())));
      } else {
        const routing::ArcId a = rng.below(g.arc_count());
        sources.push_back(
            {routing::kInvalid, a, rng.below(g.time_ms[a] + 1), routing::find_twin(g, tails, a)});
      }
    }
    const uint32_t limit = rng.below(60000);
    std::vector<routing::Seed> seeds, one;
    for (const Place& p : sources) {
      routing::departure_seeds(g, p, one);
      seeds.insert(seeds.end(), one.begin(), one.end());
    }
    routing::Dijkstra dijkstra(g);
    const std::vector<uint32_t>& dist = dijkstra.all(seeds, false);
    std::vector<NodeId> expected;
    double weight = 0, total = 0;
    for (NodeId v = 0; v < g.node_count(); ++v) {
      double w = 0;
      for (uint32_t a = g.first_out[v]; a < g.first_out[v + 1]; ++a) w += g.length_m[a];
      total += w;
      if (dist[v] <= limit) expected.push_back(v), weight += w;
    }
    Coverage c = make(g);
    EXPECT_EQ(c.reached(sources, limit), expected) << "seed " << seed;
    EXPECT_DOUBLE_EQ(c.share(sources, limit), weight / total) << "seed " << seed;
  }
}

}  // namespace
}  // namespace liandong::dispatch
