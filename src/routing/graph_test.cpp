#include "routing/graph.h"

#include <gtest/gtest.h>

namespace liandong::routing {
namespace {

Graph small() {
  GraphBuilder b;
  for (uint64_t id : {10, 20, 30}) b.add_node(Coord::from_degrees(114.4 + id * 1e-3, 23.1), id);
  const Coord bend = Coord::from_degrees(114.425, 23.101);
  b.add_arc(2, 0, 7, 70, RoadClass::kPrimary);
  b.add_arc(0, 1, 5, 50, RoadClass::kResidential, std::span<const Coord>(&bend, 1));
  b.add_arc(1, 0, 5, 50, RoadClass::kResidential);
  b.add_arc(0, 2, 9, 90, RoadClass::kService);
  b.add_arc(0, 1, 4, 60, RoadClass::kResidential);  // a parallel arc, faster but longer
  return std::move(b).build();
}

TEST(Graph, BuilderGroupsArcsByTailKeepingTheirOrder) {
  const Graph g = small();
  ASSERT_TRUE(g.check().is_ok()) << g.check().to_string();
  EXPECT_EQ(g.node_count(), 3u);
  EXPECT_EQ(g.arc_count(), 5u);
  EXPECT_EQ(g.first_out, (std::vector<uint32_t>{0, 3, 4, 5}));
  EXPECT_EQ(g.head, (std::vector<NodeId>{1, 2, 1, 0, 0}));
  EXPECT_EQ(g.time_ms, (std::vector<uint32_t>{5, 9, 4, 5, 7}));
  EXPECT_EQ(g.shape_first, (std::vector<uint32_t>{0, 1, 1, 1, 1, 1}));
  EXPECT_EQ(g.external_id, (std::vector<uint64_t>{10, 20, 30}));
  EXPECT_EQ(g.external(2), 30u);
  EXPECT_EQ(g.tails(), (std::vector<NodeId>{0, 0, 0, 1, 2}));
  EXPECT_TRUE(g.has_coordinates());
}

TEST(Graph, IdentityIdsAreNotStored) {
  GraphBuilder b;
  b.add_node({}, 0);
  b.add_node({}, 1);
  b.add_arc(0, 1, 1, 0, RoadClass::kOther);
  const Graph g = std::move(b).build();
  EXPECT_TRUE(g.external_id.empty());
  EXPECT_EQ(g.external(1), 1u);
  EXPECT_FALSE(g.has_coordinates());
}

TEST(Graph, LookupsFindArcsTailsAndTwins) {
  const Graph g = small();
  const auto tails = g.tails();
  for (ArcId a = 0; a < g.arc_count(); ++a) EXPECT_EQ(tail_of(g, a), tails[a]);
  EXPECT_EQ(find_arc(g, 0, 1), 2u);  // the faster of the two parallel arcs
  EXPECT_EQ(find_arc(g, 1, 2), kInvalid);
  EXPECT_EQ(find_twin(g, tails, 3), 0u);  // 1 → 0 (50 m) pairs with 0 → 1 (50 m), not the 60 m one
  EXPECT_EQ(find_twin(g, tails, 1), kInvalid);  // 0 → 2 and 2 → 0 differ in length: 90 vs 70 m
  const auto r = ReverseIndex::build(g);
  EXPECT_EQ(r.first_in, (std::vector<uint32_t>{0, 2, 4, 5}));
  for (NodeId v = 0; v < g.node_count(); ++v) {
    for (uint32_t i = r.first_in[v]; i < r.first_in[v + 1]; ++i) {
      EXPECT_EQ(g.head[r.in_arc[i]], v);
      EXPECT_EQ(tails[r.in_arc[i]], r.in_tail[i]);
    }
  }
}

TEST(Graph, CheckNamesTheFault) {
  Graph g = small();
  g.head[1] = 9;
  EXPECT_NE(g.check().message().find("arc 1 points past the last node"), std::string::npos);
  g = small();
  g.first_out[1] = 4;
  g.first_out[2] = 3;
  EXPECT_NE(g.check().message().find("decreases"), std::string::npos);
  g = small();
  g.time_ms.pop_back();
  EXPECT_FALSE(g.check().is_ok());
  g = small();
  g.shape_first.back() = 7;
  EXPECT_FALSE(g.check().is_ok());
  g = small();
  g.time_ms[0] = kInfinity;
  EXPECT_FALSE(g.check().is_ok());
  EXPECT_FALSE(Graph{}.check().is_ok());
}

}  // namespace
}  // namespace liandong::routing
