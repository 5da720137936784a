#include "core/time.h"

#include <date/date.h>
#include <gtest/gtest.h>

namespace liandong::core {
namespace {

TEST(Rfc3339, ParsesOffsetsToUtc) {
  auto a = parse_rfc3339("2026-11-29T13:05:00+08:00");
  ASSERT_TRUE(a.is_ok()) << a.status().to_string();
  EXPECT_EQ(format_utc(*a), "2026-11-29T05:05:00.000Z");
  auto b = parse_rfc3339("2026-11-29T05:05:00.250Z");
  ASSERT_TRUE(b.is_ok());
  EXPECT_EQ(to_unix_millis(*b) - to_unix_millis(*a), 250);
  auto c = parse_rfc3339("2026-01-01T00:30:00-05:30");
  ASSERT_TRUE(c.is_ok());
  EXPECT_EQ(format_utc(*c), "2026-01-01T06:00:00.000Z");
}

TEST(Rfc3339, RefusesTimesWithoutOffsetAndGarbage) {
  for (const char* s : {"2026-11-29T13:05:00", "2026-11-29", "", "2026-02-30T00:00:00Z",
                        "2026-11-29T25:00:00Z", "2026-11-29T13:05:00+8:00", "2026-11-29T13:05:00Zjunk",
                        "2026-11-29T13:05:00.+08:00", "yesterday",
                        // Years 0000-9999 once in UTC only (format_utc could not write these back).
                        "0000-01-01T00:00:00+08:00", "9999-12-31T23:30:00-01:00"}) {
    auto r = parse_rfc3339(s, "reported_at");
    EXPECT_FALSE(r.is_ok()) << s;
    if (!r.is_ok()) {
      EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
      EXPECT_EQ(r.status().field(), "reported_at");
    }
  }
}

TEST(Rfc3339, TheEdgesOfTheRangeReadBackAsWritten) {
  for (const char* s : {"0000-01-01T00:00:00Z", "0000-01-01T00:00:00-08:00", "9999-12-31T23:59:59.999Z",
                        "9999-12-31T23:30:00+01:00"}) {
    auto r = parse_rfc3339(s);
    ASSERT_TRUE(r.is_ok()) << s << ": " << r.status().to_string();
    EXPECT_TRUE(in_rfc3339_range(*r));
    auto back = parse_rfc3339(format_utc(*r));
    ASSERT_TRUE(back.is_ok()) << format_utc(*r);
    EXPECT_EQ(*back, *r) << s;
  }
  EXPECT_FALSE(in_rfc3339_range(*parse_rfc3339("0000-01-01T00:00:00Z") - Millis{1}));
  EXPECT_FALSE(in_rfc3339_range(*parse_rfc3339("9999-12-31T23:59:59.999Z") + Millis{1}));
}

TEST(Rfc3339, FormatUtcMatchesTheDateLibrary) {
  for (int64_t ms : {0LL, 1LL, 999LL, 86'399'999LL, 951'782'400'000LL /* 2000-02-29 */, 1'764'392'700'123LL,
                     4'102'444'799'999LL, -1LL, -86'400'001LL}) {
    auto t = from_unix_millis(ms);
    EXPECT_EQ(format_utc(t), date::format("%FT%TZ", t)) << ms;
  }
}

TEST(Zones, FormatsInShanghai) {
  auto t = parse_rfc3339("2026-11-29T05:05:00Z");
  ASSERT_TRUE(t.is_ok());
  auto s = format_in_zone(*t, "Asia/Shanghai");
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  EXPECT_EQ(*s, "2026-11-29T13:05:00+08:00");
  EXPECT_FALSE(format_in_zone(*t, "Mars/Olympus").is_ok());
  EXPECT_TRUE(is_known_zone("Asia/Shanghai"));
}

TEST(FakeClock, MovesOnlyWhenTold) {
  FakeClock c(from_unix_millis(1000));
  EXPECT_EQ(to_unix_millis(c.now()), 1000);
  c.advance(Millis{500});
  EXPECT_EQ(to_unix_millis(c.now()), 1500);
}

}  // namespace
}  // namespace liandong::core
