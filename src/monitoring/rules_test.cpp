#include "monitoring/rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace liandong::monitoring {
namespace {

using std::chrono::minutes;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const core::Timestamp kT0 = core::from_unix_millis(1'764'000'000'000);
constexpr double kS = 0.005;  // cadmium, class III

// A detector and its tracker fed together, as the ingest path does.
struct Series {
  explicit Series(SeriesConfig c, RuleSet rules = RuleSet::defaults())
      : detector(c), tracker(std::move(rules), c, {"镉", "mg/L", 3}) {}
  std::optional<LevelTracker::Change> feed(int minute, double value) {
    Reading r{kT0 + minutes(minute), value};
    findings.clear();
    detector.observe(r, findings);
    return tracker.update(findings, r);
  }
  SeriesDetector detector;
  LevelTracker tracker;
  std::vector<Finding> findings;
};

TEST(WarningLevel, NamesAndParse) {
  EXPECT_EQ(name(WarningLevel::kNone), "");
  EXPECT_EQ(name(WarningLevel::kBlue), "blue");
  EXPECT_EQ(name(WarningLevel::kRed), "red");
  EXPECT_EQ(*parse_warning_level("orange"), WarningLevel::kOrange);
  EXPECT_EQ(*parse_warning_level(""), WarningLevel::kNone);
  EXPECT_EQ(*parse_warning_level("none"), WarningLevel::kNone);
  auto bad = parse_warning_level("purple");
  ASSERT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.status().field(), "level");
}

TEST(RuleSet, Defaults) {
  const RuleSet& r = RuleSet::defaults();
  EXPECT_EQ(r.threshold().min_multiple[0], 0.0);
  EXPECT_EQ(r.threshold().min_multiple[1], 1.0);
  EXPECT_EQ(r.threshold().min_multiple[2], 3.0);
  EXPECT_EQ(r.threshold().min_multiple[3], 5.0);
  EXPECT_EQ(r.threshold().persistence, 2u);
  EXPECT_EQ(r.threshold().clear_readings, 2u);
  EXPECT_EQ(r.threshold().band, 0.1);
  EXPECT_EQ(r.event(DetectorKind::kMissing).level, WarningLevel::kBlue);
  EXPECT_EQ(r.event(DetectorKind::kRate).level, WarningLevel::kBlue);
  EXPECT_EQ(r.event(DetectorKind::kRate).clear_readings, 2u);
  EXPECT_EQ(r.event(DetectorKind::kEarsC2).level, WarningLevel::kYellow);
  EXPECT_EQ(r.event(DetectorKind::kCusum).level, WarningLevel::kYellow);
}

std::string parse_error(const std::string& text) {
  auto r = RuleSet::parse_yaml(text, "r.yaml");
  EXPECT_FALSE(r.is_ok()) << text;
  return r.is_ok() ? "" : r.status().message();
}

TEST(RuleSet, ParseErrorsNameTheLine) {
  EXPECT_THAT(parse_error("threshold:\n  levels: {blue: 0, yellow: 3, orange: 2}\n"),
              StartsWith("r.yaml:2: threshold.levels: orange's 2 is not above yellow's 3"));
  EXPECT_THAT(parse_error("threshold:\n  levels: {blue: -1}\n"),
              StartsWith("r.yaml:2: threshold.levels.blue: -1 is negative"));
  EXPECT_THAT(parse_error("threshold:\n  levels: {blue: .nan}\n"), HasSubstr("is not a number"));
  EXPECT_THAT(parse_error("threshold:\n  levels: {purple: 1}\n"),
              StartsWith("r.yaml:2: unknown level 'purple'"));
  EXPECT_THAT(parse_error("threshold:\n  persistence: 2\n"),
              StartsWith("r.yaml:2: threshold: levels is missing"));
  EXPECT_THAT(parse_error("threshold:\n  levels: {blue: 0}\n  persistence: 0\n"),
              StartsWith("r.yaml:3: threshold.persistence: 0 is not in 1..1000"));
  EXPECT_THAT(parse_error("threshold:\n  levels: {blue: 0}\n  persistence: 99999999999\n"),
              HasSubstr("is not in 1..1000"));
  EXPECT_THAT(parse_error("threshold:\n  levels: {blue: 0}\n  band: 2\n"),
              StartsWith("r.yaml:3: threshold.band: 2 is not in 0..1"));
  EXPECT_THAT(parse_error("threshold:\n  levels: {blue: 0}\n  colour: 2\n"),
              StartsWith("r.yaml:3: unknown key 'colour' in threshold"));
  EXPECT_THAT(parse_error("rate: {level: blue}\nrate: {level: red}\n"),
              StartsWith("r.yaml:2: 'rate' appears twice"));
  EXPECT_THAT(parse_error("rates: {level: blue}\n"), StartsWith("r.yaml:1: unknown detector"));
  EXPECT_THAT(parse_error("rate: {level: scarlet}\n"),
              StartsWith("r.yaml:1: rate.level: 'scarlet' is not a level"));
  EXPECT_THAT(parse_error("rate: {persistence: 2}\n"), HasSubstr("rate: level is missing"));
  EXPECT_THAT(parse_error("missing: {level: blue, clear_readings: x}\n"),
              HasSubstr("'x' is not a whole number"));
}

