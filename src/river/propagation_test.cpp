#include "river/propagation.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <functional>

#include "river/hydraulics.h"

namespace liandong::river {
namespace {

using std::chrono::seconds;

const core::Timestamp kT0 = *core::parse_rfc3339("2026-05-01T08:00:00+08:00");

Reach make_reach(std::string id, double length, double u, std::string down = "",
                 std::string jurisdiction = "") {
  Reach r;
  r.id = std::move(id);
  r.length_m = length;
  r.velocity_mps = u;
  r.downstream = std::move(down);
  r.jurisdiction = std::move(jurisdiction);
  return r;
}

Site make_site(std::string id, std::string reach, double offset,
               Site::Kind kind = Site::Kind::kSection) {
  Site s;
  s.kind = kind;
  s.id = std::move(id);
  s.reach = std::move(reach);
  s.offset_m = offset;
  return s;
}

Site border(std::string id, std::string reach, double offset, std::string from, std::string to) {
  Site s = make_site(std::move(id), std::move(reach), offset, Site::Kind::kBorder);
  s.from_jurisdiction = std::move(from);
  s.to_jurisdiction = std::move(to);
  return s;
}

Network build(std::vector<Reach> reaches, std::vector<Site> sites) {
  auto n = Network::build(std::move(reaches), std::move(sites));
  EXPECT_TRUE(n.is_ok()) << n.status().to_string();
  return std::move(n).value();
}

const Arrival* find(const Prediction& p, std::string_view id) {
  for (const Arrival& a : p.arrivals)
    if (a.site->id == id) return &a;
  return nullptr;
}

double golden_argmax(const std::function<double(double)>& f, double lo, double hi) {
  const double g = (std::sqrt(5.0) - 1) / 2;
  double a = lo, b = hi;
  while (b - a > 1e-3) {
    double c = b - g * (b - a), d = a + g * (b - a);
    if (f(c) > f(d))
      b = d;
    else
      a = c;
  }
  return (a + b) / 2;
}

// r1: 10 km at 0.5 m/s → r2: 18 km at 1.0 m/s → r3: 7.2 km at 0.4 m/s. Release on r1 at 1,000 m.
//   s0 on r1 at    500 m: upstream of the release, never reached.
//   s1 on r1 at  6,000 m: 5,000 / 0.5                    = 10,000 s =  2 h 46 min 40 s
//   s2 on r2 at  9,000 m: 9,000/0.5 + 9,000/1            = 27,000 s =  7 h 30 min; 18,000 m
//   s3 on r3 at  3,600 m: 18,000 + 18,000 + 3,600/0.4    = 45,000 s = 12 h 30 min; 30,600 m
TEST(Predict, ArrivalTimesOnAThreeReachChain) {
  Network n = build({make_reach("r1", 10000, 0.5, "r2"), make_reach("r2", 18000, 1.0, "r3"),
                     make_reach("r3", 7200, 0.4)},
                    {make_site("s3", "r3", 3600), make_site("s0", "r1", 500),
                     make_site("s2", "r2", 9000), make_site("s1", "r1", 6000)});
  auto p = predict(n, {"r1", 1000, kT0, {}, {}, {}});
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  ASSERT_EQ(p->arrivals.size(), 3u);
  EXPECT_EQ(p->arrivals[0].site->id, "s1");
  EXPECT_EQ(p->arrivals[0].arrival, kT0 + seconds(10000));
  EXPECT_DOUBLE_EQ(p->arrivals[0].distance_m, 5000);
  EXPECT_EQ(p->arrivals[1].site->id, "s2");
  EXPECT_EQ(p->arrivals[1].arrival, kT0 + seconds(27000));
  EXPECT_DOUBLE_EQ(p->arrivals[1].distance_m, 18000);
  EXPECT_EQ(p->arrivals[2].site->id, "s3");
  EXPECT_EQ(p->arrivals[2].arrival, kT0 + seconds(45000));
  EXPECT_DOUBLE_EQ(p->arrivals[2].distance_m, 30600);
  // No mass: arrival times only.
  EXPECT_FALSE(p->arrivals[0].peak_mg_l);
  EXPECT_FALSE(p->arrivals[0].leading_edge);
  EXPECT_TRUE(p->entries.empty());
}

//   t1 (tributary, 8 km at 1 m/s, A = 100 m²) ─┐
//                                              ├─► m1 (12 km at 1 m/s, A = 400 m²) ─► m2 (6 km, 2 m/s)
//   o1 (other tributary, 5 km at 1 m/s)    ────┘
// Release on t1 at 0. o1's site gets nothing; below the confluence the times add:
//   st on t1 at 4,000 m: 4,000 s;  sm on m1 at 2,000 m: 8,000 + 2,000 = 10,000 s;
//   sd on m2 at 3,000 m: 8,000 + 12,000 + 1,500 = 21,500 s.
TEST(Predict, ConfluenceFollowsTheSingleDownstreamChain) {
  Reach t1 = make_reach("t1", 8000, 1, "m1"), m1 = make_reach("m1", 12000, 1, "m2");
  t1.area_m2 = 100;
  m1.area_m2 = 400;
  Network n = build({t1, make_reach("o1", 5000, 1, "m1"), m1, make_reach("m2", 6000, 2)},
                    {make_site("so", "o1", 2500), make_site("st", "t1", 4000),
                     make_site("sm", "m1", 2000), make_site("sd", "m2", 3000)});
  Release r{"t1", 0, kT0, 50.0, 20.0, {}};
  auto p = predict(n, r);
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  EXPECT_EQ(find(*p, "so"), nullptr);
  ASSERT_EQ(p->arrivals.size(), 3u);
  EXPECT_EQ(find(*p, "st")->arrival, kT0 + seconds(4000));
  EXPECT_EQ(find(*p, "sm")->arrival, kT0 + seconds(10000));
  EXPECT_EQ(find(*p, "sd")->arrival, kT0 + seconds(21500));
  EXPECT_DOUBLE_EQ(find(*p, "sd")->distance_m, 23000);
  // t1 and m1 have the same u and D, so in t1 and m1 the cloud is that of one uniform reach; the
  // mass below the confluence is carried by four times the flow (400 m² instead of 100 m²), so the
  // peak is the single-reach solution with A = 400.
  double t_st = ade_peak_time(1, 20, 0, 4000), t_sm = ade_peak_time(1, 20, 0, 10000);
  EXPECT_NEAR(*find(*p, "st")->peak_mg_l, ade_concentration(50, 100, 1, 20, 0, 4000, t_st), 1e-9);
  EXPECT_NEAR(*find(*p, "sm")->peak_mg_l, ade_concentration(50, 400, 1, 20, 0, 10000, t_sm), 1e-9);
  // Without an area on m2 its site gets times but no peak, and the prediction says why.
  EXPECT_TRUE(find(*p, "sd")->leading_edge);
  EXPECT_FALSE(find(*p, "sd")->peak_mg_l);
  ASSERT_EQ(p->warnings.size(), 1u);
  EXPECT_NE(p->warnings[0].find("no cross-section area"), std::string::npos);
  EXPECT_NE(p->warnings[0].find("m2"), std::string::npos);
  // A release on the other tributary reaches only its own site and those below the confluence.
  auto q = predict(n, {"o1", 0, kT0, {}, {}, {}});
  ASSERT_TRUE(q.is_ok());
  ASSERT_EQ(q->arrivals.size(), 3u);
  EXPECT_EQ(q->arrivals[0].site->id, "so");
  EXPECT_EQ(find(*q, "st"), nullptr);
  EXPECT_EQ(find(*q, "sm")->arrival, kT0 + seconds(7000));  // 5,000 + 2,000
}

// One long uniform reach (M = 100 kg, A = 200 m², u = 0.5 m/s, D = 50 m²/s); a section at 36 km.
// Centre at 72,000 s (20 h); the peak is the exact maximum of C(36 km, t): 0.0743901 mg/L at
// 71,800.28 s (hydraulics_test derives both).
TEST(Predict, PeakOnAUniformReachIsTheExactSolution) {
  Reach r = make_reach("r", 100000, 0.5);
  r.area_m2 = 200;
  r.dispersion_m2s = 50;
  Network n = build({r}, {make_site("x36", "r", 36000)});
  auto p = predict(n, {"r", 0, kT0, 100.0, {}, {}});
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  const Arrival& a = p->arrivals.at(0);
  EXPECT_EQ(a.arrival, kT0 + std::chrono::hours(20));
  EXPECT_NEAR(*a.peak_mg_l, 0.0743901, 1e-7);
  EXPECT_EQ(*a.peak_at, kT0 + core::Millis(71800278));
  // Leading edge: centre − 2σ, σ² = 2D·T/u² = 2·50·72000/0.25 = 28,800,000 s², 2σ = 10,733.13 s.
  EXPECT_EQ(*a.leading_edge, kT0 + core::Millis(72000000 - 10733126));
  EXPECT_TRUE(p->warnings.empty());
}

// k = 0.5/day: the decayed peak of hydraulics_test, 0.0491212 mg/L at 71,635.11 s.
TEST(Predict, DecayLowersThePeak) {
  Reach r = make_reach("r", 100000, 0.5);
  r.area_m2 = 200;
  Network n = build({r}, {make_site("x36", "r", 36000)});
  auto p = predict(n, {"r", 0, kT0, 100.0, 50.0, 0.5});
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  EXPECT_NEAR(*p->arrivals[0].peak_mg_l, 0.0491212, 1e-7);
  EXPECT_EQ(*p->arrivals[0].peak_at, kT0 + core::Millis(71635107));
}

// Two reaches of different velocity and dispersion: r1 9 km at 0.5 m/s, D = 50; r2 18 km at 1 m/s,
// D = 100 (A = 300 m²). The variance in travel time grows at 2D/u²: 400 s²/s over r1's 18,000 s,
// then 200 s²/s. At the end of r2 (T = 36,000 s): S = 7,200,000 + 3,600,000 = 10,800,000 s², σ =
// 3,286.335 s, leading edge T − 2σ = 29,427.329 s. The peak is the maximum over t of
//   C(t) = 1000·M/(A·u·sqrt(2π·S(t))) · exp(−(T − t)²/(2·S(t))),
// found here by a plain numeric search.
TEST(Predict, PeakAcrossReachesIsTheMaximumOfTheTravelTimeModel) {
  Reach r1 = make_reach("r1", 9000, 0.5, "r2"), r2 = make_reach("r2", 18000, 1.0);
  r1.dispersion_m2s = 50;
  r2.dispersion_m2s = 100;
  r2.area_m2 = 300;
  Network n = build({r1, r2}, {make_site("end", "r2", 18000)});
  auto p = predict(n, {"r1", 0, kT0, 80.0, {}, {}});
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  const Arrival& a = p->arrivals.at(0);
  EXPECT_EQ(a.arrival, kT0 + seconds(36000));
  EXPECT_EQ(*a.leading_edge, kT0 + core::Millis(29427329));  // 29,427.3293 s
  auto S = [](double t) { return t <= 18000 ? 400 * t : 7.2e6 + 200 * (t - 18000); };
  auto C = [&](double t) {
    return 1000 * 80 / (300 * 1.0 * std::sqrt(2 * M_PI * S(t))) *
           std::exp(-(36000 - t) * (36000 - t) / (2 * S(t)));
  };
  double t = golden_argmax(C, 20000, 50000);
  EXPECT_NEAR(*a.peak_mg_l, C(t), 1e-9);
  EXPECT_NEAR(std::chrono::duration<double>(*a.peak_at - kT0).count(), t, 0.01);
  // Mass check: the passage curve carries the mass, ∫ C·Q dt ≈ M (Q = A·u = 300 m³/s).
  double sum = 0;
  for (double tt = 1; tt < 80000; tt += 1) sum += C(tt);
  EXPECT_NEAR(sum * 300 / 1000, 80, 0.01);
}

// Counties along one chain (all reaches 10 km at 1 m/s, release at r1's top):
//   r1 441302 → r2 441302 (border bA at 4 km: 441302 → 441303) → r3 441303 → r4 441900
//   → r5 441323 (border bB at 1 km: 441900 → 441323) → r6 441302 (back into the origin county).
// Entries: 441303 at bA (14,000 s, 14 km); 441900 at r4's top, implied (30,000 s, 30 km); 441323 at
// bB (41,000 s): the explicit border wins over r5's implied one at 40,000 s; 441302 is where the
// release happened, so it is never "entered".
TEST(Predict, JurisdictionEntries) {
  Network n = build(
      {make_reach("r1", 10000, 1, "r2", "441302"), make_reach("r2", 10000, 1, "r3", "441302"),
       make_reach("r3", 10000, 1, "r4", "441303"), make_reach("r4", 10000, 1, "r5", "441900"),
       make_reach("r5", 10000, 1, "r6", "441323"), make_reach("r6", 5000, 1, "", "441302")},
      {border("bA", "r2", 4000, "441302", "441303"), border("bB", "r5", 1000, "441900", "441323"),
       make_site("intake", "r6", 2000, Site::Kind::kIntake)});
  auto p = predict(n, {"r1", 0, kT0, {}, {}, {}});
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  ASSERT_EQ(p->entries.size(), 3u);
  const Entry& e0 = p->entries[0];
  EXPECT_EQ(e0.jurisdiction, "441303");
  EXPECT_EQ(e0.from_jurisdiction, "441302");
  EXPECT_EQ(e0.at, kT0 + seconds(14000));
  EXPECT_EQ(e0.reach, "r2");
  EXPECT_EQ(e0.border_site, "bA");
  EXPECT_DOUBLE_EQ(e0.distance_m, 14000);
  const Entry& e1 = p->entries[1];
  EXPECT_EQ(e1.jurisdiction, "441900");
  EXPECT_EQ(e1.from_jurisdiction, "441303");
  EXPECT_EQ(e1.at, kT0 + seconds(30000));
  EXPECT_EQ(e1.reach, "r4");
  EXPECT_EQ(e1.border_site, "");
  const Entry& e2 = p->entries[2];
  EXPECT_EQ(e2.jurisdiction, "441323");
  EXPECT_EQ(e2.from_jurisdiction, "441900");
  EXPECT_EQ(e2.at, kT0 + seconds(41000));
  EXPECT_EQ(e2.border_site, "bB");
  // Border sites are arrivals too; the intake at 52 km.
  ASSERT_EQ(p->arrivals.size(), 3u);
  EXPECT_EQ(find(*p, "intake")->arrival, kT0 + seconds(52000));

  // Released just below bA, on r2 at 5 km: the origin is 441303; 441900 at 15,000 s, 441323 at bB
  // (26,000 s), and 441302 at r6's top (35,000 s), which is not the origin this time.
  auto q = predict(n, {"r2", 5000, kT0, {}, {}, {}});
  ASSERT_TRUE(q.is_ok());
  ASSERT_EQ(q->entries.size(), 3u);
  EXPECT_EQ(q->entries[0].jurisdiction, "441900");
  EXPECT_EQ(q->entries[0].at, kT0 + seconds(15000));
  EXPECT_EQ(q->entries[1].at, kT0 + seconds(26000));
  EXPECT_EQ(q->entries[2].jurisdiction, "441302");
  EXPECT_EQ(q->entries[2].at, kT0 + seconds(35000));  // 5,000 + 3 · 10,000
}

TEST(Predict, FromSiteStartsAtTheSection) {
  Reach r = make_reach("r", 20000, 0.5);
  r.area_m2 = 100;
  Network n = build({r}, {make_site("a", "r", 2000), make_site("b", "r", 8000)});
  Release rel = from_site(*n.site("a"), kT0);
  EXPECT_EQ(rel.reach, "r");
  EXPECT_EQ(rel.offset_m, 2000);
  EXPECT_FALSE(rel.mass_kg);
  rel.mass_kg = 10;
  auto p = predict(n, rel);
  ASSERT_TRUE(p.is_ok());
  ASSERT_EQ(p->arrivals.size(), 2u);
  // The section itself, at distance 0: there now, but no peak (the solution is singular there).
  EXPECT_EQ(p->arrivals[0].site->id, "a");
  EXPECT_EQ(p->arrivals[0].arrival, kT0);
  EXPECT_FALSE(p->arrivals[0].peak_mg_l);
  EXPECT_EQ(p->arrivals[1].arrival, kT0 + seconds(12000));  // 6,000 m / 0.5 m/s
  EXPECT_TRUE(p->arrivals[1].peak_mg_l);
  // No dispersion given or estimable: the default with a warning naming the reach.
  ASSERT_EQ(p->warnings.size(), 1u);
  EXPECT_NE(p->warnings[0].find("reach r: used the default 50 m²/s"), std::string::npos);
}

TEST(Predict, FischerEstimateIsUsedWhenGeometryIsKnown) {
  // u = 0.5, B = 100, h = 4, S = 0.0002 → D = 77.6056 m²/s (hydraulics_test); A = B·h = 400 m².
  Reach r = make_reach("r", 50000, 0.5);
  r.width_m = 100;
  r.depth_m = 4;
  r.slope = 0.0002;
  Network n = build({r}, {make_site("s", "r", 30000)});
  auto p = predict(n, {"r", 0, kT0, 100.0, {}, {}});
  ASSERT_TRUE(p.is_ok());
  EXPECT_TRUE(p->warnings.empty());
  double d = fischer_dispersion(0.5, 100, 4, 0.0002);
  EXPECT_NEAR(*p->arrivals[0].peak_mg_l,
              ade_concentration(100, 400, 0.5, d, 0, 30000, ade_peak_time(0.5, d, 0, 30000)),
              1e-12);
}

TEST(Predict, BadReleasesAreRefused) {
  Network n = build({make_reach("r", 1000, 1)}, {});
  EXPECT_EQ(predict(n, {"nope", 0, kT0, {}, {}, {}}).status().code(), core::Code::kNotFound);
  EXPECT_EQ(predict(n, {"r", std::nan(""), kT0, {}, {}, {}}).status().field(), "offset_m");
  EXPECT_EQ(predict(n, {"r", 1000.1, kT0, {}, {}, {}}).status().field(), "offset_m");
  EXPECT_EQ(predict(n, {"r", 0, kT0, -1.0, {}, {}}).status().field(), "mass_kg");
  EXPECT_EQ(predict(n, {"r", 0, kT0, INFINITY, {}, {}}).status().field(), "mass_kg");
  EXPECT_EQ(predict(n, {"r", 0, kT0, 1.0, 0.0, {}}).status().field(), "dispersion_m2s");
  EXPECT_EQ(predict(n, {"r", 0, kT0, 1.0, 1e300, {}}).status().field(), "dispersion_m2s");
  EXPECT_EQ(predict(n, {"r", 0, kT0, 1.0, {}, -0.1}).status().field(), "decay_per_day");
}

// 100,000 reaches of 1 km at 1 m/s in one chain with a section in the middle of every 10th: the
// last section (reach 99,990, at 500 m) is reached after 99,990 km + 500 m = 99,990,500 s.
TEST(Predict, HundredThousandReachesInOneWalk) {
  std::vector<Reach> reaches;
  std::vector<Site> sites;
  for (int i = 0; i < 100000; ++i) {
    Reach r = make_reach("r" + std::to_string(i), 1000, 1,
                         i + 1 < 100000 ? "r" + std::to_string(i + 1) : "");
    r.area_m2 = 100;
    r.dispersion_m2s = 10;
    reaches.push_back(std::move(r));
    if (i % 10 == 0) sites.push_back(make_site("s" + std::to_string(i), reaches.back().id, 500));
  }
  Network n = build(std::move(reaches), std::move(sites));
  auto p = predict(n, {"r0", 0, kT0, 1.0, {}, {}});
  ASSERT_TRUE(p.is_ok());
  ASSERT_EQ(p->arrivals.size(), 10000u);
  EXPECT_EQ(p->arrivals.back().arrival, kT0 + seconds(99990500));
  // A uniform chain is one uniform reach: the single-reach solution at 99,990.5 km.
  double x = 99990500, t = ade_peak_time(1, 10, 0, x);
  EXPECT_NEAR(*p->arrivals.back().peak_mg_l, ade_concentration(1, 100, 1, 10, 0, x, t), 1e-12);
}

TEST(Predict, JsonForm) {
  Network n =
      build({make_reach("r1", 1000, 1, "r2", "441302"), make_reach("r2", 1000, 1, "", "441900")},
            {make_site("s", "r2", 500)});
  auto p = predict(n, {"r1", 0, kT0, {}, {}, {}});
  ASSERT_TRUE(p.is_ok());
  auto j = to_json(*p);
  EXPECT_EQ(j["arrivals"][0]["site"], "s");
  EXPECT_EQ(j["arrivals"][0]["kind"], "section");
  EXPECT_EQ(j["arrivals"][0]["arrival"], "2026-05-01T00:25:00.000Z");
  EXPECT_EQ(j["entries"][0]["jurisdiction"], "441900");
  EXPECT_EQ(j["entries"][0]["at"], "2026-05-01T00:16:40.000Z");
  EXPECT_FALSE(j["entries"][0].contains("border_site"));
}

}  // namespace
}  // namespace liandong::river
