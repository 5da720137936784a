// The server's limits against misbehaving clients, its security headers, and what it logs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "api/http/internal/test_client.h"
#include "api/http/router.h"
#include "api/http/server.h"
#include "api/http/stream_hub.h"

namespace liandong::api::http {
namespace {

using nlohmann::json;
using testing::HttpClient;
using testing::WsClient;
using bhttp = boost::beast::http::verb;
using field = boost::beast::http::field;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

class LimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add("GET", "/api/v1/ping", [](Request&, Responder r) { r(json_response(200, {{"pong", true}})); });
    router_.add("POST", "/api/v1/echo", [](Request& req, Responder r) { r(json_response(200, {{"n", req.body.size()}})); });
  }
  void start(ServerOptions o = {}, bool with_hub = false) {
    if (with_hub) {
      hub_ = std::make_unique<StreamHub>(
          StreamOptions{}, [](uint64_t, size_t) { return core::Result<std::vector<engine::Event>>(std::vector<engine::Event>{}); },
          registry_);
    }
    server_ = std::make_unique<Server>(o, router_, hub_.get(), registry_);
    auto s = server_->start();
    ASSERT_TRUE(s.is_ok()) << s.to_string();
  }
  void TearDown() override {
    if (server_) server_->stop(std::chrono::seconds(1));
  }
  uint16_t port() const { return server_->port(); }
  // liandong_http_refused_total{reason}.
  uint64_t refused(const std::string& reason) {
    auto text = registry_.render();
    auto key = "liandong_http_refused_total{reason=\"" + reason + "\"} ";
    auto at = text.find(key);
    return at == std::string::npos ? UINT64_MAX : std::stoull(text.substr(at + key.size()));
  }
  // For refusals counted after the client has seen their effect.
  uint64_t refused_eventually(const std::string& reason, uint64_t expected) {
    for (int i = 0; i < 500 && refused(reason) != expected; ++i) std::this_thread::sleep_for(milliseconds(10));
    return refused(reason);
  }
  static json body(const testing::HttpResponse& r) { return json::parse(r.body()); }

  metrics::Registry registry_;
  Router router_;
  std::unique_ptr<StreamHub> hub_;
  std::unique_ptr<Server> server_;
};

TEST_F(LimitsTest, RefusalCountersStartAtZero) {
  start();
  for (const char* reason : {"body_too_large", "header_too_large", "malformed", "request_timeout", "rate_limited",
                             "connections", "ws_message_too_large", "tls_handshake"})
    EXPECT_EQ(refused(reason), 0u) << reason;
}

TEST_F(LimitsTest, HeadersOverTheLimitAre431AndClose) {
  ServerOptions o;
  o.header_limit = 1024;
  start(o);
  HttpClient c(port());
  c.send_raw("GET /api/v1/ping HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n");
  auto r = c.read();
  EXPECT_EQ(r.result_int(), 431);
  EXPECT_EQ(body(r)["code"], "too_large");
  EXPECT_NE(body(r)["message"].get<std::string>().find("1024 bytes"), std::string::npos);
  EXPECT_TRUE(c.closed_by_server());
  EXPECT_EQ(refused("header_too_large"), 1u);
  HttpClient small(port());
  EXPECT_EQ(small.request(bhttp::get, "/api/v1/ping").result_int(), 200);
}

TEST_F(LimitsTest, BodyOverTheLimitIs413AndCounted) {
  ServerOptions o;
  o.body_limit = 100;
  start(o);
  HttpClient c(port());
  EXPECT_EQ(c.request(bhttp::post, "/api/v1/echo", std::string(100, ' ')).result_int(), 200);
  auto r = c.request(bhttp::post, "/api/v1/echo", std::string(101, ' '));
  EXPECT_EQ(r.result_int(), 413);
  EXPECT_EQ(body(r)["code"], "too_large");
  EXPECT_EQ(refused("body_too_large"), 1u);
}

