#include "api/body.h"

#include <gtest/gtest.h>

namespace liandong::api {
namespace {

using nlohmann::json;

http::Request with_body(std::string body) {
  http::Request r;
  r.method = "POST";
  r.body = std::move(body);
  return r;
}

std::string nested(size_t depth) {
  // depth levels: an object holding arrays, the innermost holding a string with brackets in it.
  std::string s = "{\"a\":";
  for (size_t i = 1; i < depth; ++i) s += "[";
  s += "\"[[[{{{\"";
  for (size_t i = 1; i < depth; ++i) s += "]";
  return s + "}";
}

class BodyTest : public ::testing::Test {
 protected:
  void TearDown() override { set_max_json_depth(kDefaultMaxJsonDepth); }
};

TEST_F(BodyTest, CountsDepthOutsideStrings) {
  EXPECT_EQ(json_depth("", 100), 0u);
  EXPECT_EQ(json_depth("1", 100), 0u);
  EXPECT_EQ(json_depth("{}", 100), 1u);
  EXPECT_EQ(json_depth(R"({"a":[1,{"b":[]}],"c":{}})", 100), 4u);
  EXPECT_EQ(json_depth(R"({"a":"[[[[\"[[[","b":"\\"})", 100), 1u);
  EXPECT_EQ(json_depth(nested(40), 100), 40u);
  EXPECT_EQ(json_depth(std::string(100000, '['), 33), 33u);  // stops early
}

TEST_F(BodyTest, DefaultLimitIs32Levels) {
  EXPECT_EQ(max_json_depth(), 32u);
  auto ok = json_object_body(with_body(nested(32)));
  ASSERT_FALSE(failed(ok)) << error_of(ok).body;
  EXPECT_EQ(value_of(ok)["a"].size(), 1u);
  auto deep = json_object_body(with_body(nested(33)));
  ASSERT_TRUE(failed(deep));
  EXPECT_EQ(error_of(deep).status, 400);
  auto body = json::parse(error_of(deep).body);
  EXPECT_EQ(body["code"], "malformed_json");
  EXPECT_NE(body["message"].get<std::string>().find("32 levels"), std::string::npos) << body;
}

TEST_F(BodyTest, DepthLimitIsSettable) {
  set_max_json_depth(3);
  EXPECT_FALSE(failed(json_object_body(with_body(R"({"a":{"b":[1]}})"))));
  auto r = json_object_body(with_body(R"({"a":{"b":[[1]]}})"));
  ASSERT_TRUE(failed(r));
  EXPECT_NE(error_of(r).body.find("limit of 3 levels"), std::string::npos);
  set_max_json_depth(0);
  EXPECT_EQ(max_json_depth(), 1u);
}

TEST_F(BodyTest, HugeNestingIsRefusedCheaply) {
  auto r = json_object_body(with_body(std::string(1 << 20, '[')));
  ASSERT_TRUE(failed(r));
  EXPECT_EQ(json::parse(error_of(r).body)["code"], "malformed_json");
}

TEST_F(BodyTest, ExistingErrorsUnchanged) {
  auto empty = json_object_body(with_body(""));
  ASSERT_TRUE(failed(empty));
  EXPECT_EQ(json::parse(error_of(empty).body)["code"], "malformed_json");
  EXPECT_FALSE(failed(json_object_body(with_body(""), true)));
  auto bad = json_object_body(with_body("{\"a\":"));
  ASSERT_TRUE(failed(bad));
  EXPECT_EQ(json::parse(error_of(bad).body)["code"], "malformed_json");
  auto arr = json_object_body(with_body("[1]"));
  ASSERT_TRUE(failed(arr));
  EXPECT_NE(error_of(arr).body.find("must be a JSON object"), std::string::npos);
}

}  // namespace
}  // namespace liandong::api
