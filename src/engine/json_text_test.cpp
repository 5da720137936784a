#include "engine/json_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace liandong::engine {
namespace {

using nlohmann::json;

std::string reference(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// Random values of every kind, with strings that mix plain ASCII, what needs escaping, valid
// multi-byte UTF-8 and bytes that are not UTF-8, at lengths around the eight-byte word.
class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}

  std::string text() {
    static const std::vector<std::string> pieces = {
        "a", "Z", "0", " ", "/", "\"", "\\", "\n", "\t", "\b", "\f", "\r", std::string(1, '\0'), "\x01", "\x1f",
        "\x7f", "惠", "城区", "é", "\xf0\x9f\x9a\x92", "\xff", "\xc0\xaf", "\xed\xa0\x80", "\xe4\xb8", "\x80",
        "\xf4\x90\x80\x80", "441300-ALM-", "plain words "};
    std::string s;
    size_t n = pick(12) == 0 ? 0 : pick(24);
    for (size_t i = 0; i < n; ++i) s += pick(3) == 0 ? pieces[pick(pieces.size())] : std::string(1, static_cast<char>('a' + pick(26)));
    return s;
  }

  double real() {
    switch (pick(6)) {
      case 0: return static_cast<double>(static_cast<int64_t>(rng_()) % 1000);  // integral
      case 1: return std::uniform_real_distribution<double>(-180, 180)(rng_);
      case 2: return pick(2) ? -0.0 : std::numeric_limits<double>::quiet_NaN();
      case 3: return pick(2) ? std::numeric_limits<double>::infinity() : std::numeric_limits<double>::denorm_min();
      default: {
        uint64_t bits = (static_cast<uint64_t>(rng_()) << 32) | rng_();
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return d;
      }
    }
  }

  json value(int depth) {
    switch (pick(depth > 3 ? 7 : 9)) {
      case 0: return nullptr;
      case 1: return pick(2) == 1;
      case 2: return static_cast<int64_t>((static_cast<uint64_t>(rng_()) << 32) | rng_());
      case 3: return pick(2) ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(pick(100));
      case 4: return pick(2) ? std::numeric_limits<uint64_t>::max() : static_cast<uint64_t>(pick(1000));
      case 5: return real();
      case 6: return text();
      case 7: {
        json a = json::array();
        for (size_t i = 0, n = pick(5); i < n; ++i) a.push_back(value(depth + 1));
        return a;
      }
      default: {
        json o = json::object();
        for (size_t i = 0, n = pick(6); i < n; ++i) o[text()] = value(depth + 1);
        return o;
      }
    }
  }

 private:
  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  std::mt19937 rng_;
};

TEST(JsonText, IsNlohmannsCompactDumpForGeneratedValues) {
  Gen gen(20261203);
  for (int i = 0; i < 20000; ++i) {
    json j = gen.value(0);
    ASSERT_EQ(json_text(j), reference(j)) << "value " << i;
  }
}

TEST(JsonText, EventShapedValuesAndEdges) {
  std::vector<json> cases = {
      json::object(),
      json::array(),
      json(""),
      json::parse(R"({"alarm":{"id":"441300-ALM-1","location":{"lat":23.116,"lon":114.2645},"figures":{"deaths":0}},
                     "by":"441300-KEY-1","by_address":"127.0.0.1:41004","joined":false,"reason":"未达到较大（III 级）"})"),
      json(1e300), json(-1e-300), json(0.1), json(100.0), json(-0.0), json(123456789012345678.0),
      json(std::numeric_limits<int64_t>::max()), json(std::numeric_limits<uint64_t>::max()),
      json::binary({1, 2, 3}),
      json({{"b", 1}, {"a", {1, 2, "x"}}, {"\xff key", nullptr}}),
  };
  for (const auto& j : cases) EXPECT_EQ(json_text(j), reference(j)) << reference(j);
}

}  // namespace
}  // namespace liandong::engine
