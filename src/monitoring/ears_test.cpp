// EARS C1/C2/C3 and CUSUM on count series with known answers. The expected statistics were
// worked by hand (one day written out below) and checked with an independent script.
#include <gtest/gtest.h>

#include <map>

#include "monitoring/detectors.h"

namespace liandong::monitoring {
namespace {

using std::chrono::hours;

const core::Timestamp kDay0 = core::from_unix_millis(1'764'000'000'000);

// Feeds daily counts (day 1 first) and returns, per day, the findings of `kind`.
std::map<int, Finding> run(SeriesDetector& d, const std::vector<double>& counts,
                           DetectorKind kind) {
  std::map<int, Finding> by_day;
  std::vector<Finding> out;
  for (size_t i = 0; i < counts.size(); ++i) {
    out.clear();
    d.observe({kDay0 + hours(24 * static_cast<int>(i)), counts[i]}, out);
    for (const Finding& f : out)
      if (f.kind == kind) by_day[static_cast<int>(i) + 1] = f;
  }
  return by_day;
}

// Days 1–10 a quiet pattern, an outbreak on days 11–13, quiet again.
const std::vector<double> kOutbreak = {2, 4, 3, 3, 2, 4, 3, 3, 2, 4, 9, 12, 10, 3, 3, 2, 4, 3};

SeriesConfig ears(bool c1, bool c2, bool c3) {
  SeriesConfig c{.counts = true};
  c.ears = {.c1 = c1, .c2 = c2, .c3 = c3};
  return c;
}

TEST(Ears, C1OnAPlantedOutbreak) {
  // Day 11 (count 9): C1's baseline is the 7 days before, days 4–10 = 3,2,4,3,3,2,4.
  //   mean = 21/7 = 3; squared deviations 0,1,1,0,0,1,1 sum to 4; s = sqrt(4/6) = 0.81650;
  //   C1 = (9 − 3) / 0.81650 = 7.3485 > 3: fires.
  // Day 12 (12): baseline days 5–11 = 2,4,3,3,2,4,9: mean 27/7 = 3.8571, s = 2.4103,
  //   C1 = 3.3784 > 3: continues. Day 13 (10): mean 5.2857, s = 3.7289, C1 = 1.2643: clears.
  SeriesDetector d(ears(true, false, false));
  auto f = run(d, kOutbreak, DetectorKind::kEarsC1);
  ASSERT_EQ(f.size(), 3u);
  ASSERT_TRUE(f.count(11));
  EXPECT_TRUE(f[11].firing);
  EXPECT_NEAR(f[11].score, 7.3485, 1e-4);
  EXPECT_EQ(f[11].limit, 3);
  EXPECT_TRUE(f[12].firing);
  EXPECT_NEAR(f[12].score, 3.3784, 1e-4);
  EXPECT_FALSE(f[13].firing);
  EXPECT_NEAR(f[13].score, 1.2643, 1e-4);
}

TEST(Ears, C2OnAPlantedOutbreak) {
  // Day 11 (9): C2's baseline skips 2 days: days 2–8 = 4,3,3,2,4,3,3, mean 22/7 = 3.142857;
  //   deviations .857,−.143,−.143,−1.143,.857,−.143,−.143, squares sum to 2.857; s = sqrt(2.857/6)
  //   = 0.69007; C2 = (9 − 3.142857) / 0.69007 = 8.4878.
  // Day 10 is the first day with 9 days before it: C2 = (4 − 3) / 0.8165 = 1.2247 (no finding).
  SeriesDetector d(ears(false, true, false));
  auto f = run(d, kOutbreak, DetectorKind::kEarsC2);
  ASSERT_EQ(f.size(), 4u);
  EXPECT_NEAR(f[11].score, 8.4878, 1e-4);
  EXPECT_TRUE(f[11].firing);
  EXPECT_NEAR(f[12].score, 13.2493, 1e-4);
  EXPECT_NEAR(f[13].score, 8.5732, 1e-4);  // the lag keeps the outbreak out of the baseline
  EXPECT_TRUE(f[13].firing);
  EXPECT_FALSE(f[14].firing);
  EXPECT_NEAR(f[14].score, -0.3556, 1e-4);
}

TEST(Ears, C3SumsThreeDaysOfC2AboveOne) {
  // C3 needs C2 on the day and the two before: first on day 12.
  //   C3(12) = max(0, 13.2493 − 1) + max(0, 8.4878 − 1) + max(0, 1.2247 − 1) = 19.9618 > 2.
  //   Day 15: C2 = −0.6130, −0.3556, 8.5732 → 7.5732 (continues); day 16: 0 (clears).
  SeriesDetector d(ears(false, false, true));
  auto f = run(d, kOutbreak, DetectorKind::kEarsC3);
  ASSERT_EQ(f.size(), 5u);
  EXPECT_FALSE(f.count(11));
  EXPECT_TRUE(f[12].firing);
  EXPECT_NEAR(f[12].score, 19.9618, 1e-4);
  EXPECT_NEAR(f[13].score, 27.3103, 1e-4);
  EXPECT_NEAR(f[15].score, 7.5732, 1e-4);
  EXPECT_FALSE(f[16].firing);
  EXPECT_EQ(f[16].score, 0);
}

TEST(Ears, QuietSeriesNeverFires) {
  SeriesDetector d(ears(true, true, true));
  std::vector<double> quiet;
  for (int i = 0; i < 60; ++i) quiet.push_back(3 + (i % 3) - 1);  // 2,3,4,2,3,4…
  std::vector<Finding> out;
  for (size_t i = 0; i < quiet.size(); ++i)
    d.observe({kDay0 + hours(24 * static_cast<int>(i)), quiet[i]}, out);
  EXPECT_TRUE(out.empty());
}

TEST(Ears, FlatBaselineUsesTheMinimumSd) {
  // Seven days of exactly 5: s = 0, taken as 0.2. A count of 6 gives C1 = (6 − 5) / 0.2 = 5.
  SeriesDetector d(ears(true, false, false));
  auto f = run(d, {5, 5, 5, 5, 5, 5, 5, 6}, DetectorKind::kEarsC1);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NEAR(f[8].score, 5.0, 1e-12);
}

TEST(Ears, NegativeAndAbsurdCountsAreNotCounts) {
  SeriesDetector d(ears(true, false, false));
  // -1 and 1e12 are skipped: on day 9 six counts are stored (no C1 yet), on day 10 the baseline
  // is seven 5s.
  auto f = run(d, {5, 5, 5, 5, 5, 5, -1, 1e12, 5, 6}, DetectorKind::kEarsC1);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NEAR(f[10].score, 5.0, 1e-12);  // baseline 5×7, s = 0 → 0.2; (6 − 5) / 0.2
}

TEST(Cusum, StepChange) {
  // Days 1–10 the quiet pattern (mean 3), then a step to 4 and 5 alternating (mean 4.5).
  // Baseline: 7 days ending 2 days back; z = (x − mean) / max(s, 0.2); S = max(0, S + z − 0.5).
  //   Day 10 (4): days 1–7 mean 3, s 0.8165, z 1.2247, S = 0.7247
  //   Day 11 (4): days 2–8 mean 3.1429, s 0.6901, z 1.2421, S = 1.4669
  //   Day 12 (4): days 3–9 mean 2.8571, s 0.6901, z 1.6562, S = 2.6230
  //   Day 13 (5): days 4–10 mean 3, s 0.8165, z 2.4495, S = 4.5725 > 4: fires.
  // The baseline then absorbs the step; S falls to 3.4753 on day 26 and clears.
  std::vector<double> x = {2, 4, 3, 3, 2, 4, 3, 3, 2, 4, 4, 4, 5};
  for (int i = 0; i < 13; ++i) x.push_back(i % 2 ? 5 : 4);  // days 14–26
  SeriesConfig c{.counts = true};
  c.cusum.on = true;
  SeriesDetector d(c);
  auto f = run(d, x, DetectorKind::kCusum);
  ASSERT_TRUE(f.count(13));
  EXPECT_EQ(f.begin()->first, 13);
  EXPECT_TRUE(f[13].firing);
  EXPECT_NEAR(f[13].score, 4.5725, 1e-4);
  EXPECT_EQ(f[13].limit, 4);
  EXPECT_TRUE(f[25].firing);
  EXPECT_FALSE(f[26].firing);
  EXPECT_NEAR(f[26].score, 3.4753, 1e-4);
  EXPECT_EQ(f.size(), 14u);  // days 13..26
}

}  // namespace
}  // namespace liandong::monitoring
