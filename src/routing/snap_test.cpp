#include "routing/snap.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

namespace liandong::routing {
namespace {

using ::testing::HasSubstr;

constexpr double kLon = 114.40, kLat = 23.10;
constexpr double kMetresPerDegree = 6371008.8 * M_PI / 180.0;

// A position `east` and `north` metres from (kLon, kLat).
double lon_at(double east) {
  return kLon + east / (kMetresPerDegree * std::cos(kLat * M_PI / 180));
}
double lat_at(double north) { return kLat + north / kMetresPerDegree; }
Coord at(double east, double north) { return Coord::from_degrees(lon_at(east), lat_at(north)); }

// Metres east and north of (kLon, kLat) on the test's own projection.
void metres(const Coord& c, double& east, double& north) {
  east = (c.lon() - kLon) * std::cos(kLat * M_PI / 180) * kMetresPerDegree;
  north = (c.lat() - kLat) * kMetresPerDegree;
}

TEST(SnapTest, PointBesideASegmentSnapsToTheNearestPointOnIt) {
  GraphBuilder b;
  b.add_node(at(0, 0), 0);
  b.add_node(at(1000, 0), 1);
  b.add_arc(0, 1, 60000, 1000, RoadClass::kPrimary);  // one way
  const Graph g = std::move(b).build();
  const SnapIndex index(g);
  auto snap = index.snap(lon_at(300), lat_at(50), 200);
  ASSERT_TRUE(snap.is_ok()) << snap.status().to_string();
  EXPECT_EQ(snap->place.node, kInvalid);
  EXPECT_EQ(snap->place.arc, 0u);
  EXPECT_EQ(snap->place.twin, kInvalid);
  EXPECT_NEAR(snap->place.along_ms, 18000, 2);
  EXPECT_NEAR(snap->distance_m, 50, 0.1);
  double east, north;
  metres(snap->point, east, north);
  EXPECT_NEAR(east, 300, 0.1);
  EXPECT_NEAR(north, 0, 0.1);
}

TEST(SnapTest, PointOnAShapePointSnapsToIt) {
  GraphBuilder b;
  b.add_node(at(0, 0), 0);
  b.add_node(at(1000, 0), 1);
  const Coord bend[] = {at(500, 500)};
  b.add_arc(0, 1, 10000, 1414, RoadClass::kPrimary, bend);
  const Graph g = std::move(b).build();
  const SnapIndex index(g);
  auto snap = index.snap(bend[0].lon(), bend[0].lat(), 10);
  ASSERT_TRUE(snap.is_ok()) << snap.status().to_string();
  EXPECT_EQ(snap->point, bend[0]);
  EXPECT_LT(snap->distance_m, 0.01);
  EXPECT_NEAR(snap->place.along_ms, 5000, 1);  // two legs of equal length
  // Beside the bend, off the straight line between the ends: still on the road's shape.
  auto beside = index.snap(lon_at(500), lat_at(520), 30);
  ASSERT_TRUE(beside.is_ok()) << beside.status().to_string();
  EXPECT_NEAR(beside->distance_m, 20, 0.1);
}

TEST(SnapTest, AlongTimeIsInProportionToTheLengthAlongTheShape) {
  GraphBuilder b;
  b.add_node(at(0, 0), 0);
  b.add_node(at(100, 300), 1);
  const Coord bend[] = {at(100, 0)};  // 100 m east, then 300 m north
  b.add_arc(0, 1, 40000, 400, RoadClass::kResidential, bend);
  const Graph g = std::move(b).build();
  const SnapIndex index(g);
  auto snap = index.snap(lon_at(110), lat_at(150), 50);  // beside the middle of the second leg
  ASSERT_TRUE(snap.is_ok()) << snap.status().to_string();
  EXPECT_NEAR(snap->distance_m, 10, 0.1);
  EXPECT_NEAR(snap->place.along_ms, 25000, 2);  // (100 + 150) / 400 of the time
  auto start = index.snap(lon_at(-5), lat_at(-5), 50);
  ASSERT_TRUE(start.is_ok());
  EXPECT_EQ(start->place.along_ms, 0u);
  EXPECT_EQ(start->point, g.coord[0]);
  auto end = index.snap(lon_at(100), lat_at(320), 50);
  ASSERT_TRUE(end.is_ok());
  EXPECT_EQ(end->place.along_ms, 40000u);
  EXPECT_EQ(end->point, g.coord[1]);
}

TEST(SnapTest, NothingWithinTheDistanceIsNotFoundAndSaysHowFarItLooked) {
  GraphBuilder b;
  b.add_node(at(0, 0), 0);
  b.add_node(at(1000, 0), 1);
  b.add_arc(0, 1, 60000, 1000, RoadClass::kPrimary);
  const Graph g = std::move(b).build();
  const SnapIndex index(g);
  auto far = index.snap(114.41, 23.11, 200);  // about 1 km north of the road
  ASSERT_FALSE(far.is_ok());
  EXPECT_EQ(far.status().code(), core::Code::kNotFound);
  EXPECT_EQ(far.status().message(), "no road within 200 m of 114.41000,23.11000");
  auto near = index.snap(114.41, 23.11, 2000);
  ASSERT_TRUE(near.is_ok());
  EXPECT_NEAR(near->distance_m, 0.01 * kMetresPerDegree, 1);
  // Far outside the area the roads cover, with room enough to reach them.
  auto away = index.snap(115.0, 23.1, 100000);
  ASSERT_TRUE(away.is_ok()) << away.status().to_string();
  EXPECT_EQ(away->point, g.coord[1]);
  EXPECT_EQ(index.snap(115.0, 23.1, 1000).status().code(), core::Code::kNotFound);
}

TEST(SnapTest, InvalidInputIsRefused) {
  GraphBuilder b;
  b.add_node(at(0, 0), 0);
  b.add_node(at(1000, 0), 1);
  b.add_arc(0, 1, 60000, 1000, RoadClass::kPrimary);
  const Graph g = std::move(b).build();
  const SnapIndex index(g);
  for (auto [lon, lat] : {std::pair{200.0, 23.0}, std::pair{114.0, -91.0},
                          std::pair{std::nan(""), 23.0}, std::pair{114.0, double(INFINITY)}}) {
    auto r = index.snap(lon, lat, 100);
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument);
    EXPECT_EQ(r.status().field(), "position");
  }
  auto negative = index.snap(kLon, kLat, -1);
  EXPECT_EQ(negative.status().code(), core::Code::kInvalidArgument);
  EXPECT_EQ(negative.status().field(), "max_distance_m");
  EXPECT_EQ(index.snap(kLon, kLat, std::nan("")).status().field(), "max_distance_m");
}

TEST(SnapTest, TwoWayRoadGivesTheLowerArcWithItsTwin) {
  // Node 0 is the east end, so the arc that runs west (0 -> 1) has the lower id.
  GraphBuilder b;
  b.add_node(at(1000, 0), 0);
  b.add_node(at(0, 0), 1);
  const Coord west[] = {at(600, 10), at(300, 10)};
  const Coord east[] = {at(300, 10), at(600, 10)};
  b.add_arc(1, 0, 100000, 1000, RoadClass::kSecondary, east);
  b.add_arc(0, 1, 100000, 1000, RoadClass::kSecondary, west);
  const Graph g = std::move(b).build();
  ASSERT_EQ(g.head[0], 1u);  // arc 0 runs west
  const SnapIndex index(g);
  auto snap = index.snap(lon_at(450), lat_at(-20), 100);
  ASSERT_TRUE(snap.is_ok()) << snap.status().to_string();
  EXPECT_EQ(snap->place.arc, 0u);
  EXPECT_EQ(snap->place.twin, 1u);
  EXPECT_NEAR(snap->distance_m, 30, 0.1);
  // Along the westbound arc from its tail at 1000 m east: past the first leg and 150 m on.
  const double legs = std::hypot(400, 10) + 300 + std::hypot(300, 10);
  EXPECT_NEAR(snap->place.along_ms, 100000 * (std::hypot(400, 10) + 150) / legs, 2);
}

TEST(SnapTest, OneWayOppositeArcsWithDifferentShapesAreNotTwinsInTheGrid) {
  // A dual carriageway: two one-way arcs between the same nodes, 40 m apart.
  GraphBuilder b;
  b.add_node(at(0, 0), 0);
  b.add_node(at(1000, 0), 1);
  const Coord north[] = {at(500, 20)};
  const Coord south[] = {at(500, -20)};
  b.add_arc(0, 1, 60000, 1000, RoadClass::kTrunk, north);
  b.add_arc(1, 0, 60000, 1000, RoadClass::kTrunk, south);
  const Graph g = std::move(b).build();
  const SnapIndex index(g);
  auto s = index.snap(lon_at(500), lat_at(-25), 100);
  ASSERT_TRUE(s.is_ok());
  EXPECT_EQ(s->place.arc, 1u);
  EXPECT_NEAR(s->distance_m, 5, 0.1);
  auto n = index.snap(lon_at(500), lat_at(25), 100);
  ASSERT_TRUE(n.is_ok());
  EXPECT_EQ(n->place.arc, 0u);
}

TEST(SnapTest, ANodeSharedByArcsGoesToTheLowestArc) {
  GraphBuilder b;
  b.add_node(at(0, 0), 0);
  b.add_node(at(100, 0), 1);
  b.add_node(at(100, 100), 2);
  b.add_arc(2, 1, 1000, 100, RoadClass::kOther);  // arc 1 after sorting by tail
  b.add_arc(1, 0, 1000, 100, RoadClass::kOther);  // arc 0
  const Graph g = std::move(b).build();
  const SnapIndex index(g);
  auto s = index.snap(lon_at(130), lat_at(-30), 100);  // nearest to node 1 only
  ASSERT_TRUE(s.is_ok());
  EXPECT_EQ(s->place.arc, 0u);
  EXPECT_EQ(s->place.along_ms, 0u);
  EXPECT_EQ(s->point, g.coord[1]);
}

TEST(SnapTest, GraphWithoutCoordinatesOrArcsAnswersNotFound) {
  GraphBuilder b;
  b.add_node(Coord{}, 0);
  b.add_node(Coord{}, 1);
  b.add_arc(0, 1, 10, 0, RoadClass::kOther);
  const Graph g = std::move(b).build();
  const SnapIndex index(g);
  auto s = index.snap(0, 0, 100);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.status().code(), core::Code::kNotFound);
  EXPECT_THAT(s.status().message(), HasSubstr("no coordinates"));
  int visits = 0;
  index.for_each_arc_in(-1, -1, 1, 1, [&](ArcId) { ++visits; });
  EXPECT_EQ(visits, 0);

