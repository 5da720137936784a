#include "roadimport/internal/osm_places.h"

#include <algorithm>
#include <string_view>

namespace liandong::roadimport::internal {
namespace {

constexpr std::string_view kPlaceValues[] = {"city",          "town",       "village",
                                             "hamlet",        "suburb",     "quarter",
                                             "neighbourhood", "locality",   "isolated_dwelling",
                                             "borough",       "city_block", "square",
                                             "farm",          "island",     "islet",
                                             "municipality",  "district"};

struct LandmarkKey {
  const char* key;
  std::initializer_list<std::string_view> values;
};

// Named things people give as a location on an emergency call.
const LandmarkKey kLandmarks[] = {
    {"amenity",
     {"hospital",         "clinic",         "school",       "university",       "college",
      "kindergarten",     "fire_station",   "police",       "townhall",         "library",
      "bus_station",      "ferry_terminal", "courthouse",   "community_centre", "marketplace",
      "place_of_worship", "theatre",        "cinema",       "post_office",      "fuel",
      "pharmacy",         "prison",         "nursing_home", "parking"}},
    {"railway", {"station", "halt"}},
    {"aeroway", {"aerodrome", "terminal", "helipad"}},
    {"tourism", {"museum", "hotel", "attraction", "zoo", "theme_park"}},
    {"leisure", {"stadium", "park", "sports_centre", "marina"}},
    {"shop", {"mall", "supermarket", "department_store"}},
    {"historic", {"castle", "monument"}},
    {"man_made", {"lighthouse", "tower"}},
    {"emergency", {"ambulance_station"}},
};

bool in(std::string_view v, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

}  // namespace

Names names_of(const TagLookup& tags) {
  Names n;
  for (const char* key : {"name", "name:zh", "name:en"}) {
    if (const char* v = tags(key); v != nullptr && *v != '\0') {
      n.name = v;
      break;
    }
  }
  for (const char* key : {"name:en", "name:zh", "int_name"}) {
    if (const char* v = tags(key); v != nullptr && *v != '\0' && n.name != v) {
      n.alt = v;
      break;
    }
  }
  return n;
}

void place_records(const TagLookup& tags, std::vector<geocode::PlaceRecord>& out) {
  const char* place = tags("place");
  const char* number = tags("addr:housenumber");
  std::string type;
  if (place != nullptr && std::find(std::begin(kPlaceValues), std::end(kPlaceValues),
                                    std::string_view(place)) != std::end(kPlaceValues)) {
    type = place;
  } else {
    for (const auto& l : kLandmarks) {
      if (const char* v = tags(l.key); v != nullptr && in(v, l.values)) {
        type = v;
        break;
      }
    }
  }
  if (type.empty() && number == nullptr) return;
  const Names names = names_of(tags);
  if (!type.empty() && !names.name.empty()) {
    geocode::PlaceRecord p;
    p.kind = geocode::PlaceKind::kPlace;
    p.name = names.name;
    p.alt_name = names.alt;
    p.type = std::move(type);
    out.push_back(std::move(p));
  }
  if (number != nullptr && *number != '\0') {
    geocode::PlaceRecord p;
    p.kind = geocode::PlaceKind::kAddress;
    p.name = names.name;
    p.alt_name = names.alt;
    p.housenumber = number;
    const char* street = tags("addr:street");
    if (street == nullptr) street = tags("addr:place");
    if (street != nullptr) p.street = street;
    p.type = "house";
    out.push_back(std::move(p));
  }
}

}  // namespace liandong::roadimport::internal
