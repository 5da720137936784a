// Snapping: a longitude/latitude to the nearest point on a road (a GPS fix or a geocoded address
// to a Place). A uniform grid over the arcs' segments (road shape included) answers in time
// proportional to the roads near the point. Build once per graph; read-only after, safe to share
// between threads. Keeps a reference to the graph.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/status.h"
#include "routing/graph.h"
#include "routing/place.h"

namespace liandong::routing {

struct Snap {
  Place place;              // on the arc, with along_ms the time from its tail (twin filled)
  Coord point;              // the nearest point on the road
  double distance_m = 0;    // from the query point to `point`
};

class SnapIndex {
 public:
  // `cell_m`: grid cell size in metres (made larger when the roads cover a wide area thinly, so
  // that the grid has at most about two cells per road segment). A graph without coordinates
  // (all zero) gets an empty index: snap() answers not_found and for_each_arc_in() visits nothing.
  // A two-way road whose two arcs have the same shape is indexed once, under the lower arc id.
  explicit SnapIndex(const Graph& graph, double cell_m = 250);

  // The nearest road point within `max_distance_m`. When no road is that close: not_found with a
  // message that says how far the nearest road is searched ("no road within 200 m of
  // 114.41000,23.11000"). An invalid coordinate: invalid_argument (field "position"); a negative
  // or NaN distance: invalid_argument (field "max_distance_m"). Distances are in metres on a local
  // equirectangular projection around the query point (exact enough at road scale). Between roads
  // equally near, the lower arc id wins.
  core::Result<Snap> snap(double lon, double lat, double max_distance_m) const;

  // Calls `visit` once for every arc with a segment that may cross the box (grid cells it
  // overlaps; a few just outside may come too), e.g. to draw the roads of a map view. Arcs come in
  // ascending id order; both arcs of a two-way road come.
  void for_each_arc_in(double min_lon, double min_lat, double max_lon, double max_lat,
                       const std::function<void(ArcId)>& visit) const;

 private:
  // The arc whose identical reversed geometry stands for arc `b` in the grid, or kInvalid.
  ArcId folded_into(ArcId b) const;

  const Graph& graph_;
  std::vector<NodeId> tails_;
  double cell_deg_lat_ = 0, cell_deg_lon_ = 0;
  double min_lon_ = 0, min_lat_ = 0;
  uint32_t cols_ = 0, rows_ = 0;
  std::vector<uint32_t> cell_first_;  // CSR over cells, row by row: cols_ * rows_ + 1 entries
  // (arc << 32 | segment index), segment i joining polyline points i and i+1 of the arc
  // (tail, shape..., head).
  std::vector<uint64_t> cell_items_;
};

}  // namespace liandong::routing
