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

}  // namespace
}  // namespace liandong::core
