#include "routing/scc.h"

#include <gtest/gtest.h>

#include <random>

namespace liandong::routing {
namespace {

Coord at(int i) { return Coord{1140000000 + i * 1000, 231000000 + i * 500}; }

// Nodes 0..n-1 at distinct coordinates, external ids 1000+i.
GraphBuilder nodes(int n, bool external_ids) {
  GraphBuilder b;
  for (int i = 0; i < n; ++i) b.add_node(at(i), external_ids ? uint64_t(1000 + i) : uint64_t(i));
  return b;
}

bool same_component(const Components& c, NodeId u, NodeId v) {
  return c.component[u] == c.component[v];
}

TEST(SccTest, TwoCyclesJoinedOneWayAreTwoComponents) {
  GraphBuilder b = nodes(5, false);
  b.add_arc(0, 1, 10, 1, RoadClass::kPrimary);
  b.add_arc(1, 2, 10, 1, RoadClass::kPrimary);
  b.add_arc(2, 0, 10, 1, RoadClass::kPrimary);
  b.add_arc(3, 4, 10, 1, RoadClass::kPrimary);
  b.add_arc(4, 3, 10, 1, RoadClass::kPrimary);
  b.add_arc(2, 3, 10, 1, RoadClass::kPrimary);  // one way from the first cycle to the second
  const Graph g = std::move(b).build();
  const Components c = strongly_connected_components(g);
  ASSERT_EQ(c.component.size(), 5u);
  EXPECT_EQ(c.count, 2u);
  EXPECT_TRUE(same_component(c, 0, 1));
  EXPECT_TRUE(same_component(c, 1, 2));
  EXPECT_TRUE(same_component(c, 3, 4));
  EXPECT_FALSE(same_component(c, 2, 3));
  for (uint32_t x : c.component) EXPECT_LT(x, c.count);

  SccReport report;
  const Graph kept = largest_strongly_connected(g, &report);
  EXPECT_EQ(report.components, 2u);
  EXPECT_EQ(report.kept_nodes, 3u);
  EXPECT_EQ(report.dropped_nodes, 2u);
  EXPECT_EQ(report.kept_arcs, 3u);
  EXPECT_EQ(report.dropped_arcs, 3u);  // the second cycle and the bridge
  ASSERT_TRUE(kept.check().is_ok()) << kept.check().to_string();
  EXPECT_EQ(kept.node_count(), 3u);
  EXPECT_EQ(kept.arc_count(), 3u);
}

TEST(SccTest, IsolatedNodeAndSelfLoopAreComponentsOfTheirOwn) {
  GraphBuilder b = nodes(4, false);
  b.add_arc(0, 1, 10, 1, RoadClass::kPrimary);
  b.add_arc(1, 0, 10, 1, RoadClass::kPrimary);
  b.add_arc(2, 2, 10, 1, RoadClass::kPrimary);  // a self-loop; node 3 has no arcs at all
  const Graph g = std::move(b).build();
  const Components c = strongly_connected_components(g);
  EXPECT_EQ(c.count, 3u);
  EXPECT_TRUE(same_component(c, 0, 1));
  EXPECT_FALSE(same_component(c, 1, 2));
  EXPECT_FALSE(same_component(c, 2, 3));
  EXPECT_FALSE(same_component(c, 0, 3));
}

TEST(SccTest, SelfLoopAndParallelArcsInsideTheComponentAreKept) {
  GraphBuilder b = nodes(3, false);
  b.add_arc(0, 1, 10, 5, RoadClass::kPrimary);
  b.add_arc(0, 1, 20, 6, RoadClass::kService);  // parallel, slower
  b.add_arc(1, 0, 10, 5, RoadClass::kPrimary);
  b.add_arc(1, 1, 7, 2, RoadClass::kOther);     // loop
  b.add_arc(2, 0, 10, 5, RoadClass::kPrimary);  // 2 is only a source
  const Graph g = std::move(b).build();
  SccReport report;
  const Graph kept = largest_strongly_connected(g, &report);
  ASSERT_TRUE(kept.check().is_ok());
  EXPECT_EQ(report.kept_arcs, 4u);
  EXPECT_EQ(report.dropped_arcs, 1u);
  EXPECT_EQ(report.dropped_nodes, 1u);
  EXPECT_EQ(kept.head, (std::vector<NodeId>{1, 1, 0, 1}));
  EXPECT_EQ(kept.time_ms, (std::vector<uint32_t>{10, 20, 10, 7}));
  EXPECT_EQ(kept.length_m, (std::vector<uint32_t>{5, 6, 5, 2}));
  EXPECT_EQ(kept.road_class, (std::vector<RoadClass>{RoadClass::kPrimary, RoadClass::kService,
                                                     RoadClass::kPrimary, RoadClass::kOther}));
}

TEST(SccTest, KeptGraphIsRenumberedInOrderWithCoordinatesShapesAndOldIndices) {
  // 0 -> 1 (one way into the cycle 1, 2, 4), 3 isolated.
  GraphBuilder b = nodes(5, false);
  const Coord s1[] = {Coord{1, 1}, Coord{2, 2}};
  const Coord s2[] = {Coord{3, 3}};
  b.add_arc(0, 1, 5, 5, RoadClass::kResidential, s2);
  b.add_arc(1, 2, 11, 12, RoadClass::kTrunk, s1);
  b.add_arc(2, 4, 13, 14, RoadClass::kMotorway);
  b.add_arc(4, 1, 15, 16, RoadClass::kSecondary, s2);
  const Graph g = std::move(b).build();
  ASSERT_TRUE(g.external_id.empty());  // identity ids are not stored

  const Graph kept = largest_strongly_connected(g, nullptr);
  ASSERT_TRUE(kept.check().is_ok()) << kept.check().to_string();
  ASSERT_EQ(kept.node_count(), 3u);
  EXPECT_EQ(kept.coord, (std::vector<Coord>{at(1), at(2), at(4)}));
  EXPECT_EQ(kept.external_id, (std::vector<uint64_t>{1, 2, 4}));  // old indices, traceable
  EXPECT_EQ(kept.first_out, (std::vector<uint32_t>{0, 1, 2, 3}));
  EXPECT_EQ(kept.head, (std::vector<NodeId>{1, 2, 0}));
  EXPECT_EQ(kept.time_ms, (std::vector<uint32_t>{11, 13, 15}));
  EXPECT_EQ(kept.length_m, (std::vector<uint32_t>{12, 14, 16}));
  EXPECT_EQ(kept.road_class, (std::vector<RoadClass>{RoadClass::kTrunk, RoadClass::kMotorway,
                                                     RoadClass::kSecondary}));
  EXPECT_EQ(kept.shape_first, (std::vector<uint32_t>{0, 2, 2, 3}));
  EXPECT_EQ(kept.shape, (std::vector<Coord>{Coord{1, 1}, Coord{2, 2}, Coord{3, 3}}));
}

TEST(SccTest, ExternalIdsOfKeptNodesAreKept) {
  GraphBuilder b = nodes(3, true);
  b.add_arc(1, 2, 10, 1, RoadClass::kPrimary);
  b.add_arc(2, 1, 10, 1, RoadClass::kPrimary);
  const Graph kept = largest_strongly_connected(std::move(b).build(), nullptr);
  EXPECT_EQ(kept.external_id, (std::vector<uint64_t>{1001, 1002}));
}

TEST(SccTest, StronglyConnectedGraphIsReturnedUnchanged) {
  GraphBuilder b = nodes(3, false);
  b.add_arc(0, 1, 10, 1, RoadClass::kPrimary);
  b.add_arc(1, 2, 10, 1, RoadClass::kPrimary);
  b.add_arc(2, 0, 10, 1, RoadClass::kPrimary);
  const Graph g = std::move(b).build();
  SccReport report;
  const Graph kept = largest_strongly_connected(g, &report);
  EXPECT_EQ(kept.first_out, g.first_out);
  EXPECT_EQ(kept.head, g.head);
  EXPECT_TRUE(kept.external_id.empty());  // all kept: indices are still the input's
  EXPECT_EQ(report.components, 1u);
  EXPECT_EQ(report.dropped_nodes, 0u);
  EXPECT_EQ(report.dropped_arcs, 0u);
}

TEST(SccTest, TieBetweenEqualComponentsKeepsTheOneWithTheLowestNode) {
  GraphBuilder b = nodes(4, false);
  b.add_arc(2, 3, 10, 1, RoadClass::kPrimary);
  b.add_arc(3, 2, 10, 1, RoadClass::kPrimary);
  b.add_arc(0, 1, 10, 1, RoadClass::kPrimary);
  b.add_arc(1, 0, 10, 1, RoadClass::kPrimary);
  const Graph kept = largest_strongly_connected(std::move(b).build(), nullptr);
  EXPECT_EQ(kept.external_id, (std::vector<uint64_t>{0, 1}));
}

TEST(SccTest, EmptyGraph) {
  Graph g;
  g.first_out = {0};
  g.shape_first = {0};
  SccReport report;
  const Graph kept = largest_strongly_connected(g, &report);
  EXPECT_TRUE(kept.check().is_ok());
  EXPECT_EQ(kept.node_count(), 0u);
  EXPECT_EQ(report.components, 0u);
}

TEST(SccTest, LongChainDoesNotOverflowTheStack) {
  constexpr int kN = 200000;
  GraphBuilder b;
  for (int i = 0; i < kN; ++i) b.add_node(Coord{i, i}, uint64_t(i));
  for (int i = 0; i + 1 < kN; ++i) b.add_arc(NodeId(i), NodeId(i + 1), 1, 1, RoadClass::kOther);
  Graph chain = std::move(b).build();
  EXPECT_EQ(strongly_connected_components(chain).count, uint32_t(kN));

  // Closing the chain into one cycle: one component, found at depth kN.
  GraphBuilder c;
  for (int i = 0; i < kN; ++i) c.add_node(Coord{i, i}, uint64_t(i));
  for (int i = 0; i < kN; ++i) c.add_arc(NodeId(i), NodeId((i + 1) % kN), 1, 1, RoadClass::kOther);
  const Graph cycle = std::move(c).build();
  SccReport report;
  const Graph kept = largest_strongly_connected(cycle, &report);
  EXPECT_EQ(report.components, 1u);
  EXPECT_EQ(kept.node_count(), uint32_t(kN));
}

// Two nodes share a component exactly when each reaches the other.
TEST(SccTest, AgreesWithReachabilityOnRandomGraphs) {
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    const int n = 1 + int(rng() % 12);
    const int m = int(rng() % 25);
    GraphBuilder b = nodes(n, false);
    for (int i = 0; i < m; ++i) {
      b.add_arc(NodeId(rng() % n), NodeId(rng() % n), 1, 1, RoadClass::kOther);
    }
    const Graph g = std::move(b).build();
    std::vector<std::vector<bool>> reach(n, std::vector<bool>(n, false));
    for (int s = 0; s < n; ++s) {
      std::vector<NodeId> todo{NodeId(s)};
      reach[s][s] = true;
      while (!todo.empty()) {
        const NodeId v = todo.back();
        todo.pop_back();
        for (uint32_t a = g.first_out[v]; a < g.first_out[v + 1]; ++a) {
          if (!reach[s][g.head[a]]) {
            reach[s][g.head[a]] = true;
            todo.push_back(g.head[a]);
          }
        }
      }
    }
    const Components c = strongly_connected_components(g);
    for (int u = 0; u < n; ++u) {
      for (int v = 0; v < n; ++v) {
        EXPECT_EQ(same_component(c, u, v), reach[u][v] && reach[v][u])
            << "round " << round << " nodes " << u << " " << v;
      }
    }
    SccReport report;
    const Graph kept = largest_strongly_connected(g, &report);
    EXPECT_TRUE(kept.check().is_ok());
    EXPECT_EQ(report.kept_nodes + report.dropped_nodes, uint32_t(n));
    EXPECT_EQ(report.kept_arcs + report.dropped_arcs, g.arc_count());
  }
}

}  // namespace
}  // namespace liandong::routing
