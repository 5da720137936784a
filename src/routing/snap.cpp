#include "routing/snap.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "core/geo.h"

namespace liandong::routing {
namespace {

// Metres per degree of latitude on core::distance_m's sphere.
constexpr double kMetresPerDegree = 6371008.8 * M_PI / 180.0;
// Distances closer than this count as equal, so that the lower arc id wins a tie that rounding
// would otherwise decide (a node shared by several arcs).
constexpr double kTieM = 1e-6;
// Slack, in cells, when listing the cells a segment crosses: rounding must not drop a cell.
constexpr double kCellSlack = 1e-9;

// The polyline of arc a: its tail, its shape points, its head.
class Polyline {
 public:
  Polyline(const Graph& g, NodeId tail, ArcId a)
      : g_(g),
        tail_(tail),
        head_(g.head[a]),
        first_(g.shape_first[a]),
        size_(g.shape_first[a + 1] - g.shape_first[a] + 2) {}
  uint32_t size() const { return size_; }
  Coord operator[](uint32_t i) const {
    if (i == 0) return g_.coord[tail_];
    if (i + 1 == size_) return g_.coord[head_];
    return g_.shape[first_ + i - 1];
  }

 private:
  const Graph& g_;
  NodeId tail_, head_;
  uint32_t first_, size_;
};

// Calls f(cell) for every cell of a cols × rows grid that the segment (x0,y0)-(x1,y1), in cell
// units, crosses: row by row, the columns between where it enters and leaves the row.
template <typename F>
void for_each_cell(double x0, double y0, double x1, double y1, uint32_t cols, uint32_t rows,
                   F&& f) {
  if (y0 > y1) {
    std::swap(x0, x1);
    std::swap(y0, y1);
  }
  auto clamp = [](double v, uint32_t size) {
    return uint32_t(std::clamp(std::floor(v), 0.0, double(size - 1)));
  };
  const uint32_t r0 = clamp(y0 - kCellSlack, rows), r1 = clamp(y1 + kCellSlack, rows);
  const double dy = y1 - y0;
  for (uint32_t r = r0; r <= r1; ++r) {
    double xa = x0, xb = x1;
    if (dy > 0) {
      const double ya = std::max(y0, r - kCellSlack), yb = std::min(y1, r + 1 + kCellSlack);
      xa = x0 + (x1 - x0) * ((ya - y0) / dy);
      xb = x0 + (x1 - x0) * ((yb - y0) / dy);
    }
    if (xa > xb) std::swap(xa, xb);
    const uint32_t c0 = clamp(xa - kCellSlack, cols), c1 = clamp(xb + kCellSlack, cols);
    for (uint32_t c = c0; c <= c1; ++c) f(size_t(r) * cols + c);
  }
}

std::string metres_text(double m) {
  char buf[32];
  std::snprintf(buf, sizeof buf, m < 10 ? "%.1f" : "%.0f", m);
  return buf;
}

}  // namespace

ArcId SnapIndex::folded_into(ArcId b) const {
  const ArcId t = find_twin(graph_, tails_, b);
  if (t == kInvalid || t >= b) return kInvalid;
  const uint32_t bs = graph_.shape_first[b], be = graph_.shape_first[b + 1];
  const uint32_t ts = graph_.shape_first[t], te = graph_.shape_first[t + 1];
  if (be - bs != te - ts) return kInvalid;
  for (uint32_t i = 0; i < be - bs; ++i) {
    if (graph_.shape[bs + i] != graph_.shape[te - 1 - i]) return kInvalid;
  }
  return t;
}

SnapIndex::SnapIndex(const Graph& graph, double cell_m) : graph_(graph), tails_(graph.tails()) {
  cell_first_.assign(1, 0);
  if (!graph.has_coordinates() || graph.arc_count() == 0) return;
  if (!(cell_m > 0) || !std::isfinite(cell_m)) cell_m = 250;

  // Arcs that carry their own geometry; the others are their two-way twin drawn backwards.
  std::vector<ArcId> arcs;
  uint64_t segments = 0;
  for (ArcId a = 0; a < graph.arc_count(); ++a) {
    if (folded_into(a) != kInvalid) continue;
    arcs.push_back(a);
    segments += graph.shape_first[a + 1] - graph.shape_first[a] + 1;
  }

  int32_t lon0 = std::numeric_limits<int32_t>::max(), lat0 = lon0;
  int32_t lon1 = std::numeric_limits<int32_t>::min(), lat1 = lon1;
  auto extend = [&](const Coord& c) {
    lon0 = std::min(lon0, c.lon_e7);
    lon1 = std::max(lon1, c.lon_e7);
    lat0 = std::min(lat0, c.lat_e7);
    lat1 = std::max(lat1, c.lat_e7);
  };
  for (const Coord& c : graph.coord) extend(c);
  for (const Coord& c : graph.shape) extend(c);
  min_lon_ = lon0 * 1e-7;
  min_lat_ = lat0 * 1e-7;
  const double span_lon = (int64_t(lon1) - lon0) * 1e-7, span_lat = (int64_t(lat1) - lat0) * 1e-7;
  const double mid_lat = (lat0 * 1e-7 + lat1 * 1e-7) / 2;
  const double cos_mid = std::max(0.01, std::cos(mid_lat * M_PI / 180));
  cell_deg_lat_ = cell_m / kMetresPerDegree;
  cell_deg_lon_ = cell_deg_lat_ / cos_mid;

  // A wide, thinly covered area (a country's highways) would need more cells than roads: grow the
  // cells until there are at most about two per segment.
  const double max_cells = std::max(4096.0, 2.0 * double(segments));
  while (true) {
    const double cols = std::floor(span_lon / cell_deg_lon_) + 1;
    const double rows = std::floor(span_lat / cell_deg_lat_) + 1;
    if (cols * rows <= max_cells) {
      cols_ = uint32_t(cols);
      rows_ = uint32_t(rows);
      break;
    }
    const double grow = std::max(1.01, std::sqrt(cols * rows / max_cells));
    cell_deg_lat_ *= grow;
    cell_deg_lon_ *= grow;
  }

  // Two passes over the segments: count per cell, then fill.
  auto each_item = [&](auto&& f) {
    for (ArcId a : arcs) {
      const Polyline line(graph, tails_[a], a);
      const uint32_t segs = line.size() - 1;
      Coord p = line[0];
      double x0 = (p.lon() - min_lon_) / cell_deg_lon_, y0 = (p.lat() - min_lat_) / cell_deg_lat_;
      for (uint32_t i = 0; i < segs; ++i) {
        const Coord q = line[i + 1];
        const double x1 = (q.lon() - min_lon_) / cell_deg_lon_;
        const double y1 = (q.lat() - min_lat_) / cell_deg_lat_;
        const uint64_t item = uint64_t(a) << 32 | i;
        for_each_cell(x0, y0, x1, y1, cols_, rows_, [&](size_t cell) { f(cell, item); });
        x0 = x1;
        y0 = y1;
      }
    }
  };
  std::vector<uint64_t> count(size_t(cols_) * rows_ + 1, 0);
  each_item([&](size_t cell, uint64_t) { ++count[cell + 1]; });
  for (size_t c = 1; c < count.size(); ++c) count[c] += count[c - 1];
  // Cell offsets are 32-bit; over four billion entries would need a graph far beyond a country.
  if (count.back() > std::numeric_limits<uint32_t>::max()) {
    cols_ = rows_ = 0;
    return;
  }
  cell_items_.resize(count.back());
  cell_first_.assign(count.begin(), count.end());  // narrowed to 32 bits
  count.clear();
  count.shrink_to_fit();
  std::vector<uint32_t> next(cell_first_.begin(), cell_first_.end() - 1);
  each_item([&](size_t cell, uint64_t item) { cell_items_[next[cell]++] = item; });
}

core::Result<Snap> SnapIndex::snap(double lon, double lat, double max_distance_m) const {
  if (core::Status s = core::validate(core::LonLat{lon, lat}, "position"); !s.is_ok()) {
    return core::invalid(s.message(), "position");
  }
  if (std::isnan(max_distance_m) || max_distance_m < 0) {
    return core::invalid("the snapping distance must be a number of metres, 0 or more",
                         "max_distance_m");
  }
  char where[48];
  std::snprintf(where, sizeof where, "%.5f,%.5f", lon, lat);
  if (!graph_.has_coordinates()) {
    return core::not_found("the road graph has no coordinates, so " + std::string(where) +
                           " cannot be placed on a road");
  }
  auto none = [&] {
    return core::not_found((std::isinf(max_distance_m)
                                ? std::string("no road near ")
                                : "no road within " + metres_text(max_distance_m) + " m of ") +
                           where);
  };
  if (cols_ == 0 || rows_ == 0) return none();

  // Distances on the plane x = east, y = north in metres around the query point.
  const double cos_lat = std::cos(lat * M_PI / 180);
  auto project = [&](const Coord& c, double& x, double& y) {
    x = (c.lon() - lon) * cos_lat * kMetresPerDegree;
    y = (c.lat() - lat) * kMetresPerDegree;
  };
  const double qx = (lon - min_lon_) / cell_deg_lon_, qy = (lat - min_lat_) / cell_deg_lat_;
  const int64_t cx = int64_t(std::floor(qx)), cy = int64_t(std::floor(qy));
  const double fx = qx - double(cx), fy = qy - double(cy);
  const double cell_w = cell_deg_lon_ * cos_lat * kMetresPerDegree;
  const double cell_h = cell_deg_lat_ * kMetresPerDegree;
  // After rings 0..r around the query's cell, every cell left is at least this far.
  auto beyond = [&](int64_t r) {
    return std::min((std::min(fx, 1 - fx) + double(r)) * cell_w,
                    (std::min(fy, 1 - fy) + double(r)) * cell_h);
  };
  const int64_t last_col = cols_ - 1, last_row = rows_ - 1;
  const int64_t first_ring = std::max({int64_t(0), -cx, cx - last_col, -cy, cy - last_row});
  const int64_t last_ring = std::max({cx, last_col - cx, cy, last_row - cy});

  struct Best {
    double distance = std::numeric_limits<double>::infinity();
    ArcId arc = kInvalid;
    uint32_t segment = 0;
    double t = 0;
  } best;
  auto try_cell = [&](int64_t col, int64_t row) {
    if (col < 0 || col > last_col || row < 0 || row > last_row) return;
    const size_t cell = size_t(row) * cols_ + size_t(col);
    for (uint32_t i = cell_first_[cell]; i < cell_first_[cell + 1]; ++i) {
      const ArcId a = ArcId(cell_items_[i] >> 32);
      const uint32_t s = uint32_t(cell_items_[i]);
      const Polyline line(graph_, tails_[a], a);
      double ax, ay, bx, by;
      project(line[s], ax, ay);
      project(line[s + 1], bx, by);
      const double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
      double t = len2 > 0 ? std::clamp(-(ax * dx + ay * dy) / len2, 0.0, 1.0) : 0.0;
      // At t == 1 take the end point itself, so that a node is equally near on every arc it ends.
      const double px = t == 1 ? bx : ax + t * dx, py = t == 1 ? by : ay + t * dy;
      const double d = std::hypot(px, py);
      const bool nearer = d < best.distance - kTieM;
      const bool tie = !nearer && d <= best.distance + kTieM &&
                       (a < best.arc || (a == best.arc && s < best.segment));
      if (nearer || tie) best = Best{d, a, s, t};
    }
  };
  for (int64_t r = first_ring; r <= last_ring; ++r) {
    if (r > 0 && beyond(r - 1) > max_distance_m) break;
    if (r == 0) {
      try_cell(cx, cy);
    } else {
      for (int64_t c = std::max(cx - r, int64_t(0)); c <= std::min(cx + r, last_col); ++c) {
        try_cell(c, cy - r);
        try_cell(c, cy + r);
      }
      for (int64_t w = std::max(cy - r + 1, int64_t(0)); w <= std::min(cy + r - 1, last_row); ++w) {
        try_cell(cx - r, w);
        try_cell(cx + r, w);
      }
    }
    if (best.distance + kTieM < beyond(r)) break;
  }
  if (best.arc == kInvalid || best.distance > max_distance_m) return none();

  // The point, and the time to it in proportion to the length along the polyline.
  const Polyline line(graph_, tails_[best.arc], best.arc);
  const Coord a = line[best.segment], b = line[best.segment + 1];
  Snap out;
  out.point = best.t == 1
                  ? b
                  : Coord{int32_t(std::llround(a.lon_e7 + best.t * (double(b.lon_e7) - a.lon_e7))),
                          int32_t(std::llround(a.lat_e7 + best.t * (double(b.lat_e7) - a.lat_e7)))};
  out.distance_m = best.distance;
  double total = 0, before = 0;
  for (uint32_t i = 0; i + 1 < line.size(); ++i) {
    double ax, ay, bx, by;
    project(line[i], ax, ay);
    project(line[i + 1], bx, by);
    const double len = std::hypot(bx - ax, by - ay);
    if (i < best.segment) before += len;
    if (i == best.segment) before += best.t * len;
    total += len;
  }
  const uint32_t time = graph_.time_ms[best.arc];
  const uint32_t along =
      total > 0 ? uint32_t(std::min<double>(time, std::llround(double(time) * (before / total))))
                : 0;
  out.place = Place{kInvalid, best.arc, along, find_twin(graph_, tails_, best.arc)};
  return out;
}

void SnapIndex::for_each_arc_in(double min_lon, double min_lat, double max_lon, double max_lat,
                                const std::function<void(ArcId)>& visit) const {
  if (cols_ == 0 || rows_ == 0) return;
  if (!(min_lon <= max_lon) || !(min_lat <= max_lat)) return;  // also NaN
  const double c0 = std::floor((min_lon - min_lon_) / cell_deg_lon_);
  const double c1 = std::floor((max_lon - min_lon_) / cell_deg_lon_);
  const double r0 = std::floor((min_lat - min_lat_) / cell_deg_lat_);
  const double r1 = std::floor((max_lat - min_lat_) / cell_deg_lat_);
  if (c1 < 0 || r1 < 0 || c0 >= cols_ || r0 >= rows_) return;
  const uint32_t col0 = uint32_t(std::max(c0, 0.0)), col1 = uint32_t(std::min(c1, cols_ - 1.0));
  const uint32_t row0 = uint32_t(std::max(r0, 0.0)), row1 = uint32_t(std::min(r1, rows_ - 1.0));
  std::vector<ArcId> arcs;
  for (uint32_t r = row0; r <= row1; ++r) {
    for (uint32_t c = col0; c <= col1; ++c) {
      const size_t cell = size_t(r) * cols_ + c;
      for (uint32_t i = cell_first_[cell]; i < cell_first_[cell + 1]; ++i) {
        arcs.push_back(ArcId(cell_items_[i] >> 32));
      }
    }
  }
  std::sort(arcs.begin(), arcs.end());
  arcs.erase(std::unique(arcs.begin(), arcs.end()), arcs.end());
  // The arcs left out of the grid because their twin stands for them (in turn, for chains of
  // parallel twins): each runs from the representative's head back to its tail.
  const size_t indexed = arcs.size();
  for (size_t i = 0; i < arcs.size(); ++i) {
    const ArcId x = arcs[i];
    const NodeId from = graph_.head[x], to = tails_[x];
    for (uint32_t b = graph_.first_out[from]; b < graph_.first_out[from + 1]; ++b) {
      if (b > x && graph_.head[b] == to && folded_into(b) == x) arcs.push_back(b);
    }
  }
  if (arcs.size() > indexed) {
    std::sort(arcs.begin(), arcs.end());
    arcs.erase(std::unique(arcs.begin(), arcs.end()), arcs.end());
  }
  for (ArcId a : arcs) visit(a);
}

}  // namespace liandong::routing
