#include "geofence/fence_index.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>

#include "geofence/internal/geometry.h"

namespace liandong::geofence {
namespace internal {

// Global uniform grid over the union of the fences' boxes; each cell lists the
// fences whose box overlaps it (ascending), so a query reads one cell and tests
// only those fences.
struct IndexData {
  std::vector<Fence> fences;
  std::vector<Geometry> geoms;
  core::BBox box{0, 0, 0, 0};
  uint32_t nx = 0, ny = 0;
  double inv_cw = 0, inv_ch = 0;
  std::vector<uint32_t> cell_begin;   // nx*ny + 1 offsets into cell_fences
  std::vector<uint32_t> cell_fences;  // fence index, | kWholeCell when the cell is wholly inside
};

}  // namespace internal

namespace {

constexpr size_t kMaxGridCells = size_t(1) << 22;
constexpr size_t kMaxGridEntries = size_t(1) << 24;
constexpr double kCellsPerFence = 32.0;
constexpr uint32_t kWholeCell = 0x80000000u;  // entry flag: the cell lies wholly inside the fence

using internal::IndexData;

struct CellRange {
  uint32_t i0, i1, j0, j1;
};

CellRange range_of(const IndexData &d, const core::BBox &b, double cw, double ch) {
  const double e = internal::kBoundaryEps;
  auto c = [](double v, uint32_t n) { return uint32_t(std::clamp(v, 0.0, double(n - 1))); };
  return {
      c((b.min_lon - e - d.box.min_lon) / cw, d.nx), c((b.max_lon + e - d.box.min_lon) / cw, d.nx),
      c((b.min_lat - e - d.box.min_lat) / ch, d.ny), c((b.max_lat + e - d.box.min_lat) / ch, d.ny)};
}

// Marks of one fence over its range of global cells: which cells an edge's box
// (grown by the margin) touches. Untouched cells are wholly inside or wholly
// outside the fence.
void fence_entries(const IndexData &d, uint32_t f, double cw, double ch,
                   std::vector<std::pair<uint32_t, uint32_t>> &out, std::vector<uint8_t> &touched) {
  const internal::Geometry &g = d.geoms[f];
  const CellRange r = range_of(d, g.box, cw, ch);
  const uint32_t w = r.i1 - r.i0 + 1, h = r.j1 - r.j0 + 1;
  const double mx = 2 * internal::kBoundaryEps + cw * 1e-6,
               my = 2 * internal::kBoundaryEps + ch * 1e-6;
  touched.assign(size_t(w) * h, 0);
  auto cl = [](double v, uint32_t lo, uint32_t hi) {
    return uint32_t(std::clamp(v, double(lo), double(hi)));
  };
  for (const internal::Edge &e : g.edges) {
    uint32_t i0 = cl((std::min(e.ax, e.bx) - mx - d.box.min_lon) / cw, r.i0, r.i1);
    uint32_t i1 = cl((std::max(e.ax, e.bx) + mx - d.box.min_lon) / cw, r.i0, r.i1);
    uint32_t j0 = cl((std::min(e.ay, e.by) - my - d.box.min_lat) / ch, r.j0, r.j1);
    uint32_t j1 = cl((std::max(e.ay, e.by) + my - d.box.min_lat) / ch, r.j0, r.j1);
    for (uint32_t j = j0; j <= j1; ++j)
      for (uint32_t i = i0; i <= i1; ++i) touched[size_t(j - r.j0) * w + (i - r.i0)] = 1;
  }
  for (uint32_t j = r.j0; j <= r.j1; ++j)
    for (uint32_t i = r.i0; i <= r.i1; ++i) {
      const uint32_t cell = j * d.nx + i;
      if (touched[size_t(j - r.j0) * w + (i - r.i0)]) {
        out.push_back({cell, f});
      } else {
        core::LonLat centre{d.box.min_lon + (i + 0.5) * cw, d.box.min_lat + (j + 0.5) * ch};
        if (internal::contains(g, centre)) out.push_back({cell, f | kWholeCell});
      }
    }
}

void build_grid(IndexData &d) {
  if (d.geoms.empty()) return;
  d.box = d.geoms[0].box;
  for (const auto &g : d.geoms) {
    d.box.min_lon = std::min(d.box.min_lon, g.box.min_lon),
    d.box.max_lon = std::max(d.box.max_lon, g.box.max_lon);
    d.box.min_lat = std::min(d.box.min_lat, g.box.min_lat),
    d.box.max_lat = std::max(d.box.max_lat, g.box.max_lat);
  }
  const double w = std::max(d.box.max_lon - d.box.min_lon, 1e-9),
               h = std::max(d.box.max_lat - d.box.min_lat, 1e-9);
  double target = std::clamp(kCellsPerFence * double(d.geoms.size()), 1.0, double(kMaxGridCells));
  // Coarsen until the entries (fence-cell overlaps) stay under the limit: huge
  // fences in a fine grid would otherwise cost memory without saving tests.
  while (true) {
    d.nx = uint32_t(std::clamp(std::round(std::sqrt(target * w / h)), 1.0, 4096.0));
    d.ny = uint32_t(std::clamp(std::round(target / d.nx), 1.0, 4096.0));
    double cw = w / d.nx, ch = h / d.ny;
    size_t entries = 0;
    for (const auto &g : d.geoms) {
      CellRange r = range_of(d, g.box, cw, ch);
      entries += size_t(r.i1 - r.i0 + 1) * (r.j1 - r.j0 + 1);
    }
    if (entries <= kMaxGridEntries || (d.nx == 1 && d.ny == 1)) break;
    target /= 4;
  }
  const double cw = w / d.nx, ch = h / d.ny;
  d.inv_cw = 1 / cw, d.inv_ch = 1 / ch;
  std::vector<std::pair<uint32_t, uint32_t>> pairs;  // (cell, entry), fences ascending
  std::vector<uint8_t> touched;
  for (uint32_t f = 0; f < d.geoms.size(); ++f) fence_entries(d, f, cw, ch, pairs, touched);
  std::vector<uint32_t> count(size_t(d.nx) * d.ny + 1, 0);
  for (const auto &[cell, e] : pairs) ++count[cell + 1];
  for (size_t k = 1; k < count.size(); ++k) count[k] += count[k - 1];
  d.cell_begin = count;
  d.cell_fences.resize(pairs.size());
  for (const auto &[cell, e] : pairs)
    d.cell_fences[count[cell]++] = e;  // stable: each list ascending
}

}  // namespace

core::Result<FenceIndex> FenceIndex::build(std::vector<Fence> fences) {
  if (fences.size() > kMaxFences)
    return core::invalid(std::to_string(fences.size()) + " fences, more than the limit of " +
                             std::to_string(kMaxFences),
                         "fences");
  auto d = std::make_unique<IndexData>();
  std::unordered_set<std::string_view> ids;
  for (size_t i = 0; i < fences.size(); ++i) {
    const std::string field = "fences[" + std::to_string(i) + "]";
    LD_RETURN_IF_ERROR(normalize_fence(fences[i], field));
    if (!ids.insert(fences[i].id).second)
      return core::invalid(field + ": duplicate fence id \"" + fences[i].id + "\"", field + ".id");
  }
  d->fences = std::move(fences);  // moving a vector keeps its elements (and the
                                  // ids' views) in place
  d->geoms.reserve(d->fences.size());
  for (const auto &f : d->fences) d->geoms.push_back(internal::build_geometry(f.area, true));
  build_grid(*d);
  return FenceIndex(std::move(d));
}

FenceIndex::FenceIndex(std::unique_ptr<internal::IndexData> d) : d_(std::move(d)) {}
FenceIndex::FenceIndex(FenceIndex &&) noexcept = default;
FenceIndex &FenceIndex::operator=(FenceIndex &&) noexcept = default;
FenceIndex::~FenceIndex() = default;

void FenceIndex::containing(core::LonLat p, std::vector<uint32_t> &out) const {
  out.clear();
  const IndexData &d = *d_;
  if (d.nx == 0 || !std::isfinite(p.lon) || !std::isfinite(p.lat)) return;
  const double e = internal::kBoundaryEps;
  if (p.lon < d.box.min_lon - e || p.lon > d.box.max_lon + e || p.lat < d.box.min_lat - e ||
      p.lat > d.box.max_lat + e)
    return;
  // A fence is listed in every cell its boundary may touch (grown by a margin)
  // and, flagged, in every cell wholly inside it; cells wholly outside do not
  // list it.
  uint32_t i = uint32_t(std::clamp((p.lon - d.box.min_lon) * d.inv_cw, 0.0, double(d.nx - 1)));
  uint32_t j = uint32_t(std::clamp((p.lat - d.box.min_lat) * d.inv_ch, 0.0, double(d.ny - 1)));
  size_t c = size_t(j) * d.nx + i;
  for (uint32_t k = d.cell_begin[c]; k < d.cell_begin[c + 1]; ++k) {
    const uint32_t e = d.cell_fences[k], f = e & ~kWholeCell;
    if ((e & kWholeCell) || internal::contains(d.geoms[f], p)) out.push_back(f);
  }
}

void FenceIndex::containing_naive(core::LonLat p, std::vector<uint32_t> &out) const {
  out.clear();
  if (!std::isfinite(p.lon) || !std::isfinite(p.lat)) return;
  const double e = internal::kBoundaryEps;
  for (uint32_t f = 0; f < d_->geoms.size(); ++f) {
    const auto &g = d_->geoms[f];
    if (p.lon < g.box.min_lon - e || p.lon > g.box.max_lon + e || p.lat < g.box.min_lat - e ||
        p.lat > g.box.max_lat + e)
      continue;
    if (internal::contains_reference(g, p)) out.push_back(f);
  }
}

size_t FenceIndex::size() const { return d_->fences.size(); }
const Fence &FenceIndex::fence(uint32_t i) const { return d_->fences[i]; }

size_t FenceIndex::memory_bytes() const {
  size_t n = sizeof(IndexData) + d_->cell_begin.capacity() * 4 + d_->cell_fences.capacity() * 4;
  for (const auto &g : d_->geoms) n += g.memory_bytes();
  return n;
}

}  // namespace liandong::geofence
