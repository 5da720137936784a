#include "geofence/tracker.h"

#include <gtest/gtest.h>

#include <limits>

namespace liandong::geofence {
namespace {

using core::LonLat;
using core::Millis;

const core::Timestamp T0 = core::from_unix_millis(1'800'000'000'000);
core::Timestamp at_s(double s) { return T0 + Millis(int64_t(s * 1000)); }

Polygon square(double x0, double x1) { return {{{x0, 0}, {x1, 0}, {x1, 1}, {x0, 1}}, {}}; }

FenceIndex world() {
  std::vector<Fence> f(6);
  f[0] = {"a", "A", "restricted_zone", square(0, 1), {.on_enter = true, .on_exit = true}, {}};
  f[1] = {"dwell", "", "restricted_zone", square(2, 3), {.dwell = Millis(60'000)}, {}};
  f[2] = {"speed", "", "water_source_protection", square(4, 5), {.speed_above_kmh = 50.0}, {}};
  f[3] = {"vessels", "", "restricted_zone", square(0, 1), {.on_enter = true}, {"vessel", "barge"}};
  f[4] = {"silent", "", "restricted_zone", square(0, 1), {}, {}};  // no rule: never reported
  f[5] = {"b", "", "restricted_zone", square(1, 2), {.on_enter = true, .on_exit = true}, {}};
  auto idx = FenceIndex::build(std::move(f));
  EXPECT_TRUE(idx.is_ok()) << idx.status().to_string();
  return std::move(idx).value();
}

Fix fix(uint32_t obj, double s, LonLat p, std::optional<double> kmh = std::nullopt) {
  return {obj, at_s(s), p, kmh};
}

TEST(Tracker, HitKindNames) {
  EXPECT_STREQ(hit_kind_name(HitKind::kEnter), "enter");
  EXPECT_STREQ(hit_kind_name(HitKind::kExit), "exit");
  EXPECT_STREQ(hit_kind_name(HitKind::kDwell), "dwell");
  EXPECT_STREQ(hit_kind_name(HitKind::kSpeed), "speed");
}

TEST(Tracker, EnterThenExitWithStayDuration) {
  auto idx = world();
  Tracker t(idx);
  uint32_t truck = t.add_object("hazmat_vehicle");
  std::vector<Hit> out;
  t.observe(fix(truck, 0, {-0.5, 0.5}), out);
  EXPECT_TRUE(out.empty());
  t.observe(fix(truck, 10, {0.5, 0.5}), out);
  t.observe(fix(truck, 20, {0.6, 0.5}), out);
  t.observe(fix(truck, 30, {0.5, 1.5}), out);
  std::vector<Hit> want{{HitKind::kEnter, truck, 0, at_s(10), 0},
                        {HitKind::kExit, truck, 0, at_s(30), 20}};
  EXPECT_EQ(out, want);
}

TEST(Tracker, FirstFixInsideCountsAsEnter) {
  auto idx = world();
  Tracker t(idx);
  uint32_t truck = t.add_object("hazmat_vehicle");
  std::vector<Hit> out;
  t.observe(fix(truck, 5, {0.5, 0.5}), out);
  EXPECT_EQ(out, (std::vector<Hit>{{HitKind::kEnter, truck, 0, at_s(5), 0}}));
}

TEST(Tracker, ObjectKindsFilter) {
  auto idx = world();
  Tracker t(idx);
  uint32_t truck = t.add_object("hazmat_vehicle");
  uint32_t boat = t.add_object("vessel");
  uint32_t other = t.add_object("");  // a kind no fence names: only the fences for every kind
  EXPECT_EQ(boat, 1u);
  std::vector<Hit> out;
  t.observe(fix(boat, 1, {0.5, 0.5}), out);
  t.observe(fix(truck, 2, {0.5, 0.5}), out);
  t.observe(fix(other, 3, {0.5, 0.5}), out);
  std::vector<Hit> want{{HitKind::kEnter, boat, 0, at_s(1), 0},
                        {HitKind::kEnter, boat, 3, at_s(1), 0},
                        {HitKind::kEnter, truck, 0, at_s(2), 0},
                        {HitKind::kEnter, other, 0, at_s(3), 0}};
  EXPECT_EQ(out, want);
}

TEST(Tracker, ExitsBeforeEntersAndSharedBoundaryIsInBoth) {
  auto idx = world();
  Tracker t(idx);
  uint32_t o = t.add_object("car");
  std::vector<Hit> out;
  t.observe(fix(o, 0, {0.5, 0.5}), out);  // enter a
  t.observe(fix(o, 1, {1.0, 0.5}),
            out);                         // on the shared edge: in a and b → enter b
  t.observe(fix(o, 2, {1.5, 0.5}), out);  // exit a
  t.observe(fix(o, 3, {0.5, 0.5}), out);  // exit b, enter a: exit listed first
  std::vector<Hit> want{{HitKind::kEnter, o, 0, at_s(0), 0},
                        {HitKind::kEnter, o, 5, at_s(1), 0},
                        {HitKind::kExit, o, 0, at_s(2), 2},
                        {HitKind::kExit, o, 5, at_s(3), 2},
                        {HitKind::kEnter, o, 0, at_s(3), 0}};
  EXPECT_EQ(out, want);
}

TEST(Tracker, DwellFiresOnceAStayStrictlyAfterT) {
  auto idx = world();
  Tracker t(idx);
  uint32_t o = t.add_object("car");
  std::vector<Hit> out;
  t.observe(fix(o, 0, {2.5, 0.5}), out);
  t.observe(fix(o, 60, {2.5, 0.5}), out);  // exactly T: not longer than T
  EXPECT_TRUE(out.empty());
  t.observe(fix(o, 61, {2.5, 0.6}), out);
  t.observe(fix(o, 120, {2.5, 0.6}), out);  // once a stay
  EXPECT_EQ(out, (std::vector<Hit>{{HitKind::kDwell, o, 1, at_s(61), 61}}));
  out.clear();
  t.observe(fix(o, 130, {3.5, 0.5}),
            out);  // leaves (no exit rule), comes back: a new stay
  t.observe(fix(o, 140, {2.5, 0.5}), out);
  t.check_dwell(at_s(199), out);  // 59 s
  EXPECT_TRUE(out.empty());
  t.check_dwell(at_s(200.5), out);
  t.check_dwell(at_s(300), out);
  EXPECT_EQ(out, (std::vector<Hit>{{HitKind::kDwell, o, 1, at_s(200.5), 60.5}}));
}

TEST(Tracker, CheckDwellCoversEveryObject) {
  auto idx = world();
  Tracker t(idx);
  uint32_t a = t.add_object("car"), b = t.add_object("car"), c = t.add_object("car");
  std::vector<Hit> out;
  t.observe(fix(a, 0, {2.5, 0.5}), out);
  t.observe(fix(b, 30, {2.2, 0.5}), out);
  t.observe(fix(c, 0, {0.5, 0.5}), out);  // in "a" (no dwell rule)
  out.clear();
  t.check_dwell(at_s(80), out);
  EXPECT_EQ(out, (std::vector<Hit>{{HitKind::kDwell, a, 1, at_s(80), 80}}));
  out.clear();
  t.check_dwell(at_s(95), out);
  EXPECT_EQ(out, (std::vector<Hit>{{HitKind::kDwell, b, 1, at_s(95), 65}}));
}

TEST(Tracker, SpeedFiresAgainOnlyAfterSlowingToTheLimit) {
  auto idx = world();
  Tracker t(idx);
  uint32_t o = t.add_object("car");
  std::vector<Hit> out;
  t.observe(fix(o, 0, {4.5, 0.5}, 40), out);
  t.observe(fix(o, 1, {4.5, 0.5}, 60), out);  // fires
  t.observe(fix(o, 2, {4.5, 0.5}, 70), out);  // still fast: no repeat
  t.observe(fix(o, 3, {4.5, 0.5}, 50),
            out);                             // at the limit: re-armed (limit is "above V")
  t.observe(fix(o, 4, {4.5, 0.5}, 55), out);  // fires again
  t.observe(fix(o, 5, {5.5, 0.5}, 90), out);  // outside: nothing
  t.observe(fix(o, 6, {4.5, 0.5}, 80), out);  // entering fast: fires
  std::vector<Hit> want{{HitKind::kSpeed, o, 2, at_s(1), 60},
                        {HitKind::kSpeed, o, 2, at_s(4), 55},
                        {HitKind::kSpeed, o, 2, at_s(6), 80}};
  EXPECT_EQ(out, want);
}

TEST(Tracker, SpeedComputedFromThePreviousFixWhenAbsent) {
  auto idx = world();
  Tracker t(idx);
  uint32_t o = t.add_object("car");
  std::vector<Hit> out;
  t.observe(fix(o, 0, {4.5, 0.0}), out);  // first fix, no speed known: nothing
  t.observe(fix(o, 36, {4.51, 0.0}),
            out);  // 0.01° of the equator = 1111.95 m in 36 s
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, HitKind::kSpeed);
  EXPECT_NEAR(out[0].value, 111.195,
              0.001);  // 6371008.8 m · 0.01 · π/180 / 36 s · 3.6
}

TEST(Tracker, StaleAndInvalidFixesAreIgnoredAndCounted) {
  auto idx = world();
  Tracker t(idx);
  uint32_t o = t.add_object("car");
  std::vector<Hit> out;
  t.observe(fix(o, 10, {0.5, 0.5}), out);
  out.clear();
  t.observe(fix(o, 5, {-1, -1}), out);   // older: ignored, no exit
  t.observe(fix(o, 10, {-1, -1}), out);  // not newer: ignored
  t.observe(fix(7, 20, {-1, -1}), out);  // unknown object
  t.observe(fix(o, 20, {std::numeric_limits<double>::quiet_NaN(), 0}), out);
  t.observe(fix(o, 20, {0, 91}), out);
  t.observe(fix(o, 20, {0.5, 0.5}, -3), out);
  t.observe(fix(o, 20, {0.5, 0.5}, std::numeric_limits<double>::infinity()), out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(t.stats().fixes, 1u);
  EXPECT_EQ(t.stats().stale, 2u);
  EXPECT_EQ(t.stats().invalid, 5u);
  t.observe(fix(o, 11, {-1, -1}), out);  // newer than 10: applied, exits
  EXPECT_EQ(out, (std::vector<Hit>{{HitKind::kExit, o, 0, at_s(11), 1}}));
}

TEST(Tracker, ManyOverlappingFencesSpillAndStaySorted) {
  std::vector<Fence> fs;
  for (int i = 0; i < 7; ++i)
    fs.push_back({"n" + std::to_string(i),
                  "",
                  "zone",
                  square(-1.0 - i, 1.0 + i),
                  {.on_enter = true, .on_exit = true},
                  {}});
  auto idx = FenceIndex::build(fs);
  ASSERT_TRUE(idx.is_ok());
  Tracker t(*idx);
  uint32_t o = t.add_object("car");
  std::vector<Hit> out;
  t.observe(fix(o, 0, {0, 0.5}), out);  // in all 7
  ASSERT_EQ(out.size(), 7u);
  for (uint32_t i = 0; i < 7; ++i) EXPECT_EQ(out[i], (Hit{HitKind::kEnter, o, i, at_s(0), 0}));
  out.clear();
  t.observe(fix(o, 1, {3.5, 0.5}),
            out);  // leaves n0..n2 (x0..x1 = -1..1, -2..2, -3..3)
  std::vector<Hit> want{{HitKind::kExit, o, 0, at_s(1), 1},
                        {HitKind::kExit, o, 1, at_s(1), 1},
                        {HitKind::kExit, o, 2, at_s(1), 1}};
  EXPECT_EQ(out, want);
  out.clear();
  t.observe(fix(o, 2, {100, 0.5}), out);  // leaves the rest
  EXPECT_EQ(out.size(), 4u);
  out.clear();
  t.observe(fix(o, 3, {0, 0.5}), out);  // back in all 7 (spilled storage reused)
  EXPECT_EQ(out.size(), 7u);
}

}  // namespace
}  // namespace liandong::geofence