TEST_F(LimitsTest, SlowRequestIsClosedAtItsDeadlineThoughBytesKeepComing) {
  ServerOptions o;
  o.request_timeout = milliseconds(200);
  o.idle_timeout = milliseconds(10'000);
  start(o);
  HttpClient c(port());
  auto t0 = Clock::now();
  c.send_raw("GET /api/v1/ping HTTP/1.1\r\nHost: x\r\n");
  bool closed = false;
  // A header line every 40 ms: each read makes progress, but the request as a whole is late.
  for (int i = 0; i < 100 && !closed; ++i) {
    try {
      c.send_raw("X-Slow-" + std::to_string(i) + ": 1\r\n");
    } catch (const std::exception&) {
      closed = true;
      break;
    }
    closed = c.closed_by_server(milliseconds(40));
  }
  auto took = Clock::now() - t0;
  EXPECT_TRUE(closed);
  EXPECT_GE(took, milliseconds(190));
  EXPECT_LT(took, milliseconds(3000));
  EXPECT_EQ(refused_eventually("request_timeout", 1), 1u);  // the timer closes, then the read ends
}

TEST_F(LimitsTest, IdleConnectionsAreClosedButBusyOnesKept) {
  ServerOptions o;
  o.idle_timeout = milliseconds(400);
  o.request_timeout = milliseconds(10'000);
  start(o);
  HttpClient busy(port());
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(busy.request(bhttp::get, "/api/v1/ping").result_int(), 200) << i;
    EXPECT_FALSE(busy.closed_by_server(milliseconds(50)));
  }
  auto t0 = Clock::now();
  EXPECT_TRUE(busy.closed_by_server(milliseconds(5000)));  // kept alive, then idle
  EXPECT_GE(Clock::now() - t0, milliseconds(250));
  HttpClient silent(port());  // never sends a byte
  t0 = Clock::now();
  EXPECT_TRUE(silent.closed_by_server(milliseconds(5000)));
  EXPECT_GE(Clock::now() - t0, milliseconds(350));
  EXPECT_EQ(refused("request_timeout"), 0u);  // idling is not a refusal
}

TEST_F(LimitsTest, AddressRateLimitAnswers429WithRetryAfterAndExemptsTheAllowList) {
  core::FakeClock clock(core::from_unix_millis(1'800'000'000'000));
  ServerOptions o;
  o.clock = &clock;
  o.address_requests_per_second = 0.5;
  o.address_burst = 3;
  o.allow_addresses = *access::AddressList::parse({"127.0.0.2"});
  start(o);
  HttpClient c(port());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c.request(bhttp::get, "/api/v1/ping").result_int(), 200) << i;
  auto r = c.request(bhttp::get, "/api/v1/ping");
  EXPECT_EQ(r.result_int(), 429);
  EXPECT_EQ(body(r)["code"], "rate_limited");
  EXPECT_EQ(r[field::retry_after], "2");
  EXPECT_TRUE(r.keep_alive());
  // Per address, not per connection.
  HttpClient again(port());
  EXPECT_EQ(again.request(bhttp::get, "/api/v1/ping").result_int(), 429);
  // Another address has its own bucket; an allow-listed one is never limited.
  HttpClient other(port(), "127.0.0.3");
  EXPECT_EQ(other.request(bhttp::get, "/api/v1/ping").result_int(), 200);
  HttpClient allowed(port(), "127.0.0.2");
  for (int i = 0; i < 50; ++i) ASSERT_EQ(allowed.request(bhttp::get, "/api/v1/ping").result_int(), 200) << i;
  clock.advance(milliseconds(2000));
  EXPECT_EQ(c.request(bhttp::get, "/api/v1/ping").result_int(), 200);  // same connection, refilled
  EXPECT_EQ(c.request(bhttp::get, "/api/v1/ping").result_int(), 429);
  EXPECT_EQ(refused("rate_limited"), 3u);
}

TEST_F(LimitsTest, ConnectionsPerAddressAreCappedExceptForTheAllowList) {
  ServerOptions o;
  o.connections_per_address = 2;
  o.allow_addresses = *access::AddressList::parse({"127.0.0.2/32"});
  start(o);
  auto a = std::make_unique<HttpClient>(port());
  HttpClient b(port());
  EXPECT_EQ(a->request(bhttp::get, "/api/v1/ping").result_int(), 200);
  EXPECT_EQ(b.request(bhttp::get, "/api/v1/ping").result_int(), 200);
  HttpClient third(port());
  EXPECT_TRUE(third.closed_by_server());
  EXPECT_EQ(refused("connections"), 1u);
  std::vector<std::unique_ptr<HttpClient>> allowed;
  for (int i = 0; i < 5; ++i) {
    allowed.push_back(std::make_unique<HttpClient>(port(), "127.0.0.2"));
    EXPECT_EQ(allowed.back()->request(bhttp::get, "/api/v1/ping").result_int(), 200) << i;
  }
  HttpClient other(port(), "127.0.0.3");
  EXPECT_EQ(other.request(bhttp::get, "/api/v1/ping").result_int(), 200);
  // Closing one frees its place (once the server has seen the close).
  a.reset();
  bool admitted = false;
  for (int i = 0; i < 200 && !admitted; ++i) {
    HttpClient next(port());
    admitted = !next.closed_by_server(milliseconds(20));
    if (admitted) {
      EXPECT_EQ(next.request(bhttp::get, "/api/v1/ping").result_int(), 200);
    }
  }
  EXPECT_TRUE(admitted);
}

TEST_F(LimitsTest, AWebSocketKeepsItsConnectionsPlace) {
  ServerOptions o;
  o.connections_per_address = 1;
  start(o, /*with_hub=*/true);
  WsClient ws(port());
  ws.send("{}");
  ASSERT_TRUE(ws.read().has_value());  // the error frame: the stream is up
  HttpClient c(port());
  EXPECT_TRUE(c.closed_by_server());
  EXPECT_EQ(refused("connections"), 1u);
}

