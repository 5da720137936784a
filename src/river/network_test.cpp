#include "river/network.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace liandong::river {
namespace {

using nlohmann::json;

json reach(const std::string& id, double length, const std::string& down = "",
           double velocity = 1.0) {
  json p = {{"kind", "reach"}, {"id", id}, {"length_m", length}, {"velocity_mps", velocity}};
  if (!down.empty()) p["downstream"] = down;
  return {{"type", "Feature"}, {"properties", p}, {"geometry", nullptr}};
}

json site(const std::string& kind, const std::string& id, const std::string& reach_id,
          double offset) {
  json p = {{"kind", kind}, {"id", id}, {"reach", reach_id}, {"offset_m", offset}};
  return {{"type", "Feature"}, {"properties", p}, {"geometry", nullptr}};
}

core::Result<Network> parse(const std::vector<json>& features) {
  json doc = {{"type", "FeatureCollection"}, {"features", json::array()}};
  for (const json& f : features) doc["features"].push_back(f);
  return Network::from_geojson(doc.dump());
}

// Expects a failure whose message contains `words` and whose field is `field`.
void expect_error(const core::Result<Network>& r, const std::string& words,
                  const std::string& field) {
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find(words), std::string::npos) << r.status().to_string();
  EXPECT_EQ(r.status().field(), field) << r.status().to_string();
}

TEST(NetworkGeoJson, ParsesReachesAndSitesAndIndexesThem) {
  auto n = parse({reach("a", 1000, "b"), reach("b", 2000), site("section", "s2", "b", 500),
                  site("intake", "i1", "b", 100), site("section", "s1", "a", 0)});
  ASSERT_TRUE(n.is_ok()) << n.status().to_string();
  EXPECT_EQ(n->reaches().size(), 2u);
  ASSERT_NE(n->reach("a"), nullptr);
  EXPECT_EQ(n->reach("a")->downstream, "b");
  EXPECT_EQ(n->reach("zz"), nullptr);
  EXPECT_EQ(n->site("i1")->kind, Site::Kind::kIntake);
  EXPECT_EQ(*n->downstream_of(*n->reach_index("a")), *n->reach_index("b"));
  EXPECT_FALSE(n->downstream_of(*n->reach_index("b")));
  // Sites on b, by offset: i1 (100) then s2 (500).
  auto on_b = n->sites_on(*n->reach_index("b"));
  ASSERT_EQ(on_b.size(), 2u);
  EXPECT_EQ(n->sites()[on_b[0]].id, "i1");
  EXPECT_EQ(n->sites()[on_b[1]].id, "s2");
}

TEST(NetworkGeoJson, VelocityFromFlowAndArea) {
  json r = reach("a", 1000);
  r["properties"].erase("velocity_mps");
  r["properties"]["flow_m3s"] = 300.0;
  r["properties"]["area_m2"] = 600.0;
  auto n = parse({r});
  ASSERT_TRUE(n.is_ok()) << n.status().to_string();
  EXPECT_DOUBLE_EQ(n->velocity(0), 0.5);  // 300 / 600
  EXPECT_DOUBLE_EQ(*n->area(0), 600);
  // From flow, width and depth: 300 / (100 · 4) = 0.75 m/s, area 400 m².
  r["properties"].erase("area_m2");
  r["properties"]["width_m"] = 100.0;
  r["properties"]["depth_m"] = 4.0;
  n = parse({r});
  ASSERT_TRUE(n.is_ok()) << n.status().to_string();
  EXPECT_DOUBLE_EQ(n->velocity(0), 0.75);
  EXPECT_DOUBLE_EQ(*n->area(0), 400);
}

TEST(NetworkGeoJson, TwoOutletsAreFine) {
  EXPECT_TRUE(parse({reach("a", 1000), reach("b", 1000)}).is_ok());
}

TEST(NetworkGeoJson, ErrorsNameTheFeatureAndProperty) {
  expect_error(parse({reach("a", 1000, "nowhere")}), "feature 0 (reach \"a\"): downstream names no",
               "features[0].properties.downstream");
  expect_error(parse({reach("a", 1000), reach("b", -5)}), "feature 1 (reach \"b\"): length_m",
               "features[1].properties.length_m");
  expect_error(parse({reach("a", 1000), reach("a", 50)}), "feature 1 (reach \"a\"): id is used",
               "features[1].properties.id");
  expect_error(parse({reach("a", 1000, "a")}), "names the reach itself",
               "features[0].properties.downstream");
  expect_error(parse({reach("x", 10), reach("a", 1000, "b"), reach("b", 1000, "a")}),
               "closes a cycle", "features[1].properties.downstream");
  expect_error(parse({reach("a", 1000), site("section", "s", "a", 1000.5)}),
               "feature 1 (section \"s\"): offset_m must lie in [0, 1000",
               "features[1].properties.offset_m");
  expect_error(parse({reach("a", 1000), site("intake", "s", "b", 10)}),
               "feature 1 (intake \"s\"): reach names no reach", "features[1].properties.reach");
  json noflow = reach("a", 1000);
  noflow["properties"].erase("velocity_mps");
  noflow["properties"]["area_m2"] = 100.0;
  expect_error(parse({noflow}), "velocity_mps cannot be derived",
               "features[0].properties.velocity_mps");
  json slow = reach("a", 1000, "", 1e-9);
  expect_error(parse({slow}), "outside [1e-6, 100]", "features[0].properties.velocity_mps");
  json text_length = reach("a", 1000);
  text_length["properties"]["length_m"] = "1000";
  expect_error(parse({text_length}), "length_m must be a number",
               "features[0].properties.length_m");
  json border = site("border", "b1", "a", 10);
  border["properties"]["from_jurisdiction"] = "441302";
  expect_error(parse({reach("a", 1000), border}), "to_jurisdiction is required",
               "features[1].properties.to_jurisdiction");
  border["properties"]["to_jurisdiction"] = "not-a-code";
  expect_error(parse({reach("a", 1000), border}), "GB/T 2260",
               "features[1].properties.to_jurisdiction");
  json nokind = reach("a", 1000);
  nokind["properties"].erase("kind");
  expect_error(parse({nokind}), "feature 0: properties.kind", "features[0].properties.kind");
  json weird = reach("a", 1000);
  weird["properties"]["kind"] = "lake";
  expect_error(parse({weird}), "kind \"lake\" is not one of", "features[0].properties.kind");
  json badline = reach("a", 1000);
  badline["geometry"] = {{"type", "LineString"}, {"coordinates", {{114.0, 23.0}, {190.0, 23.0}}}};
  expect_error(parse({badline}), "coordinate 1", "features[0].geometry");
}

