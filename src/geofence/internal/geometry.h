// A fence's polygon prepared for fast point-in-polygon: all ring edges in one
// array, its box, and for polygons with more than a few edges a local grid
// whose cells are fully inside, fully outside or "edge" cells with the few
// edges a ray from a point in the cell can meet (docs/GEOFENCE.md).
#pragma once

#include <cstdint>
#include <vector>

#include "core/geo.h"
#include "geofence/fence.h"

namespace liandong::geofence::internal {

// Points closer than this (degrees, ~0.1 mm) to an edge are on the boundary,
// hence inside.
inline constexpr double kBoundaryEps = 1e-9;

struct Edge {
  double ax, ay, bx, by;
};

// The PNPOLY crossing predicate: does the ray from (x, y) towards +lon cross
// edge e? Half-open in latitude, so a ray through a vertex counts it once. Used
// by the reference and the grid alike.
inline bool ray_crosses(const Edge &e, double x, double y) {
  return ((e.ay > y) != (e.by > y)) && (x < (e.bx - e.ax) * (y - e.ay) / (e.by - e.ay) + e.ax);
}

bool on_edge(const Edge &e, double x, double y);

struct Geometry {
  core::BBox box{};
  std::vector<Edge> edges;  // every ring's edges; even-odd over all of them gives the holes
  // Local grid (nx == 0: none, the polygon is small and tested edge by edge).
  uint32_t nx = 0, ny = 0;
  double cw = 0, ch = 0, inv_cw = 0, inv_ch = 0;
  enum : uint8_t { kOutside = 0, kInside = 1, kEdgeCell = 2 };
  struct Cell {
    uint8_t state = kOutside;
    uint8_t parity = 0;  // edges wholly east of the cell crossing its whole row
    uint32_t begin = 0, count = 0;
  };
  std::vector<Cell> cells;
  std::vector<uint32_t> cell_edges;

  size_t memory_bytes() const;
};

// Builds the geometry of a normalized polygon; with `grid` false no local grid
// is made.
Geometry build_geometry(const Polygon &p, bool grid);

// Reference test: on the boundary (within kBoundaryEps) or odd crossings.
// O(edges).
bool contains_reference(const Geometry &g, core::LonLat p);

// Same answer through the local grid when there is one (box check included).
bool contains(const Geometry &g, core::LonLat p);

}  // namespace liandong::geofence::internal
