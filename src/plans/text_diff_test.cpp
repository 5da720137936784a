#include "plans/text_diff.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <random>
#include <string>
#include <vector>

namespace liandong::plans {
namespace {

// The expected texts below are what `diff -u --label old --label new OLD NEW` (GNU diffutils 3.8)
// printed for the same inputs.

TEST(TextDiff, OneChangedLineWithThreeLinesOfContext) {
  std::string a = "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n";
  std::string b = "one\ntwo\nthree\nfour\nFIVE\nsix\nseven\neight\nnine\nten\n";
  EXPECT_EQ(unified_diff(a, b, "old", "new"),
            "--- old\n+++ new\n"
            "@@ -2,7 +2,7 @@\n"
            " two\n three\n four\n-five\n+FIVE\n six\n seven\n eight\n");
}

std::string numbers() {
  std::string s;
  for (int i = 1; i <= 20; ++i) s += std::to_string(i) + "\n";
  return s;
}

std::string numbers_changed() {  // 3 → X, 11 → Y, 18 → Z
  return "1\n2\nX\n4\n5\n6\n7\n8\n9\n10\nY\n12\n13\n14\n15\n16\n17\nZ\n19\n20\n";
}

TEST(TextDiff, ChangesMoreThanTwiceTheContextApartAreSeparateHunks) {
  // 3 and 11 have 7 unchanged lines between them (split); 11 and 18 have 6 (one hunk).
  EXPECT_EQ(unified_diff(numbers(), numbers_changed(), "old", "new"),
            "--- old\n+++ new\n"
            "@@ -1,6 +1,6 @@\n"
            " 1\n 2\n-3\n+X\n 4\n 5\n 6\n"
            "@@ -8,13 +8,13 @@\n"
            " 8\n 9\n 10\n-11\n+Y\n 12\n 13\n 14\n 15\n 16\n 17\n-18\n+Z\n 19\n 20\n");
}

TEST(TextDiff, OneLineOfContext) {
  EXPECT_EQ(unified_diff(numbers(), numbers_changed(), "old", "new", 1),
            "--- old\n+++ new\n"
            "@@ -2,3 +2,3 @@\n 2\n-3\n+X\n 4\n"
            "@@ -10,3 +10,3 @@\n 10\n-11\n+Y\n 12\n"
            "@@ -17,3 +17,3 @@\n 17\n-18\n+Z\n 19\n");
}

TEST(TextDiff, EmptyRangesNameTheLineBefore) {
  EXPECT_EQ(unified_diff("", "a\nb\n", "old", "new"),
            "--- old\n+++ new\n@@ -0,0 +1,2 @@\n+a\n+b\n");
  EXPECT_EQ(unified_diff("a\nb\n", "", "old", "new"),
            "--- old\n+++ new\n@@ -1,2 +0,0 @@\n-a\n-b\n");
  EXPECT_EQ(unified_diff("a\nb\nc\nd\ne\n", "a\nb\nc\nnew1\nnew2\nd\ne\n", "old", "new", 0),
            "--- old\n+++ new\n@@ -3,0 +4,2 @@\n+new1\n+new2\n");
}

TEST(TextDiff, AMissingNewlineAtTheEndIsAChangeAndIsMarked) {
  EXPECT_EQ(unified_diff("a\nb\nc", "a\nb\nc\n", "old", "new"),
            "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n b\n-c\n\\ No newline at end of file\n+c\n");
  EXPECT_EQ(
      unified_diff("a\nb\nc\n", "a\nB\nc", "old", "new"),
      "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n-c\n+B\n+c\n\\ No newline at end of file\n");
  // Both without: the common last line is context, marked once.
  EXPECT_EQ(unified_diff("a\nb\nc", "A\nb\nc", "old", "new"),
            "--- old\n+++ new\n@@ -1,3 +1,3 @@\n-a\n+A\n b\n c\n\\ No newline at end of file\n");
}

TEST(TextDiff, CarriageReturnsArePartOfTheLine) {
  EXPECT_EQ(unified_diff("a\nb\r\nc\r\n", "a\nb\nc\r\n", "old", "new"),
            "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\r\n+b\n c\r\n");
}

TEST(TextDiff, Utf8LinesAndAnInsertion) {
  EXPECT_EQ(unified_diff("title: 火灾\nlevels:\n  - II\n  - III\n",
                         "title: 火灾事故\nlevels:\n  - I\n  - II\n  - III\n", "old", "new"),
            "--- old\n+++ new\n@@ -1,4 +1,5 @@\n-title: 火灾\n+title: 火灾事故\n levels:\n+  - I\n "
            "  - II\n   - III\n");
}

TEST(TextDiff, RepeatedLinesArePlacedAsDiffPlacesThem) {
  EXPECT_EQ(unified_diff("x\na\nb\nc\na\nb\nc\n", "a\nb\nc\nx\na\nb\nc\nx\n", "old", "new"),
            "--- old\n+++ new\n@@ -1,7 +1,8 @@\n-x\n a\n b\n c\n+x\n a\n b\n c\n+x\n");
}

TEST(TextDiff, EqualTextsHaveNoDiff) {
  EXPECT_EQ(unified_diff("", "", "old", "new"), "");
  EXPECT_EQ(unified_diff("a\nb", "a\nb", "old", "new"), "");
  EXPECT_TRUE(diff_lines("a\nb\n", "a\nb\n").empty());
}

TEST(TextDiff, LinesCarryTheirNumbers) {
  auto lines = diff_lines("a\nb\nc\n", "a\nc\nd\n", 1);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].op, ' ');
  EXPECT_EQ(lines[0].text, "a");
  EXPECT_EQ(lines[0].old_line, 1);
  EXPECT_EQ(lines[0].new_line, 1);
  EXPECT_EQ(lines[1].op, '-');
  EXPECT_EQ(lines[1].text, "b");
  EXPECT_EQ(lines[1].old_line, 2);
  EXPECT_EQ(lines[1].new_line, 0);
  EXPECT_EQ(lines[2].op, ' ');
  EXPECT_EQ(lines[2].old_line, 3);
  EXPECT_EQ(lines[2].new_line, 2);
  EXPECT_EQ(lines[3].op, '+');
  EXPECT_EQ(lines[3].text, "d");
  EXPECT_EQ(lines[3].old_line, 0);
  EXPECT_EQ(lines[3].new_line, 3);
}

