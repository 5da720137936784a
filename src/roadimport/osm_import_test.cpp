// Imports of real OpenStreetMap extracts (Monaco, Liechtenstein) with the car profile.
#include <gtest/gtest.h>

#include <set>

#include "roadimport/osm.h"
#include "roadimport/test_data.h"
#include "routing/scc.h"

namespace liandong::roadimport {
namespace {

using testing::dataset;

bool has_non_ascii(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return (unsigned char)c >= 0x80; });
}

class OsmImportTest : public ::testing::TestWithParam<std::string> {};

TEST_P(OsmImportTest, GraphIsPlausibleAndStronglyConnected) {
  const testing::Dataset* d = dataset(GetParam());
  ASSERT_NE(d, nullptr);
  const routing::Graph& g = d->graph;
  ASSERT_TRUE(g.check().is_ok()) << g.check().to_string();
  EXPECT_GT(g.node_count(), 1000u);
  EXPECT_LT(g.node_count(), 50'000u);
  EXPECT_GT(g.arc_count(), g.node_count());
  EXPECT_LT(g.arc_count(), 4 * g.node_count());
  EXPECT_EQ(routing::strongly_connected_components(g).count, 1u);
  EXPECT_GT(g.shape.size(), g.node_count());  // curves are kept as shape points
  for (routing::ArcId a = 0; a < g.arc_count(); ++a) {
    ASSERT_GT(g.time_ms[a], 0u) << "arc " << a;
    // No road is driven faster than 140 km/h (give or take the rounding to whole m and ms).
    ASSERT_LE(uint64_t(g.length_m[a]) * 3600, uint64_t(g.time_ms[a] + 1) * 140 + 3600)
        << "arc " << a;
  }
  // External ids are distinct OSM node ids.
  ASSERT_EQ(g.external_id.size(), g.node_count());
  EXPECT_EQ(std::set<uint64_t>(g.external_id.begin(), g.external_id.end()).size(), g.node_count());

  const OsmImportReport& r = d->report;
  EXPECT_GT(r.routable_ways, 500u);
  EXPECT_LT(r.routable_ways, r.osm_ways);
  EXPECT_EQ(r.scc.kept_nodes, g.node_count());
  EXPECT_EQ(r.scc.kept_arcs, g.arc_count());
  EXPECT_EQ(r.scc.kept_nodes + r.scc.dropped_nodes, r.nodes_before);
  EXPECT_GT(r.scc.dropped_nodes, 0u);  // extracts always have islands
  EXPECT_LT(r.scc.dropped_nodes, r.nodes_before / 10);
  EXPECT_GT(r.peak_rss_bytes, 0u);
}

TEST_P(OsmImportTest, OneWayStreetsAndRoadClasses) {
  const testing::Dataset* d = dataset(GetParam());
  ASSERT_NE(d, nullptr);
  const routing::Graph& g = d->graph;
  const auto tails = g.tails();
  uint32_t one_way = 0;
  std::set<routing::RoadClass> classes;
  for (routing::ArcId a = 0; a < g.arc_count(); ++a) {
    if (routing::find_arc(g, g.head[a], tails[a]) == routing::kInvalid) ++one_way;
    classes.insert(g.road_class[a]);
  }
  EXPECT_GT(one_way, g.arc_count() / 100);
  EXPECT_GE(classes.size(), 5u);
}

TEST_P(OsmImportTest, PlacesWithNamesInSeveralScripts) {
  const testing::Dataset* d = dataset(GetParam());
  ASSERT_NE(d, nullptr);
  uint32_t streets = 0, places = 0, addresses = 0, non_ascii = 0, with_alt = 0;
  const auto& c = d->graph.coord;
  int32_t x0 = INT32_MAX, x1 = INT32_MIN, y0 = INT32_MAX, y1 = INT32_MIN;
  for (const auto& p : c) {
    x0 = std::min(x0, p.lon_e7), x1 = std::max(x1, p.lon_e7);
    y0 = std::min(y0, p.lat_e7), y1 = std::max(y1, p.lat_e7);
  }
  for (const auto& p : d->places) {
    streets += p.kind == geocode::PlaceKind::kStreet;
    places += p.kind == geocode::PlaceKind::kPlace;
    addresses += p.kind == geocode::PlaceKind::kAddress;
    non_ascii += has_non_ascii(p.name) || has_non_ascii(p.alt_name);
    with_alt += !p.alt_name.empty();
    if (p.kind == geocode::PlaceKind::kAddress) {
      EXPECT_FALSE(p.housenumber.empty());
    } else {
      EXPECT_FALSE(p.name.empty());
    }
    // Near the roads (a place at an extract's edge may lie a little outside).
    EXPECT_GT(p.lon * 1e7, x0 - 1e6);
    EXPECT_LT(p.lon * 1e7, x1 + 1e6);
    EXPECT_GT(p.lat * 1e7, y0 - 1e6);
    EXPECT_LT(p.lat * 1e7, y1 + 1e6);
  }
  EXPECT_GT(streets, 200u);
  EXPECT_GT(places, 20u);
  EXPECT_GT(addresses, 20u);
  EXPECT_GT(non_ascii, 20u);  // é, ü ... and the Chinese names some places carry
  EXPECT_GE(with_alt, 3u);    // name:en / name:zh are rare in these two
}

INSTANTIATE_TEST_SUITE_P(Extracts, OsmImportTest, ::testing::Values("monaco", "liechtenstein"));

TEST(OsmImportFacts, ChineseNamesOfMonacoAndVaduz) {
  for (const auto& [extract, place] :
       {std::pair{"monaco", "Monaco"}, std::pair{"liechtenstein", "Vaduz"}}) {
    const std::string name = place;  // a copy: clang 14 cannot capture a structured binding
    const testing::Dataset* d = dataset(extract);
    ASSERT_NE(d, nullptr);
    // place=city Monaco and place=village Vaduz carry name:zh (摩納哥, 瓦杜茲) as alt_name.
    EXPECT_TRUE(std::any_of(d->places.begin(), d->places.end(), [&](const geocode::PlaceRecord& p) {
      return p.kind == geocode::PlaceKind::kPlace && p.name == name && has_non_ascii(p.alt_name);
    })) << name;
  }
}

TEST(OsmImportErrors, MissingAndForeignFiles) {
  auto missing = import_osm(testing::data_path("osm/no-such-file.osm.pbf"));
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.status().code(), core::Code::kNotFound);
  EXPECT_NE(missing.status().message().find("no-such-file.osm.pbf"), std::string::npos);

  auto foreign = import_osm(testing::data_path("dimacs/USA-road-t.NY.gr.gz"));
  ASSERT_FALSE(foreign.is_ok());
  EXPECT_EQ(foreign.status().code(), core::Code::kInvalidArgument);
  EXPECT_NE(foreign.status().message().find("USA-road-t.NY.gr.gz"), std::string::npos);
}

TEST(OsmImportErrors, ProgressIsReported) {
  std::vector<std::string> phases;
  OsmImportOptions options;
  options.progress = [&](std::string_view phase, uint64_t done, uint64_t total) {
    EXPECT_LE(done, total);
    if (phases.empty() || phases.back() != phase) phases.emplace_back(phase);
  };
  auto r = import_osm(testing::data_path("osm/monaco.osm.pbf"), options);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(phases, (std::vector<std::string>{"ways", "nodes", "graph", "connectivity"}));
}

}  // namespace
}  // namespace liandong::roadimport
