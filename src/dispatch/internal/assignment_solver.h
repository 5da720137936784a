// The two solvers behind assign() (exposed for tests that compare them). Both take candidates in
// canonical order (ascending (eta, unit), unit ids unique, masks already limited to the slots)
// and return, per candidate, the slot it fills or kNotChosen.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "dispatch/assign.h"

namespace liandong::dispatch::internal {

inline constexpr uint32_t kNotChosen = UINT32_MAX;

// Minimum-cost maximum flow (successive shortest paths); any candidates.
std::vector<uint32_t> solve_by_flow(std::span<const uint32_t> slot_counts,
                                    std::span<const Candidate> sorted);

// The best `count` per slot; only when every candidate qualifies for at most one slot.
std::vector<uint32_t> solve_independent(std::span<const uint32_t> slot_counts,
                                        std::span<const Candidate> sorted);

}  // namespace liandong::dispatch::internal
