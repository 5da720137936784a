#include "monitoring/detectors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <new>

// Counts heap allocations while `g_counting` is set, to show that observe() does not allocate per
// reading in the steady state.
namespace {
bool g_counting = false;
size_t g_allocations = 0;
}  // namespace

void* operator new(std::size_t n) {
  if (g_counting) ++g_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace liandong::monitoring {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

const core::Timestamp kT0 = core::from_unix_millis(1'764'000'000'000);

Reading at(int minute, double value, Quality q = Quality::kOk) {
  return {kT0 + minutes(minute), value, q};
}

std::vector<Finding> feed(SeriesDetector& d, const Reading& r) {
  std::vector<Finding> out;
  d.observe(r, out);
  return out;
}

TEST(Threshold, FiresContinuesAndClearsWithTheMultiple) {
  SeriesDetector d({.upper = 0.005});
  EXPECT_TRUE(feed(d, at(0, 0.004)).empty());
  auto f = feed(d, at(5, 0.012));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, DetectorKind::kThreshold);
  EXPECT_TRUE(f[0].firing);
  EXPECT_EQ(f[0].at, kT0 + minutes(5));
  EXPECT_EQ(f[0].value, 0.012);
  EXPECT_NEAR(f[0].score, 1.4, 1e-12);  // (0.012 - 0.005) / 0.005
  EXPECT_EQ(f[0].limit, 0.005);
  EXPECT_TRUE(d.firing(DetectorKind::kThreshold));
  f = feed(d, at(10, 0.011));  // continues: (0.011 - 0.005) / 0.005 = 1.2
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(f[0].firing);
  EXPECT_NEAR(f[0].score, 1.2, 1e-12);
  f = feed(d, at(15, 0.003));  // clears: (0.003 - 0.005) / 0.005 = -0.4
  ASSERT_EQ(f.size(), 1u);
  EXPECT_FALSE(f[0].firing);
  EXPECT_NEAR(f[0].score, -0.4, 1e-12);
  EXPECT_TRUE(feed(d, at(20, 0.003)).empty());
  EXPECT_TRUE(feed(d, at(25, 0.005)).empty());  // at the limit is not above it
}

TEST(Threshold, LowerLimitAndRange) {
  SeriesDetector oxygen({.lower = 5});
  EXPECT_TRUE(feed(oxygen, at(0, 6)).empty());
  auto f = feed(oxygen, at(5, 3.5));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NEAR(f[0].score, 0.3, 1e-12);  // (5 - 3.5) / 5
  SeriesDetector ph({.upper = 9, .lower = 6});
  EXPECT_TRUE(feed(ph, at(0, 7)).empty());
  f = feed(ph, at(5, 9.5));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NEAR(f[0].score, 0.5 / 9, 1e-12);
  EXPECT_EQ(f[0].limit, 9);
  f = feed(ph, at(10, 5.4));  // still firing, now on the low side: (6 - 5.4) / 6 = 0.1
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(f[0].firing);
  EXPECT_NEAR(f[0].score, 0.1, 1e-12);
  EXPECT_EQ(f[0].limit, 6);
}

TEST(Rate, AbsoluteChangePerHour) {
  SeriesDetector d({.max_rate_per_hour = 1.0});
  EXPECT_TRUE(feed(d, at(0, 1.0)).empty());
  EXPECT_TRUE(feed(d, at(30, 1.2)).empty());  // 0.2 in 0.5 h = 0.4/h
  auto f = feed(d, at(60, 2.0));              // 0.8 in 0.5 h = 1.6/h
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, DetectorKind::kRate);
  EXPECT_TRUE(f[0].firing);
  EXPECT_NEAR(f[0].score, 1.6, 1e-12);
  EXPECT_EQ(f[0].limit, 1.0);
  f = feed(d, at(90, 1.2));  // a fall counts too: 0.8 in 0.5 h
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(f[0].firing);
  f = feed(d, at(150, 1.3));  // 0.1/h: clears
  ASSERT_EQ(f.size(), 1u);
  EXPECT_FALSE(f[0].firing);
  EXPECT_NEAR(f[0].score, 0.1, 1e-12);
}

