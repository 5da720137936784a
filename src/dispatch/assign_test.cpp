#include "dispatch/assign.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <random>
#include <tuple>

#include "dispatch/internal/assignment_solver.h"

namespace liandong::dispatch {
namespace {

constexpr uint64_t kA = 1, kB = 2, kC = 4;

std::vector<uint32_t> units(const std::vector<Candidate>& v) {
  std::vector<uint32_t> out;
  for (const Candidate& c : v) out.push_back(c.unit);
  return out;
}

TEST(Assign, IndependentSlotsTakeTheNearest) {
  const std::vector<uint32_t> counts = {2, 1};
  const std::vector<Candidate> cands = {
      {1, 300, kA}, {2, 100, kA}, {3, 200, kA}, {4, 500, kB}, {5, 400, kB}};
  const Assignment a = assign(counts, cands);
  EXPECT_EQ(units(a.chosen[0]), (std::vector<uint32_t>{2, 3}));
  EXPECT_EQ(units(a.chosen[1]), (std::vector<uint32_t>{5}));
  EXPECT_EQ(a.unfilled, (std::vector<uint32_t>{0, 0}));
  EXPECT_EQ(a.total_eta_ms, 100u + 200 + 400);
  EXPECT_EQ(units(a.alternatives[0]), (std::vector<uint32_t>{1}));
  EXPECT_EQ(units(a.alternatives[1]), (std::vector<uint32_t>{4}));
  EXPECT_EQ(a.filled(), 3u);
  EXPECT_EQ(a.total_unfilled(), 0u);
}

// Slot A: any engine; slot B: an engine with foam. The nearest engine (1) has foam. Filling the
// slots in order would send it to A and leave B to the far foam engine (3): 100 + 900. The optimum
// sends the plain engine (2) to A: 200 + 100.
TEST(Assign, OverlappingSlotsBeatGreedyOnCost) {
  const std::vector<uint32_t> counts = {1, 1};
  const std::vector<Candidate> cands = {{1, 100, kA | kB}, {2, 200, kA}, {3, 900, kA | kB}};
  const Assignment a = assign(counts, cands);
  EXPECT_EQ(units(a.chosen[0]), (std::vector<uint32_t>{2}));
  EXPECT_EQ(units(a.chosen[1]), (std::vector<uint32_t>{1}));
  EXPECT_EQ(a.total_eta_ms, 300u);
  EXPECT_EQ(units(a.alternatives[0]), (std::vector<uint32_t>{3}));
  EXPECT_EQ(units(a.alternatives[1]), (std::vector<uint32_t>{3}));
}

// Slot A: foam engine; slot B: any engine; only one foam engine, and it is the nearest. Filling B
// first with the nearest would leave A empty; the maximum fills both.
TEST(Assign, OverlappingSlotsBeatGreedyOnCardinality) {
  const std::vector<uint32_t> counts = {1, 1};
  const std::vector<Candidate> cands = {{1, 100, kA | kB}, {2, 5000, kB}};
  const Assignment a = assign(counts, cands);
  EXPECT_EQ(units(a.chosen[0]), (std::vector<uint32_t>{1}));
  EXPECT_EQ(units(a.chosen[1]), (std::vector<uint32_t>{2}));
  EXPECT_EQ(a.total_unfilled(), 0u);
  EXPECT_EQ(a.total_eta_ms, 5100u);
}

// The cheaper of the two ways is taken even when the foam engine is not the nearest.
TEST(Assign, FoamEngineGoesWhereItIsCheapest) {
  const std::vector<uint32_t> counts = {1, 1};  // A: foam, B: any engine
  const std::vector<Candidate> cands = {{1, 100, kB}, {2, 150, kA | kB}, {3, 120, kB}};
  const Assignment a = assign(counts, cands);
  EXPECT_EQ(units(a.chosen[0]), (std::vector<uint32_t>{2}));
  EXPECT_EQ(units(a.chosen[1]), (std::vector<uint32_t>{1}));
  EXPECT_EQ(a.total_eta_ms, 250u);
}

TEST(Assign, TiesGoToTheLowerUnitId) {
  const std::vector<uint32_t> counts = {1};
  std::vector<Candidate> cands = {{9, 100, kA}, {4, 100, kA}, {7, 100, kA}};
  Assignment a = assign(counts, cands);
  EXPECT_EQ(units(a.chosen[0]), (std::vector<uint32_t>{4}));
  EXPECT_EQ(units(a.alternatives[0]), (std::vector<uint32_t>{7, 9}));
  std::reverse(cands.begin(), cands.end());
  EXPECT_EQ(assign(counts, cands), a);

  // Same with overlapping slots (the flow solver).
  const std::vector<uint32_t> two = {1, 1};
  const std::vector<Candidate> overlap = {{9, 100, kA | kB}, {4, 100, kA | kB}, {7, 100, kA | kB}};
  a = assign(two, overlap);
  EXPECT_EQ(a.total_eta_ms, 200u);
  std::vector<uint32_t> chosen = units(a.chosen[0]);
  for (uint32_t u : units(a.chosen[1])) chosen.push_back(u);
  std::sort(chosen.begin(), chosen.end());
  EXPECT_EQ(chosen, (std::vector<uint32_t>{4, 7}));
}

TEST(Assign, NotEnoughUnits) {
  const std::vector<uint32_t> counts = {3, 2, 1};
  const std::vector<Candidate> cands = {{1, 100, kA}, {2, 200, kA | kB}, {3, 50, kC}};
  const Assignment a = assign(counts, cands);
  EXPECT_EQ(a.filled(), 3u);
  EXPECT_EQ(a.unfilled, (std::vector<uint32_t>{1, 2, 0}));
  EXPECT_EQ(a.total_eta_ms, 350u);
  for (const auto& alt : a.alternatives) EXPECT_TRUE(alt.empty());
}

TEST(Assign, NothingToChooseFrom) {
  const std::vector<uint32_t> counts = {2, 1};
  const Assignment a = assign(counts, {});
  EXPECT_EQ(a.chosen.size(), 2u);
  EXPECT_TRUE(a.chosen[0].empty() && a.chosen[1].empty());
  EXPECT_EQ(a.unfilled, (std::vector<uint32_t>{2, 1}));
  EXPECT_EQ(a.total_eta_ms, 0u);

  const Assignment none = assign({}, std::vector<Candidate>{{1, 1, kA}});
  EXPECT_TRUE(none.chosen.empty() && none.unfilled.empty() && none.alternatives.empty());

  // Candidates that qualify for nothing, zero counts.
  const std::vector<uint32_t> zero = {0, 1};
  const Assignment z = assign(zero, std::vector<Candidate>{{1, 10, 0}, {2, 20, kA}});
  EXPECT_TRUE(z.chosen[0].empty() && z.chosen[1].empty());
  EXPECT_EQ(z.unfilled, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(units(z.alternatives[0]), (std::vector<uint32_t>{2}));
}

TEST(Assign, AlternativesAreLimitedAndSkipChosen) {
  const std::vector<uint32_t> counts = {1, 1};
  std::vector<Candidate> cands;
  for (uint32_t u = 1; u <= 8; ++u) cands.push_back({u, u * 100, kA | kB});
  Assignment a = assign(counts, cands, 2);
  EXPECT_EQ(a.total_eta_ms, 300u);
  EXPECT_EQ(units(a.alternatives[0]), (std::vector<uint32_t>{3, 4}));
  EXPECT_EQ(units(a.alternatives[1]), (std::vector<uint32_t>{3, 4}));
  a = assign(counts, cands, 0);
  EXPECT_TRUE(a.alternatives[0].empty() && a.alternatives[1].empty());
}

TEST(Assign, BitsBeyondTheSlotsAndRepeatedUnitsAreHarmless) {
  const std::vector<uint32_t> counts = {1};
  // Unit 5 listed twice: its nearer entry counts. Unit 6 qualifies only for a slot that is not
  // there.
  const std::vector<Candidate> cands = {{5, 900, kA}, {6, 10, kB}, {5, 300, kA}, {7, 400, kA}};
  const Assignment a = assign(counts, cands);
  ASSERT_EQ(a.chosen.size(), 1u);
  EXPECT_EQ(a.chosen[0], (std::vector<Candidate>{{5, 300, kA}}));
  EXPECT_EQ(units(a.alternatives[0]), (std::vector<uint32_t>{7}));

  // Bit 63 with 64 slots.
  std::vector<uint32_t> many(64, 0);
  many[63] = 1;
  const Assignment b = assign(many, std::vector<Candidate>{{1, 10, uint64_t{1} << 63}});
  EXPECT_EQ(units(b.chosen[63]), (std::vector<uint32_t>{1}));
}

// The reference: every way of giving each candidate a slot it qualifies for or none, within the
// counts; the best by (filled desc, sum of eta, sum of ranks in (eta, unit) order).
struct Best {
  uint32_t filled = 0;
  uint64_t eta = 0;
  uint64_t rank = 0;
  bool operator==(const Best&) const = default;
};

Best brute_force(const std::vector<uint32_t>& counts, std::vector<Candidate> cands) {
  std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
    return std::tie(a.eta_ms, a.unit) < std::tie(b.eta_ms, b.unit);
  });
  Best best;
  bool any = false;
  std::vector<uint32_t> left = counts;
  Best cur;
  auto better = [](const Best& x, const Best& y) {
    if (x.filled != y.filled) return x.filled > y.filled;
    if (x.eta != y.eta) return x.eta < y.eta;
    return x.rank < y.rank;
  };
  auto go = [&](auto&& self, size_t j) -> void {
    if (j == cands.size()) {
      if (!any || better(cur, best)) best = cur, any = true;
      return;
    }
    self(self, j + 1);
    for (size_t i = 0; i < counts.size(); ++i) {
      if (((cands[j].slots >> i) & 1) == 0 || left[i] == 0) continue;
      --left[i];
      cur.filled += 1, cur.eta += cands[j].eta_ms, cur.rank += j;
      self(self, j + 1);
      cur.filled -= 1, cur.eta -= cands[j].eta_ms, cur.rank -= j;
      ++left[i];
    }
  };
  go(go, 0);
  return best;
}

// Checks everything the contract promises about `a` except optimality.
void expect_well_formed(const Assignment& a, const std::vector<uint32_t>& counts,
                        std::vector<Candidate> cands, uint32_t alternatives) {
  auto by_eta = [](const Candidate& x, const Candidate& y) {
    return std::tie(x.eta_ms, x.unit) < std::tie(y.eta_ms, y.unit);
  };
  std::sort(cands.begin(), cands.end(), by_eta);
  ASSERT_EQ(a.chosen.size(), counts.size());
  std::vector<uint32_t> used;
  uint64_t total = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    EXPECT_TRUE(std::is_sorted(a.chosen[i].begin(), a.chosen[i].end(), by_eta));
    EXPECT_EQ(a.chosen[i].size() + a.unfilled[i], counts[i]);
    for (const Candidate& c : a.chosen[i]) {
      EXPECT_TRUE((c.slots >> i) & 1);
      used.push_back(c.unit);
      total += c.eta_ms;
    }
  }
  EXPECT_EQ(total, a.total_eta_ms);
  std::sort(used.begin(), used.end());
  EXPECT_EQ(std::adjacent_find(used.begin(), used.end()), used.end()) << "a unit chosen twice";
  for (size_t i = 0; i < counts.size(); ++i) {
    std::vector<Candidate> expected;
    for (const Candidate& c : cands) {
      if (((c.slots >> i) & 1) && !std::binary_search(used.begin(), used.end(), c.unit) &&
          expected.size() < alternatives) {
        expected.push_back(c);
      }
    }
    EXPECT_EQ(a.alternatives[i], expected) << "slot " << i;
  }
}

