#include "geofence/internal/geometry.h"

#include <algorithm>
#include <cmath>

namespace liandong::geofence::internal {
namespace {

constexpr uint32_t kMinGridEdges = 16;  // below this, a plain edge loop is as fast
constexpr double kCellsPerEdge = 4.0;   // local grid resolution
constexpr uint32_t kMaxLocalCells = 1u << 16;

}  // namespace

bool on_edge(const Edge &e, double x, double y) {
  double dx = e.bx - e.ax, dy = e.by - e.ay;
  double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((x - e.ax) * dx + (y - e.ay) * dy) / len2 : 0;
  t = std::clamp(t, 0.0, 1.0);
  double px = e.ax + t * dx - x, py = e.ay + t * dy - y;
  return px * px + py * py <= kBoundaryEps * kBoundaryEps;
}

size_t Geometry::memory_bytes() const {
  return sizeof(Geometry) + edges.capacity() * sizeof(Edge) + cells.capacity() * sizeof(Cell) +
         cell_edges.capacity() * sizeof(uint32_t);
}

bool contains_reference(const Geometry &g, core::LonLat p) {
  bool odd = false;
  for (const Edge &e : g.edges) {
    if (on_edge(e, p.lon, p.lat)) return true;
    if (ray_crosses(e, p.lon, p.lat)) odd = !odd;
  }
  return odd;
}

bool contains(const Geometry &g, core::LonLat p) {
  const double e = kBoundaryEps;
  if (!(p.lon >= g.box.min_lon - e && p.lon <= g.box.max_lon + e && p.lat >= g.box.min_lat - e &&
        p.lat <= g.box.max_lat + e))
    return false;
  if (g.nx == 0) return contains_reference(g, p);
  double fx = (p.lon - g.box.min_lon) * g.inv_cw, fy = (p.lat - g.box.min_lat) * g.inv_ch;
  uint32_t i = static_cast<uint32_t>(std::clamp(fx, 0.0, double(g.nx - 1)));
  uint32_t j = static_cast<uint32_t>(std::clamp(fy, 0.0, double(g.ny - 1)));
  const Geometry::Cell &c = g.cells[size_t(j) * g.nx + i];
  if (c.state != Geometry::kEdgeCell) return c.state == Geometry::kInside;
  bool odd = c.parity;
  for (uint32_t k = c.begin; k < c.begin + c.count; ++k) {
    const Edge &ed = g.edges[g.cell_edges[k]];
    if (on_edge(ed, p.lon, p.lat)) return true;
    if (ray_crosses(ed, p.lon, p.lat)) odd = !odd;
  }
  return odd;
}

Geometry build_geometry(const Polygon &poly, bool grid) {
  Geometry g;
  auto add = [&](const std::vector<core::LonLat> &r) {
    for (size_t i = 0; i + 1 < r.size(); ++i)
      g.edges.push_back({r[i].lon, r[i].lat, r[i + 1].lon, r[i + 1].lat});
  };
  add(poly.outer);
  for (const auto &h : poly.holes) add(h);
  g.box = {poly.outer[0].lon, poly.outer[0].lat, poly.outer[0].lon, poly.outer[0].lat};
  for (const auto &v : poly.outer) {
    g.box.min_lon = std::min(g.box.min_lon, v.lon), g.box.max_lon = std::max(g.box.max_lon, v.lon);
    g.box.min_lat = std::min(g.box.min_lat, v.lat), g.box.max_lat = std::max(g.box.max_lat, v.lat);
  }
  const double w = g.box.max_lon - g.box.min_lon, h = g.box.max_lat - g.box.min_lat;
  if (!grid || g.edges.size() < kMinGridEdges || w <= 0 || h <= 0) return g;

  // Cells about as many as edges, shaped like the box.
  double target =
      std::min<double>(kMaxLocalCells, std::max(16.0, kCellsPerEdge * double(g.edges.size())));
  g.nx = static_cast<uint32_t>(std::clamp(std::round(std::sqrt(target * w / h)), 1.0, 256.0));
  g.ny = static_cast<uint32_t>(std::clamp(std::round(target / g.nx), 1.0, 256.0));
  g.cw = w / g.nx, g.ch = h / g.ny;
  g.inv_cw = 1 / g.cw, g.inv_ch = 1 / g.ch;
  g.cells.assign(size_t(g.nx) * g.ny, {});
  // A cell is treated as slightly larger than it is, so that rounding in the
  // query's cell index and points within kBoundaryEps of an edge are covered by
  // the edges the cell lists.
  const double mx = 2 * kBoundaryEps + g.cw * 1e-6, my = 2 * kBoundaryEps + g.ch * 1e-6;
  auto col = [&](double x) {
    return std::clamp((x - g.box.min_lon) * g.inv_cw, 0.0, double(g.nx - 1));
  };
  auto row = [&](double y) {
    return std::clamp((y - g.box.min_lat) * g.inv_ch, 0.0, double(g.ny - 1));
  };

  // 1. Cells an edge's (expanded) box touches are edge cells — conservative.
  for (const Edge &e : g.edges) {
    uint32_t i0 = uint32_t(col(std::min(e.ax, e.bx) - mx)),
             i1 = uint32_t(col(std::max(e.ax, e.bx) + mx));
    uint32_t j0 = uint32_t(row(std::min(e.ay, e.by) - my)),
             j1 = uint32_t(row(std::max(e.ay, e.by) + my));
    for (uint32_t j = j0; j <= j1; ++j)
      for (uint32_t i = i0; i <= i1; ++i) g.cells[size_t(j) * g.nx + i].state = Geometry::kEdgeCell;
  }
  // 2. Row by row: the other cells take the status of their centre (crossings
  // sorted along the
  //    centre line); edge cells get their edge lists and the constant parity.
  std::vector<double> xs;
  std::vector<uint32_t> strip;
  for (uint32_t j = 0; j < g.ny; ++j) {
    const double y_lo = g.box.min_lat + j * g.ch - my, y_hi = g.box.min_lat + (j + 1) * g.ch + my;
    const double cy = g.box.min_lat + (j + 0.5) * g.ch;
    xs.clear();
    strip.clear();
    for (uint32_t k = 0; k < g.edges.size(); ++k) {
      const Edge &e = g.edges[k];
      if ((e.ay > cy) != (e.by > cy))
        xs.push_back((e.bx - e.ax) * (cy - e.ay) / (e.by - e.ay) + e.ax);
      if (std::max(e.ay, e.by) >= y_lo && std::min(e.ay, e.by) <= y_hi) strip.push_back(k);
    }
    std::sort(xs.begin(), xs.end());
    for (uint32_t i = 0; i < g.nx; ++i) {
      Geometry::Cell &c = g.cells[size_t(j) * g.nx + i];
      if (c.state != Geometry::kEdgeCell) {
        double cx = g.box.min_lon + (i + 0.5) * g.cw;
        size_t east = size_t(xs.end() - std::upper_bound(xs.begin(), xs.end(), cx));
        c.state = (east & 1) ? Geometry::kInside : Geometry::kOutside;
        continue;
      }
      const double x_lo = g.box.min_lon + i * g.cw - mx, x_hi = g.box.min_lon + (i + 1) * g.cw + mx;
      c.begin = static_cast<uint32_t>(g.cell_edges.size());
      for (uint32_t k : strip) {
        const Edge &e = g.edges[k];
        if (std::max(e.ax, e.bx) < x_lo)
          continue;  // wholly west: never crossed by a ray from the cell
        if (std::min(e.ax, e.bx) > x_hi && std::min(e.ay, e.by) < y_lo &&
            std::max(e.ay, e.by) > y_hi) {
          c.parity ^= 1;  // wholly east and spanning the row: crossed by every
                          // ray from the cell
          continue;
        }
        g.cell_edges.push_back(k);
      }
      c.count = static_cast<uint32_t>(g.cell_edges.size()) - c.begin;
    }
  }
  g.cell_edges.shrink_to_fit();
  return g;
}

}  // namespace liandong::geofence::internal