TEST(RuleSet, AnOmittedDetectorRaisesNoLevel) {
  auto r = RuleSet::parse_yaml("missing: {level: orange, persistence: 3}\n", "r.yaml");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->event(DetectorKind::kMissing).level, WarningLevel::kOrange);
  EXPECT_EQ(r->event(DetectorKind::kMissing).persistence, 3u);
  EXPECT_EQ(r->event(DetectorKind::kRate).level, WarningLevel::kNone);
  EXPECT_FALSE(r->threshold().min_multiple[0].has_value());
  Series s({.upper = kS}, *r);
  EXPECT_FALSE(s.feed(0, 1.0));
  EXPECT_FALSE(s.feed(5, 1.0));
  EXPECT_EQ(s.tracker.level(), WarningLevel::kNone);
}

TEST(LevelTracker, PersistenceTwoReadings) {
  Series s({.upper = kS});
  EXPECT_FALSE(s.feed(0, 0.006));  // one exceeding reading is not enough
  EXPECT_FALSE(s.feed(5, 0.004));  // and the streak is broken
  EXPECT_FALSE(s.feed(10, 0.006));
  auto c = s.feed(15, 0.006);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->from, WarningLevel::kNone);
  EXPECT_EQ(c->to, WarningLevel::kBlue);
  EXPECT_EQ(c->at, kT0 + minutes(15));
  EXPECT_EQ(c->cause, DetectorKind::kThreshold);
  EXPECT_NEAR(c->score, 0.2, 1e-12);  // (0.006 - 0.005) / 0.005
  EXPECT_EQ(c->reason, "镉 0.006 mg/L，超标 0.2 倍（III 类限值 0.005 mg/L）");
  EXPECT_EQ(s.tracker.level(), WarningLevel::kBlue);
}

TEST(LevelTracker, HysteresisAtTheLimitDoesNotFlap) {
  Series s({.upper = kS});
  EXPECT_FALSE(s.feed(0, 1.05 * kS));
  ASSERT_TRUE(s.feed(5, 1.05 * kS));  // blue
  int changes = 0;
  for (int i = 0; i < 200; ++i)  // ±2% around S: 0.98 S is inside the 10% band
    if (s.feed(10 + 5 * i, i % 2 ? 1.02 * kS : 0.98 * kS)) ++changes;
  EXPECT_EQ(changes, 0);
  EXPECT_EQ(s.tracker.level(), WarningLevel::kBlue);
  // Below 0.9 S (multiple -0.15 < 0 - 0.1) for two readings: lifted on the second.
  EXPECT_FALSE(s.feed(2000, 0.85 * kS));
  auto c = s.feed(2005, 0.85 * kS);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->from, WarningLevel::kBlue);
  EXPECT_EQ(c->to, WarningLevel::kNone);
  EXPECT_EQ(c->cause, DetectorKind::kThreshold);
  EXPECT_THAT(c->reason, HasSubstr("回到III 类限值 0.005 mg/L 以内"));
}