TEST(FlatLine, FiresOnTheNthEqualReading) {
  SeriesDetector d({.flat_line_count = 4, .flat_tolerance = 0.01});
  EXPECT_TRUE(feed(d, at(0, 5.0)).empty());
  EXPECT_TRUE(feed(d, at(5, 5.005)).empty());
  EXPECT_TRUE(feed(d, at(10, 5.01)).empty());  // run 3, spread 0.01
  auto f = feed(d, at(15, 5.0));               // run 4
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, DetectorKind::kFlatLine);
  EXPECT_TRUE(f[0].firing);
  EXPECT_EQ(f[0].score, 4);
  EXPECT_EQ(f[0].limit, 4);
  f = feed(d, at(20, 5.002));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].score, 5);
  f = feed(d, at(25, 5.5));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_FALSE(f[0].firing);
  // A run whose spread exceeds the tolerance never fires: 5.0, 5.008, 4.995 (spread 0.013).
  SeriesDetector e({.flat_line_count = 3, .flat_tolerance = 0.01});
  EXPECT_TRUE(feed(e, at(0, 5.0)).empty());
  EXPECT_TRUE(feed(e, at(5, 5.008)).empty());
  EXPECT_TRUE(feed(e, at(10, 4.995)).empty());
}

TEST(Missing, SilenceLongerThanFactorTimesInterval) {
  SeriesDetector d({.expected_interval = minutes(5), .silence_factor = 3});
  std::vector<Finding> out;
  d.check_silence(kT0, out);  // nothing seen yet: no silence clock
  EXPECT_TRUE(out.empty());
  EXPECT_FALSE(d.last_time().has_value());
  EXPECT_TRUE(feed(d, at(0, 1)).empty());
  EXPECT_EQ(d.last_time(), kT0);
  d.check_silence(kT0 + minutes(15), out);  // exactly 3 intervals: not more
  EXPECT_TRUE(out.empty());
  d.check_silence(kT0 + minutes(16), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, DetectorKind::kMissing);
  EXPECT_TRUE(out[0].firing);
  EXPECT_EQ(out[0].at, kT0 + minutes(16));
  EXPECT_NEAR(out[0].score, 3.2, 1e-12);  // 16 min / 5 min
  EXPECT_EQ(out[0].limit, 3);
  out.clear();
  d.check_silence(kT0 + minutes(20), out);  // reported once
  EXPECT_TRUE(out.empty());
  // A reading of any quality is a sign of life and clears it.
  auto f = feed(d, at(21, 1, Quality::kMaintenance));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, DetectorKind::kMissing);
  EXPECT_FALSE(f[0].firing);
  EXPECT_EQ(d.last_time(), kT0 + minutes(21));
}

TEST(OutOfOrder, JudgedForThresholdOnlyAndDuplicatesIgnored) {
  SeriesDetector d({.upper = 0.005, .max_rate_per_hour = 0.01});
  EXPECT_TRUE(feed(d, at(0, 0.001)).empty());
  EXPECT_TRUE(feed(d, at(10, 0.002)).empty());  // 0.001 in 1/6 h = 0.006/h
  auto f = feed(d, at(5, 0.02));                // late, exceeding: a finding at its own time
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, DetectorKind::kThreshold);
  EXPECT_TRUE(f[0].firing);
  EXPECT_EQ(f[0].at, kT0 + minutes(5));
  EXPECT_NEAR(f[0].score, 3.0, 1e-12);
  EXPECT_FALSE(d.firing(DetectorKind::kThreshold));  // the current state is the newer reading's
  EXPECT_EQ(d.last_time(), kT0 + minutes(10));
  EXPECT_TRUE(feed(d, at(3, 0.001)).empty());  // late and normal: nothing, no clear
  // The rate is against minute 10, not the late reading: 0.0001 in 1/6 h = 0.0006/h. Had the
  // late reading been taken, (0.02 - 0.0021) / 0.25 h = 0.0716/h would fire.
  EXPECT_TRUE(feed(d, at(20, 0.0021)).empty());
  // An exact duplicate time is ignored, even with another value.
  EXPECT_TRUE(feed(d, at(20, 0.5)).empty());
  EXPECT_FALSE(d.firing(DetectorKind::kThreshold));
}

TEST(Quality, InvalidAndMaintenanceAreNotJudged) {
  SeriesDetector d({.upper = 0.005});
  EXPECT_TRUE(feed(d, at(0, 1.0, Quality::kInvalid)).empty());
  EXPECT_TRUE(feed(d, at(5, 1.0, Quality::kMaintenance)).empty());
  EXPECT_EQ(feed(d, at(10, 1.0, Quality::kSuspect)).size(), 1u);
  EXPECT_EQ(feed(d, at(15, 1.0, Quality::kEstimated)).size(), 1u);
  EXPECT_EQ(name(Quality::kMaintenance), "maintenance");
  EXPECT_EQ(*parse_quality("suspect"), Quality::kSuspect);
  EXPECT_FALSE(parse_quality("bad").is_ok());
}

