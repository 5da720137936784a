// Unit statuses (the shared code table in core/codes.h) and the transitions a dispatcher may make
// between them, plus the classification of unit types used by the response-interval targets.
//
// Transitions (from → to); anything not listed is refused, a status to itself included:
//
//   | from           | to                                                          |
//   |----------------|-------------------------------------------------------------|
//   | available      | dispatched, out_of_service                                  |
//   | dispatched     | en_route, on_scene, available (cancelled), out_of_service   |
//   | en_route       | on_scene, returning, available (recalled), out_of_service   |
//   | on_scene       | transporting, returning, available, out_of_service          |
//   | transporting   | at_hospital, returning, available                           |
//   | at_hospital    | returning, available                                        |
//   | returning      | available, dispatched (sent again), out_of_service          |
//   | out_of_service | available                                                   |
//
// dispatched → on_scene covers a unit that reports its arrival without having reported en route
// (e.g. already close by). Unknown status strings are never valid in either position.
//
// Pure functions on strings; thread-safe.
#pragma once

#include <string_view>

namespace liandong::dispatch {

// True for the eight statuses of core::unit_statuses().
bool is_unit_status(std::string_view status);

// True when the table above lists `from` → `to`.
bool is_valid_unit_transition(std::string_view from, std::string_view to);

// May be recommended for a new incident: available, or returning (a returning unit may be sent
// again).
bool is_dispatchable(std::string_view status);

// Tied to an incident: dispatched, en_route, on_scene, transporting, at_hospital.
bool is_assigned(std::string_view status);

// What a unit type does, for targets that differ between medical and fire units.
enum class Discipline { kMedical, kFire, kOther };

// kMedical for "ambulance"; kFire for "engine", "ladder", "rescue", "hazmat", "water_tender";
// kOther for anything else (patrol, traffic, boat, team, types a jurisdiction added).
Discipline discipline_of(std::string_view unit_type);

// "medical", "fire", "other".
std::string_view to_string(Discipline d);

}  // namespace liandong::dispatch