TEST(LevelTracker, WithoutPersistenceTheBandStillHolds) {
  RuleSet rules = RuleSet::defaults();
  ThresholdRule t = rules.threshold();
  t.persistence = 1;
  rules.set_threshold(t);
  Series s({.upper = kS}, rules);
  int changes = 0;
  for (int i = 0; i < 100; ++i)
    if (s.feed(5 * i, i % 2 ? 0.98 * kS : 1.02 * kS)) ++changes;
  EXPECT_EQ(changes, 1);  // entered once on the first 1.02 S, never left
  // With no band and one reading to clear, the same series flaps on every reading: the band is
  // what holds it.
  t.band = 0;
  t.clear_readings = 1;
  rules.set_threshold(t);
  Series flappy({.upper = kS}, rules);
  changes = 0;
  for (int i = 0; i < 100; ++i)
    if (flappy.feed(5 * i, i % 2 ? 0.98 * kS : 1.02 * kS)) ++changes;
  EXPECT_EQ(changes, 100);
}

TEST(LevelTracker, EscalatesAndStepsDown) {
  Series s({.upper = kS});
  EXPECT_FALSE(s.feed(0, 0.035));  // multiple (0.035 - 0.005) / 0.005 = 6
  auto c = s.feed(5, 0.035);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->to, WarningLevel::kRed);
  EXPECT_EQ(c->reason, "镉 0.035 mg/L，超标 6 倍（III 类限值 0.005 mg/L）");
  // 2.5 S: multiple 1.5, below red's 5 - 0.1; after two readings down to the highest level the
  // value is not below by the band: yellow (1 - 0.1 <= 1.5 < 3 - 0.1).
  EXPECT_FALSE(s.feed(10, 2.5 * kS));
  c = s.feed(15, 2.5 * kS);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->from, WarningLevel::kRed);
  EXPECT_EQ(c->to, WarningLevel::kYellow);
  EXPECT_NEAR(c->score, 1.5, 1e-12);
  // 4.2 S (multiple 3.2) twice: orange.
  EXPECT_FALSE(s.feed(20, 4.2 * kS));
  c = s.feed(25, 4.2 * kS);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->to, WarningLevel::kOrange);
  // 1.95 S (multiple 0.95): below orange's band but within yellow's: yellow, not blue.
  EXPECT_FALSE(s.feed(30, 1.95 * kS));
  c = s.feed(35, 1.95 * kS);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->to, WarningLevel::kYellow);
}

TEST(LevelTracker, DissolvedOxygenLowerLimit) {
  Series s({.lower = 5});
  EXPECT_FALSE(s.feed(0, 2));  // (5 - 2) / 5 = 0.6: blue after two
  auto c = s.feed(5, 2);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->to, WarningLevel::kBlue);
  EXPECT_NEAR(c->score, 0.6, 1e-12);
}

TEST(LevelTracker, RateRaisesItsLevelAndClearsAfterTwo) {
  Series s({.max_rate_per_hour = 1.0});
  EXPECT_FALSE(s.feed(0, 1.0));
  auto c = s.feed(30, 2.0);  // 2/h
  ASSERT_TRUE(c);
  EXPECT_EQ(c->to, WarningLevel::kBlue);
  EXPECT_EQ(c->cause, DetectorKind::kRate);
  EXPECT_EQ(c->reason, "镉 变化速率 2 mg/L/h，超过 1 mg/L/h");
  EXPECT_FALSE(s.feed(60, 2.1));  // first normal reading
  c = s.feed(90, 2.1);            // second
  ASSERT_TRUE(c);
  EXPECT_EQ(c->to, WarningLevel::kNone);
  EXPECT_EQ(c->cause, DetectorKind::kRate);
}

TEST(LevelTracker, MissingDataThroughSilenceChecks) {
  SeriesConfig cfg{.expected_interval = minutes(5)};
  Series s(cfg);
  EXPECT_FALSE(s.feed(0, 1.0));
  std::vector<Finding> out;
  s.detector.check_silence(kT0 + minutes(10), out);
  EXPECT_FALSE(s.tracker.update_silence(out, kT0 + minutes(10)));
  s.detector.check_silence(kT0 + minutes(16), out);
  auto c = s.tracker.update_silence(out, kT0 + minutes(16));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->to, WarningLevel::kBlue);
  EXPECT_EQ(c->cause, DetectorKind::kMissing);
  EXPECT_EQ(c->reason, "镉 已 3.2 个预期间隔未收到数据（允许 3 个）");
  c = s.feed(20, 1.0);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->to, WarningLevel::kNone);
  EXPECT_EQ(c->reason, "镉 恢复收到数据");
}

