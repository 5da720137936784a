// Roads: the road network a node serves — the graph file (graph, contraction hierarchy, places),
// its snapping grid, the address index over its places and a pool of route query objects — for
// the /api/v1/roads, /route and /geocode routes (road_routes.cpp).
//
// Built once at start (load or from_network) and read-only after, except the query pool, which
// is guarded by a mutex: every method is safe to call from many threads at once. A Roads object
// owns its network and is never moved (the snapping grid and the queries refer into it).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/geo.h"
#include "core/status.h"
#include "geocode/index.h"
#include "geocode/place.h"
#include "routing/ch_query.h"
#include "routing/graph_file.h"
#include "routing/snap.h"

namespace liandong::api {

struct RoadsOptions {
  // A route's end, or a geocoded place, farther than this from every road is not on the road.
  double snap_max_m = 500;
  // Route query objects kept for reuse (each holds scratch arrays the size of the graph); more
  // are made when more requests route at once, and dropped when they finish.
  size_t idle_queries = 4;
  // Most features one /api/v1/roads answer holds (major classes first; truncated when cut).
  size_t max_road_features = 8000;
};

class Roads {
 public:
  // Loads a graph file (routing::load_road_network) and builds the indices. Errors: those of the
  // loader (not_found, invalid_argument naming the path and fault), and invalid_argument when the
  // "places" section does not decode. The message names the path.
  static core::Result<std::unique_ptr<Roads>> load(const std::string& path, const RoadsOptions& options = {});
  // The same over a network in memory (tests, the demo). invalid_argument when the graph or the
  // hierarchy fails its check or the places do not decode.
  static core::Result<std::unique_ptr<Roads>> from_network(routing::RoadNetwork network,
                                                           const RoadsOptions& options = {},
                                                           std::string path = {});
  Roads(const Roads&) = delete;
  Roads& operator=(const Roads&) = delete;
  ~Roads();

  const routing::RoadNetwork& network() const { return network_; }
  const routing::Graph& graph() const { return network_.graph; }
  const routing::SnapIndex& snap_index() const { return *snap_; }
  const std::vector<geocode::PlaceRecord>& places() const { return places_; }
  const geocode::Index& place_index() const { return place_index_; }
  const RoadsOptions& options() const { return options_; }
  const std::string& path() const { return path_; }  // "" when not loaded from a file
  // The box around every node (all zero for a graph without coordinates).
  const core::BBox& bbox() const { return bbox_; }
  // Whether arc `a` is the one that stands for its road on a map: a one-way arc, or the lower id
  // of a two-way road's pair (so each road is drawn once).
  bool drawn(routing::ArcId a) const { return drawn_[a]; }
  // Whether arc `a` has an opposite arc (a two-way road).
  bool two_way(routing::ArcId a) const { return two_way_[a]; }
  routing::NodeId tail(routing::ArcId a) const { return tails_[a]; }
  uint32_t road_count() const { return road_count_; }

  // The fastest route between two places (kInfinity time when none), with a pooled query.
  routing::Route route(const routing::Place& from, const routing::Place& to) const;

 private:
  Roads() = default;

  routing::RoadNetwork network_;
  RoadsOptions options_;
  std::string path_;
  std::unique_ptr<routing::SnapIndex> snap_;
  std::vector<geocode::PlaceRecord> places_;
  geocode::Index place_index_;
  core::BBox bbox_{0, 0, 0, 0};
  std::vector<routing::NodeId> tails_;
  std::vector<bool> drawn_, two_way_;
  uint32_t road_count_ = 0;
  mutable std::mutex mu_;
  mutable std::vector<std::unique_ptr<routing::ChQuery>> idle_;
};

}  // namespace liandong::api