TEST(TextDiff, ContextIsTrimmedAndNegativeContextIsNone) {
  auto three = diff_lines(numbers(), numbers_changed());
  EXPECT_EQ(three.size(), 6u + 16u);  // the two hunks above
  auto none = diff_lines(numbers(), numbers_changed(), -5);
  ASSERT_EQ(none.size(), 6u);
  for (const auto& l : none) EXPECT_NE(l.op, ' ');
}

// ---- properties on random texts ----

std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

size_t lcs_length(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::vector<size_t>> t(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
  for (size_t i = a.size(); i-- > 0;)
    for (size_t j = b.size(); j-- > 0;)
      t[i][j] = a[i] == b[j] ? t[i + 1][j + 1] + 1 : std::max(t[i + 1][j], t[i][j + 1]);
  return t[0][0];
}

std::string random_text(std::mt19937& rng, int max_lines, int alphabet) {
  std::string s;
  int n = static_cast<int>(rng() % static_cast<unsigned>(max_lines + 1));
  for (int i = 0; i < n; ++i)
    s += std::string(1, static_cast<char>('a' + rng() % static_cast<unsigned>(alphabet))) + "\n";
  return s;
}

// With unbounded context diff_lines is the whole edit script: the old text is its ' ' and '-'
// lines, the new its ' ' and '+' lines, numbered in order. Equal texts have no script at all.
void expect_script(std::string_view a_text, std::string_view b_text,
                   const std::vector<DiffLine>& script) {
  if (script.empty()) {
    EXPECT_EQ(a_text, b_text);
    return;
  }
  auto a = split(a_text), b = split(b_text);
  std::vector<std::string> got_a, got_b;
  for (const auto& l : script) {
    if (l.op != '+') {
      got_a.push_back(l.text);
      EXPECT_EQ(l.old_line, static_cast<int>(got_a.size()));
    }
    if (l.op != '-') {
      got_b.push_back(l.text);
      EXPECT_EQ(l.new_line, static_cast<int>(got_b.size()));
    }
  }
  EXPECT_EQ(got_a, a);
  EXPECT_EQ(got_b, b);
}

TEST(TextDiff, RandomTextsGiveAMinimalScriptThatRebuildsBoth) {
  std::mt19937 rng(42);
  for (int round = 0; round < 500; ++round) {
    int alphabet = 2 + static_cast<int>(rng() % 5);
    std::string a = random_text(rng, 30, alphabet), b = random_text(rng, 30, alphabet);
    auto script = diff_lines(a, b, INT_MAX);
    expect_script(a, b, script);
    if (script.empty()) continue;
    size_t same = static_cast<size_t>(
        std::count_if(script.begin(), script.end(), [](const DiffLine& l) { return l.op == ' '; }));
    EXPECT_EQ(same, lcs_length(split(a), split(b))) << a << "\n----\n" << b;
  }
}

TEST(TextDiff, HunkHeadersCountTheirLines) {
  std::mt19937 rng(9);
  for (int round = 0; round < 300; ++round) {
    std::string a = random_text(rng, 40, 3), b = random_text(rng, 40, 3);
    std::string u = unified_diff(a, b, "a", "b", static_cast<int>(rng() % 4));
    auto lines = split(u);
    for (size_t i = 0; i < lines.size(); ++i) {
      if (lines[i].rfind("@@ ", 0) != 0) continue;
      int os = 0, oc = 1, ns = 0, nc = 1;
      std::string h = lines[i];
      // "@@ -os[,oc] +ns[,nc] @@"
      size_t minus = h.find('-'), plus = h.find('+');
      std::string old_range = h.substr(minus + 1, h.find(' ', minus) - minus - 1);
      std::string new_range = h.substr(plus + 1, h.find(' ', plus) - plus - 1);
      auto parse = [](const std::string& r, int& start, int& count) {
        size_t comma = r.find(',');
        start = std::stoi(r.substr(0, comma));
        count = comma == std::string::npos ? 1 : std::stoi(r.substr(comma + 1));
      };
      parse(old_range, os, oc);
      parse(new_range, ns, nc);
      int seen_old = 0, seen_new = 0;
      for (size_t k = i + 1; k < lines.size() && lines[k].rfind("@@ ", 0) != 0; ++k) {
        if (lines[k][0] != '+') ++seen_old;
        if (lines[k][0] != '-') ++seen_new;
      }
      EXPECT_EQ(seen_old, oc) << u;
      EXPECT_EQ(seen_new, nc) << u;
    }
  }
}

// ---- large texts ----

std::string numbered(int n, const char* prefix) {
  std::string s;
  for (int i = 0; i < n; ++i) s += prefix + std::to_string(i) + "\n";
  return s;
}

TEST(TextDiff, TwentyThousandLinesWithAFewChanges) {
  std::string a = numbered(20000, "line ");
  std::string b;
  std::mt19937 rng(3);
  int changed = 0;
  for (const auto& l : split(a)) {
    if (rng() % 200 == 0)
      ++changed, b += "changed\n";
    else
      b += l + "\n";
  }
  auto script = diff_lines(a, b, INT_MAX);
  expect_script(a, b, script);
  auto removed =
      std::count_if(script.begin(), script.end(), [](const DiffLine& l) { return l.op == '-'; });
  EXPECT_EQ(removed, changed);  // minimal: each changed line is one removal and one addition
}

TEST(TextDiff, TwentyThousandLinesWithNothingInCommon) {
  std::string a = numbered(20000, "old "), b = numbered(20000, "new ");
  auto lines = diff_lines(a, b);
  EXPECT_EQ(lines.size(), 40000u);
  EXPECT_EQ(lines.front().op, '-');
  EXPECT_EQ(lines.back().op, '+');
}

TEST(TextDiff, TwentyThousandShuffledLinesStayBounded) {
  // Every line is in both texts, in another order: the costliest input for Myers' search, which
  // gives up on minimality past its bound instead of taking quadratic time.
  std::string a = numbered(20000, "line ");
  auto lines = split(a);
  std::mt19937 rng(5);
  std::shuffle(lines.begin(), lines.end(), rng);
  std::string b;
  for (const auto& l : lines) b += l + "\n";
  expect_script(a, b, diff_lines(a, b, INT_MAX));
}

}  // namespace
}  // namespace liandong::plans
