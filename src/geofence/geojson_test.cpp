#include "geofence/geojson.h"

#include <gtest/gtest.h>

namespace liandong::geofence {
namespace {

const char *kCollection = R"({
  "type": "FeatureCollection",
  "features": [
    {"type": "Feature",
     "geometry": {"type": "Polygon", "coordinates": [
        [[114.0, 22.5], [114.1, 22.5], [114.1, 22.6], [114.0, 22.6], [114.0, 22.5]],
        [[114.02, 22.52], [114.04, 22.52], [114.04, 22.54]]]},
     "properties": {"id": "rz-1", "name": "Daya Bay restricted zone", "kind": "restricted_zone",
                    "rules": {"on_enter": true, "on_exit": false, "dwell_s": 600, "speed_above_kmh": 30.5},
                    "object_kinds": ["hazmat_vehicle"], "colour": "red"}},
    {"type": "Feature", "id": 17,
     "geometry": {"type": "Polygon", "coordinates": [[[114.5, 23.0, 12.0], [114.6, 23.0], [114.6, 23.1]]]},
     "properties": {"kind": "water_source_protection", "rules": {"on_exit": true}}}
  ]})";

TEST(GeoJson, ReadsACollection) {
  auto r = fences_from_geojson(kCollection);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  ASSERT_EQ(r->size(), 2u);
  const Fence &a = (*r)[0];
  EXPECT_EQ(a.id, "rz-1");
  EXPECT_EQ(a.name, "Daya Bay restricted zone");
  EXPECT_EQ(a.kind, "restricted_zone");
  EXPECT_TRUE(a.rules.on_enter);
  EXPECT_FALSE(a.rules.on_exit);
  EXPECT_EQ(a.rules.dwell, core::Millis(600'000));
  EXPECT_EQ(a.rules.speed_above_kmh, 30.5);
  EXPECT_EQ(a.object_kinds, std::vector<std::string>{"hazmat_vehicle"});
  EXPECT_EQ(a.area.outer.size(), 5u);
  ASSERT_EQ(a.area.holes.size(), 1u);
  EXPECT_EQ(a.area.holes[0].size(), 4u);  // closed by normalization
  const Fence &b = (*r)[1];
  EXPECT_EQ(b.id, "17");  // the feature's id when properties has none
  EXPECT_TRUE(b.rules.on_exit);
  EXPECT_FALSE(b.rules.dwell.has_value());
  EXPECT_TRUE(b.object_kinds.empty());
}

TEST(GeoJson, SingleFeature) {
  auto f = fence_from_geojson(
      R"({"type":"Feature","properties":{"id":"x"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,1]]]}})");
  ASSERT_TRUE(f.is_ok()) << f.status().to_string();
  EXPECT_EQ(f->id, "x");
  EXPECT_FALSE(f->rules.any());
  auto bad = fence_from_geojson(R"({"type":"Feature","properties":{},"geometry":null})");
  ASSERT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.status().field(), "feature.properties.id");
}

std::string one(const std::string &props, const std::string &geometry) {
  return R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"id":"ok"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,1]]]}},
    {"type":"Feature","properties":)" +
         props + R"(,"geometry":)" + geometry + "}]}";
}
const std::string kTri = R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[0,1]]]})";

struct Case {
  std::string text, field, in_message;
};

TEST(GeoJson, ErrorsNameTheFeatureAndProperty) {
  std::vector<Case> cases{
      {one(R"({"id":"b","rules":{"dwell_s":-5}})", kTri), "features[1].properties.rules.dwell_s",
       "more than 0"},
      {one(R"({"id":"b","rules":{"dwell_s":"10"}})", kTri), "features[1].properties.rules.dwell_s",
       "number"},
      {one(R"({"id":"b","rules":{"speed_above_kmh":0}})", kTri),
       "features[1].properties.rules.speed_above_kmh", "more than 0"},
      {one(R"({"id":"b","rules":{"on_entry":true}})", kTri),
       "features[1].properties.rules.on_entry", "unknown rule"},
      {one(R"({"id":"b","rules":{"on_enter":1}})", kTri), "features[1].properties.rules.on_enter",
       "true or false"},
      {one(R"({"id":"b","object_kinds":"vessel"})", kTri), "features[1].properties.object_kinds",
       "array"},
      {one(R"({"id":"b","object_kinds":["vessel",""]})", kTri),
       "features[1].properties.object_kinds[1]", "non-empty"},
      {one(R"({"id":"b","name":5})", kTri), "features[1].properties.name", "string"},
      {one(R"({"name":"no id"})", kTri), "features[1].properties.id", "missing"},
      {one(R"({"id":"ok"})", kTri), "features[1].properties.id", "duplicate"},
      {one(R"({"id":"b"})", R"({"type":"MultiPolygon","coordinates":[]})"),
       "features[1].geometry.type", "only \"Polygon\""},
      {one(R"({"id":"b"})", R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[0]]]})"),
       "features[1].geometry.coordinates[0][2]", "[lon, lat]"},
      {one(R"({"id":"b"})",
           R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]],[[0,0],[1e999,0],[1,1]]]})"),
       "", ""},  // 1e999: the parser's error or a non-finite coordinate, either
                 // way refused
      {one(R"({"id":"b"})", R"({"type":"Polygon","coordinates":[[[0,0],[200,0],[0,1]]]})"),
       "features[1].geometry", "outer ring vertex 1"},
      {one(R"({"id":"b"})", R"({"type":"Polygon","coordinates":[[[0,0],[2,2],[2,0],[0,3]]]})"),
       "features[1].geometry", "intersects itself"},
      {one(R"({"id":"b"})", R"({"type":"Polygon","coordinates":[[[0,0],[1,1]]]})"),
       "features[1].geometry", "at least 3"},
      {one(R"({"id":"b"})", "null"), "features[1].geometry", "missing"},
      {R"({"type":"Feature"})", "type", "FeatureCollection"},
      {R"({"type":"FeatureCollection","features":{}})", "features", "array"},
      {R"({"type":"FeatureCollection","features":[3]})", "features[0]", "object"},
      {R"({"type":"FeatureCollection","features":[{"type":"feature"}]})", "features[0].type",
       "Feature"},
      {R"({"type":"FeatureCollection", "features": [)", "", "not valid JSON at byte"},
      {"", "", "not valid JSON"},
      {std::string(100000, '['), "", ""},  // deep nesting: an error, not a crash
  };
  for (const auto &c : cases) {
    auto r = fences_from_geojson(c.text);
    ASSERT_FALSE(r.is_ok()) << c.text;
    EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument);
    if (!c.field.empty()) {
      EXPECT_EQ(r.status().field(), c.field) << r.status().message();
    }
    EXPECT_NE(r.status().message().find(c.in_message), std::string::npos) << r.status().message();
  }
}

TEST(GeoJson, EmptyCollectionIsFine) {
  auto r = fences_from_geojson(R"({"type":"FeatureCollection","features":[]})");
  ASSERT_TRUE(r.is_ok());
  EXPECT_TRUE(r->empty());
}

}  // namespace
}  // namespace liandong::geofence
