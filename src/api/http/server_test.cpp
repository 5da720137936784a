#include "api/http/server.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "api/http/internal/test_client.h"
#include "api/http/router.h"

namespace liandong::api::http {
namespace {

using nlohmann::json;
using testing::HttpClient;
using bhttp = boost::beast::http::verb;

class ServerTest : public ::testing::Test {
 protected:
  void start(ServerOptions o = {}) {
    server_ = std::make_unique<Server>(o, router_, nullptr, registry_);
    auto s = server_->start();
    ASSERT_TRUE(s.is_ok()) << s.to_string();
    ASSERT_NE(server_->port(), 0);
  }
  void TearDown() override {
    if (server_) server_->stop(std::chrono::seconds(1));
  }
  static json body(const testing::HttpResponse& r) { return json::parse(r.body()); }

  metrics::Registry registry_;
  Router router_;
  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, RoutesWithPathAndQueryParams) {
  router_.add("GET", "/api/v1/incidents/{id}/status", [](Request& req, Responder respond) {
    respond(json_response(200, {{"id", *req.param("id")},
                                {"q", req.query_param("q").value_or("")},
                                {"route", req.route}}));
  });
  router_.add("GET", "/api/v1/incidents/{id}", [](Request& req, Responder respond) {
    respond(json_response(200, {{"only", *req.param("id")}}));
  });
  start();
  HttpClient c(server_->port());
  auto r = c.request(bhttp::get, "/api/v1/incidents/441200-INC-4/status?q=a%20b&q=x+y");
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(body(r), json({{"id", "441200-INC-4"}, {"q", "x y"}, {"route", "/api/v1/incidents/{id}/status"}}));
  r = c.request(bhttp::get, "/api/v1/incidents/%E5%A4%A9");
  EXPECT_EQ(body(r)["only"], "\xE5\xA4\xA9");
}

TEST_F(ServerTest, NotFoundVersusMethodNotAllowed) {
  auto ok = [](Request&, Responder respond) { respond(json_response(200, json::object())); };
  router_.add("GET", "/api/v1/alarms/{id}", ok);
  router_.add("POST", "/api/v1/alarms/{id}/nuisance", ok);
  router_.add("PATCH", "/api/v1/alarms/{id}", ok);
  start();
  HttpClient c(server_->port());
  auto r = c.request(bhttp::get, "/api/v1/nothing");
  EXPECT_EQ(r.result_int(), 404);
  EXPECT_EQ(body(r)["code"], "not_found");
  r = c.request(bhttp::delete_, "/api/v1/alarms/1");
  EXPECT_EQ(r.result_int(), 405);
  EXPECT_EQ(body(r)["code"], "method_not_allowed");
  EXPECT_EQ(r[boost::beast::http::field::allow], "GET, PATCH");
  EXPECT_FALSE(body(r).contains("field"));
}

TEST_F(ServerTest, ResponderAnsweredFromAnotherThread) {
  std::vector<std::thread> workers;
  router_.add("POST", "/api/v1/echo", [&](Request& req, Responder respond) {
    workers.emplace_back([body = std::move(req.body), respond = std::move(respond)]() mutable {
      respond(json_response(201, {{"got", json::parse(body)}}));
    });
  });
  start();
  HttpClient c(server_->port());
  auto r = c.request(bhttp::post, "/api/v1/echo", R"({"a":1})");
  EXPECT_EQ(r.result_int(), 201);
  EXPECT_EQ(body(r)["got"]["a"], 1);
  for (auto& t : workers) t.join();
}

TEST_F(ServerTest, DroppedResponderAnswers500) {
  router_.add("GET", "/api/v1/drop", [](Request&, Responder) {});
  router_.add("GET", "/api/v1/throw", [](Request&, Responder) { throw std::runtime_error("bug"); });
  start();
  HttpClient c(server_->port());
  auto r = c.request(bhttp::get, "/api/v1/drop");
  EXPECT_EQ(r.result_int(), 500);
  EXPECT_EQ(body(r)["code"], "internal");
  r = c.request(bhttp::get, "/api/v1/throw");
  EXPECT_EQ(r.result_int(), 500);
}

TEST_F(ServerTest, BodyOverLimitIs413AndCloses) {
  router_.add("POST", "/api/v1/x", [](Request&, Responder respond) { respond(json_response(200, {})); });
  ServerOptions o;
  o.body_limit = 1000;
  start(o);
  HttpClient c(server_->port());
  auto r = c.request(bhttp::post, "/api/v1/x", "[\"" + std::string(2000, 'a') + "\"]");
  EXPECT_EQ(r.result_int(), 413);
  EXPECT_EQ(body(r)["code"], "too_large");
  EXPECT_FALSE(r.keep_alive());
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(ServerTest, WrongContentTypeIs415) {
  auto ok = [](Request&, Responder respond) { respond(json_response(200, json::object())); };
  router_.add("POST", "/api/v1/x", ok);
  RouteInfo raw;
  raw.require_json = false;
  router_.add("POST", "/api/v1/raw", ok, raw);
  start();
  HttpClient c(server_->port());
  auto r = c.request(bhttp::post, "/api/v1/x", "a,b", "text/csv");
  EXPECT_EQ(r.result_int(), 415);
  EXPECT_EQ(body(r)["code"], "unsupported_media_type");
  EXPECT_EQ(c.request(bhttp::post, "/api/v1/x", "{}", "application/json; charset=utf-8").result_int(), 200);
  EXPECT_EQ(c.request(bhttp::post, "/api/v1/x", "", "text/plain").result_int(), 200);  // no body
  EXPECT_EQ(c.request(bhttp::post, "/api/v1/raw", "a,b", "text/csv").result_int(), 200);
}

TEST_F(ServerTest, KeepAliveAndPipelinedRequestsInOrder) {
  std::atomic<int> n{0};
  router_.add("GET", "/api/v1/n/{i}", [&](Request& req, Responder respond) {
    ++n;
    // Answer the first one late from another thread: order must still hold.
    std::string i(*req.param("i"));
    if (i == "0") {
      std::thread([i, respond = std::move(respond)]() mutable {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        respond(json_response(200, {{"i", i}}));
      }).detach();
    } else {
      respond(json_response(200, {{"i", i}}));
    }
  });
  start();
  HttpClient c(server_->port());
  for (int i = 1; i <= 5; ++i) {
    auto r = c.request(bhttp::get, "/api/v1/n/" + std::to_string(i));
    EXPECT_EQ(body(r)["i"], std::to_string(i));
    EXPECT_TRUE(r.keep_alive());
  }
  std::string pipelined;
  for (int i = 0; i < 3; ++i)
    pipelined += "GET /api/v1/n/" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  c.send_raw(pipelined);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(body(c.read())["i"], std::to_string(i));
  EXPECT_EQ(n.load(), 8);
  auto text = registry_.render();
  EXPECT_NE(text.find("liandong_http_requests_total{route=\"/api/v1/n/{i}\",method=\"GET\",status=\"200\"} 8"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("liandong_http_request_duration_seconds_count{route=\"/api/v1/n/{i}\",method=\"GET\"} 8"),
            std::string::npos);
}

TEST_F(ServerTest, MalformedRequestIs400AndCloses) {
  start();
  HttpClient c(server_->port());
  c.send_raw("GET /x HTTP/1.1\r\nBad Header\r\n\r\n");
  auto r = c.read();
  EXPECT_EQ(r.result_int(), 400);
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(ServerTest, BindErrorIsAStatus) {
  start();
  ServerOptions o;
  o.port = server_->port();
  Server second(o, router_, nullptr, registry_);
  auto s = second.start();
  EXPECT_EQ(s.code(), core::Code::kUnavailable) << s.to_string();
  ServerOptions bad;
  bad.host = "not an address";
  Server third(bad, router_, nullptr, registry_);
  EXPECT_EQ(third.start().code(), core::Code::kInvalidArgument);
}

TEST_F(ServerTest, GracefulStopLetsInFlightRequestFinish) {
  std::promise<Responder> held;
  router_.add("POST", "/api/v1/slow", [&](Request&, Responder respond) { held.set_value(std::move(respond)); });
  start();
  HttpClient c(server_->port());
  HttpClient idle(server_->port());
  c.send(bhttp::post, "/api/v1/slow", "{}");
  Responder respond = held.get_future().get();
  std::thread stopper([&] { server_->stop(std::chrono::seconds(10)); });
  respond(json_response(200, {{"done", true}}));
  auto r = c.read();
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(body(r)["done"], true);
  EXPECT_TRUE(c.closed_by_server());  // answered, then closed (Connection: close or after)
  EXPECT_TRUE(idle.closed_by_server());
  stopper.join();
}

TEST_F(ServerTest, ResponderOutlivingServerIsHarmless) {
  std::promise<Responder> held;
  router_.add("GET", "/api/v1/hold", [&](Request&, Responder respond) { held.set_value(std::move(respond)); });
  start();
  HttpClient c(server_->port());
  c.send(bhttp::get, "/api/v1/hold");
  Responder respond = held.get_future().get();
  server_->stop(std::chrono::milliseconds(10));
  server_.reset();
  respond(json_response(200, {}));  // dropped: the server has gone
}

class StaticTest : public ServerTest {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("liandong_static_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_ / "www" / "assets");
    write(dir_ / "www" / "index.html", "<html>console</html>");
    write(dir_ / "www" / "assets" / "app-1234.js", "console.log(1)");
    write(dir_ / "www" / "boundaries.geojson", "{}");
    write(dir_ / "secret.txt", "secret");
    router_.add("GET", "/api/v1/health", [](Request&, Responder r) { r(json_response(200, {})); });
    router_.serve_static("/", dir_ / "www");
    start();
  }
  void TearDown() override {
    ServerTest::TearDown();
    std::filesystem::remove_all(dir_);
  }
  static void write(const std::filesystem::path& p, const std::string& s) { std::ofstream(p) << s; }
  std::filesystem::path dir_;
};

TEST_F(StaticTest, ServesFilesWithTypesAndCaching) {
  HttpClient c(server_->port());
  auto r = c.request(bhttp::get, "/");
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "<html>console</html>");
  EXPECT_EQ(r[boost::beast::http::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(r[boost::beast::http::field::cache_control], "no-cache");
  r = c.request(bhttp::get, "/assets/app-1234.js");
  EXPECT_EQ(r.body(), "console.log(1)");
  EXPECT_EQ(r[boost::beast::http::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ(r[boost::beast::http::field::cache_control], "public, max-age=31536000, immutable");
  r = c.request(bhttp::get, "/boundaries.geojson");
  EXPECT_EQ(r[boost::beast::http::field::content_type], "application/geo+json");
}

TEST_F(StaticTest, SpaFallbackButNotForApiOrFilesWithExtensions) {
  HttpClient c(server_->port());
  auto r = c.request(bhttp::get, "/incidents/441200-INC-4");
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "<html>console</html>");
  EXPECT_EQ(c.request(bhttp::get, "/missing.js").result_int(), 404);
  r = c.request(bhttp::get, "/api/v1/unknown");
  EXPECT_EQ(r.result_int(), 404);
  EXPECT_EQ(json::parse(r.body())["code"], "not_found");
  EXPECT_EQ(c.request(bhttp::post, "/index.html", "{}").result_int(), 405);
}

TEST_F(StaticTest, RefusesPathTraversal) {
  for (std::string target : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/%2E%2E/%2e%2e/secret.txt",
                             "/assets/..%2f..%2fsecret.txt", "/index.html%00.js", "/assets/../../secret"}) {
    HttpClient c(server_->port());
    auto r = c.request(bhttp::get, target);
    EXPECT_EQ(r.result_int(), 404) << target;
    EXPECT_NE(r.body(), "secret") << target;
  }
}

}  // namespace
}  // namespace liandong::api::http