uint64_t rank_sum(const Assignment& a, std::vector<Candidate> cands) {
  std::sort(cands.begin(), cands.end(), [](const Candidate& x, const Candidate& y) {
    return std::tie(x.eta_ms, x.unit) < std::tie(y.eta_ms, y.unit);
  });
  uint64_t sum = 0;
  for (const auto& slot : a.chosen) {
    for (const Candidate& c : slot) {
      sum += uint64_t(std::find(cands.begin(), cands.end(), c) - cands.begin());
    }
  }
  return sum;
}

TEST(Assign, MatchesBruteForceOnRandomInstances) {
  std::mt19937_64 rng(20261129);
  for (int round = 0; round < 3000; ++round) {
    const size_t slots = 1 + rng() % 3;
    std::vector<uint32_t> counts(slots);
    for (auto& c : counts) c = uint32_t(rng() % 4);
    const size_t n = rng() % 8;
    std::vector<Candidate> cands;
    for (uint32_t u = 0; u < n; ++u) {
      // Few distinct ETAs, so ties are common; ids shuffled.
      cands.push_back({uint32_t(100 + (u * 37) % 11), uint32_t(rng() % 5) * 100,
                       rng() % (uint64_t{1} << slots)});
    }
    std::shuffle(cands.begin(), cands.end(), rng);
    const uint32_t alternatives = uint32_t(rng() % 3);
    const Assignment a = assign(counts, cands, alternatives);
    SCOPED_TRACE("round " + std::to_string(round));
    expect_well_formed(a, counts, cands, alternatives);
    const Best best = brute_force(counts, cands);
    EXPECT_EQ(a.filled(), best.filled);
    EXPECT_EQ(a.total_eta_ms, best.eta);
    EXPECT_EQ(rank_sum(a, cands), best.rank);
    std::shuffle(cands.begin(), cands.end(), rng);
    EXPECT_EQ(assign(counts, cands, alternatives), a) << "depends on the input order";
  }
}