  GraphBuilder lonely;
  lonely.add_node(at(0, 0), 0);
  const Graph one = std::move(lonely).build();
  const SnapIndex empty(one);
  EXPECT_EQ(empty.snap(kLon, kLat, 100).status().code(), core::Code::kNotFound);
}

TEST(SnapTest, ZeroLengthArcDoesNotBreakTheIndex) {
  GraphBuilder b;
  b.add_node(at(0, 0), 0);
  b.add_node(at(0, 0), 1);
  b.add_arc(0, 1, 500, 0, RoadClass::kService);
  const Graph g = std::move(b).build();
  const SnapIndex index(g);
  auto s = index.snap(lon_at(3), lat_at(4), 10);
  ASSERT_TRUE(s.is_ok());
  EXPECT_NEAR(s->distance_m, 5, 0.1);
  EXPECT_EQ(s->place.along_ms, 0u);
}

// A random street grid with bends, two-way and one-way roads.
Graph random_roads(uint32_t seed, int nodes, int arcs, double size_m) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> pos(0, size_m), off(-60, 60);
  GraphBuilder b;
  std::vector<Coord> where;
  for (int i = 0; i < nodes; ++i) {
    where.push_back(at(pos(rng), pos(rng)));
    b.add_node(where.back(), uint64_t(i));
  }
  for (int i = 0; i < arcs; ++i) {
    const NodeId u = rng() % nodes, v = rng() % nodes;
    std::vector<Coord> shape;
    for (uint32_t k = rng() % 3; k > 0; --k) {
      double e0, n0, e1, n1;
      metres(where[u], e0, n0);
      metres(where[v], e1, n1);
      const double f = double(k) / 3;
      shape.push_back(at(e0 + f * (e1 - e0) + off(rng), n0 + f * (n1 - n0) + off(rng)));
    }
    b.add_arc(u, v, 1000 + rng() % 100000, 0, RoadClass::kResidential, shape);
    if (rng() % 2 == 0) {
      std::vector<Coord> back(shape.rbegin(), shape.rend());
      b.add_arc(v, u, 1000 + rng() % 100000, 0, RoadClass::kResidential, back);
    }
  }
  return std::move(b).build();
}

