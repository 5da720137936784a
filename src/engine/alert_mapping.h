// How a warning becomes a CAP alert, and a received CAP alert a warning (docs/ALERTS.md "Mapping").
//
// Level → CAP:   red → Extreme/Immediate, orange → Severe/Immediate, yellow → Moderate/Expected,
//                blue → Minor/Future.
// Source → certainty: a detector or a geofence (a measurement) → Observed; a person → Likely.
// Type → category: by the incident type (fire → Fire, water_pollution → Env, ...), else by its
//                national category (natural_disaster → Met, accident_disaster → Safety,
//                public_health → Health, social_safety → Security).
// Area: the fence's polygon (geofence warnings), else a circle of 5 km around the warning's
//                location; the geocode is the warning's jurisdiction (GB/T 2260).
// CAP → level:   severity Extreme → red, Severe → orange, Moderate → yellow, Minor/Unknown → blue.
// Pure functions of their arguments; thread-compatible.
#pragma once

#include <string>
#include <string_view>

#include "engine/alert_records.h"
#include "engine/monitoring_records.h"
#include "taxonomy/taxonomy.h"

namespace liandong::engine {

// The content a new alert about `w` starts with. `fence` is the warning's fence, if any.
AlertContent content_for_warning(const Warning& w, const taxonomy::Taxonomy& taxonomy, const FenceRecord* fence);

// The CAP category of an incident type ("" when the type is unknown to the taxonomy: Other).
std::string cap_category(std::string_view type, const taxonomy::Taxonomy& taxonomy);

// The permission a second person needs to approve an alert of this level, or "" (the drafter issues
// it): red → warning.approve.red, orange → warning.approve.orange.
std::string approval_for(std::string_view level);

// The warning level a received alert carries, from its CAP severity.
std::string level_for_severity(std::string_view severity);

// Whether a received alert opens an incident: Actual, severity Extreme or Severe, urgency Immediate
// or Expected, certainty Observed or Likely.
bool opens_incident(const AlertRecord& received);

}  // namespace liandong::engine