TEST(Assign, FastPathAndFlowAgreeOnIndependentSlots) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 500; ++round) {
    const size_t slots = 1 + rng() % 6;
    std::vector<uint32_t> counts(slots);
    for (auto& c : counts) c = uint32_t(rng() % 5);
    std::vector<Candidate> cands;
    const size_t n = rng() % 40;
    for (uint32_t u = 0; u < n; ++u) {
      cands.push_back({u, uint32_t(rng() % 10) * 60000, uint64_t{1} << (rng() % slots)});
    }
    std::sort(cands.begin(), cands.end(), [](const Candidate& x, const Candidate& y) {
      return std::tie(x.eta_ms, x.unit) < std::tie(y.eta_ms, y.unit);
    });
    EXPECT_EQ(internal::solve_independent(counts, cands), internal::solve_by_flow(counts, cands))
        << "round " << round;
  }
}

// A large instance: 64 overlapping slots, 100 positions, 1000 candidates. The answer must be well
// formed and fill every position (each slot has many qualifying units).
TEST(Assign, LargeInstance) {
  std::mt19937_64 rng(11);
  std::vector<uint32_t> counts(64, 1);
  for (size_t i = 0; i < 36; ++i) counts[i] = 2;
  std::vector<Candidate> cands;
  for (uint32_t u = 0; u < 1000; ++u) {
    cands.push_back({u, uint32_t(rng() % 1'800'000), rng() & rng()});
  }
  const Assignment a = assign(counts, cands);
  expect_well_formed(a, counts, cands, 3);
  EXPECT_EQ(a.filled(), 100u);
}

}  // namespace
}  // namespace liandong::dispatch
