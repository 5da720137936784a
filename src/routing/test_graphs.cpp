#include "routing/test_graphs.h"

#include <cmath>

namespace liandong::routing::testing {

uint64_t Rng::next() {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Graph random_graph(uint32_t n, uint64_t seed) {
  Rng rng{seed};
  GraphBuilder b;
  const uint32_t side = uint32_t(std::ceil(std::sqrt(double(n))));
  for (uint32_t v = 0; v < n; ++v) {
    const double lon = 114.40 + (v % side) * 0.001 + rng.below(300) * 1e-6;
    const double lat = 23.10 + (v / side) * 0.001 + rng.below(300) * 1e-6;
    b.add_node(Coord::from_degrees(lon, lat), v);
  }
  auto arc = [&](uint32_t u, uint32_t v, uint32_t t) {
    b.add_arc(u, v, t, t / 10, RoadClass::kResidential);
  };
  for (uint32_t v = 0; v < n; ++v) {
    const uint32_t right = v + 1, down = v + side;
    for (uint32_t w : {right, down}) {
      if (w >= n || (w == right && right % side == 0)) continue;
      if (rng.below(10) == 0) continue;  // a missing street
      const uint32_t t = 1000 + rng.below(20000);
      const uint32_t kind = rng.below(10);
      if (kind == 0) {
        arc(v, w, t);  // one-way
      } else if (kind == 1) {
        arc(w, v, t);
      } else {
        arc(v, w, t);
        arc(w, v, t + rng.below(3) * 500);  // sometimes slower one way
      }
    }
  }
  for (uint32_t i = 0; i < n / 20 + 1; ++i) {
    const uint32_t u = rng.below(n), v = rng.below(n);
    arc(u, v, 5000 + rng.below(100000));  // a long arc (an expressway link)
  }
  for (uint32_t i = 0; i < n / 50 + 1; ++i) {
    const uint32_t u = rng.below(n);
    arc(u, u, rng.below(1000));  // a loop
    if (u + 1 < n) {
      arc(u, u + 1, rng.below(2) == 0 ? 0 : 30000);  // a parallel arc, sometimes of zero time
    }
  }
  return std::move(b).build();
}

}  // namespace liandong::routing::testing
