#include "geofence/fence.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace liandong::geofence {
namespace {

using core::LonLat;

TEST(NormalizePolygon, ClosesOpenRingAndDropsRepeats) {
  Polygon p{{{0, 0}, {1, 0}, {1, 0}, {1, 1}, {0, 1}}, {}};
  ASSERT_TRUE(normalize_polygon(p, "area").is_ok());
  std::vector<LonLat> want{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}};
  EXPECT_EQ(p.outer, want);
}

TEST(NormalizePolygon, KeepsClosedRingClosedOnce) {
  Polygon p{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}, {}};
  ASSERT_TRUE(normalize_polygon(p, "area").is_ok());
  EXPECT_EQ(p.outer.size(), 4u);
  EXPECT_EQ(p.outer.front(), p.outer.back());
}

TEST(NormalizePolygon, RefusesTooFewDistinctPoints) {
  Polygon p{{{0, 0}, {1, 0}, {0, 0}, {1, 0}},
            {}};  // closes to 0,0 1,0 0,0 1,0: only 2 distinct runs
  Polygon q{{{0, 0}, {1, 1}, {0, 0}}, {}};
  auto s = normalize_polygon(q, "f.area");
  EXPECT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("at least 3"), std::string::npos) << s.message();
  EXPECT_EQ(s.field(), "f.area");
  EXPECT_FALSE(normalize_polygon(p, "f.area").is_ok());
  Polygon empty;
  EXPECT_FALSE(normalize_polygon(empty, "f.area").is_ok());
}

TEST(NormalizePolygon, RefusesNonFiniteAndOutOfRange) {
  const double nan = std::numeric_limits<double>::quiet_NaN(),
               inf = std::numeric_limits<double>::infinity();
  for (LonLat bad :
       {LonLat{nan, 0}, LonLat{0, inf}, LonLat{-inf, 0}, LonLat{181, 0}, LonLat{0, -90.5}}) {
    Polygon p{{{0, 0}, {1, 0}, bad, {0, 1}}, {}};
    auto s = normalize_polygon(p, "area");
    ASSERT_FALSE(s.is_ok());
    EXPECT_NE(s.message().find("outer ring vertex 2"), std::string::npos) << s.message();
  }
  Polygon h{{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, {{{1, 1}, {2, 1}, {2, nan}}}};
  auto s = normalize_polygon(h, "area");
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("hole 0 vertex 2"), std::string::npos) << s.message();
}

TEST(NormalizePolygon, RefusesCollinearRing) {
  Polygon p{{{0, 0}, {1, 1}, {2, 2}, {3, 3}}, {}};
  auto s = normalize_polygon(p, "area");
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("zero area"), std::string::npos) << s.message();
}

TEST(NormalizePolygon, SelfIntersectionIsAnErrorNamingTheEdges) {
  // A bow tie (not symmetric, so its signed area is not zero): edge 0
  // (0,0)-(2,2) crosses edge 2 (2,0)-(0,3) at (1.2, 1.2).
  Polygon p{{{0, 0}, {2, 2}, {2, 0}, {0, 3}}, {}};
  auto s = normalize_polygon(p, "features[0].geometry");
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.message(),
            "features[0].geometry intersects itself: outer ring "
            "edge 0 crosses outer ring edge 2");
}

TEST(NormalizePolygon, HoleCrossingOuterRingIsAnError) {
  Polygon p{{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, {{{3, 1}, {5, 1}, {5, 2}, {3, 2}}}};
  auto s = normalize_polygon(p, "area");
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("outer ring edge 1 crosses hole 0"), std::string::npos) << s.message();
}

TEST(NormalizePolygon, HoleTouchingOuterRingAtAPointIsAccepted) {
  Polygon p{{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, {{{0, 2}, {1, 1}, {1, 3}}}};
  EXPECT_TRUE(normalize_polygon(p, "area").is_ok());
}

TEST(NormalizePolygon, RefusesAntimeridianSpan) {
  Polygon p{{{-170, 0}, {170, 0}, {170, 1}, {-170, 1}}, {}};
  auto s = normalize_polygon(p, "area");
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("180 degrees"), std::string::npos);
}

TEST(NormalizePolygon, RefusesAbsurdSizes) {
  Polygon many_holes{{{0, 0}, {1, 0}, {1, 1}}, std::vector<std::vector<LonLat>>(kMaxHoles + 1)};
  EXPECT_FALSE(normalize_polygon(many_holes, "area").is_ok());
  Polygon huge{std::vector<LonLat>(kMaxRingVertices + 1, LonLat{0, 0}), {}};
  auto s = normalize_polygon(huge, "area");
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("limit"), std::string::npos);
}

TEST(NormalizeFence, ChecksIdAndRules) {
  Fence f{"a", "", "restricted_zone", {{{0, 0}, {1, 0}, {1, 1}}, {}}, {}, {}};
  EXPECT_TRUE(normalize_fence(f, "fences[0]").is_ok());
  Fence no_id = f;
  no_id.id.clear();
  EXPECT_EQ(normalize_fence(no_id, "fences[0]").field(), "fences[0].id");
  Fence dwell = f;
  dwell.rules.dwell = core::Millis(0);
  EXPECT_EQ(normalize_fence(dwell, "fences[0]").field(), "fences[0].rules.dwell_s");
  Fence speed = f;
  speed.rules.speed_above_kmh = std::numeric_limits<double>::infinity();
  EXPECT_EQ(normalize_fence(speed, "fences[0]").field(), "fences[0].rules.speed_above_kmh");
  Fence kinds = f;
  kinds.object_kinds = {"vessel", ""};
  EXPECT_EQ(normalize_fence(kinds, "fences[0]").field(), "fences[0].object_kinds[1]");
}

}  // namespace
}  // namespace liandong::geofence
