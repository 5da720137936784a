#include "dispatch/intervals.h"

#include <algorithm>
#include <string_view>
#include <tuple>

namespace liandong::dispatch {
namespace {

std::optional<core::Millis> between(core::Timestamp from, std::optional<core::Timestamp> to) {
  if (!to || *to < from) return std::nullopt;
  return *to - from;
}

std::optional<core::Millis> between(std::optional<core::Timestamp> from,
                                    std::optional<core::Timestamp> to) {
  if (!from) return std::nullopt;
  return between(*from, to);
}

using Figure = std::optional<core::Millis> UnitIntervals::*;

// The first unit by `order` (unmeasured last), then unit_id, then input order, among those that
// pass `eligible`; null when none does.
template <typename Eligible>
const UnitIntervals* first_by(const std::vector<UnitIntervals>& units, Figure order,
                              Eligible eligible) {
  const UnitIntervals* best = nullptr;
  auto rank = [order](const UnitIntervals& u) {
    const std::optional<core::Millis>& k = u.*order;
    return std::make_tuple(!k.has_value(), k.value_or(core::Millis{0}), std::cref(u.unit_id));
  };
  for (const UnitIntervals& u : units) {
    if (!eligible(u)) continue;
    if (best == nullptr || rank(u) < rank(*best)) best = &u;
  }
  return best;
}

}  // namespace

IncidentIntervals intervals(const IncidentTimes& incident) {
  std::vector<UnitIntervals> units;
  units.reserve(incident.units.size());
  for (const UnitTimes& t : incident.units) {
    UnitIntervals u;
    u.unit_id = t.unit_id;
    u.unit_type = t.unit_type;
    u.agency_id = t.agency_id;
    u.dispatch = between(incident.received_at, t.dispatched_at);
    u.turnout = between(t.dispatched_at, t.en_route_at);
    u.travel = between(t.en_route_at, t.on_scene_at);
    u.arrival = between(incident.received_at, t.on_scene_at);
    u.recalled = t.recalled;
    units.push_back(std::move(u));
  }
  return first_of(std::move(units));
}

IncidentIntervals first_of(std::vector<UnitIntervals> units) {
  // The figure `take` of the first unit by `order` among those with `take` measured (and not
  // recalled, unless `recalled_too`), optionally of one type only.
  auto first = [&units](Figure order, Figure take, bool recalled_too,
                        std::string_view type = {}) -> std::optional<core::Millis> {
    const UnitIntervals* u = first_by(units, order, [&](const UnitIntervals& x) {
      return (x.*take).has_value() && (recalled_too || !x.recalled) &&
             (type.empty() || x.unit_type == type);
    });
    return u != nullptr ? u->*take : std::nullopt;
  };
  IncidentIntervals out;
  out.call_processing = first(&UnitIntervals::dispatch, &UnitIntervals::dispatch, true);
  out.turnout_first = first(&UnitIntervals::dispatch, &UnitIntervals::turnout, false);
  out.travel_first = first(&UnitIntervals::arrival, &UnitIntervals::travel, false);
  out.travel_first_engine = first(&UnitIntervals::arrival, &UnitIntervals::travel, false, "engine");
  out.total = first(&UnitIntervals::arrival, &UnitIntervals::arrival, false);
  out.units = std::move(units);
  return out;
}

}  // namespace liandong::dispatch
