#include "routing/ascii_map.h"

#include <cctype>
#include <cmath>
#include <stdexcept>

namespace liandong::routing::testing {

AsciiMap draw(std::string_view map, const std::vector<AsciiRoad>& roads, double grid_m) {
  constexpr double kOriginLon = 114.40, kOriginLat = 23.10;
  constexpr double kMetresPerDegree = 111195.08;
  AsciiMap out;
  GraphBuilder builder;
  std::map<char, std::pair<double, double>> cell;  // (row, column)
  size_t row = 0, col = 0;
  for (char c : map) {
    if (c == '\n') {
      ++row;
      col = 0;
      continue;
    }
    if (std::isalnum(static_cast<unsigned char>(c))) {
      const double lat = kOriginLat - row * grid_m / kMetresPerDegree;
      const double lon =
          kOriginLon + col * grid_m / (kMetresPerDegree * std::cos(kOriginLat * M_PI / 180));
      const Coord coord = Coord::from_degrees(lon, lat);
      cell[c] = {double(row), double(col)};
      out.node[c] = builder.add_node(coord, uint64_t(static_cast<unsigned char>(c)));
    }
    ++col;
  }
  for (const AsciiRoad& road : roads) {
    for (size_t i = 0; i + 1 < road.nodes.size(); ++i) {
      const char a = road.nodes[i], b = road.nodes[i + 1];
      if (!out.node.count(a) || !out.node.count(b)) {
        throw std::invalid_argument(std::string("road ") + road.nodes + " names a node not on the map");
      }
      // Lengths come from the grid, so that times are round numbers (100 m at 36 km/h: 10 s).
      const double metres = std::hypot(cell[a].first - cell[b].first, cell[a].second - cell[b].second) * grid_m;
      const uint32_t ms = uint32_t(std::lround(metres / (road.kmh / 3.6) * 1000));
      const uint32_t length = uint32_t(std::lround(metres));
      builder.add_arc(out.node[a], out.node[b], ms, length, RoadClass::kResidential);
      if (!road.oneway) builder.add_arc(out.node[b], out.node[a], ms, length, RoadClass::kResidential);
    }
  }
  out.graph = std::move(builder).build();
  return out;
}

}  // namespace liandong::routing::testing
