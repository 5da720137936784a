// Tiny road maps drawn in ASCII for tests, in the manner of OSRM's feature tests:
//
//     a . b . c
//     .       .
//     d . . . e
//
// Every letter or digit is a node at (column × grid_m, row × grid_m) metres from an origin near
// 惠州; other characters are ignored. Roads are given as strings of node names ("abc" joins a–b
// and b–c) with a speed and a direction; an arc's time is its straight grid length at that speed
// (one grid step = grid_m metres exactly, so times are round numbers).
// For tests only.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "routing/graph.h"

namespace liandong::routing::testing {

struct AsciiRoad {
  std::string nodes;   // e.g. "abc"
  double kmh = 36;     // 36 km/h = 10 m/s: one 100 m grid step takes 10 s
  bool oneway = false; // true: only in the order written
};

struct AsciiMap {
  Graph graph;
  std::map<char, NodeId> node;  // name → node id
  NodeId operator[](char name) const { return node.at(name); }
};

// Throws std::invalid_argument on a road naming a node that is not on the map (a test bug).
AsciiMap draw(std::string_view map, const std::vector<AsciiRoad>& roads, double grid_m = 100);

}  // namespace liandong::routing::testing
