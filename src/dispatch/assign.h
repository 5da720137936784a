// Choosing units for the slots of a requirement: pure combinatorics on ETAs the caller computed
// (no routing here).
//
// Each slot i asks for slot_counts[i] units; a candidate lists (bit i of `slots`) the slots it
// qualifies for. A unit fills at most one position. assign() fills as many positions as possible
// (maximum cardinality), and among those minimises the sum of the chosen units' ETAs. Ties are
// broken by ranking candidates by (eta, unit id) and minimising the sum of the chosen units'
// ranks, so of two units with the same ETA the lower id is chosen. The answer depends only on the
// set of candidates, not on their order. See docs/DISPATCH.md.
//
// Method: minimum-cost flow by successive shortest paths (Dijkstra with potentials) on source →
// slot (capacity = count) → candidate (capacity 1, cost = (eta, rank)) → sink; only each slot's
// best `total positions` qualifying candidates get an arc (no optimum needs the others). When
// every candidate qualifies for at most one slot the slots are independent and each takes its
// best candidates directly (the same answer, faster). Cost about positions × (slots × candidates)
// × log: 64 overlapping slots with 100 positions over 1000 candidates take about 10 ms.
//
// Input is trusted to be sane but never asserted on: bits beyond slot_counts.size() (or 64) are
// ignored; a unit id listed twice is taken once, by its entry with the least (eta, slots). ETAs
// are taken as given: leave unreachable units out. Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace liandong::dispatch {

struct Candidate {
  uint32_t unit = 0;    // the caller's id
  uint32_t eta_ms = 0;  // travel time to the incident
  uint64_t slots = 0;   // bit i: qualifies for slot i (at most 64 slots)
  bool operator==(const Candidate&) const = default;
};

struct Assignment {
  // Per slot, the chosen candidates in ascending (eta, unit).
  std::vector<std::vector<Candidate>> chosen;
  // Per slot, positions left empty (slot_counts[i] - chosen[i].size()).
  std::vector<uint32_t> unfilled;
  // Per slot, up to `alternatives` next-best qualifying candidates that were chosen for no slot,
  // ascending (eta, unit). A candidate may be an alternative for several slots.
  std::vector<std::vector<Candidate>> alternatives;
  uint64_t total_eta_ms = 0;  // sum over all chosen candidates

  uint32_t filled() const;          // positions filled, all slots
  uint32_t total_unfilled() const;  // positions empty, all slots
  bool operator==(const Assignment&) const = default;
};

Assignment assign(std::span<const uint32_t> slot_counts, std::span<const Candidate> candidates,
                  uint32_t alternatives = 3);

}  // namespace liandong::dispatch
