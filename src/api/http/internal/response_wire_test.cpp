#include "api/http/internal/response_wire.h"

#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>
#include <optional>

namespace liandong::api::http::internal {
namespace {

namespace bhttp = boost::beast::http;

constexpr std::string_view kCsp = "default-src 'none'; frame-ancestors 'none'";

// What an independent HTTP/1.1 parser (Beast's) reads from the head and, when it is sent, the body.
struct Parsed {
  bhttp::response<bhttp::string_body> message;
  size_t consumed = 0;  // bytes of the wire the parser used
};

std::optional<Parsed> parse(const std::string& head, const std::string& body, bool with_body) {
  std::string wire = head + (with_body ? body : std::string());
  bhttp::response_parser<bhttp::string_body> p;
  // 204 and 304 carry no body: the parser must know the head ends the message.
  boost::beast::error_code ec;
  size_t used = p.put(boost::asio::buffer(wire), ec);
  if (ec) return std::nullopt;
  if (!p.is_done()) {
    used += p.put(boost::asio::buffer(wire.data() + used, wire.size() - used), ec);
    if (ec && ec != bhttp::error::need_more) return std::nullopt;
  }
  if (!p.is_done()) {
    p.put_eof(ec);
    if (ec) return std::nullopt;
  }
  return Parsed{p.release(), used};
}

TEST(ResponseWire, AJsonAnswerIsExactlyTheseBytes) {
  Response r = json_response(201, {{"alarm_id", "441300-ALM-1"}});
  std::string head;
  ASSERT_TRUE(write_response_head(head, r, {.content_security_policy = kCsp}));
  EXPECT_EQ(head,
            "HTTP/1.1 201 Created\r\n"
            "Content-Type: application/json\r\n"
            "X-Content-Type-Options: nosniff\r\n"
            "X-Frame-Options: DENY\r\n"
            "Referrer-Policy: no-referrer\r\n"
            "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n"
            "Content-Length: 27\r\n"
            "\r\n");
  EXPECT_EQ(r.body.size(), 27u);
}

TEST(ResponseWire, AParserReadsEveryHeaderTheBodyAndWhetherTheConnectionStays) {
  Response r;
  r.status = 429;
  r.body = R"({"code":"rate_limited"})";
  r.with_header("Retry-After", "3").with_header("Set-Cookie", "a=1; HttpOnly").with_header("Set-Cookie", "b=2");
  for (bool close : {false, true}) {
    for (bool tls : {false, true}) {
      std::string head;
      ASSERT_TRUE(write_response_head(head, r,
                                      {.content_security_policy = kCsp, .strict_transport_security = tls, .close = close}));
      auto p = parse(head, r.body, true);
      ASSERT_TRUE(p) << head;
      const auto& m = p->message;
      EXPECT_EQ(m.result_int(), 429);
      EXPECT_EQ(m.reason(), "Too Many Requests");
      EXPECT_EQ(m.version(), 11);
      EXPECT_EQ(m.body(), r.body);
      EXPECT_EQ(p->consumed, head.size() + r.body.size());
      EXPECT_EQ(m.keep_alive(), !close);
      EXPECT_EQ(m[bhttp::field::content_length], std::to_string(r.body.size()));
      EXPECT_EQ(m[bhttp::field::content_type], "application/json");
      EXPECT_EQ(m["Retry-After"], "3");
      EXPECT_EQ(m.count("Set-Cookie"), 2u);
      EXPECT_EQ(m["X-Content-Type-Options"], "nosniff");
      EXPECT_EQ(std::string(m["Content-Security-Policy"]), kCsp);
      EXPECT_EQ(m.count("Strict-Transport-Security"), tls ? 1u : 0u);
    }
  }
}

TEST(ResponseWire, TheResponsesOwnSecurityHeadersAndTypeWin) {
  Response r;
  r.content_type = "text/html; charset=utf-8";
  r.body = "<!doctype html>";
  r.with_header("Content-Security-Policy", "default-src 'self'").with_header("X-Frame-Options", "SAMEORIGIN");
  std::string head;
  ASSERT_TRUE(write_response_head(head, r, {.content_security_policy = kCsp, .strict_transport_security = true}));
  auto p = parse(head, r.body, true);
  ASSERT_TRUE(p) << head;
  EXPECT_EQ(p->message.count("Content-Security-Policy"), 1u);
  EXPECT_EQ(p->message["Content-Security-Policy"], "default-src 'self'");
  EXPECT_EQ(p->message.count("X-Frame-Options"), 1u);
  EXPECT_EQ(p->message["X-Frame-Options"], "SAMEORIGIN");
  EXPECT_EQ(p->message[bhttp::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(p->message["Strict-Transport-Security"], "max-age=31536000");
}

TEST(ResponseWire, NoContentAndNotModifiedCarryNeitherBodyNorLength) {
  for (int status : {204, 304, 101}) {
    Response r;
    r.status = status;
    r.body = "ignored";
    std::string head;
    EXPECT_FALSE(write_response_head(head, r, {.content_security_policy = kCsp})) << status;
    EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
    EXPECT_TRUE(head.ends_with("\r\n\r\n"));
    if (status == 101) continue;  // a parser reads 101 as an upgrade, not a message of its own
    auto p = parse(head, "", false);
    ASSERT_TRUE(p) << head;
    EXPECT_EQ(p->message.result_int(), status);
    EXPECT_EQ(p->message.body(), "");
  }
}

TEST(ResponseWire, NoHeaderCanSplitTheHeadOrLieAboutTheLength) {
  Response r;
  r.body = "{}";
  r.with_header("Content-Disposition", "attachment; filename=\"a\r\nSet-Cookie: evil=1\"")
      .with_header("X-Null", std::string("a\0b\x7f\x01" "c\td", 8))
      .with_header("Bad Name", "x")
      .with_header("Bad:Name", "x")
      .with_header("", "x")
      .with_header("Content-Length", "999")
      .with_header("transfer-encoding", "chunked")
      .with_header("Connection", "keep-alive");
  std::string head;
  ASSERT_TRUE(write_response_head(head, r, {.content_security_policy = kCsp, .close = true}));
  auto p = parse(head, r.body, true);
  ASSERT_TRUE(p) << head;
  const auto& m = p->message;
  EXPECT_EQ(m.count("Set-Cookie"), 0u);
  EXPECT_EQ(m["Content-Disposition"], "attachment; filename=\"a  Set-Cookie: evil=1\"");
  EXPECT_EQ(m["X-Null"], "a b  c\td");
  EXPECT_EQ(m.count("Bad Name"), 0u);
  EXPECT_EQ(head.find("Bad"), std::string::npos);
  EXPECT_EQ(m[bhttp::field::content_length], "2");
  EXPECT_EQ(m.count(bhttp::field::content_length), 1u);
  EXPECT_EQ(m.count(bhttp::field::transfer_encoding), 0u);
  EXPECT_EQ(m.count(bhttp::field::connection), 1u);
  EXPECT_FALSE(m.keep_alive());
  EXPECT_EQ(m.body(), "{}");
}

TEST(ResponseWire, AnEmptyTypeIsLeftOutAndTheResponsesOwnTypeIsTheOnlyOne) {
  Response none;
  none.status = 204;
  none.content_type.clear();
  std::string head;
  write_response_head(head, none, {.content_security_policy = kCsp});
  EXPECT_EQ(head.find("\r\nContent-Type"), std::string::npos) << head;
  Response own = json_response(200, nlohmann::json::object());
  own.with_header("content-type", "application/geo+json");
  write_response_head(head, own, {.content_security_policy = kCsp});
  auto p = parse(head, own.body, true);
  ASSERT_TRUE(p) << head;
  EXPECT_EQ(p->message.count(bhttp::field::content_type), 1u);
  EXPECT_EQ(p->message[bhttp::field::content_type], "application/geo+json");
}

TEST(ResponseWire, AStatusOutsideThreeDigitsIsWrittenAsAServerError) {
  Response r;
  r.status = 42;
  std::string head;
  write_response_head(head, r, {.content_security_policy = kCsp});
  EXPECT_TRUE(head.starts_with("HTTP/1.1 500 Internal Server Error\r\n")) << head;
}

TEST(ResponseWire, TheBufferIsReusedFromScratch) {
  Response big = json_response(200, {{"k", std::string(5000, 'x')}});
  big.with_header("X-Next-After", "17");
  Response small = json_response(200, nlohmann::json::object());
  std::string head;
  write_response_head(head, big, {.content_security_policy = kCsp});
  write_response_head(head, small, {.content_security_policy = kCsp});
  EXPECT_EQ(head.find("X-Next-After"), std::string::npos);
  EXPECT_NE(head.find("Content-Length: 2\r\n"), std::string::npos);
}

}  // namespace
}  // namespace liandong::api::http::internal
