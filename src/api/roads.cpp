#include "api/roads.h"

#include <algorithm>

namespace liandong::api {

Roads::~Roads() = default;

core::Result<std::unique_ptr<Roads>> Roads::load(const std::string& path, const RoadsOptions& options) {
  auto network = routing::load_road_network(path);
  if (!network) return network.status();
  return from_network(std::move(*network), options, path);
}

core::Result<std::unique_ptr<Roads>> Roads::from_network(routing::RoadNetwork network, const RoadsOptions& options,
                                                         std::string path) {
  const std::string where = path.empty() ? std::string("road network") : path;
  if (auto st = network.graph.check(); !st.is_ok())
    return core::invalid(where + ": " + st.message(), "graph");
  if (auto st = network.ch.check(network.graph); !st.is_ok())
    return core::invalid(where + ": " + st.message(), "graph");
  std::unique_ptr<Roads> r(new Roads());
  r->network_ = std::move(network);
  r->options_ = options;
  r->path_ = std::move(path);
  if (auto it = r->network_.extras.find("places"); it != r->network_.extras.end()) {
    auto places = geocode::decode_places(it->second);
    if (!places) return core::invalid(where + ": " + places.status().message(), "graph");
    r->places_ = std::move(*places);
    r->network_.extras.erase(it);  // decoded; the bytes are not needed twice
  }
  r->place_index_ = geocode::Index(r->places_);
  const routing::Graph& g = r->network_.graph;
  r->snap_ = std::make_unique<routing::SnapIndex>(g);
  if (g.node_count() > 0 && g.has_coordinates()) {
    core::BBox b{180, 90, -180, -90};
    for (const auto& c : g.coord) {
      b.min_lon = std::min(b.min_lon, c.lon()), b.max_lon = std::max(b.max_lon, c.lon());
      b.min_lat = std::min(b.min_lat, c.lat()), b.max_lat = std::max(b.max_lat, c.lat());
    }
    r->bbox_ = b;
  }
  r->tails_ = g.tails();
  r->drawn_.assign(g.arc_count(), true);
  r->two_way_.assign(g.arc_count(), false);
  for (routing::ArcId a = 0; a < g.arc_count(); ++a) {
    const routing::ArcId twin = routing::find_twin(g, r->tails_, a);
    r->two_way_[a] = twin != routing::kInvalid;
    if (twin != routing::kInvalid && twin < a) r->drawn_[a] = false;
    else ++r->road_count_;
  }
  return r;
}

routing::Route Roads::route(const routing::Place& from, const routing::Place& to) const {
  std::unique_ptr<routing::ChQuery> q;
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      q = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!q) q = std::make_unique<routing::ChQuery>(network_.graph, network_.ch);
  routing::Route route = q->route(from, to);
  std::lock_guard lock(mu_);
  if (idle_.size() < options_.idle_queries) idle_.push_back(std::move(q));
  return route;
}

}  // namespace liandong::api
