#include "dispatch/interval_summary.h"

#include <gtest/gtest.h>

#include <cmath>

namespace liandong::dispatch {
namespace {

using core::Millis;

TEST(Percentile, NearestRank) {
  const std::vector<int64_t> ten = {10, 1, 9, 2, 8, 3, 7, 4, 6, 5};
  EXPECT_EQ(percentile(ten, 50), 5);
  EXPECT_EQ(percentile(ten, 90), 9);
  EXPECT_EQ(percentile(ten, 70), 7);  // not 8: 70 × 10 / 100 is exactly 7
  EXPECT_EQ(percentile(ten, 91), 10);
  EXPECT_EQ(percentile(ten, 100), 10);
  EXPECT_EQ(percentile(ten, 0), 1);
  EXPECT_EQ(percentile(ten, -5), 1);
  EXPECT_EQ(percentile(ten, 250), 10);
  EXPECT_EQ(percentile({42}, 90), 42);
  EXPECT_EQ(percentile({}, 90), std::nullopt);
  EXPECT_EQ(percentile(ten, std::nan("")), std::nullopt);
  // Every whole percentile of 1..n is its nearest rank (no floating-point drift).
  for (int64_t n = 1; n <= 200; ++n) {
    std::vector<int64_t> v;
    for (int64_t i = 1; i <= n; ++i) v.push_back(i);
    for (int p = 1; p <= 100; ++p) {
      const int64_t rank = (p * n + 99) / 100;
      ASSERT_EQ(percentile(v, p), rank) << "n=" << n << " p=" << p;
    }
  }
}

UnitIntervals u(std::string id, std::string type, std::string agency, std::optional<int> dispatch,
                std::optional<int> turnout, std::optional<int> travel, std::optional<int> arrival,
                bool recalled = false) {
  auto ms = [](std::optional<int> s) -> std::optional<Millis> {
    if (!s) return std::nullopt;
    return Millis(*s * 1000);
  };
  return {id, type, agency, ms(dispatch), ms(turnout), ms(travel), ms(arrival), recalled};
}

const Summary& find(const std::vector<Summary>& v, const std::string& name) {
  for (const Summary& s : v) {
    if (s.interval == name) return s;
  }
  throw std::logic_error("no summary " + name);
}

std::vector<IncidentIntervals> two_incidents() {
  return {
      first_of({u("E1", "engine", "fire", 50, 60, 240, 350),
                u("A1", "ambulance", "ems", 40, 50, 310, 400),
                u("P1", "patrol", "police", 70, 20, 100, 190)}),
      first_of({u("E2", "engine", "fire", 70, 90, 200, 360),
                u("L1", "ladder", "fire", 60, 100, std::nullopt, std::nullopt, true),
                u("A2", "ambulance", "ems", 80, 70, 150, 300)}),
  };
}

TEST(Summary, AllAgencies) {
  const std::vector<IncidentIntervals> incidents = two_incidents();
  const std::vector<Summary> s = summarize(incidents);
  ASSERT_EQ(s.size(), 8u);
  const char* order[] = {"call_processing",     "turnout_medical", "turnout_fire", "turnout_other",
                         "travel_first_engine", "travel_first",    "travel",       "total"};
  for (size_t i = 0; i < 8; ++i) EXPECT_EQ(s[i].interval, order[i]);

  // Call processing: 40 s and 60 s (the recalled ladder counts).
  const Summary& cp = s[0];
  EXPECT_EQ(cp.count, 2u);
  EXPECT_EQ(cp.p50, Millis(40000));
  EXPECT_EQ(cp.at_percentile, Millis(60000));
  EXPECT_EQ(cp.target, Millis(64000));
  EXPECT_EQ(cp.share_within_target, 1.0);
  EXPECT_EQ(cp.meets_target, true);

  // Medical turnout 50 s, 70 s against 60 s.
  const Summary& tm = find(s, "turnout_medical");
  EXPECT_EQ(tm.count, 2u);
  EXPECT_EQ(tm.at_percentile, Millis(70000));
  EXPECT_EQ(tm.share_within_target, 0.5);
  EXPECT_EQ(tm.meets_target, false);

  // Fire turnout 60 s, 90 s (the recalled ladder does not count) against 80 s.
  const Summary& tf = find(s, "turnout_fire");
  EXPECT_EQ(tf.count, 2u);
  EXPECT_EQ(tf.p50, Millis(60000));
  EXPECT_EQ(tf.meets_target, false);

  const Summary& to = find(s, "turnout_other");
  EXPECT_EQ(to.count, 1u);
  EXPECT_EQ(to.target, std::nullopt);
  EXPECT_EQ(to.share_within_target, std::nullopt);
  EXPECT_EQ(to.meets_target, std::nullopt);

  // First engines: 240 s and 200 s against 240 s (inclusive).
  const Summary& fe = find(s, "travel_first_engine");
  EXPECT_EQ(fe.count, 2u);
  EXPECT_EQ(fe.at_percentile, Millis(240000));
  EXPECT_EQ(fe.meets_target, true);

  // First arrivals: P1 (100 s) and A2 (150 s).
  const Summary& tfirst = find(s, "travel_first");
  EXPECT_EQ(tfirst.p50, Millis(100000));
  EXPECT_EQ(tfirst.at_percentile, Millis(150000));

  EXPECT_EQ(find(s, "travel").count, 5u);
  const Summary& total = find(s, "total");
  EXPECT_EQ(total.p50, Millis(190000));
  EXPECT_EQ(total.at_percentile, Millis(300000));
  EXPECT_EQ(total.target, std::nullopt);
}

TEST(Summary, ByAgency) {
  const std::vector<IncidentIntervals> incidents = two_incidents();
  const std::vector<AgencySummary> by = summarize_by_agency(incidents);
  ASSERT_EQ(by.size(), 3u);
  EXPECT_EQ(by[0].agency_id, "ems");
  EXPECT_EQ(by[1].agency_id, "fire");
  EXPECT_EQ(by[2].agency_id, "police");

  // Fire's call processing: its own first dispatch, 50 s and 60 s (the recalled ladder).
  const Summary& cp = find(by[1].intervals, "call_processing");
  EXPECT_EQ(cp.count, 2u);
  EXPECT_EQ(cp.p50, Millis(50000));
  EXPECT_EQ(cp.at_percentile, Millis(60000));
  // Fire's total: its own first arrivals, 350 s and 360 s.
  const Summary& total = find(by[1].intervals, "total");
  EXPECT_EQ(total.p50, Millis(350000));
  EXPECT_EQ(total.at_percentile, Millis(360000));
  EXPECT_EQ(find(by[1].intervals, "turnout_medical").count, 0u);
  EXPECT_EQ(find(by[1].intervals, "turnout_medical").p50, std::nullopt);
  EXPECT_EQ(find(by[1].intervals, "turnout_medical").meets_target, std::nullopt);

  const Summary& ems = find(by[0].intervals, "turnout_medical");
  EXPECT_EQ(ems.count, 2u);
  EXPECT_EQ(find(by[0].intervals, "travel_first_engine").count, 0u);
  EXPECT_EQ(find(by[2].intervals, "call_processing").p50, Millis(70000));
}

TEST(Summary, TargetsAndPercentileAreTheCallers) {
  const std::vector<IncidentIntervals> incidents = two_incidents();
  Targets t;
  t.turnout_medical = Millis(70000);
  t.percentile = 50;
  const std::vector<Summary> s = summarize(incidents, t);
  const Summary& tm = find(s, "turnout_medical");
  EXPECT_EQ(tm.at_percentile, Millis(50000));
  EXPECT_EQ(tm.share_within_target, 1.0);
  EXPECT_EQ(tm.meets_target, true);
}

TEST(Summary, Empty) {
  const std::vector<Summary> s = summarize({});
  ASSERT_EQ(s.size(), 8u);
  for (const Summary& x : s) {
    EXPECT_EQ(x.count, 0u);
    EXPECT_EQ(x.p50, std::nullopt);
    EXPECT_EQ(x.share_within_target, std::nullopt);
  }
  EXPECT_TRUE(summarize_by_agency({}).empty());
}

}  // namespace
}  // namespace liandong::dispatch
