#include "core/codes.h"

#include <gtest/gtest.h>

namespace liandong::core {
namespace {

TEST(Codes, RoundTrip) {
  for (auto s : {"natural_disaster", "accident_disaster", "public_health", "social_safety"})
    EXPECT_EQ(to_string(*parse_category(s)), s);
  EXPECT_EQ(parse_grade("III"), Grade::kIII);
  EXPECT_EQ(grade_name_zh(Grade::kI), "特别重大");
  EXPECT_EQ(parse_priority("P2"), Priority::kP2);
  EXPECT_FALSE(parse_grade("V").has_value());
  EXPECT_FALSE(parse_category("war").has_value());
  EXPECT_TRUE(contains(default_unit_types(), "water_tender"));
  EXPECT_TRUE(contains(alarm_channels(), "12345"));
  EXPECT_FALSE(contains(alarm_channels(), "911"));
}

TEST(Codes, IsCode) {
  EXPECT_TRUE(is_code("water_quality"));
  EXPECT_TRUE(is_code("c1"));
  EXPECT_FALSE(is_code(""));
  EXPECT_FALSE(is_code("1c"));
  EXPECT_FALSE(is_code("Cadmium"));
  EXPECT_FALSE(is_code("a-b"));
  EXPECT_TRUE(is_code(std::string(64, 'a')));
  EXPECT_FALSE(is_code(std::string(65, 'a')));
  EXPECT_FALSE(is_code(std::string(33, 'a'), 32));
}

}  // namespace
}  // namespace liandong::core
