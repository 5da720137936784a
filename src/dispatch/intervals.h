// Response intervals of an incident (NFPA 1710 style), from the times its units' statuses changed.
//
// Per unit (every unit, recalled or not; an interval whose end is before its start is a clock or
// data fault and is left unmeasured, never clamped to zero):
//   dispatch  = received_at → the unit's dispatched_at
//   turnout   = dispatched_at → en_route_at
//   travel    = en_route_at → on_scene_at
//   arrival   = received_at → on_scene_at
// A recalled unit (cancelled before it arrived, or sent back) keeps its own figures, but of the
// incident's figures it counts only for call processing.
//
// Per incident, "first" always picks one unit, by these rules (ties: lower unit_id, then input
// order; a unit whose ordering figure, dispatch or arrival, is unmeasured comes after the rest):
//   call_processing     the least `dispatch` over all units, recalled ones included.
//   turnout_first       the turnout of the unit dispatched first among the non-recalled units
//                       whose turnout is measured.
//   travel_first        the travel of the unit on scene first among the non-recalled units whose
//                       travel is measured (the first arriving unit, as NFPA 1710 measures it).
//   travel_first_engine the same among units of type "engine" only.
//   total               the least `arrival` over the non-recalled units (received → first on
//                       scene; a unit that arrived without reporting en route counts here).
// Each is empty when no unit qualifies. first_of() computes them from per-unit figures, so
// figures for one agency are first_of() over that agency's units (see interval_summary.h).
//
// Pure functions on plain values; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/time.h"

namespace liandong::dispatch {

struct UnitTimes {
  std::string unit_id, unit_type, agency_id;
  core::Timestamp dispatched_at{};
  std::optional<core::Timestamp> en_route_at, on_scene_at, cleared_at;
  bool recalled = false;
};

struct IncidentTimes {
  core::Timestamp received_at{};
  std::vector<UnitTimes> units;
};

struct UnitIntervals {
  std::string unit_id, unit_type, agency_id;
  std::optional<core::Millis> dispatch, turnout, travel, arrival;
  bool recalled = false;
  bool operator==(const UnitIntervals&) const = default;
};

struct IncidentIntervals {
  std::optional<core::Millis> call_processing;
  std::optional<core::Millis> turnout_first;
  std::optional<core::Millis> travel_first;
  std::optional<core::Millis> travel_first_engine;
  std::optional<core::Millis> total;
  std::vector<UnitIntervals> units;  // in the order of IncidentTimes::units
  bool operator==(const IncidentIntervals&) const = default;
};

IncidentIntervals intervals(const IncidentTimes& incident);

// The incident's figures from per-unit figures (the `units` member of the result is a copy of
// `units`).
IncidentIntervals first_of(std::vector<UnitIntervals> units);

}  // namespace liandong::dispatch
