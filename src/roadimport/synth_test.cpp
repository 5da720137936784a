#include "roadimport/synth.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "routing/scc.h"

namespace liandong::roadimport {
namespace {

SynthCity make(uint32_t nodes, uint64_t seed) {
  SynthOptions o;
  o.nodes = nodes;
  o.seed = seed;
  return synth_city(o);
}

void expect_same(const routing::Graph& a, const routing::Graph& b) {
  EXPECT_EQ(a.first_out, b.first_out);
  EXPECT_EQ(a.head, b.head);
  EXPECT_EQ(a.time_ms, b.time_ms);
  EXPECT_EQ(a.length_m, b.length_m);
  EXPECT_EQ(a.road_class, b.road_class);
  EXPECT_EQ(a.coord, b.coord);
  EXPECT_EQ(a.external_id, b.external_id);
}

// Which side of the river a point is on (+1 north, -1 south), from the centre line.
int side(const SynthCity& city, routing::Coord c) {
  const auto& r = city.river;
  auto it = std::lower_bound(r.begin(), r.end(), c.lon_e7,
                             [](const routing::Coord& p, int32_t lon) { return p.lon_e7 < lon; });
  if (it == r.end()) --it;
  return c.lat_e7 > it->lat_e7 ? 1 : -1;
}

TEST(SynthTest, SameSeedSameCity) {
  const SynthCity a = make(5000, 7), b = make(5000, 7);
  expect_same(a.graph, b.graph);
  EXPECT_EQ(a.places, b.places);
  EXPECT_EQ(a.river, b.river);
}

TEST(SynthTest, DifferentSeedDifferentCity) {
  const SynthCity a = make(5000, 7), b = make(5000, 8);
  EXPECT_NE(a.graph.coord, b.graph.coord);
  EXPECT_NE(a.places, b.places);
}

TEST(SynthTest, SizeNearTargetAndValid) {
  for (uint32_t target : {100u, 1000u, 20'000u, 200'000u}) {
    const SynthCity city = make(target, 3);
    SCOPED_TRACE(target);
    ASSERT_TRUE(city.graph.check().is_ok()) << city.graph.check().to_string();
    EXPECT_GE(city.graph.node_count(), target * 0.85);
    EXPECT_LE(city.graph.node_count(), target * 1.15);
    EXPECT_TRUE(city.graph.external_id.empty());  // ids are indices
    for (uint32_t a = 0; a < city.graph.arc_count(); ++a) ASSERT_GT(city.graph.time_ms[a], 0u);
  }
}

TEST(SynthTest, StronglyConnected) {
  for (uint32_t target : {100u, 3000u, 50'000u}) {
    const SynthCity city = make(target, 11);
    EXPECT_EQ(routing::strongly_connected_components(city.graph).count, 1u) << target;
  }
}

TEST(SynthTest, HasOneWayStreetsAndSpeedClasses) {
  const SynthCity city = make(20'000, 5);
  const auto& g = city.graph;
  const auto tails = g.tails();
  uint32_t one_way = 0, fast = 0;
  for (uint32_t a = 0; a < g.arc_count(); ++a) {
    if (routing::find_arc(g, g.head[a], tails[a]) == routing::kInvalid) ++one_way;
    if (g.road_class[a] == routing::RoadClass::kMotorway) ++fast;
  }
  EXPECT_GT(one_way, g.arc_count() / 50);
  EXPECT_LT(one_way, g.arc_count() / 4);
  EXPECT_GT(fast, 10u);
}

TEST(SynthTest, RiverIsCrossedByFewArcs) {
  for (uint32_t target : {2000u, 100'000u}) {
    const SynthCity city = make(target, 9);
    const auto& g = city.graph;
    const auto tails = g.tails();
    uint32_t crossing = 0, north = 0;
    for (uint32_t a = 0; a < g.arc_count(); ++a) {
      if (side(city, g.coord[tails[a]]) != side(city, g.coord[g.head[a]])) ++crossing;
    }
    for (uint32_t v = 0; v < g.node_count(); ++v) north += side(city, g.coord[v]) > 0;
    SCOPED_TRACE(target);
    EXPECT_GT(city.bridges, 1u);
    EXPECT_GT(crossing, 2u);
    EXPECT_LT(crossing, g.arc_count() / 100);
    EXPECT_GT(north, g.node_count() / 4);  // both banks are built up
    EXPECT_LT(north, g.node_count() * 3 / 4);
  }
}

TEST(SynthTest, ChineseNamesPlacesAndAddresses) {
  const SynthCity city = make(20'000, 1);
  uint32_t streets = 0, addresses = 0, places = 0;
  bool hospital = false, numbered = false;
  for (const auto& p : city.places) {
    EXPECT_GT(p.lon, 114.3);
    EXPECT_LT(p.lon, 114.6);
    EXPECT_GT(p.lat, 23.0);
    EXPECT_LT(p.lat, 23.25);
    switch (p.kind) {
      case geocode::PlaceKind::kStreet:
        ++streets;
        EXPECT_FALSE(p.name.empty());
        numbered |= p.name.find("一路") != std::string::npos;
        break;
      case geocode::PlaceKind::kAddress:
        ++addresses;
        EXPECT_FALSE(p.street.empty());
        EXPECT_NE(p.housenumber.find("号"), std::string::npos);
        break;
      case geocode::PlaceKind::kPlace:
        ++places;
        hospital |= p.name == "中心医院";
        break;
    }
  }
  EXPECT_GT(streets, 200u);
  EXPECT_GT(addresses, 1000u);
  EXPECT_GT(places, 20u);
  EXPECT_TRUE(hospital);
  EXPECT_TRUE(numbered);
}

TEST(SynthTest, CentreIsConfigurable) {
  SynthOptions o;
  o.nodes = 1000;
  o.center_lon = 8.5;
  o.center_lat = 47.4;
  const SynthCity city = synth_city(o);
  for (const auto& c : city.graph.coord) {
    EXPECT_NEAR(c.lon(), 8.5, 0.05);
    EXPECT_NEAR(c.lat(), 47.4, 0.05);
  }
}

}  // namespace
}  // namespace liandong::roadimport
