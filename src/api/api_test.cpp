// The v1 routes over a real loopback server, with the engine on an in-memory journal.
#include <gtest/gtest.h>

#include <set>

#include "api/api.h"
#include "api/route_table.h"
#include "api/http/internal/test_client.h"
#include "api/http/server.h"
#include "engine/testing/memory_journal.h"

namespace liandong::api {
namespace {

using nlohmann::json;
using http::testing::HttpClient;
namespace bhttp = boost::beast::http;

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine::EngineOptions o;
    o.node = "441200";
    engine_ = std::make_unique<engine::Engine>(o, journal_, clock_, taxonomy::Taxonomy::defaults(),
                                               taxonomy::GradeRules::defaults());
    ASSERT_TRUE(engine_->start().is_ok());
    ctx_.engine = engine_.get();
    ctx_.metrics = &registry_;
    ctx_.test_clock = &clock_;
    ctx_.node.code = "441200";
    ctx_.node.name = "惠州市";
    ctx_.node.boundaries = {{"type", "FeatureCollection"}, {"features", json::array()}};
    AccessOptions ao;
    ao.secret = "test-secret";
    ao.password_cost = access::PasswordCost::minimum();
    auth_ = std::make_unique<Auth>(ao, *engine_, clock_, registry_);
    ctx_.auth = auth_.get();
    ctx_.clock = &clock_;
    // The calls below act as a supervisor's API key over the whole node.
    auto r = engine_->execute(engine::CreateKey{"test", {"supervisor", "441200"}, access::keyed_hash("test-secret", "s3cr3t-s3cr3t-s3cr3t")}, "test");
    ASSERT_TRUE(r) << r.status().to_string();
    token_ = Auth::key_token(1, "s3cr3t-s3cr3t-s3cr3t");
    add_routes(router_, ctx_);
    server_ = std::make_unique<http::Server>(http::ServerOptions{}, router_, nullptr, registry_);
    ASSERT_TRUE(server_->start().is_ok());
  }
  void TearDown() override {
    server_->stop(std::chrono::milliseconds(500));
    auth_.reset();
    engine_->stop();
  }

  struct Answer {
    int status;
    json body;
  };
  Answer call(bhttp::verb method, const std::string& target, const std::string& body = {},
              const std::string& content_type = "application/json") {
    HttpClient c(server_->port());
    c.headers.emplace_back("Authorization", "Bearer " + token_);
    if (body.size() > (1u << 20)) {
      // Announce the whole body but send only its start: the server answers 413 before reading it.
      c.send_raw(std::string(bhttp::to_string(method)) + " " + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: " +
                 content_type + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                 body.substr(0, 4096));
    } else {
      c.send(method, target, body, content_type);
    }
    auto r = c.read();
    json j = json::parse(r.body(), nullptr, false);
    return {static_cast<int>(r.result_int()), j};
  }
  Answer post(const std::string& target, const json& body) { return call(bhttp::verb::post, target, body.dump()); }

  static json fire() {
    return {{"channel", "119"},
            {"reported_at", "2026-11-29T12:59:00+08:00"},
            {"location", {{"lon", 114.41}, {"lat", 23.11}}},
            {"address", "江北 1 号"},
            {"type", "fire"},
            {"description", "三楼冒烟"}};
  }

  engine::testing::MemoryJournal journal_;
  core::FakeClock clock_{*core::parse_rfc3339("2026-11-29T05:00:00Z")};
  metrics::Registry registry_;
  std::unique_ptr<engine::Engine> engine_;
  ApiContext ctx_;
  std::unique_ptr<Auth> auth_;
  std::string token_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
};

TEST_F(ApiTest, OpenApiDocumentsExactlyTheRoutesServed) {
  const json& doc = openapi_document();
  std::set<std::string> documented, served;
  for (auto& [path, ops] : doc["paths"].items())
    for (auto& [method, op] : ops.items()) {
      std::string m = method;
      for (auto& ch : m) ch = static_cast<char>(std::toupper(ch));
      documented.insert(m + " " + path);
      EXPECT_TRUE(op.contains("x-permission") || op.value("x-public", false))
          << m << " " << path << " names neither a permission nor public";
      // ...and the same permission as the route table, which the guard enforces.
      if (const RouteSpec* spec = find_route(m, path)) {
        std::string perm = op.value("x-public", false) ? "public" : op.value("x-permission", "");
        EXPECT_EQ(perm, spec->permission) << m << " " << path;
        EXPECT_EQ(op.value("x-scope", ""), spec->scope) << m << " " << path;
      }
    }
  for (const auto& r : router_.routes()) served.insert(r.method + " " + r.pattern);
  served.insert("GET /api/v1/stream");  // the server's WebSocket upgrade
  EXPECT_EQ(documented, served);
  auto a = call(bhttp::verb::get, "/api/v1/openapi.json");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body["openapi"], "3.0.3");
}

