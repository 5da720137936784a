#include "api/internal/csv.h"

#include <gtest/gtest.h>

namespace liandong::api::internal {
namespace {

std::vector<std::vector<std::string>> fields(std::string_view text) {
  auto r = parse_csv(text);
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  std::vector<std::vector<std::string>> out;
  if (r.is_ok())
    for (auto& row : *r) out.push_back(row.fields);
  return out;
}

TEST(Csv, QuotesCommasLineBreaksAndBom) {
  auto rows = fields("\xEF\xBB\xBF" "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\n1,,3");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"x, y", "say \"hi\"", "two\nlines"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"1", "", "3"}));
}

TEST(Csv, LinesAreCountedAcrossQuotedLineBreaks) {
  auto r = parse_csv("h\n\"a\nb\"\nc\n");
  ASSERT_TRUE(r.is_ok());
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[1].line, 2u);
  EXPECT_EQ((*r)[2].line, 4u);
}

TEST(Csv, MalformedQuotingNamesTheLine) {
  auto open = parse_csv("a\n\"never closed\n");
  ASSERT_FALSE(open.is_ok());
  EXPECT_NE(open.status().message().find("line 2"), std::string::npos) << open.status().message();
  auto inside = parse_csv("a\nb\"c\n");
  ASSERT_FALSE(inside.is_ok());
  EXPECT_NE(inside.status().message().find("line 2"), std::string::npos);
  EXPECT_FALSE(parse_csv("\"a\"b\n").is_ok());
}

TEST(Csv, WritesWhatItReads) {
  std::vector<std::string> row = {"惠城水罐1", "a,b", "say \"x\"", "line\nbreak", ""};
  auto back = fields(csv_line(row));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0], row);
  EXPECT_EQ(csv_field("plain"), "plain");
}

}  // namespace
}  // namespace liandong::api::internal