TEST(Hostile, NonFiniteValuesAreIgnored) {
  SeriesConfig c{.upper = 0.005, .max_rate_per_hour = 1, .flat_line_count = 2, .counts = true};
  c.ears = {.c1 = true, .c2 = true, .c3 = true};
  c.cusum.on = true;
  SeriesDetector d(c);
  EXPECT_TRUE(feed(d, at(0, 0.001)).empty());
  EXPECT_TRUE(feed(d, at(5, std::nan(""))).empty());
  EXPECT_TRUE(feed(d, at(10, std::numeric_limits<double>::infinity())).empty());
  EXPECT_TRUE(feed(d, at(15, -std::numeric_limits<double>::infinity())).empty());
  // The rate is still against minute 0: |0.0015 - 0.001| / 0.25 h = 0.002/h; flat: spread 0.0005
  // > 0, so no flat line either.
  EXPECT_TRUE(feed(d, at(15 + 1, 0.0015)).empty());
  // Huge values: the threshold fires with a huge multiple, nothing crashes or hangs.
  for (int i = 0; i < 40; ++i) {
    std::vector<Finding> out;
    d.observe(at(100 + i, i % 2 ? 1e308 : -1e308), out);
    for (const Finding& f : out) EXPECT_FALSE(std::isnan(f.score)) << name(f.kind);
  }
}

TEST(Config, ValidateNamesTheField) {
  EXPECT_TRUE(validate({}).is_ok());
  EXPECT_EQ(validate({.upper = 0}).field(), "upper");
  EXPECT_EQ(validate({.upper = std::nan("")}).field(), "upper");
  EXPECT_EQ(validate({.lower = -1}).field(), "lower");
  EXPECT_EQ(validate({.upper = 5, .lower = 6}).field(), "lower");
  EXPECT_EQ(validate({.max_rate_per_hour = -1}).field(), "max_rate_per_hour");
  EXPECT_EQ(validate({.flat_line_count = 1}).field(), "flat_line_count");
  EXPECT_EQ(validate({.expected_interval = minutes(-5)}).field(), "expected_interval");
  EXPECT_EQ(validate({.silence_factor = 0.5}).field(), "silence_factor");
  SeriesConfig c;
  c.cusum.baseline = 1;
  EXPECT_EQ(validate(c).field(), "cusum.baseline");
  c.cusum.baseline = 1'000'000;
  EXPECT_EQ(validate(c).field(), "cusum.baseline");
  c = {};
  c.ears.min_sd = 0;
  EXPECT_EQ(validate(c).field(), "ears.min_sd");
  // The detector turns a bad part off instead of misbehaving.
  SeriesDetector d({.upper = -1, .flat_line_count = 1});
  EXPECT_FALSE(d.config().upper.has_value());
  EXPECT_EQ(d.config().flat_line_count, 0u);
  EXPECT_TRUE(feed(d, at(0, 100)).empty());
}

TEST(Names, DetectorKinds) {
  EXPECT_EQ(name(DetectorKind::kThreshold), "threshold");
  EXPECT_EQ(name(DetectorKind::kFlatLine), "flat_line");
  EXPECT_EQ(name(DetectorKind::kEarsC3), "ears_c3");
  EXPECT_EQ(name(DetectorKind::kCusum), "cusum");
  EXPECT_EQ(parse_detector_kind("missing"), DetectorKind::kMissing);
  EXPECT_EQ(parse_detector_kind("Missing"), std::nullopt);
}

TEST(Performance, NoAllocationPerReadingInTheSteadyState) {
  SeriesConfig c{.upper = 0.005,
                 .max_rate_per_hour = 0.001,
                 .flat_line_count = 5,
                 .flat_tolerance = 0.0001,
                 .expected_interval = minutes(5),
                 .counts = true};
  c.ears = {.c1 = true, .c2 = true, .c3 = true};
  c.cusum.on = true;
  SeriesDetector d(c);
  std::vector<Finding> out;
  out.reserve(16);
  g_allocations = 0;
  g_counting = true;
  for (int i = 0; i < 10'000; ++i) {
    out.clear();
    d.observe(at(i * 5, (i % 7) * 0.002), out);  // fires and clears threshold and rate often
    d.check_silence(kT0 + minutes(i * 5 + 1), out);
  }
  g_counting = false;
  EXPECT_EQ(g_allocations, 0u);
}

}  // namespace
}  // namespace liandong::monitoring
