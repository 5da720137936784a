#include "core/ids.h"

#include <gtest/gtest.h>

namespace liandong::core {
namespace {

TEST(Ids, FormatAndParseRoundTrip) {
  auto s = format_id("441200", "INC", 42);
  EXPECT_EQ(s, "441200-INC-42");
  auto p = parse_id(s);
  ASSERT_TRUE(p.is_ok());
  EXPECT_EQ(p->node, "441200");
  EXPECT_EQ(p->kind, "INC");
  EXPECT_EQ(p->seq, 42u);
}

TEST(Ids, RefusesMalformed) {
  for (const char* s : {"", "441200-INC-", "441200-INC-0", "441200-INC-007", "44120-INC-1",
                        "441200-inc-1", "441200--1", "441200-INC-1x", "441200-INC-99999999999999999999"}) {
    EXPECT_FALSE(parse_id(s).is_ok()) << s;
  }
}

}  // namespace
}  // namespace liandong::core
