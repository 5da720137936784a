// A river network: reaches linked downstream, with monitoring sections, drinking-water intakes and
// jurisdiction borders placed on them (docs/RIVER.md has the GeoJSON form and the rules).
//
// A Network is built once (from GeoJSON or from vectors) and then read: it is immutable, so const
// use from many threads is safe. Pointers it hands out (reach(), site()) stay valid for the life of
// the Network object they came from (moving a Network keeps them valid; a copy has its own).
// Building fails with kInvalidArgument whose message names the feature (index and id) and whose
// field names the property at fault, or kTooLarge over a limit; it never throws or crashes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/geo.h"
#include "core/status.h"

namespace liandong::river {

inline constexpr size_t kMaxReaches = 100'000;
inline constexpr size_t kMaxSites = 100'000;
inline constexpr size_t kMaxLinePoints = 5'000'000;  // over all reaches
inline constexpr size_t kMaxIdLength = 128;
// Bounds on a reach's numbers beyond "finite and > 0" (a river longer than 10,000 km, faster than
// 100 m/s or slower than 1 µm/s is a data error).
inline constexpr double kMaxLengthM = 1e7;
inline constexpr double kMinVelocityMps = 1e-6, kMaxVelocityMps = 100;
inline constexpr double kMaxDispersionM2s = 1e6;
inline constexpr double kMaxOtherValue = 1e9;  // flow, area, width, depth, slope

struct Reach {
  std::string id;
  std::string name;
  std::string river;  // the river's name
  double length_m = 0;
  std::optional<double> velocity_mps;
  std::optional<double> flow_m3s;
  std::optional<double> area_m2;  // velocity = flow / area when velocity is not given
  std::optional<double> width_m, depth_m, slope;
  std::optional<double> dispersion_m2s;  // longitudinal dispersion; estimated when absent
  std::string downstream;                // id of the next reach, "" = an outlet
  std::string jurisdiction;              // GB/T 2260 code of the county it lies in ("" = unknown)
  std::vector<core::LonLat> line;        // upstream end first; may be empty
};

struct Site {
  enum class Kind { kSection, kIntake, kBorder };
  Kind kind = Kind::kSection;
  std::string id;
  std::string name;
  std::string reach;
  double offset_m = 0;  // from the reach's upstream end, in [0, length_m]
  std::string from_jurisdiction,
      to_jurisdiction;                 // borders only (both required there)
  std::optional<std::string> station;  // a monitoring station placed here, if any
};

// "section", "intake", "border".
const char* kind_name(Site::Kind kind);

// Mean velocity (m/s): velocity_mps, else flow / area_m2, else flow / (width·depth); nullopt when
// none of these is known.
std::optional<double> velocity_of(const Reach& r);
// Cross-section area (m²): area_m2, else flow / velocity, else width·depth; nullopt when unknown.
std::optional<double> area_of(const Reach& r);

class Network {
 public:
  Network() = default;

  // Parses a GeoJSON FeatureCollection (docs/RIVER.md). A point feature without offset_m is
  // projected onto its reach's line. Nesting deeper than 16 levels is refused before parsing.
  static core::Result<Network> from_geojson(std::string_view text);
  // Validates and indexes reaches and sites (the same checks as from_geojson; "feature N" in
  // messages counts reaches first, then sites).
  static core::Result<Network> build(std::vector<Reach> reaches, std::vector<Site> sites);

  // The FeatureCollection from_geojson reads back to an equal network. Sites get a Point on their
  // reach's line at their offset (null geometry when the reach has no line).
  nlohmann::json to_geojson() const;

  const Reach* reach(std::string_view id) const;  // nullptr when unknown
  const Site* site(std::string_view id) const;    // nullptr when unknown
  const std::vector<Reach>& reaches() const { return reaches_; }
  const std::vector<Site>& sites() const { return sites_; }

  // Index-based access for walking the network (indices into reaches() and sites()).
  std::optional<size_t> reach_index(std::string_view id) const;
  // The downstream reach's index, or nullopt at an outlet.
  std::optional<size_t> downstream_of(size_t reach_index) const;
  // Indices of the sites on a reach, by offset then id.
  std::span<const uint32_t> sites_on(size_t reach_index) const;
  // Mean velocity and area of a reach (velocity_of/area_of, resolved once at build).
  double velocity(size_t reach_index) const { return velocity_[reach_index]; }
  std::optional<double> area(size_t reach_index) const;

 private:
  // `feature_of_reach[i]` / `feature_of_site[i]`: the GeoJSON feature index, for messages.
  static core::Result<Network> build_indexed(std::vector<Reach> reaches, std::vector<Site> sites,
                                             std::vector<size_t> feature_of_reach,
                                             std::vector<size_t> feature_of_site);

  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Index = std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>>;

  std::vector<Reach> reaches_;
  std::vector<Site> sites_;
  Index reach_ids_, site_ids_;
  std::vector<int64_t> downstream_;  // -1 at an outlet
  std::vector<double> velocity_;
  std::vector<double> area_;  // NaN when unknown
  // Sites by reach (CSR): those of reach i are site_order_[site_first_[i] .. site_first_[i + 1]).
  std::vector<uint32_t> site_first_, site_order_;
};

}  // namespace liandong::river