TEST(LevelTracker, TheHighestDetectorWins) {
  Series s({.upper = kS, .max_rate_per_hour = 0.01});
  EXPECT_FALSE(s.feed(0, 0.001));
  auto c = s.feed(60, 0.012);  // rate 0.011/h: blue at once; threshold's first reading
  ASSERT_TRUE(c);
  EXPECT_EQ(c->to, WarningLevel::kBlue);
  EXPECT_EQ(c->cause, DetectorKind::kRate);
  c = s.feed(120, 0.013);  // threshold's second: multiple 1.6 → yellow
  ASSERT_TRUE(c);
  EXPECT_EQ(c->from, WarningLevel::kBlue);
  EXPECT_EQ(c->to, WarningLevel::kYellow);
  EXPECT_EQ(c->cause, DetectorKind::kThreshold);
  EXPECT_EQ(s.tracker.level(DetectorKind::kRate), WarningLevel::kBlue);
  EXPECT_FALSE(s.feed(180, 0.013));
  EXPECT_FALSE(s.feed(240, 0.013));  // rate cleared underneath, the series stays yellow
  EXPECT_EQ(s.tracker.level(DetectorKind::kRate), WarningLevel::kNone);
  EXPECT_EQ(s.tracker.level(), WarningLevel::kYellow);
}

TEST(LevelTracker, OutOfOrderReadingsDoNotMoveTheLevel) {
  Series s({.upper = kS});
  EXPECT_FALSE(s.feed(0, 0.001));
  EXPECT_FALSE(s.feed(10, 0.001));
  EXPECT_FALSE(s.feed(5, 0.05));  // late: the detector reports it, the level stays
  EXPECT_EQ(s.findings.size(), 1u);
  EXPECT_FALSE(s.feed(6, 0.05));
  EXPECT_FALSE(s.feed(10, 0.05));  // duplicate
  EXPECT_EQ(s.tracker.level(), WarningLevel::kNone);
}

TEST(LevelTracker, EarsRaisesYellow) {
  SeriesConfig cfg{.counts = true};
  cfg.ears.c1 = true;
  Series s(cfg);
  std::optional<LevelTracker::Change> c;
  const double counts[] = {2, 4, 3, 3, 2, 4, 3, 3, 2, 4, 9};
  for (int i = 0; i < 11; ++i) c = s.feed(i * 1440, counts[i]);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->to, WarningLevel::kYellow);
  EXPECT_EQ(c->cause, DetectorKind::kEarsC1);
  EXPECT_THAT(c->reason, HasSubstr("EARS C1 统计量 7.35 超过 3"));
}

TEST(LevelTracker, InvalidReadingsDoNotCount) {
  Series s({.upper = kS});
  EXPECT_FALSE(s.feed(0, 0.01));
  Reading bad{kT0 + minutes(5), 0.01, Quality::kInvalid};
  s.findings.clear();
  s.detector.observe(bad, s.findings);
  EXPECT_FALSE(s.tracker.update(s.findings, bad));
  Reading nan{kT0 + minutes(6), std::nan("")};
  EXPECT_FALSE(s.tracker.update({}, nan));
  auto c = s.feed(10, 0.01);  // the second judged exceeding reading
  ASSERT_TRUE(c);
  EXPECT_EQ(c->to, WarningLevel::kYellow);  // (0.01 - 0.005) / 0.005 = 1
}

TEST(LevelTracker, BadLimitsMeanNoThresholdAsInTheDetector) {
  Series s({.upper = -0.005});
  EXPECT_FALSE(s.feed(0, 1.0));
  EXPECT_FALSE(s.feed(5, 1.0));
  EXPECT_EQ(s.tracker.level(), WarningLevel::kNone);
  // A rule edited to persistence 0 behaves as 1, not as "always".
  RuleSet rules = RuleSet::defaults();
  ThresholdRule t = rules.threshold();
  t.persistence = 0;
  rules.set_threshold(t);
  Series z({.upper = kS}, rules);
  EXPECT_FALSE(z.feed(0, 0.001));
  auto c = z.feed(5, 0.006);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->to, WarningLevel::kBlue);
}

}  // namespace
}  // namespace liandong::monitoring
