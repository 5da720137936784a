#include "routing/ascii_map.h"

#include <gtest/gtest.h>

namespace liandong::routing {
namespace {

TEST(AsciiMap, LettersAreNodesAndRoadsAreArcs) {
  const auto map = testing::draw(R"(
a.b
  c
)",
                                 {{"ab"}, {"bc", 72, true}});
  const Graph& g = map.graph;
  EXPECT_EQ(g.node_count(), 3u);
  EXPECT_EQ(g.arc_count(), 3u);
  const ArcId ab = find_arc(g, map['a'], map['b']);
  ASSERT_NE(ab, kInvalid);
  EXPECT_EQ(g.time_ms[ab], 20000u);  // 200 m at 10 m/s
  EXPECT_EQ(g.length_m[ab], 200u);
  EXPECT_NE(find_arc(g, map['b'], map['a']), kInvalid);
  EXPECT_EQ(g.time_ms[find_arc(g, map['b'], map['c'])], 5000u);  // 100 m at 20 m/s
  EXPECT_EQ(find_arc(g, map['c'], map['b']), kInvalid);
  EXPECT_GT(g.coord[map['b']].lon_e7, g.coord[map['a']].lon_e7);
  EXPECT_LT(g.coord[map['c']].lat_e7, g.coord[map['b']].lat_e7);
  EXPECT_THROW(testing::draw("a b", {{"az"}}), std::invalid_argument);
}

}  // namespace
}  // namespace liandong::routing
