#include "routing/place.h"

#include <algorithm>
#include <cmath>

namespace liandong::routing {
namespace {

// The position of `place` on `twin` (the opposite arc), in twin's time: the same fraction of the
// road, measured from the other end.
uint32_t along_twin(const Graph& g, const Place& place) {
  const uint32_t t = g.time_ms[place.arc];
  const uint32_t tt = g.time_ms[place.twin];
  if (t == 0) return 0;
  const double fraction = double(place.along_ms) / t;
  return uint32_t(std::llround((1.0 - fraction) * tt));
}

}  // namespace

void departure_seeds(const Graph& g, const Place& place, std::vector<Seed>& out) {
  out.clear();
  if (place.node != kInvalid) {
    out.push_back({place.node, 0});
    return;
  }
  if (place.arc == kInvalid) return;
  const uint32_t t = g.time_ms[place.arc];
  out.push_back({g.head[place.arc], t - std::min(t, place.along_ms)});
  if (place.twin != kInvalid) {
    const uint32_t tt = g.time_ms[place.twin];
    out.push_back({g.head[place.twin], tt - std::min(tt, along_twin(g, place))});
  }
}

void arrival_seeds(const Graph& g, const Place& place, std::vector<Seed>& out) {
  out.clear();
  if (place.node != kInvalid) {
    out.push_back({place.node, 0});
    return;
  }
  if (place.arc == kInvalid) return;
  out.push_back({tail_of(g, place.arc), std::min(place.along_ms, g.time_ms[place.arc])});
  if (place.twin != kInvalid) {
    out.push_back({tail_of(g, place.twin), std::min(along_twin(g, place), g.time_ms[place.twin])});
  }
}

uint32_t along_on(const Graph& g, const Place& place, ArcId arc) {
  if (arc == kInvalid || place.node != kInvalid) return kInfinity;
  if (place.arc == arc) return place.along_ms;
  if (place.twin == arc) return along_twin(g, place);
  return kInfinity;
}

uint32_t same_road_time(const Graph& g, const Place& from, const Place& to) {
  if (from.arc == kInvalid || to.arc == kInvalid) return kInfinity;
  uint32_t best = kInfinity;
  for (ArcId arc : {from.arc, from.twin}) {
    if (arc == kInvalid) continue;
    const uint32_t a = along_on(g, from, arc);
    const uint32_t b = along_on(g, to, arc);
    if (a == kInfinity || b == kInfinity || b < a) continue;
    best = std::min(best, b - a);
  }
  return best;
}

}  // namespace liandong::routing
