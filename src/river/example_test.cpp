// docs/examples/river_dongjiang.geojson parses and gives a sane prediction.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "river/propagation.h"

namespace liandong::river {
namespace {

Network load_example() {
  std::ifstream in(LIANDONG_RIVER_EXAMPLE);
  std::stringstream text;
  text << in.rdbuf();
  auto n = Network::from_geojson(text.str());
  EXPECT_TRUE(n.is_ok()) << n.status().to_string();
  return n.is_ok() ? std::move(n).value() : Network();
}

TEST(Example, Parses) {
  Network n = load_example();
  EXPECT_EQ(n.reaches().size(), 8u);
  EXPECT_EQ(n.sites().size(), 9u);
  // The border without offset_m is projected near the lower end of xz1 (23.9 km long).
  const Site* b = n.site("xz-huidong-huiyang");
  ASSERT_NE(b, nullptr);
  EXPECT_GT(b->offset_m, 23000);
  EXPECT_LE(b->offset_m, 23900);
  // Velocity from flow / (width · depth): 120 / (110 · 3.2) = 0.3409 m/s.
  EXPECT_NEAR(n.velocity(*n.reach_index("xz2")), 120.0 / 352, 1e-12);
}

// A spill of 500 kg at the 平山 section of the Xizhi River (xz1 at 6 km).
TEST(Example, SpillOnTheTributaryReachesDongguan) {
  Network n = load_example();
  const core::Timestamp t0 = *core::parse_rfc3339("2026-05-01T08:00:00+08:00");
  Release r = from_site(*n.site("xz-pingshan"), t0);
  r.mass_kg = 500;
  auto p = predict(n, r);
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  EXPECT_TRUE(p->warnings.empty());  // every reach has a dispersion or width, depth and slope
  // Every site from the spill down: all but the one on the main stem above the confluence.
  ASSERT_EQ(p->arrivals.size(), 8u);
  EXPECT_EQ(p->arrivals.front().site->id, "xz-pingshan");
  EXPECT_EQ(p->arrivals.back().site->id, "dj-dongguan-intake");
  for (const Arrival& a : p->arrivals) {
    EXPECT_NE(a.site->reach, "dj1");
    EXPECT_NE(a.site->reach, "dj2");
  }
  // Travel to the Dongguan intake: (23,900 − 6,000 + 18,200 + 13,200) m at 0.34091 m/s on the Xizhi
  // (120 / (110·3.2)), then (17,200 + 28,500 + 9,000) m at 0.45179 m/s (820 / (330·5.5)): 144,613.3
  // + 121,073.8 = 265,687.1 s (about 3 days 2 h).
  double expected = 49300 / (120.0 / 352) + 54700 / (820.0 / 1815);
  EXPECT_NEAR(std::chrono::duration<double>(p->arrivals.back().arrival - t0).count(), expected,
              0.001);
  EXPECT_NEAR(p->arrivals.back().distance_m, 49300 + 54700, 1e-6);
  // Peaks fall downstream: the cloud spreads and the main stem carries more water.
  double previous = 1e300;
  for (size_t i = 1; i < p->arrivals.size(); ++i) {
    ASSERT_TRUE(p->arrivals[i].peak_mg_l) << p->arrivals[i].site->id;
    EXPECT_LT(*p->arrivals[i].peak_mg_l, previous) << p->arrivals[i].site->id;
    EXPECT_LE(*p->arrivals[i].leading_edge, p->arrivals[i].arrival);
    previous = *p->arrivals[i].peak_mg_l;
  }
  // Counties entered: 惠阳 at the explicit border, 惠城 at the junction xz2 → xz3, 博罗 at dj3 →
  // dj4, 东莞 at the 惠莞 border section.
  ASSERT_EQ(p->entries.size(), 4u);
  EXPECT_EQ(p->entries[0].jurisdiction, "441303");
  EXPECT_EQ(p->entries[0].border_site, "xz-huidong-huiyang");
  EXPECT_EQ(p->entries[1].jurisdiction, "441302");
  EXPECT_EQ(p->entries[1].reach, "xz3");
  EXPECT_EQ(p->entries[2].jurisdiction, "441322");
  EXPECT_EQ(p->entries[2].reach, "dj4");
  EXPECT_EQ(p->entries[3].jurisdiction, "441900");
  EXPECT_EQ(p->entries[3].border_site, "dj-hui-guan");
  EXPECT_EQ(p->entries[3].from_jurisdiction, "441322");
}

}  // namespace
}  // namespace liandong::river