// The nearest distance over every segment, on the same projection around the query.
double brute_nearest(const Graph& g, double lon, double lat) {
  const std::vector<NodeId> tails = g.tails();
  const double k = std::cos(lat * M_PI / 180) * kMetresPerDegree;
  double best = INFINITY;
  for (ArcId a = 0; a < g.arc_count(); ++a) {
    std::vector<Coord> line{g.coord[tails[a]]};
    line.insert(line.end(), g.shape.begin() + g.shape_first[a],
                g.shape.begin() + g.shape_first[a + 1]);
    line.push_back(g.coord[g.head[a]]);
    for (size_t i = 0; i + 1 < line.size(); ++i) {
      const double ax = (line[i].lon() - lon) * k, ay = (line[i].lat() - lat) * kMetresPerDegree;
      const double bx = (line[i + 1].lon() - lon) * k,
                   by = (line[i + 1].lat() - lat) * kMetresPerDegree;
      const double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
      const double t = len2 > 0 ? std::clamp(-(ax * dx + ay * dy) / len2, 0.0, 1.0) : 0.0;
      best = std::min(best, std::hypot(ax + t * dx, ay + t * dy));
    }
  }
  return best;
}

TEST(SnapTest, AgreesWithBruteForceOnRandomRoads) {
  for (double cell : {30.0, 250.0, 2000.0}) {
    const Graph g = random_roads(11, 60, 120, 3000);
    const SnapIndex index(g, cell);
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> pos(-1500, 4500);
    for (int q = 0; q < 300; ++q) {
      const double lon = lon_at(pos(rng)), lat = lat_at(pos(rng));
      const double expected = brute_nearest(g, lon, lat);
      const double limit = q % 3 == 0 ? 150 : 1e6;
      auto s = index.snap(lon, lat, limit);
      if (expected > limit) {
        EXPECT_EQ(s.status().code(), core::Code::kNotFound) << "cell " << cell << " query " << q;
        continue;
      }
      ASSERT_TRUE(s.is_ok()) << "cell " << cell << " query " << q << ": " << s.status().to_string();
      EXPECT_NEAR(s->distance_m, expected, 1e-3) << "cell " << cell << " query " << q;
      EXPECT_LE(s->place.along_ms, g.time_ms[s->place.arc]);
      EXPECT_EQ(s->place.twin, find_twin(g, g.tails(), s->place.arc));
    }
  }
}

