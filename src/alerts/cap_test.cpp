// cap_time: the CAP date-time form and what it refuses.
#include "alerts/cap.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace liandong::alerts {
namespace {

using ::testing::HasSubstr;

TEST(CapTime, ReadsOffsetsIncludingMinusZero) {
  auto t = cap_time("2026-11-29T13:05:00+08:00");
  ASSERT_TRUE(t) << t.status().message();
  EXPECT_EQ(core::format_utc(*t), "2026-11-29T05:05:00.000Z");
  auto utc = cap_time("2026-11-29T05:05:00-00:00");
  ASSERT_TRUE(utc);
  EXPECT_EQ(*utc, *t);
  auto west = cap_time(" 2003-06-17T14:57:00-07:00\n");  // XML whitespace around is allowed
  ASSERT_TRUE(west);
  EXPECT_EQ(core::format_utc(*west), "2003-06-17T21:57:00.000Z");
}

TEST(CapTime, RefusesOtherForms) {
  struct Case {
    const char* text;
    const char* why;
  } cases[] = {
      {"2026-11-29T05:05:00Z", "'Z' is not allowed"},
      {"2026-11-29T05:05:00", "offset ±hh:mm is missing"},
      {"2026-11-29T05:05:00.5+08:00", "fractions"},
      {"2026-11-29 05:05:00+08:00", "expected YYYY-MM-DDThh:mm:ss"},
      {"2026-02-30T05:05:00+08:00", "no such date"},
      {"2026-13-01T05:05:00+08:00", "no such month"},
      {"2026-11-29T24:00:00+08:00", "no such time"},
      {"2026-11-29T05:05:00+0800", "offset must be"},
      {"2026-11-29T05:05:00+15:00", "beyond"},
      {"2026-11-29T05:05:00+08:00x", "unexpected text"},
      {"", "empty"},
  };
  for (const auto& c : cases) {
    auto t = cap_time(c.text);
    EXPECT_FALSE(t) << c.text;
    if (!t) {
      EXPECT_THAT(t.status().message(), HasSubstr(c.why)) << c.text;
    }
  }
}

}  // namespace
}  // namespace liandong::alerts
