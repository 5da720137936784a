// What address search knows: named streets, places (districts, villages, landmarks) and house
// addresses, each with a position. The OSM importer (and the synthetic city) produce these; they
// travel inside the road network file as its "places" section.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace liandong::geocode {

enum class PlaceKind : uint8_t {
  kStreet = 0,   // a named road (one record per street name and area, at a point on it)
  kPlace = 1,    // place=* (city, suburb, village, neighbourhood ...) or a named landmark
  kAddress = 2,  // addr:housenumber (+ addr:street)
};

struct PlaceRecord {
  PlaceKind kind = PlaceKind::kStreet;
  std::string name;         // the main name (Chinese where the source has it)
  std::string alt_name;     // another name (name:en, name:zh, old_name ...), may be empty
  std::string street;       // for addresses: addr:street
  std::string housenumber;  // for addresses
  std::string type;         // e.g. "primary", "suburb", "village", "school"
  double lon = 0, lat = 0;
  bool operator==(const PlaceRecord&) const = default;
};

// A compact binary form (versioned; a string table shares repeated names; positions kept to 1e-7
// degree, about 1 cm). decode_places checks every count, index, string (UTF-8) and position and
// fails with invalid_argument naming the fault on damaged or foreign input; it never reads past
// the bytes given. Both are pure functions, thread-safe.
std::string encode_places(const std::vector<PlaceRecord>& places);
core::Result<std::vector<PlaceRecord>> decode_places(std::string_view bytes);

}  // namespace liandong::geocode
