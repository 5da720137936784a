// Response intervals over many incidents: percentiles against targets, per agency.
//
// The summaries, always in this order (the `interval` names are stable codes):
//
//   | interval            | samples, one per ...                            | target              |
//   |---------------------|-------------------------------------------------|---------------------|
//   | call_processing     | incident: its call_processing                   | call_processing     |
//   | turnout_medical     | non-recalled medical unit: its turnout          | turnout_medical     |
//   | turnout_fire        | non-recalled fire unit: its turnout             | turnout_fire        |
//   | turnout_other       | non-recalled unit of another type: its turnout  | none                |
//   | travel_first_engine | incident: its travel_first_engine               | travel_first_engine |
//   | travel_first        | incident: its travel_first                      | none                |
//   | travel              | non-recalled unit: its travel                   | none                |
//   | total               | incident: its total                             | none                |
//
// Types are classed by discipline_of() (unit_status.h). Unmeasured figures are not samples.
//
// By agency: an agency's incident figures are first_of() over that agency's units of the
// incident (so its call processing runs from the call to its own first dispatch, and its total to
// its own first arrival); its unit samples are its own units'. An incident counts for every
// agency that had a unit on it. Units with an empty agency_id form the agency "".
//
// Default targets (NFPA 1710, 2020 edition): alarm processing 64 s at the 90th percentile;
// turnout 60 s for EMS, 80 s for fire; travel of the first arriving engine 240 s. A target is met
// when the value at `percentile` is at most the target.
//
// Pure functions on plain values; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/time.h"
#include "dispatch/intervals.h"

namespace liandong::dispatch {

struct Targets {
  core::Millis call_processing{64000};
  core::Millis turnout_medical{60000};
  core::Millis turnout_fire{80000};
  core::Millis travel_first_engine{240000};
  double percentile = 90;  // the percentile judged against the targets, (0, 100]
};

// Nearest-rank percentile: the smallest value such that at least p% of the values are at most it,
// i.e. the ceil(p/100 × n)-th smallest (1-based, clamped to 1..n, so p <= 0 gives the minimum and
// p >= 100 the maximum). Empty `values` or a NaN p: nullopt.
std::optional<int64_t> percentile(std::vector<int64_t> values, double p);

struct Summary {
  std::string interval;                       // "call_processing", ... (the table above)
  size_t count = 0;                           // samples
  std::optional<core::Millis> p50;            // nearest-rank median; none without samples
  std::optional<core::Millis> at_percentile;  // at Targets::percentile; none without samples
  std::optional<core::Millis> target;         // none for intervals without a target
  // Set only with a target and samples: the share of samples <= target (0..1), and whether
  // at_percentile <= target.
  std::optional<double> share_within_target;
  std::optional<bool> meets_target;
  bool operator==(const Summary&) const = default;
};

struct AgencySummary {
  std::string agency_id;
  std::vector<Summary> intervals;  // the eight of the table, in its order
};

// All incidents, all units.
std::vector<Summary> summarize(std::span<const IncidentIntervals> incidents,
                               const Targets& targets = {});

// One entry per agency that had a unit on any of the incidents, ascending by agency_id.
std::vector<AgencySummary> summarize_by_agency(std::span<const IncidentIntervals> incidents,
                                               const Targets& targets = {});

}  // namespace liandong::dispatch
