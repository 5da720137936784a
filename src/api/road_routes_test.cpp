// The road routes (/roads, /roads/info, /geocode, /route) over a real loopback server, on a tiny
// hand-built road network near 惠州, and without one.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "api/api.h"
#include "api/http/internal/test_client.h"
#include "api/http/server.h"
#include "api/roads.h"
#include "engine/testing/memory_journal.h"
#include "routing/ch.h"

namespace liandong::api {
namespace {

using nlohmann::json;
using http::testing::HttpClient;
namespace bhttp = boost::beast::http;
using routing::Coord;
using routing::RoadClass;

//   a ==== b ==== c        trunk (two-way), 1 km a step, 60 km/h
//          |      v        b–d residential two-way; c → e one-way
//          d ---- e        d–e secondary two-way
//                                   f -- g   an island, joined to nothing
routing::RoadNetwork tiny_network() {
  routing::GraphBuilder b;
  auto at = [](double lon, double lat) { return Coord::from_degrees(lon, lat); };
  const auto a = b.add_node(at(114.400, 23.100), 0), bb = b.add_node(at(114.410, 23.100), 1),
             c = b.add_node(at(114.420, 23.100), 2), d = b.add_node(at(114.410, 23.090), 3),
             e = b.add_node(at(114.420, 23.090), 4), f = b.add_node(at(114.500, 23.200), 5),
             g = b.add_node(at(114.501, 23.200), 6);
  auto two_way = [&](routing::NodeId u, routing::NodeId v, uint32_t ms, uint32_t m, RoadClass k,
                     std::vector<Coord> shape = {}) {
    b.add_arc(u, v, ms, m, k, shape);
    std::vector<Coord> back(shape.rbegin(), shape.rend());
    b.add_arc(v, u, ms, m, k, back);
  };
  two_way(a, bb, 60'000, 1'000, RoadClass::kTrunk, {at(114.405, 23.1002)});
  two_way(bb, c, 60'000, 1'000, RoadClass::kTrunk);
  two_way(bb, d, 120'000, 1'100, RoadClass::kResidential);
  b.add_arc(c, e, 90'000, 1'100, RoadClass::kResidential);
  two_way(d, e, 80'000, 1'000, RoadClass::kSecondary);
  two_way(f, g, 10'000, 100, RoadClass::kResidential);
  routing::RoadNetwork net;
  net.graph = std::move(b).build();
  net.ch = routing::build_contraction_hierarchy(net.graph, {});
  net.meta = {"tiny test map", "test", "2026-11-29T05:00:00Z"};
  net.extras["places"] = geocode::encode_places({
      {geocode::PlaceKind::kStreet, "文明一路", "Wenming 1st Road", "", "", "trunk", 114.405, 23.1001},
      {geocode::PlaceKind::kAddress, "", "", "文明一路", "18号", "", 114.4052, 23.1003},
      {geocode::PlaceKind::kPlace, "惠城区", "Huicheng", "", "", "suburb", 114.41, 23.095},
      {geocode::PlaceKind::kStreet, "Rue Grimaldi", "", "", "", "secondary", 7.4197, 43.7318},  // far from every road
  });
  return net;
}

class RoadRoutesTest : public ::testing::Test {
 protected:
  void start(bool with_roads, RoadsOptions options = {}) {
    engine::EngineOptions o;
    o.node = "441300";
    engine_ = std::make_unique<engine::Engine>(o, journal_, clock_, taxonomy::Taxonomy::defaults(),
                                               taxonomy::GradeRules::defaults());
    ASSERT_TRUE(engine_->start().is_ok());
    ctx_.engine = engine_.get();
    ctx_.metrics = &registry_;
    ctx_.node.code = "441300";
    AccessOptions ao;
    ao.secret = "test-secret";
    ao.password_cost = access::PasswordCost::minimum();
    auth_ = std::make_unique<Auth>(ao, *engine_, clock_, registry_);
    ctx_.auth = auth_.get();
    ctx_.clock = &clock_;
    if (with_roads) {
      auto r = Roads::from_network(tiny_network(), options);
      ASSERT_TRUE(r) << r.status().to_string();
      roads_ = std::move(*r);
      ctx_.roads = roads_.get();
    }
    // A call-taker's key: the road routes are for anyone who may see incidents.
    auto k = engine_->execute(
        engine::CreateKey{"test", {"call_taker", "441300"}, access::keyed_hash("test-secret", "s3cr3t-s3cr3t-s3cr3t")},
        "test");
    ASSERT_TRUE(k) << k.status().to_string();
    token_ = Auth::key_token(1, "s3cr3t-s3cr3t-s3cr3t");
    add_routes(router_, ctx_);
    server_ = std::make_unique<http::Server>(http::ServerOptions{}, router_, nullptr, registry_);
    ASSERT_TRUE(server_->start().is_ok());
  }
  void TearDown() override {
    if (server_) server_->stop(std::chrono::milliseconds(500));
    auth_.reset();
    if (engine_) engine_->stop();
  }

  struct Answer {
    int status;
    json body;
    std::string content_type;
  };
  Answer get(const std::string& target) {
    HttpClient c(server_->port());
    c.headers.emplace_back("Authorization", "Bearer " + token_);
    c.send(bhttp::verb::get, target, "");
    auto r = c.read();
    return {static_cast<int>(r.result_int()), json::parse(r.body(), nullptr, false),
            std::string(r[bhttp::field::content_type])};
  }

  engine::testing::MemoryJournal journal_;
  core::FakeClock clock_{*core::parse_rfc3339("2026-11-29T05:00:00Z")};
  metrics::Registry registry_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<Roads> roads_;
  ApiContext ctx_;
  std::unique_ptr<Auth> auth_;
  std::string token_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
};

constexpr const char* kBox = "bbox=114.39,23.08,114.43,23.11";

TEST_F(RoadRoutesTest, WithoutANetworkTheRoadRoutesSaySo) {
  start(false);
  auto info = get("/api/v1/roads/info");
  EXPECT_EQ(info.status, 200);
  EXPECT_EQ(info.body["loaded"], false);
  EXPECT_NE(info.body["message"].get<std::string>().find("--graph"), std::string::npos);
  for (std::string target : {std::string("/api/v1/roads?") + kBox, std::string("/api/v1/geocode?q=x"),
                             std::string("/api/v1/route?from=114.4,23.1&to=114.42,23.09")}) {
    auto a = get(target);
    EXPECT_EQ(a.status, 503) << target;
    EXPECT_EQ(a.body["code"], "no_road_network") << target;
    EXPECT_NE(a.body["message"].get<std::string>().find("--graph"), std::string::npos);
  }
  EXPECT_EQ(get("/api/v1/node").body["roads"], false);
}

TEST_F(RoadRoutesTest, InfoDescribesTheNetwork) {
  start(true);
  auto info = get("/api/v1/roads/info");
  ASSERT_EQ(info.status, 200);
  EXPECT_EQ(info.body["loaded"], true);
  EXPECT_EQ(info.body["source"], "tiny test map");
  EXPECT_EQ(info.body["nodes"], 7);
  EXPECT_EQ(info.body["arcs"], 11);
  EXPECT_EQ(info.body["roads"], 6);  // five two-way roads once each, one one-way
  EXPECT_EQ(info.body["places"], 4);
  EXPECT_EQ(info.body["snap_max_m"], 500);
  EXPECT_NEAR(info.body["bbox"][0].get<double>(), 114.4, 1e-6);
  EXPECT_NEAR(info.body["bbox"][3].get<double>(), 23.2, 1e-6);
  EXPECT_EQ(get("/api/v1/node").body["roads"], true);
}

TEST_F(RoadRoutesTest, RoadsLayerDrawsEachRoadOnceWithItsShape) {
  start(true);
  auto a = get(std::string("/api/v1/roads?") + kBox + "&zoom=16");
  ASSERT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.content_type, "application/geo+json");
  EXPECT_EQ(a.body["type"], "FeatureCollection");
  EXPECT_EQ(a.body["truncated"], false);
  const auto& fs = a.body["features"];
  ASSERT_EQ(fs.size(), 5u) << a.body.dump();  // the island f–g is outside the box
  int oneway = 0, with_shape = 0;
  for (const auto& f : fs) {
    EXPECT_EQ(f["geometry"]["type"], "LineString");
    EXPECT_GE(f["geometry"]["coordinates"].size(), 2u);
    oneway += f["properties"]["oneway"].get<bool>();
    with_shape += f["geometry"]["coordinates"].size() == 3;
    EXPECT_TRUE(f["properties"]["class"].is_string());
  }
  EXPECT_EQ(oneway, 1);
  EXPECT_EQ(with_shape, 1);  // a–b bends through its shape point
  // Zoomed out: the trunk road only.
  auto out = get(std::string("/api/v1/roads?") + kBox + "&zoom=9");
  ASSERT_EQ(out.status, 200);
  ASSERT_EQ(out.body["features"].size(), 2u);
  for (const auto& f : out.body["features"]) EXPECT_EQ(f["properties"]["class"], "trunk");
  // Elsewhere: nothing.
  EXPECT_TRUE(get("/api/v1/roads?bbox=7.4,43.7,7.5,43.8&zoom=16").body["features"].empty());
}

TEST_F(RoadRoutesTest, RoadsLayerIsBoundedAndKeepsWholeMajorClasses) {
  RoadsOptions o;
  o.max_road_features = 4;
  start(true, o);
  auto a = get(std::string("/api/v1/roads?") + kBox + "&zoom=16");
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body["truncated"], true);
  // Two trunk roads and the secondary one: the two residential roads do not fit, and one of them
  // alone would show some streets and not others.
  ASSERT_EQ(a.body["features"].size(), 3u);
  std::multiset<std::string> classes;
  for (const auto& f : a.body["features"]) classes.insert(f["properties"]["class"]);
  EXPECT_EQ(classes, (std::multiset<std::string>{"trunk", "trunk", "secondary"}));
}

TEST_F(RoadRoutesTest, RoadsLayerCutsWithinAClassTooLargeAlone) {
  RoadsOptions o;
  o.max_road_features = 1;
  start(true, o);
  auto a = get(std::string("/api/v1/roads?") + kBox + "&zoom=16");
  EXPECT_EQ(a.body["truncated"], true);
  ASSERT_EQ(a.body["features"].size(), 1u);
  EXPECT_EQ(a.body["features"][0]["properties"]["class"], "trunk");
}

TEST_F(RoadRoutesTest, RoadsLayerChecksItsQuery) {
  start(true);
  for (const char* target : {"/api/v1/roads", "/api/v1/roads?bbox=1,2,3", "/api/v1/roads?bbox=3,3,1,1",
                             "/api/v1/roads?bbox=114.39,23.08,114.43,23.11&zoom=99",
                             "/api/v1/roads?bbox=114.39,23.08,114.43,23.11&colour=red"}) {
    auto a = get(target);
    EXPECT_EQ(a.status, 400) << target;
    EXPECT_EQ(a.body["code"], "invalid_query") << target;
    EXPECT_TRUE(a.body.contains("field")) << target;
  }
}

TEST_F(RoadRoutesTest, GeocodeRanksAndSaysWhetherOnARoad) {
  start(true);
  auto a = get("/api/v1/geocode?q=%E6%96%87%E6%98%8E%E4%B8%80%E8%B7%AF18%E5%8F%B7");  // 文明一路18号
  ASSERT_EQ(a.status, 200) << a.body.dump();
  const auto& items = a.body["items"];
  ASSERT_FALSE(items.empty());
  EXPECT_EQ(items[0]["kind"], "address");
  EXPECT_EQ(items[0]["label"], "文明一路18号");
  EXPECT_EQ(items[0]["score"], 1.0);
  EXPECT_EQ(items[0]["on_road"], true);
  EXPECT_LT(items[0]["road"]["distance_m"].get<double>(), 50);
  EXPECT_NEAR(items[0]["position"]["lon"].get<double>(), 114.4052, 1e-7);
  auto latin = get("/api/v1/geocode?q=rue+grimaldi");
  ASSERT_EQ(latin.status, 200);
  ASSERT_EQ(latin.body["items"].size(), 1u);
  EXPECT_EQ(latin.body["items"][0]["on_road"], false);
  EXPECT_TRUE(latin.body["items"][0]["road"].is_null());
  auto near = get("/api/v1/geocode?q=huicheng&near=114.41,23.095&limit=1");
  ASSERT_EQ(near.body["items"].size(), 1u);
  EXPECT_EQ(near.body["items"][0]["label"], "惠城区 (Huicheng)");
  EXPECT_EQ(near.body["items"][0]["distance_m"], 0);
  auto none = get("/api/v1/geocode?q=%E8%A7%A3%E6%94%BE%E8%B7%AF");  // 解放路: not in the town
  ASSERT_EQ(none.status, 200);
  EXPECT_TRUE(none.body["items"].empty());
  for (const char* bad : {"/api/v1/geocode", "/api/v1/geocode?q=", "/api/v1/geocode?q=x&near=200,1",
                          "/api/v1/geocode?q=x&near=abc", "/api/v1/geocode?q=x&limit=0",
                          "/api/v1/geocode?q=x&limit=51", "/api/v1/geocode?q=x&other=1"}) {
    auto r = get(bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(r.body["code"], "invalid_query") << bad;
  }
  EXPECT_EQ(get("/api/v1/geocode?q=" + std::string(401, 'x')).status, 400);
}

TEST_F(RoadRoutesTest, RouteFollowsTheRoadsAndSnapsItsEnds) {
  start(true);
  // From beside a (a little north of it) to e: a → b → c → e, down the one-way street.
  auto a = get("/api/v1/route?from=114.4,23.1005&to=114.42,23.09");
  ASSERT_EQ(a.status, 200) << a.body.dump();
  // The start is snapped a few metres along a → b.
  EXPECT_NEAR(a.body["time_ms"].get<double>(), 60'000 + 60'000 + 90'000, 500);
  EXPECT_LT(a.body["time_ms"].get<double>(), 60'000 + 60'000 + 90'000);
  EXPECT_NEAR(a.body["length_m"].get<double>(), 1'000 + 1'000 + 1'100, 20);
  EXPECT_EQ(a.body["geometry"]["type"], "LineString");
  const auto& coords = a.body["geometry"]["coordinates"];
  ASSERT_GE(coords.size(), 5u);  // the start, the shape point, b, c, e
  EXPECT_NEAR(coords.back()[0].get<double>(), 114.42, 1e-6);
  EXPECT_NEAR(coords.back()[1].get<double>(), 23.09, 1e-6);
  EXPECT_NEAR(a.body["from"]["distance_m"].get<double>(), 55.6, 1.0);
  EXPECT_NEAR(a.body["from"]["snapped"]["lat"].get<double>(), 23.1, 1e-4);
  EXPECT_EQ(a.body["to"]["distance_m"], 0);
  // The other way round cannot take the one-way street: e → d → b → a.
  auto back = get("/api/v1/route?from=114.42,23.09&to=114.4,23.1");
  ASSERT_EQ(back.status, 200);
  EXPECT_NEAR(back.body["time_ms"].get<double>(), 60'000 + 120'000 + 80'000, 2);
  // c → e takes the one-way street; e → c cannot.
  auto down = get("/api/v1/route?from=114.42,23.1&to=114.42,23.09");
  EXPECT_NEAR(down.body["time_ms"].get<double>(), 90'000, 2);
  auto up = get("/api/v1/route?from=114.42,23.09&to=114.42,23.1");
  EXPECT_NEAR(up.body["time_ms"].get<double>(), 80'000 + 120'000 + 60'000, 2);
}

TEST_F(RoadRoutesTest, RouteRefusesPointsOffTheRoadsAndUnjoinedRoads) {
  RoadsOptions o;
  o.snap_max_m = 200;
  start(true, o);
  auto far = get("/api/v1/route?from=114.4,23.11&to=114.42,23.09");  // 1.1 km north of a
  EXPECT_EQ(far.status, 422) << far.body.dump();
  EXPECT_EQ(far.body["code"], "not_on_road");
  EXPECT_EQ(far.body["field"], "from");
  EXPECT_NE(far.body["message"].get<std::string>().find("200 m"), std::string::npos) << far.body.dump();
  auto far_to = get("/api/v1/route?from=114.4,23.1&to=7.42,43.73");
  EXPECT_EQ(far_to.status, 422);
  EXPECT_EQ(far_to.body["field"], "to");
  auto island = get("/api/v1/route?from=114.4,23.1&to=114.5005,23.2");
  EXPECT_EQ(island.status, 422) << island.body.dump();
  EXPECT_EQ(island.body["code"], "no_route");
  for (const char* bad : {"/api/v1/route", "/api/v1/route?from=114.4,23.1", "/api/v1/route?from=1&to=2",
                          "/api/v1/route?from=114.4,95&to=114.42,23.09", "/api/v1/route?from=a,b&to=c,d"}) {
    auto r = get(bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(r.body["code"], "invalid_query") << bad;
  }
}

TEST_F(RoadRoutesTest, ManyRoutesAtOnceShareThePool) {
  start(true);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) ok += get("/api/v1/route?from=114.4,23.1&to=114.42,23.09").status == 200;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 60);
}

TEST(Roads, ADamagedPlacesSectionIsAClearError) {
  auto net = tiny_network();
  net.extras["places"] = "garbage";
  auto r = Roads::from_network(std::move(net), {}, "/data/city.ldg");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("/data/city.ldg"), std::string::npos);
  EXPECT_NE(r.status().message().find("places"), std::string::npos);
  auto missing = Roads::load("/nonexistent/roads.ldg");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.status().code(), core::Code::kNotFound);
}

}  // namespace
}  // namespace liandong::api
