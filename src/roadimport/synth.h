// A synthetic city: a deterministic road network of any size, for the demo and scale benchmarks.
//
// The city is a jittered street grid around a centre (惠州 by default): local streets (30 km/h),
// every 8th street an arterial (60 km/h, 大道), collector streets at 40 km/h, pairs of parallel
// one-way streets, two expressways across the city (80 km/h), some streets missing, and a river
// that runs across the city as a band of blocks crossed only by a few bridges. Streets carry
// generated Chinese names ("文明一路", "演达大道"); a handful of districts and landmarks and sparse
// house numbers (street "文明一路", housenumber "18号"; name empty) come as place records for
// address search.
//
// Deterministic: the same options give byte-identical arrays on every run and machine (own PRNG,
// no std distributions, no hashing of pointers). Only the largest strongly connected part is
// kept, so every node can reach every other. Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "geocode/place.h"
#include "routing/graph.h"

namespace liandong::roadimport {

struct SynthOptions {
  uint32_t nodes = 20'000;  // target node count (100 .. several million); the result is within ±15%
  uint64_t seed = 1;
  double center_lon = 114.4160;  // 惠州 city centre
  double center_lat = 23.1115;
  double spacing_m = 120;  // distance between neighbouring streets
};

struct SynthCity {
  routing::Graph graph;                      // external ids are the node indices
  std::vector<geocode::PlaceRecord> places;  // streets, districts, landmarks, addresses
  std::vector<routing::Coord> river;         // the river's centre line, west to east (for maps)
  double river_width_m = 0;
  uint32_t bridges = 0;  // street bridges (expressways cross it too)
};

// Builds the city. Options out of range are clamped (nodes to 100 .. 20 million, spacing to
// 20 .. 2000 m). Time and memory are linear in `nodes` (1 million nodes take a few seconds).
SynthCity synth_city(const SynthOptions& options);

}  // namespace liandong::roadimport
