// What an OSM object's tags say for address search: its names, and the place records it yields
// (place=*, named landmarks, addr:housenumber). Positions are left to the caller. Pure functions.
#pragma once

#include <string>
#include <vector>

#include "geocode/place.h"
#include "roadimport/car_profile.h"

namespace liandong::roadimport::internal {

struct Names {
  std::string name;  // name, else name:zh, else name:en
  std::string alt;   // the first of name:en, name:zh, int_name that differs from `name`
};
Names names_of(const TagLookup& tags);

// Appends the records the tags describe (none, one or two: a named hospital with an address
// gives a landmark and an address), lon/lat zero.
void place_records(const TagLookup& tags, std::vector<geocode::PlaceRecord>& out);

}  // namespace liandong::roadimport::internal
