// The demo's promises about its monitoring data, checked against the real detectors and rules:
// the symptom counts raise nothing, each cadmium spike raises a warning and then clears it.
#include "app/demo_monitoring.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "monitoring/detectors.h"
#include "monitoring/rules.h"
#include "river/network.h"

namespace liandong::app::demo {
namespace {

core::Timestamp day(int64_t d) {
  return core::from_unix_millis(1'767'225'600'000 + d * 86'400'000);
}

// As the watch configures a count stream (watch.cpp config_for): EARS C1–C3 and CUSUM on.
monitoring::SeriesConfig counts_config() {
  monitoring::SeriesConfig c;
  c.counts = true;
  c.ears.c1 = c.ears.c2 = c.ears.c3 = true;
  c.cusum.on = true;
  c.expected_interval = core::Millis(86'400'000);
  return c;
}

TEST(DemoMonitoring, SymptomCountsRaiseNoWarning) {
  for (size_t station = 0; station < 2; ++station) {
    monitoring::SeriesDetector detector(counts_config());
    monitoring::LevelTracker tracker(monitoring::RuleSet::defaults(), counts_config());
    std::vector<monitoring::Finding> findings;
    for (int64_t d = 0; d < 400; ++d) {
      findings.clear();
      monitoring::Reading r{day(d), static_cast<double>(demo_symptom_count(station, d))};
      detector.observe(r, findings);
      for (const auto& f : findings)
        EXPECT_FALSE(f.firing) << "station " << station << " day " << d << ": "
                               << monitoring::name(f.kind) << " score " << f.score;
      tracker.update(findings, r);
      ASSERT_EQ(tracker.level(), monitoring::WarningLevel::kNone)
          << "station " << station << " day " << d;
    }
  }
}

// The check above is not vacuous: the same detectors fire on the demo's series with one day of 40
// (18 ± 3 before it: C1 = (40 − mean)/sd far above 3).
TEST(DemoMonitoring, PlantedOutbreakInTheSameSeriesFires) {
  monitoring::SeriesDetector detector(counts_config());
  std::vector<monitoring::Finding> findings;
  bool fired = false;
  for (int64_t d = 0; d < 40; ++d) {
    findings.clear();
    double v = d == 30 ? 40 : static_cast<double>(demo_symptom_count(0, d));
    detector.observe({day(d), v}, findings);
    for (const auto& f : findings) fired |= d == 30 && f.firing;
  }
  EXPECT_TRUE(fired);
}

TEST(DemoMonitoring, SymptomCountsArePlausible) {
  // Base 18 and 11 a day, deviations -3..+3.
  EXPECT_EQ(demo_symptom_count(0, 0), 18);
  EXPECT_EQ(demo_symptom_count(0, 1), 20);
  EXPECT_EQ(demo_symptom_count(1, 0), 10);  // pattern index 7: -1
  for (int64_t d = -50; d < 50; ++d) {
    EXPECT_GE(demo_symptom_count(0, d), 15);
    EXPECT_LE(demo_symptom_count(0, d), 21);
  }
}

// Feeds the normal value, the spike, then normal values, every 5 s, through the class III cadmium
// limit (0.005 mg/L, upper) and the default rules; returns the level after each reading.
std::vector<monitoring::WarningLevel> levels_through_spike(size_t shape) {
  monitoring::SeriesConfig c;
  c.upper = 0.005;
  monitoring::SeriesDetector detector(c);
  monitoring::LevelTracker tracker(monitoring::RuleSet::defaults(), c);
  std::vector<double> values = {0.0008, 0.0009};
  for (double v : demo_cadmium_spike(shape)) values.push_back(v);
  values.push_back(0.0008);
  values.push_back(0.0007);
  std::vector<monitoring::WarningLevel> out;
  std::vector<monitoring::Finding> findings;
  for (size_t i = 0; i < values.size(); ++i) {
    findings.clear();
    monitoring::Reading r{
        core::from_unix_millis(1'767'225'600'000 + static_cast<int64_t>(i) * 5000), values[i]};
    detector.observe(r, findings);
    tracker.update(findings, r);
    out.push_back(tracker.level());
  }
  return out;
}

TEST(DemoMonitoring, CadmiumSpikeRaisesThenClears) {
  using L = monitoring::WarningLevel;
  // Shape 0: 0.0062 (0.24× over: blue streak 1), 0.0118 (1.36×: blue entered, yellow streak 1),
  // 0.0165 (2.3×: yellow), 0.0142, 0.0093 (0.86×: under yellow's bound less the band, 1 below),
  // 0.0058 (2 below: blue), 0.0031 and 0.0014 (under 0.0045: cleared after two).
  auto a = levels_through_spike(0);
  ASSERT_EQ(a.size(), 12u);
  EXPECT_EQ(a[1], L::kNone);
  EXPECT_EQ(a[3], L::kBlue);
  EXPECT_EQ(a[4], L::kYellow);
  EXPECT_EQ(a.back(), L::kNone);
  L worst = L::kNone;
  for (auto l : a) worst = std::max(worst, l);
  EXPECT_EQ(worst, L::kYellow);
  // Shape 1 peaks at 0.0261 (4.2× over) for its 3rd and 4th readings: orange.
  auto b = levels_through_spike(1);
  worst = L::kNone;
  for (auto l : b) worst = std::max(worst, l);
  EXPECT_EQ(worst, L::kOrange);
  EXPECT_EQ(b.back(), L::kNone);
}

TEST(DemoMonitoring, RiverNetworkHasTheSitesTheDemoUses) {
  std::ifstream in(river_network_path(LIANDONG_PLAN_EXAMPLES));
  ASSERT_TRUE(in) << river_network_path(LIANDONG_PLAN_EXAMPLES);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto n = river::Network::from_geojson(text);
  ASSERT_TRUE(n.is_ok()) << n.status().to_string();
  for (const char* site : {"xz-pingshan", "xz-huidong-huiyang", "xz-mouth", "dj-boluo-up",
                           "dj-yuanzhou", "dj-hui-guan", "dj-jiangbei-intake"})
    EXPECT_NE(n->site(site), nullptr) << site;
}

}  // namespace
}  // namespace liandong::app::demo
