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
  // `cell_m`: grid cell size in metres.
  explicit SnapIndex(const Graph& graph, double cell_m = 250);

  // The nearest road point within `max_distance_m`. When no road is that close: not_found with a
  // message that says how far the nearest road is searched ("no road within 200 m of
  // 114.41000,23.11000"). An invalid coordinate: invalid_argument.
  core::Result<Snap> snap(double lon, double lat, double max_distance_m) const;

  // Calls `visit` once for every arc with a segment that may cross the box (grid cells it
  // overlaps; a few just outside may come too), e.g. to draw the roads of a map view.
  void for_each_arc_in(double min_lon, double min_lat, double max_lon, double max_lat,
                       const std::function<void(ArcId)>& visit) const;

 private:
  const Graph& graph_;
  std::vector<NodeId> tails_;
  double cell_deg_lat_ = 0, cell_deg_lon_ = 0;
  double min_lon_ = 0, min_lat_ = 0;
  uint32_t cols_ = 0, rows_ = 0;
  std::vector<uint32_t> cell_first_;  // CSR over cells
  std::vector<uint64_t> cell_items_;  // (arc << 20 | segment index within the arc's shape)
};

}  // namespace liandong::routing
