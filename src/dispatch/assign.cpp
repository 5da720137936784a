#include "dispatch/assign.h"

#include <algorithm>
#include <bit>
#include <tuple>

#include "dispatch/internal/assignment_solver.h"

namespace liandong::dispatch {
namespace {

// Ascending (eta, unit), one entry per unit, masks limited to the slots, no empty masks.
std::vector<Candidate> canonical(std::span<const Candidate> candidates, size_t slot_count) {
  const uint64_t mask = slot_count >= 64 ? ~uint64_t{0} : (uint64_t{1} << slot_count) - 1;
  std::vector<Candidate> v;
  v.reserve(candidates.size());
  for (Candidate c : candidates) {
    c.slots &= mask;
    if (c.slots != 0) v.push_back(c);
  }
  std::sort(v.begin(), v.end(), [](const Candidate& a, const Candidate& b) {
    return std::tie(a.unit, a.eta_ms, a.slots) < std::tie(b.unit, b.eta_ms, b.slots);
  });
  v.erase(std::unique(v.begin(), v.end(),
                      [](const Candidate& a, const Candidate& b) { return a.unit == b.unit; }),
          v.end());
  std::sort(v.begin(), v.end(), [](const Candidate& a, const Candidate& b) {
    return std::tie(a.eta_ms, a.unit) < std::tie(b.eta_ms, b.unit);
  });
  return v;
}

}  // namespace

uint32_t Assignment::filled() const {
  uint32_t n = 0;
  for (const auto& c : chosen) n += uint32_t(c.size());
  return n;
}

uint32_t Assignment::total_unfilled() const {
  uint32_t n = 0;
  for (uint32_t u : unfilled) n += u;
  return n;
}

Assignment assign(std::span<const uint32_t> slot_counts, std::span<const Candidate> candidates,
                  uint32_t alternatives) {
  const size_t slots = slot_counts.size();
  const std::vector<Candidate> sorted = canonical(candidates, slots);
  const bool independent = std::all_of(
      sorted.begin(), sorted.end(), [](const Candidate& c) { return std::popcount(c.slots) == 1; });
  const std::vector<uint32_t> slot_of = independent
                                            ? internal::solve_independent(slot_counts, sorted)
                                            : internal::solve_by_flow(slot_counts, sorted);

  Assignment out;
  out.chosen.resize(slots);
  out.alternatives.resize(slots);
  out.unfilled.assign(slot_counts.begin(), slot_counts.end());
  for (size_t j = 0; j < sorted.size(); ++j) {
    const uint32_t i = slot_of[j];
    if (i != internal::kNotChosen) {
      out.chosen[i].push_back(sorted[j]);
      --out.unfilled[i];
      out.total_eta_ms += sorted[j].eta_ms;
      continue;
    }
    for (uint64_t m = sorted[j].slots; m != 0; m &= m - 1) {
      const size_t s = size_t(std::countr_zero(m));
      if (out.alternatives[s].size() < alternatives) out.alternatives[s].push_back(sorted[j]);
    }
  }
  return out;
}

}  // namespace liandong::dispatch
