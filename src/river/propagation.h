// Pollutant propagation down a river network: from a release at a point and time, when the
// pollutant reaches every downstream site (advection), the peak concentration there for an
// instantaneous release of known mass (the 1-D advection–dispersion solution, extended across
// reaches in travel-time coordinates), and which jurisdictions it enters and when. docs/RIVER.md
// states the model, its approximations and references.
//
// predict() follows the single downstream chain from the release reach (never upstream, never into
// another tributary): its cost is the length of that chain plus the sites on it, so a prediction on
// a 100,000-reach network takes milliseconds. Pure function; thread-safe for const Networks.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "river/network.h"

namespace liandong::river {

struct Release {
  std::string reach;
  double offset_m = 0;  // from the reach's upstream end
  core::Timestamp at{};
  std::optional<double> mass_kg;         // an instantaneous release; absent: arrival times only
  std::optional<double> dispersion_m2s;  // overrides every reach's
  std::optional<double> decay_per_day;   // first-order decay rate k (1/day), >= 0
};

// "An exceedance at a section": a release at the site's reach and offset at time `at`, no mass.
Release from_site(const Site& site, core::Timestamp at);

struct Arrival {
  const Site* site = nullptr;  // points into the Network given to predict()
  double distance_m = 0;       // along the river from the release
  core::Timestamp arrival{};   // advection: the centre of the cloud
  // With a mass only: when the front (centre − 2σ in time, not before the release) arrives, and the
  // peak concentration (mg/L) with its time. No peak at distance 0 (the solution is singular
  // there).
  std::optional<core::Timestamp> leading_edge;
  std::optional<double> peak_mg_l;
  std::optional<core::Timestamp> peak_at;
};

struct Entry {
  std::string jurisdiction;       // entered
  std::string from_jurisdiction;  // the one the river leaves there
  core::Timestamp at{};           // advection arrival at the border
  std::string reach;              // the reach the border lies on
  std::string border_site;        // the explicit border site's id, "" for a border at
                                  // a junction
  double distance_m = 0;
};

struct Prediction {
  std::vector<Arrival> arrivals;  // every downstream site, by time (then distance)
  std::vector<Entry> entries;     // each downstream jurisdiction entered, first
                                  // entry only, by time
  std::vector<std::string> warnings;
};

// kNotFound when the release's reach is unknown; kInvalidArgument (naming the field: "offset_m",
// "mass_kg", "dispersion_m2s", "decay_per_day") when a value is non-finite, negative, or the offset
// lies outside [0, length].
core::Result<Prediction> predict(const Network& network, const Release& release);

// The JSON form the API serves: times as RFC 3339 UTC, site ids and kinds.
nlohmann::json to_json(const Prediction& p);

}  // namespace liandong::river
