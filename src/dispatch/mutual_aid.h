// Mutual aid: when a unit may respond outside its own area, and under which rule.
//
// A unit responds in its own area without a rule: the incident's jurisdiction lies within the
// unit's (a city's unit anywhere in the city) or the unit's within the incident's (a county's unit
// in its county, or to a city-level incident). Anywhere else — a neighbouring county, another
// city — it may respond only where a rule of the table allows: units of `from` (or below it) may
// respond to incidents in `to` (or below it), for the listed unit types (all when empty). Rules are
// read in table order; the first that fits is named in the recommendation and the dispatch.
// (A rule table for now; linkage agreements between nodes replace it later.)
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace liandong::dispatch {

struct MutualAidRule {
  std::string name;                     // shown to the dispatcher, e.g. "惠城—惠阳 互助"
  std::string from;                     // six-digit jurisdiction code of the helping units
  std::string to;                       // six-digit jurisdiction code of the incidents helped
  std::vector<std::string> unit_types;  // empty: every type
};

// Whether a unit of `unit_jurisdiction` is in its own area at an incident in
// `incident_jurisdiction` (one code within the other). False when either code is malformed.
bool is_own_area(std::string_view unit_jurisdiction, std::string_view incident_jurisdiction);

// The first rule that lets a unit of this jurisdiction and type respond to an incident in
// `incident_jurisdiction`, or nullptr.
const MutualAidRule* find_rule(std::span<const MutualAidRule> rules, std::string_view unit_jurisdiction,
                               std::string_view unit_type, std::string_view incident_jurisdiction);

// Checks a table: names present and unique, codes six-digit GB/T 2260, from ≠ to. The error names
// the rule (by index and name) and the field.
core::Status check(std::span<const MutualAidRule> rules);

}  // namespace liandong::dispatch