TEST(SnapTest, ForEachArcInVisitsEveryArcOnce) {
  const Graph g = random_roads(3, 40, 80, 2000);
  const SnapIndex index(g, 50);
  std::map<ArcId, int> seen;
  index.for_each_arc_in(lon_at(-100), lat_at(-100), lon_at(2100), lat_at(2100),
                        [&](ArcId a) { ++seen[a]; });
  EXPECT_EQ(seen.size(), g.arc_count());  // two-way roads indexed once still come twice
  for (auto [arc, count] : seen) EXPECT_EQ(count, 1) << "arc " << arc;

  // A small box: every arc with a point inside comes, arcs far away do not.
  const double e0 = 800, n0 = 800, e1 = 1200, n1 = 1200;
  std::map<ArcId, int> part;
  index.for_each_arc_in(lon_at(e0), lat_at(n0), lon_at(e1), lat_at(n1),
                        [&](ArcId a) { ++part[a]; });
  const std::vector<NodeId> tails = g.tails();
  for (ArcId a = 0; a < g.arc_count(); ++a) {
    std::vector<Coord> line{g.coord[tails[a]]};
    line.insert(line.end(), g.shape.begin() + g.shape_first[a],
                g.shape.begin() + g.shape_first[a + 1]);
    line.push_back(g.coord[g.head[a]]);
    bool inside = false, near = false;
    for (const Coord& c : line) {
      double e, n;
      metres(c, e, n);
      inside |= e > e0 && e < e1 && n > n0 && n < n1;
    }
    double lo_e = 1e9, hi_e = -1e9, lo_n = 1e9, hi_n = -1e9;
    for (const Coord& c : line) {
      double e, n;
      metres(c, e, n);
      lo_e = std::min(lo_e, e), hi_e = std::max(hi_e, e), lo_n = std::min(lo_n, n),
      hi_n = std::max(hi_n, n);
    }
    near = hi_e > e0 - 200 && lo_e < e1 + 200 && hi_n > n0 - 200 && lo_n < n1 + 200;
    if (inside) {
      EXPECT_EQ(part.count(a), 1u) << "arc " << a;
    }
    if (!near) {
      EXPECT_EQ(part.count(a), 0u) << "arc " << a;
    }
  }
  for (auto [arc, count] : part) EXPECT_EQ(count, 1);

  int outside = 0;
  index.for_each_arc_in(lon_at(5000), lat_at(5000), lon_at(6000), lat_at(6000),
                        [&](ArcId) { ++outside; });
  EXPECT_EQ(outside, 0);
}

}  // namespace
}  // namespace liandong::routing