TEST(NetworkGeoJson, HostileDocumentsAreRefused) {
  expect_error(Network::from_geojson(""), "not valid JSON", "");
  expect_error(Network::from_geojson("{\"type\":\"Feature\"}"), "FeatureCollection", "type");
  expect_error(Network::from_geojson("{\"type\":\"FeatureCollection\"}"), "features", "features");
  // 100,000 nested arrays: refused by the depth scan, no stack overflow.
  std::string deep = "{\"type\":\"FeatureCollection\",\"features\":" + std::string(100000, '[');
  expect_error(Network::from_geojson(deep), "deeper than 16", "");
  // Numbers that overflow a double are not valid JSON numbers for us.
  std::string huge =
      R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,)"
      R"("properties":{"kind":"reach","id":"a","length_m":1e400,"velocity_mps":1}}]})";
  EXPECT_FALSE(Network::from_geojson(huge).is_ok());
}

TEST(NetworkBuild, TooManyReachesIsTooLarge) {
  std::vector<Reach> many(kMaxReaches + 1);
  auto n = Network::build(std::move(many), {});
  ASSERT_FALSE(n.is_ok());
  EXPECT_EQ(n.status().code(), core::Code::kTooLarge);
}

TEST(NetworkGeoJson, PointWithoutOffsetIsProjectedOntoTheLine) {
  // A straight reach along the equator from 114.00° to 114.10° E (about 11,132 m drawn), declared
  // 20,000 m long (a meandering river drawn straight). A point at 114.025° E, 0.001° N lies a
  // quarter of the way along: offset = 20,000 · 0.25 = 5,000 m.
  json r = reach("a", 20000);
  r["geometry"] = {{"type", "LineString"}, {"coordinates", {{114.0, 0.0}, {114.1, 0.0}}}};
  json s = site("section", "s", "a", 0);
  s["properties"].erase("offset_m");
  s["geometry"] = {{"type", "Point"}, {"coordinates", {114.025, 0.001}}};
  auto n = parse({r, s});
  ASSERT_TRUE(n.is_ok()) << n.status().to_string();
  EXPECT_NEAR(n->site("s")->offset_m, 5000, 1);
  // 0.05° (about 5.5 km) off the line: refused rather than snapped.
  s["geometry"]["coordinates"] = {114.025, 0.05};
  expect_error(parse({r, s}), "from reach \"a\"'s line; give offset_m",
               "features[1].properties.offset_m");
}

TEST(NetworkGeoJson, LengthDefaultsToTheLine) {
  json r = reach("a", 1);
  r["properties"].erase("length_m");
  r["geometry"] = {{"type", "LineString"}, {"coordinates", {{114.0, 0.0}, {114.1, 0.0}}}};
  auto n = parse({r});
  ASSERT_TRUE(n.is_ok()) << n.status().to_string();
  // 0.1° of the equator on a sphere of radius 6,371,008.8 m: 6371008.8 · 0.1 · π / 180.
  EXPECT_NEAR(n->reaches()[0].length_m, 6371008.8 * 0.1 * M_PI / 180, 0.01);
}

TEST(NetworkGeoJson, RoundTrips) {
  json r = reach("a", 20000, "b");
  r["properties"]["name"] = "东江干流一段";
  r["properties"]["river"] = "东江";
  r["properties"]["jurisdiction"] = "441302";
  r["properties"]["width_m"] = 150.0;
  r["properties"]["depth_m"] = 3.5;
  r["properties"]["slope"] = 0.0002;
  r["geometry"] = {{"type", "LineString"}, {"coordinates", {{114.0, 23.0}, {114.1, 23.05}}}};
  json b = site("border", "b1", "b", 250);
  b["properties"]["from_jurisdiction"] = "441302";
  b["properties"]["to_jurisdiction"] = "441900";
  b["properties"]["station"] = "ST-7";
  auto n = parse({r, reach("b", 1000), b});
  ASSERT_TRUE(n.is_ok()) << n.status().to_string();
  json out = n->to_geojson();
  auto again = Network::from_geojson(out.dump());
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_EQ(again->to_geojson(), out);
  EXPECT_EQ(again->reach("a")->slope, 0.0002);
  EXPECT_EQ(*again->site("b1")->station, "ST-7");
  EXPECT_EQ(again->reach("a")->line.size(), 2u);
}

}  // namespace
}  // namespace liandong::river