TEST_F(ApiTest, ReportAlarmThenReadItBack) {
  auto a = post("/api/v1/alarms", fire());
  ASSERT_EQ(a.status, 201) << a.body.dump();
  EXPECT_EQ(a.body["incident_id"], "441200-INC-1");
  auto inc = call(bhttp::verb::get, "/api/v1/incidents/441200-INC-1");
  ASSERT_EQ(inc.status, 200);
  EXPECT_EQ(inc.body["status"], "reported");
  EXPECT_EQ(inc.body["grade"]["proposed"], "IV");
  EXPECT_EQ(inc.body["alarms"].size(), 1u);
  EXPECT_EQ(inc.body["alarms"][0]["description"], "三楼冒烟");
  EXPECT_GE(inc.body["timeline"].size(), 2u);
  auto st = post("/api/v1/incidents/441200-INC-1/status", {{"status", "responding"}});
  EXPECT_EQ(st.status, 200);
  EXPECT_EQ(st.body["status"], "responding");
  auto back = post("/api/v1/incidents/441200-INC-1/status", {{"status", "verified"}});
  EXPECT_EQ(back.status, 409);
  EXPECT_EQ(back.body["code"], "conflict");
}

TEST_F(ApiTest, ListFiltersAndPages) {
  for (int i = 0; i < 7; ++i) {
    json a = fire();
    a["location"]["lon"] = 114.0 + i * 0.1;
    if (i % 2) a["type"] = "traffic_accident";
    ASSERT_EQ(post("/api/v1/alarms", a).status, 201);
  }
  auto page1 = call(bhttp::verb::get, "/api/v1/incidents?limit=3");
  ASSERT_EQ(page1.status, 200);
  ASSERT_EQ(page1.body["items"].size(), 3u);
  EXPECT_EQ(page1.body["items"][0]["id"], "441200-INC-7");
  std::string cursor = page1.body["next_cursor"];
  auto page2 = call(bhttp::verb::get, "/api/v1/incidents?limit=3&cursor=" + cursor);
  EXPECT_EQ(page2.body["items"][0]["id"], "441200-INC-4");
  auto page3 = call(bhttp::verb::get, "/api/v1/incidents?limit=3&cursor=" + std::string(page2.body["next_cursor"]));
  EXPECT_EQ(page3.body["items"].size(), 1u);
  EXPECT_TRUE(page3.body["next_cursor"].is_null());
  auto traffic = call(bhttp::verb::get, "/api/v1/incidents?type=traffic_accident");
  EXPECT_EQ(traffic.body["items"].size(), 3u);
  auto box = call(bhttp::verb::get, "/api/v1/incidents?bbox=113.95,23,114.25,23.2");
  EXPECT_EQ(box.body["items"].size(), 3u);
  auto win = call(bhttp::verb::get, "/api/v1/incidents?from=2026-11-29T05:00:00Z&to=2026-11-29T05:00:01Z");
  EXPECT_EQ(win.body["items"].size(), 7u);
}

