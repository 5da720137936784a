// A node with a road network: `liandong graph synth` makes one, `serve --graph FILE` (or `graph:`
// in liandong.yaml, relative to it) loads it, and the road routes answer from it; a missing or
// damaged file stops the start with a message naming it; without one the road routes say how to
// get one.
#include <fstream>

#include "harness.h"

namespace liandong::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class RoadsTest : public E2eTest {
 protected:
  // A synthetic city of about 2000 nodes at `path`.
  void synth(const fs::path& path) {
    auto r = run_liandong({"graph", "synth", "--nodes", "2000", "--seed", "3", "--out", path.string()});
    ASSERT_TRUE(r.status.exited && r.status.code == 0) << r.status.describe() << "\n" << r.output;
  }
  std::string expect_refused(const NodeOptions& o) {
    auto r = run_command(serve_argv(o), new_log("refused"), kStartTimeout);
    EXPECT_TRUE(r.status.exited) << r.status.describe();
    EXPECT_NE(r.status.code, 0) << "started although it should not have:\n" << r.output;
    EXPECT_FALSE(fs::exists(data_ / "node.addr"));
    return r.output;
  }
};

TEST_F(RoadsTest, ServesTheRoadNetworkGivenWithGraph) {
  const fs::path graph = root_ / "city.ldg";
  synth(graph);
  auto o = node_options();
  o.extra_args = {"--graph", graph.string()};
  auto node = start(o);
  HttpConnection http(node.port, auth());
  json info = get_json(http, "/api/v1/roads/info");
  ASSERT_EQ(info.value("loaded", false), true) << info.dump();
  EXPECT_GT(info.value("nodes", 0), 1000);
  EXPECT_GT(info.value("places", 0), 0);
  EXPECT_EQ(get_json(http, "/api/v1/node").value("roads", false), true);
  const auto& b = info["bbox"];
  const double lon0 = b[0], lat0 = b[1], lon1 = b[2], lat1 = b[3];
  auto roads = http.get("/api/v1/roads?bbox=" + std::to_string(lon0) + "," + std::to_string(lat0) + "," +
                        std::to_string(lon1) + "," + std::to_string(lat1) + "&zoom=16");
  ASSERT_EQ(roads.status, 200) << roads.body;
  EXPECT_EQ(roads.content_type, "application/geo+json");
  EXPECT_GT(json::parse(roads.body)["features"].size(), 100u);
  // Across the city and back.
  auto at = [](double lon, double lat) { return std::to_string(lon) + "," + std::to_string(lat); };
  const std::string a = at(lon0 + (lon1 - lon0) * 0.2, lat0 + (lat1 - lat0) * 0.2);
  const std::string z = at(lon0 + (lon1 - lon0) * 0.8, lat0 + (lat1 - lat0) * 0.8);
  json there = get_json(http, "/api/v1/route?from=" + a + "&to=" + z);
  EXPECT_GT(there.value("time_ms", 0), 0) << there.dump();
  EXPECT_GT(there["geometry"]["coordinates"].size(), 2u);
  json back = get_json(http, "/api/v1/route?from=" + z + "&to=" + a);
  EXPECT_GT(back.value("time_ms", 0), 0);
  auto far = http.get("/api/v1/route?from=" + a + "&to=" + at(lon1 + 1, lat1 + 1));
  EXPECT_EQ(far.status, 422) << far.body;
  EXPECT_EQ(json::parse(far.body).value("code", ""), "not_on_road");
  // A street of the city finds itself first.
  json streets = get_json(http, "/api/v1/geocode?q=%E8%B7%AF&limit=50");  // 路
  std::string name;
  for (const auto& c : streets["items"])
    if (c["kind"] == "street") name = c["name"];
  ASSERT_FALSE(name.empty()) << streets.dump();
  // (Percent-encode the UTF-8 name.)
  std::string q;
  for (unsigned char ch : name) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%%%02X", ch);
    q += buf;
  }
  json found = get_json(http, "/api/v1/geocode?q=" + q);
  ASSERT_FALSE(found["items"].empty());
  EXPECT_EQ(found["items"][0]["name"], name);
  EXPECT_EQ(found["items"][0]["score"], 1.0);
  EXPECT_EQ(found["items"][0]["on_road"], true);
  stop(node);
}

TEST_F(RoadsTest, GraphInTheConfigurationIsRelativeToIt) {
  fs::create_directories(data_ / "maps");
  synth(data_ / "maps" / "city.ldg");
  write_config("jurisdiction: \"441300\"\ngraph: \"maps/city.ldg\"\nroad_snap_m: 100\n");
  auto node = start();
  HttpConnection http(node.port, auth());
  json info = get_json(http, "/api/v1/roads/info");
  EXPECT_EQ(info.value("loaded", false), true) << info.dump();
  EXPECT_EQ(info.value("snap_max_m", 0.0), 100.0);
  stop(node);
}

TEST_F(RoadsTest, AMissingOrDamagedGraphStopsTheStartAndSaysWhich) {
  auto o = node_options();
  o.extra_args = {"--graph", (root_ / "nowhere.ldg").string()};
  std::string missing = expect_refused(o);
  EXPECT_NE(missing.find("nowhere.ldg"), std::string::npos) << missing;
  EXPECT_NE(missing.find("road network"), std::string::npos) << missing;
  const fs::path bad = root_ / "bad.ldg";
  std::ofstream(bad) << "not a road network at all";
  o.extra_args = {"--graph", bad.string()};
  std::string damaged = expect_refused(o);
  EXPECT_NE(damaged.find("bad.ldg"), std::string::npos) << damaged;
  // A good file with a flipped byte fails its checksum.
  const fs::path flipped = root_ / "flipped.ldg";
  synth(flipped);
  {
    std::fstream f(flipped, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(4000);
    const char was = static_cast<char>(f.get());
    f.seekp(4000);
    f.put(static_cast<char>(~was));
  }
  o.extra_args = {"--graph", flipped.string()};
  std::string checksum = expect_refused(o);
  EXPECT_NE(checksum.find("flipped.ldg"), std::string::npos) << checksum;
}

TEST_F(RoadsTest, WithoutAGraphTheRoadRoutesSayHowToGetOne) {
  auto node = start();
  HttpConnection http(node.port, auth());
  EXPECT_EQ(get_json(http, "/api/v1/roads/info").value("loaded", true), false);
  for (const char* target : {"/api/v1/roads?bbox=114,23,115,24", "/api/v1/geocode?q=x",
                             "/api/v1/route?from=114.4,23.1&to=114.5,23.2"}) {
    auto r = http.get(target);
    EXPECT_EQ(r.status, 503) << target;
    json body = json::parse(r.body, nullptr, false);
    EXPECT_EQ(body.value("code", ""), "no_road_network") << r.body;
    EXPECT_NE(body.value("message", "").find("--graph"), std::string::npos) << r.body;
  }
  stop(node);
}

}  // namespace
}  // namespace liandong::e2e
