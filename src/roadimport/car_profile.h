// The emergency-vehicle car profile: which OSM ways an ambulance or fire engine may drive, in which
// direction and how fast. docs/ROADS.md has the table and the reasons.
//
//  - highway=* classes carry a default speed (motorway 100 km/h ... residential 30, service 15,
//    living_street 10; *_link a bit slower than the road it joins). footway, path, cycleway,
//    steps, pedestrian, bridleway, corridor, construction, proposed, abandoned, platform, raceway,
//    bus_guideway and busway are not driven; track only where motor vehicles are explicitly
//    allowed (it is often a field or forest track).
//  - maxspeed (and maxspeed:forward / :backward) where tagged: numbers in km/h, "NN mph",
//    "none" (the class speed), "walk" (10 km/h), zone forms "CN:urban", "RU:rural", "DE:zone30",
//    "zone:30" (a country table or a general default). Emergency vehicles may drive the posted
//    speed, never above it; unreadable values fall back to the class speed.
//  - access: emergency=yes|designated|permissive|destination|official allows the way whatever
//    else is tagged; otherwise the most specific of motorcar, motor_vehicle, vehicle, access
//    decides: no, private, agricultural, forestry, delivery, permit, military, restricted, bus,
//    psv shut the way; yes, permissive, destination, designated, customers, discouraged and
//    other values leave it open. area=yes and impassable=yes shut it too.
//  - oneway: yes/true/1 forward, -1/reverse backward, junction=roundabout/circular and motorway
//    (+link) imply forward, oneway=no overrides, oneway=reversible/alternating shut the way,
//    oneway:emergency=no opens both directions.
// Turn restrictions and barriers on nodes (gates, bollards) are not applied yet.
//
// Pure functions; thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "routing/graph.h"

namespace liandong::roadimport {

inline constexpr const char* kCarProfileName = "emergency-car 1";

// A tag lookup: the value of `key`, or nullptr when the way does not have it.
using TagLookup = std::function<const char*(const char* key)>;

struct WayProfile {
  bool routable = false;
  double forward_kmh = 0;   // 0: may not be driven in the way's direction
  double backward_kmh = 0;  // 0: may not be driven against it
  routing::RoadClass road_class = routing::RoadClass::kOther;
};

WayProfile car_profile(const TagLookup& tags);

// The default speed of a highway class (km/h), or nullopt when the class is not driven.
std::optional<double> highway_speed(std::string_view highway);

// A maxspeed value in km/h. nullopt when the value says nothing usable ("signals", "variable",
// garbage) and for "none"; the caller then keeps the class speed. Several values ("50;30"): the
// least.
std::optional<double> parse_maxspeed(std::string_view value);

}  // namespace liandong::roadimport