TEST_F(ApiTest, IdempotencyKeyReturnsTheFirstAnswer) {
  std::string body = fire().dump();
  auto raw = [&] {
    HttpClient c(server_->port());
    c.send_raw("POST /api/v1/alarms HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nIdempotency-Key: abc-1\r\n"
               "Authorization: Bearer " + token_ + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    auto r = c.read();
    return std::make_pair(static_cast<int>(r.result_int()), json::parse(r.body()));
  };
  auto [s1, b1] = raw();
  auto [s2, b2] = raw();
  EXPECT_EQ(s1, 201);
  EXPECT_EQ(s2, 200);
  EXPECT_EQ(b1, b2);
  EXPECT_EQ(engine_->view()->alarms.size(), 1u);
}

struct Hostile {
  const char* name;
  bhttp::verb method;
  std::string target;
  std::string body;
  std::string content_type;
  int status;
  std::string code;
  std::string field;
};

TEST_F(ApiTest, MalformedAndHostileRequestsGetTheirOwnErrors) {
  ASSERT_EQ(post("/api/v1/alarms", fire()).status, 201);
  auto with = [](std::function<void(json&)> f) {
    json j = fire();
    f(j);
    return j.dump();
  };
  const std::string ct = "application/json";
  const std::vector<Hostile> cases = {
      {"not json", bhttp::verb::post, "/api/v1/alarms", "{\"channel\":", ct, 400, "malformed_json", ""},
      {"json array", bhttp::verb::post, "/api/v1/alarms", "[1,2]", ct, 400, "malformed_json", ""},
      {"empty body", bhttp::verb::post, "/api/v1/alarms", "", ct, 400, "malformed_json", ""},
      {"invalid utf-8", bhttp::verb::post, "/api/v1/alarms", "{\"type\":\"\xff\xfe\"}", ct, 400, "malformed_json", ""},
      {"deep nesting", bhttp::verb::post, "/api/v1/alarms", std::string(5000, '[') + std::string(5000, ']'), ct, 400,
       "malformed_json", ""},
      {"missing channel", bhttp::verb::post, "/api/v1/alarms", with([](json& j) { j.erase("channel"); }), ct, 400,
       "invalid_field", "channel"},
      {"channel not a string", bhttp::verb::post, "/api/v1/alarms", with([](json& j) { j["channel"] = 119; }), ct, 400,
       "invalid_field", "channel"},
      {"unknown channel", bhttp::verb::post, "/api/v1/alarms", with([](json& j) { j["channel"] = "911"; }), ct, 400,
       "invalid_field", "channel"},
      {"time without offset", bhttp::verb::post, "/api/v1/alarms",
       with([](json& j) { j["reported_at"] = "2026-11-29T12:59:00"; }), ct, 400, "time_without_offset", "reported_at"},
      {"time garbage", bhttp::verb::post, "/api/v1/alarms", with([](json& j) { j["reported_at"] = "noon"; }), ct, 400,
       "invalid_field", "reported_at"},
      {"time before the year 0000 in UTC", bhttp::verb::post, "/api/v1/alarms",
       with([](json& j) { j["reported_at"] = "0000-01-01T00:00:00+08:00"; }), ct, 400, "invalid_field", "reported_at"},
      {"lon out of range", bhttp::verb::post, "/api/v1/alarms",
       with([](json& j) { j["location"]["lon"] = 200; }), ct, 400, "invalid_field", "location.lon"},
      {"lat not a number", bhttp::verb::post, "/api/v1/alarms",
       with([](json& j) { j["location"]["lat"] = "north"; }), ct, 400, "invalid_field", "location.lat"},
      {"no location nor address", bhttp::verb::post, "/api/v1/alarms",
       with([](json& j) { j.erase("location"); j.erase("address"); }), ct, 400, "invalid_field", "location"},
      {"negative figure", bhttp::verb::post, "/api/v1/alarms",
       with([](json& j) { j["figures"] = {{"deaths", -2}}; }), ct, 400, "invalid_field", "figures.deaths"},
      {"unknown field", bhttp::verb::post, "/api/v1/alarms", with([](json& j) { j["colour"] = "red"; }), ct, 400,
       "invalid_field", "colour"},
      {"unknown type", bhttp::verb::post, "/api/v1/alarms", with([](json& j) { j["type"] = "ufo"; }), ct, 400,
       "invalid_field", "type"},
      {"foreign jurisdiction", bhttp::verb::post, "/api/v1/alarms",
       with([](json& j) { j["jurisdiction"] = "110000"; }), ct, 400, "invalid_field", "jurisdiction"},
      {"bad jurisdiction", bhttp::verb::post, "/api/v1/alarms",
       with([](json& j) { j["jurisdiction"] = "44-12"; }), ct, 400, "invalid_field", "jurisdiction"},
      {"huge description", bhttp::verb::post, "/api/v1/alarms",
       with([](json& j) { j["description"] = std::string(9000, 'x'); }), ct, 400, "invalid_field", "description"},
      {"wrong content type", bhttp::verb::post, "/api/v1/alarms", fire().dump(), "text/plain", 415,
       "unsupported_media_type", ""},
      {"body over limit", bhttp::verb::post, "/api/v1/alarms", std::string(2 << 20, ' '), ct, 413, "too_large", ""},
      {"unknown incident", bhttp::verb::get, "/api/v1/incidents/441200-INC-99", "", ct, 404, "not_found", ""},
      {"malformed id", bhttp::verb::get, "/api/v1/incidents/DROP%20TABLE", "", ct, 404, "not_found", ""},
      {"other node's id", bhttp::verb::get, "/api/v1/incidents/441300-INC-1", "", ct, 404, "not_found", ""},
      {"unknown route", bhttp::verb::get, "/api/v1/nothing", "", ct, 404, "not_found", ""},
      {"wrong method", bhttp::verb::delete_, "/api/v1/incidents", "", ct, 405, "method_not_allowed", ""},
      {"bad status", bhttp::verb::post, "/api/v1/incidents/441200-INC-1/status", "{\"status\":\"done\"}", ct, 400,
       "invalid_field", "status"},
      {"backwards status", bhttp::verb::post, "/api/v1/incidents/441200-INC-1/status", "{\"status\":\"reported\"}",
       ct, 409, "conflict", "status"},
      {"bad grade", bhttp::verb::post, "/api/v1/incidents/441200-INC-1/grade", "{\"grade\":\"V\"}", ct, 400,
       "invalid_field", "grade"},
      {"other grade without reason", bhttp::verb::post, "/api/v1/incidents/441200-INC-1/grade",
       "{\"grade\":\"I\"}", ct, 400, "invalid_field", "reason"},
      {"bad priority", bhttp::verb::post, "/api/v1/incidents/441200-INC-1/priority", "{\"priority\":\"P0\"}", ct,
       400, "invalid_field", "priority"},
      {"merge into itself", bhttp::verb::post, "/api/v1/incidents/441200-INC-1/merge",
       "{\"from\":\"441200-INC-1\"}", ct, 400, "invalid_field", "from"},
      {"nuisance bad reason", bhttp::verb::post, "/api/v1/alarms/441200-ALM-1/nuisance", "{\"reason\":\"rude\"}", ct,
       400, "invalid_field", "reason"},
      {"split only alarm", bhttp::verb::post, "/api/v1/alarms/441200-ALM-1/split", "{}", ct, 409, "conflict", ""},
      {"bad query limit", bhttp::verb::get, "/api/v1/incidents?limit=100000", "", ct, 400, "invalid_query", "limit"},
      {"bad bbox", bhttp::verb::get, "/api/v1/incidents?bbox=1,2,3", "", ct, 400, "invalid_query", "bbox"},
      {"query time without offset", bhttp::verb::get, "/api/v1/incidents?from=2026-11-29T00:00:00", "", ct, 400,
       "time_without_offset", "from"},
      {"unknown query", bhttp::verb::get, "/api/v1/incidents?sort=asc", "", ct, 400, "invalid_query", "sort"},
      {"patch nothing", bhttp::verb::patch, "/api/v1/incidents/441200-INC-1", "{}", ct, 400, "invalid_field", ""},
  };
  for (const auto& c : cases) {
    auto a = call(c.method, c.target, c.body, c.content_type);
    EXPECT_EQ(a.status, c.status) << c.name << ": " << a.body.dump();
    EXPECT_EQ(a.body.value("code", ""), c.code) << c.name;
    EXPECT_EQ(a.body.value("field", ""), c.field) << c.name;
    EXPECT_FALSE(a.body.value("message", "").empty()) << c.name;
  }
  // Nothing was half-written by any of them: still one alarm, one incident, three events (after
  // the set-up's key.created).
  auto v = engine_->view();
  EXPECT_EQ(v->alarms.size(), 1u);
  EXPECT_EQ(v->incidents.size(), 1u);
  EXPECT_EQ(journal_.size(), 4u);
  EXPECT_EQ(call(bhttp::verb::get, "/api/v1/health").status, 200);
}

TEST_F(ApiTest, TestClockMovesTheEngineClock) {
  auto a = post("/api/v1/test/clock", {{"now", "2026-12-01T00:00:00+08:00"}});
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body["now"], "2026-11-30T16:00:00.000Z");
  ASSERT_EQ(post("/api/v1/alarms", fire()).status, 201);
  EXPECT_EQ(engine_->view()->find_alarm("441200-ALM-1")->received_at, *core::parse_rfc3339("2026-11-30T16:00:00Z"));
}

}  // namespace
}  // namespace liandong::api
