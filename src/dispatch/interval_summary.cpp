#include "dispatch/interval_summary.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "dispatch/unit_status.h"

namespace liandong::dispatch {
namespace {

enum Interval {
  kCallProcessing,
  kTurnoutMedical,
  kTurnoutFire,
  kTurnoutOther,
  kTravelFirstEngine,
  kTravelFirst,
  kTravel,
  kTotal,
  kIntervalCount
};

constexpr std::array<const char*, kIntervalCount> kNames = {
    "call_processing",     "turnout_medical", "turnout_fire", "turnout_other",
    "travel_first_engine", "travel_first",    "travel",       "total"};

using Samples = std::array<std::vector<int64_t>, kIntervalCount>;

void add(std::vector<int64_t>& to, const std::optional<core::Millis>& value) {
  if (value) to.push_back(value->count());
}

// Adds one incident's figures (already restricted to one agency, or all of it).
void collect(const IncidentIntervals& incident, Samples& s) {
  add(s[kCallProcessing], incident.call_processing);
  add(s[kTravelFirstEngine], incident.travel_first_engine);
  add(s[kTravelFirst], incident.travel_first);
  add(s[kTotal], incident.total);
  for (const UnitIntervals& u : incident.units) {
    if (u.recalled) continue;
    switch (discipline_of(u.unit_type)) {
      case Discipline::kMedical:
        add(s[kTurnoutMedical], u.turnout);
        break;
      case Discipline::kFire:
        add(s[kTurnoutFire], u.turnout);
        break;
      case Discipline::kOther:
        add(s[kTurnoutOther], u.turnout);
        break;
    }
    add(s[kTravel], u.travel);
  }
}

std::optional<core::Millis> target_of(Interval i, const Targets& t) {
  switch (i) {
    case kCallProcessing:
      return t.call_processing;
    case kTurnoutMedical:
      return t.turnout_medical;
    case kTurnoutFire:
      return t.turnout_fire;
    case kTravelFirstEngine:
      return t.travel_first_engine;
    default:
      return std::nullopt;
  }
}

std::optional<core::Millis> millis(std::optional<int64_t> v) {
  if (!v) return std::nullopt;
  return core::Millis{*v};
}

std::vector<Summary> summaries(Samples& samples, const Targets& targets) {
  std::vector<Summary> out;
  for (int i = 0; i < kIntervalCount; ++i) {
    std::vector<int64_t>& v = samples[i];
    std::sort(v.begin(), v.end());
    Summary s;
    s.interval = kNames[i];
    s.count = v.size();
    s.p50 = millis(percentile(v, 50));
    s.at_percentile = millis(percentile(v, targets.percentile));
    s.target = target_of(Interval(i), targets);
    if (s.target && !v.empty()) {
      const auto within = std::upper_bound(v.begin(), v.end(), s.target->count()) - v.begin();
      s.share_within_target = double(within) / double(v.size());
      if (s.at_percentile) s.meets_target = *s.at_percentile <= *s.target;
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

std::optional<int64_t> percentile(std::vector<int64_t> values, double p) {
  if (values.empty() || std::isnan(p)) return std::nullopt;
  const double n = double(values.size());
  // p × n first, then / 100: exact for whole percentiles, where p / 100 × n can land just above
  // an integer (0.7 × 10 → 7.000000000000001) and take the next rank.
  const double exact = std::ceil(std::clamp(p, 0.0, 100.0) * n / 100.0);
  const size_t rank = size_t(std::clamp(exact, 1.0, n));
  std::nth_element(values.begin(), values.begin() + long(rank - 1), values.end());
  return values[rank - 1];
}

std::vector<Summary> summarize(std::span<const IncidentIntervals> incidents,
                               const Targets& targets) {
  Samples samples;
  for (const IncidentIntervals& incident : incidents) collect(incident, samples);
  return summaries(samples, targets);
}

std::vector<AgencySummary> summarize_by_agency(std::span<const IncidentIntervals> incidents,
                                               const Targets& targets) {
  std::map<std::string, Samples> by_agency;
  for (const IncidentIntervals& incident : incidents) {
    std::map<std::string, std::vector<UnitIntervals>> units;
    for (const UnitIntervals& u : incident.units) units[u.agency_id].push_back(u);
    for (auto& [agency, own] : units) collect(first_of(std::move(own)), by_agency[agency]);
  }
  std::vector<AgencySummary> out;
  for (auto& [agency, samples] : by_agency) out.push_back({agency, summaries(samples, targets)});
  return out;
}

}  // namespace liandong::dispatch