TEST_F(LimitsTest, WebSocketMessageOverTheLimitClosesWith1009) {
  ServerOptions o;
  o.ws_message_limit = 1000;
  start(o, /*with_hub=*/true);
  WsClient ws(port());
  std::string under = "{\"type\":\"x\",\"pad\":\"" + std::string(900, 'a') + "\"}";
  ws.send(under);
  auto reply = ws.read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(json::parse(*reply)["code"], "invalid_field");  // read and answered
  ws.send("{\"type\":\"x\",\"pad\":\"" + std::string(2000, 'a') + "\"}");
  EXPECT_FALSE(ws.read().has_value());
  EXPECT_FALSE(ws.timed_out());
  // The close frame says 1009. (Beast 1.74's server teardown closes after one drain read, so the
  // client's own close reply may meet a reset: the read ends with that or with `closed`.)
  EXPECT_EQ(ws.close_code(), 1009) << ws.last_error().message();
  EXPECT_EQ(refused_eventually("ws_message_too_large", 1), 1u);  // counted once Beast's close is done
}

TEST_F(LimitsTest, SecurityHeadersOnEveryResponse) {
  router_.add("GET", "/api/v1/own-csp", [](Request&, Responder r) {
    r(json_response(200, {}).with_header("Content-Security-Policy", "sandbox"));
  });
  auto dir = std::filesystem::temp_directory_path() / ("liandong_limits_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "index.html") << "<html>console</html>";
  router_.serve_static("/", dir);
  start();
  HttpClient c(port());
  auto check_common = [](const testing::HttpResponse& r, const std::string& what) {
    EXPECT_EQ(r["X-Content-Type-Options"], "nosniff") << what;
    EXPECT_EQ(r["X-Frame-Options"], "DENY") << what;
    EXPECT_EQ(r["Referrer-Policy"], "no-referrer") << what;
    EXPECT_EQ(r.count("Strict-Transport-Security"), 0u) << what;  // plain HTTP
  };
  auto api = c.request(bhttp::get, "/api/v1/ping");
  check_common(api, "api");
  EXPECT_EQ(api["Content-Security-Policy"], "default-src 'none'; frame-ancestors 'none'");
  auto missing = c.request(bhttp::get, "/api/v1/missing");
  EXPECT_EQ(missing.result_int(), 404);
  check_common(missing, "404");
  auto html = c.request(bhttp::get, "/");
  EXPECT_EQ(html.body(), "<html>console</html>");
  check_common(html, "console");
  EXPECT_EQ(html["Content-Security-Policy"], kConsoleCsp);
  auto own = c.request(bhttp::get, "/api/v1/own-csp");
  EXPECT_EQ(own.count("Content-Security-Policy"), 1u);
  EXPECT_EQ(own["Content-Security-Policy"], "sandbox");
  HttpClient raw(port());
  raw.send_raw("GET /x HTTP/1.1\r\nBad Header\r\n\r\n");
  check_common(raw.read(), "400");
  std::filesystem::remove_all(dir);
}

TEST_F(LimitsTest, CredentialsNeverReachTheLog) {
  router_.add("GET", "/api/v1/throws", [](Request&, Responder) { throw std::runtime_error("handler bug"); });
  ServerOptions o;
  o.header_limit = 512;
  o.address_requests_per_second = 1;
  o.address_burst = 2;
  start(o);
  const std::string creds = "Authorization: Bearer s3cr3t-token\r\nCookie: sid=s3cr3t-cookie\r\n";
  ::testing::internal::CaptureStderr();
  {
    HttpClient c(port());
    c.send_raw("GET /api/v1/throws HTTP/1.1\r\nHost: x\r\n" + creds + "\r\n");
    EXPECT_EQ(c.read().result_int(), 500);
    c.send_raw("GET /api/v1/ping HTTP/1.1\r\nHost: x\r\n" + creds + "\r\n");
    c.read();
    c.send_raw("GET /api/v1/ping HTTP/1.1\r\nHost: x\r\n" + creds + "\r\n");
    EXPECT_EQ(c.read().result_int(), 429);  // refused: logged with the address only
  }
  {
    HttpClient c(port(), "127.0.0.4");
    c.send_raw("GET /api/v1/ping HTTP/1.1\r\nHost: x\r\n" + creds + "X-Pad: " + std::string(600, 'p') + "\r\n\r\n");
    EXPECT_EQ(c.read().result_int(), 431);
  }
  {
    HttpClient c(port(), "127.0.0.5");
    c.send_raw("GET /api/v1/ping HTTP/1.1\r\n" + creds + "Bad Header s3cr3t\r\n\r\n");
    EXPECT_EQ(c.read().result_int(), 400);
  }
  server_->stop(std::chrono::seconds(1));
  std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(log.find("handler threw"), std::string::npos) << log;  // the capture works
  EXPECT_NE(log.find("reason=rate_limited"), std::string::npos) << log;
  EXPECT_EQ(log.find("s3cr3t"), std::string::npos) << log;
}

}  // namespace
}  // namespace liandong::api::http
