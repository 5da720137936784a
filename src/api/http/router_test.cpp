#include "api/http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "api/http/request.h"

namespace liandong::api::http {
namespace {

TEST(UrlDecode, DecodesEscapesAndPlus) {
  EXPECT_EQ(url_decode("a%20b+c", true), "a b c");
  EXPECT_EQ(url_decode("a+b", false), "a+b");
  EXPECT_EQ(url_decode("%E5%A4%A9", false), "\xE5\xA4\xA9");
  EXPECT_FALSE(url_decode("%zz", false));
  EXPECT_FALSE(url_decode("abc%2", false));
}

TEST(ParseQuery, LastRepeatedKeyWins) {
  ParamMap q;
  ASSERT_TRUE(parse_query("a=1&b=x%20y&a=2&flag&=", q));
  EXPECT_EQ(q["a"], "2");
  EXPECT_EQ(q["b"], "x y");
  EXPECT_EQ(q["flag"], "");
  EXPECT_FALSE(parse_query("a=%g1", q));
}

TEST(ContentType, JsonWithParameters) {
  EXPECT_TRUE(is_json_content_type("application/json"));
  EXPECT_TRUE(is_json_content_type("Application/JSON; charset=utf-8"));
  EXPECT_FALSE(is_json_content_type("text/plain"));
  EXPECT_FALSE(is_json_content_type("application/jsonx"));
}

TEST(Request, HeaderLookupIsCaseInsensitive) {
  Request r;
  r.headers = {{"Content-Type", "application/json"}, {"X-A", "1"}};
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_FALSE(r.header("x-b"));
}

TEST(Router, RejectsBadPatternsAndDuplicates) {
  Router r;
  auto h = [](Request&, Responder) {};
  EXPECT_THROW(r.add("GET", "api", h), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/a/{id", h), std::invalid_argument);
  r.add("GET", "/a/{id}", h);
  EXPECT_THROW(r.add("GET", "/a/{id}", h), std::invalid_argument);
  r.add("POST", "/a/{id}", h);
  ASSERT_EQ(r.routes().size(), 2u);
  EXPECT_EQ(r.routes()[1].method, "POST");
  EXPECT_EQ(r.routes()[1].pattern, "/a/{id}");
}

TEST(MimeType, ByExtension) {
  EXPECT_EQ(mime_type("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(mime_type("a/b.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(mime_type("x.woff2"), "font/woff2");
  EXPECT_EQ(mime_type("roads.geojson"), "application/geo+json");
  EXPECT_EQ(mime_type("dir.v2/file"), "application/octet-stream");
}

}  // namespace
}  // namespace liandong::api::http
