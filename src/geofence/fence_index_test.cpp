#include "geofence/fence_index.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <random>

#include "geofence/internal/geometry.h"

namespace liandong::geofence {
namespace {

using core::LonLat;

Fence fence(std::string id, Polygon area) {
  Fence f;
  f.id = std::move(id);
  f.area = std::move(area);
  f.rules.on_enter = true;
  return f;
}

std::vector<uint32_t> in(const FenceIndex &idx, LonLat p) {
  std::vector<uint32_t> out;
  idx.containing(p, out);
  return out;
}

// A ring of n vertices on a circle of radius r degrees around c, optionally
// wobbling in radius.
std::vector<LonLat> circle(LonLat c, double r, int n, std::mt19937_64 *rng = nullptr,
                           double lo = 1.0) {
  std::vector<LonLat> v;
  std::uniform_real_distribution<double> k(lo, 1.0);
  for (int i = 0; i < n; ++i) {
    double a = 2 * std::numbers::pi * i / n, rr = r * (rng ? k(*rng) : 1.0);
    v.push_back({c.lon + rr * std::cos(a), c.lat + rr * std::sin(a)});
  }
  return v;
}

TEST(FenceIndex, SquareWithHoleAndItsBoundaries) {
  // Outer 0..4 x 0..4, hole 1..3 x 1..3.
  auto idx = FenceIndex::build(
      {fence("sq", {{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, {{{1, 1}, {3, 1}, {3, 3}, {1, 3}}}})});
  ASSERT_TRUE(idx.is_ok()) << idx.status().to_string();
  const std::vector<uint32_t> yes{0}, no{};
  EXPECT_EQ(in(*idx, {0.5, 0.5}), yes);  // in the ring between outer and hole
  EXPECT_EQ(in(*idx, {3.5, 2.0}), yes);
  EXPECT_EQ(in(*idx, {2.0, 2.0}), no);  // in the hole
  EXPECT_EQ(in(*idx, {5.0, 2.0}), no);  // outside
  EXPECT_EQ(in(*idx, {-0.1, 2.0}), no);
  EXPECT_EQ(in(*idx, {0.0, 2.0}), yes);  // on the outer boundary
  EXPECT_EQ(in(*idx, {4.0, 4.0}), yes);  // an outer vertex
  EXPECT_EQ(in(*idx, {2.0, 4.0}), yes);  // top edge
  EXPECT_EQ(in(*idx, {1.0, 2.0}),
            yes);                              // on the hole's boundary: boundary counts as inside
  EXPECT_EQ(in(*idx, {3.0, 3.0}), yes);        // a hole vertex
  EXPECT_EQ(in(*idx, {2.0, 4.0 + 1e-6}), no);  // 0.1 m off the edge is outside
}

TEST(FenceIndex, ConcaveShape) {
  // A "U": 0..3 x 0..3 with the notch 1..2 x 1..3 cut from the top.
  auto idx = FenceIndex::build(
      {fence("u", {{{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}}, {}})});
  ASSERT_TRUE(idx.is_ok());
  EXPECT_EQ(in(*idx, {1.5, 2.0}).size(),
            0u);                               // in the notch: inside the box, outside the shape
  EXPECT_EQ(in(*idx, {1.5, 0.5}).size(), 1u);  // the bottom bar
  EXPECT_EQ(in(*idx, {0.5, 2.5}).size(), 1u);  // left arm
  EXPECT_EQ(in(*idx, {2.5, 2.5}).size(), 1u);  // right arm
  EXPECT_EQ(in(*idx, {1.5, 1.0}).size(), 1u);  // the notch's floor is boundary
  EXPECT_EQ(in(*idx, {1.5, 3.0}).size(), 0u);  // the notch's open top is outside
}

TEST(FenceIndex, RayThroughAVertexCountsOnce) {
  // A diamond: a ray eastwards from (0, 0) passes exactly through the vertex
  // (2, 0).
  auto idx = FenceIndex::build({fence("d", {{{1, -1}, {2, 0}, {1, 1}, {0.5, 0}}, {}})});
  ASSERT_TRUE(idx.is_ok());
  EXPECT_EQ(in(*idx, {0.0, 0.0}).size(), 0u);
  EXPECT_EQ(in(*idx, {1.0, 0.0}).size(), 1u);
}

TEST(FenceIndex, LargePolygonAcrossManyGridCellsAgreesWithTheReference) {
  // A 400-vertex wobbly circle with a 100-vertex hole: the polygon gets a local
  // grid (about 500 cells) and, among 200 small fences, spans many cells of the
  // global grid.
  std::mt19937_64 rng(7);
  std::vector<Fence> fences;
  fences.push_back(fence(
      "big", {circle({114.5, 23.0}, 0.3, 400, &rng, 0.8), {circle({114.5, 23.0}, 0.1, 100)}}));
  std::uniform_real_distribution<double> u(0, 1);
  for (int i = 0; i < 200; ++i)
    fences.push_back(
        fence("s" + std::to_string(i), {circle({114 + u(rng), 22.5 + u(rng)}, 0.01, 8), {}}));
  auto idx = FenceIndex::build(fences);
  ASSERT_TRUE(idx.is_ok());
  auto g = internal::build_geometry(idx->fence(0).area, true);
  ASSERT_GT(g.nx * g.ny, 100u);  // really has a grid
  size_t inside = 0, edge_cells = 0;
  for (const auto &c : g.cells)
    inside += c.state == internal::Geometry::kInside, edge_cells += c.state == 2;
  EXPECT_GT(inside, 0u);
  EXPECT_GT(edge_cells, 0u);
  // A lattice of 300 x 300 points over the box: grid and reference agree on
  // every one.
  int disagree = 0, hits = 0;
  for (int a = 0; a <= 300; ++a)
    for (int b = 0; b <= 300; ++b) {
      LonLat p{114.2 + 0.6 * a / 300, 22.7 + 0.6 * b / 300};
      bool want = internal::contains_reference(g, p);
      disagree += internal::contains(g, p) != want;
      hits += want;
    }
  EXPECT_EQ(disagree, 0);
  EXPECT_GT(hits, 10000);
  // Every vertex and every edge midpoint of both rings is on the boundary,
  // hence inside.
  for (const auto *ring : {&idx->fence(0).area.outer, &idx->fence(0).area.holes[0]})
    for (size_t i = 0; i + 1 < ring->size(); ++i) {
      LonLat v = (*ring)[i], w = (*ring)[i + 1];
      LonLat mid{(v.lon + w.lon) / 2, (v.lat + w.lat) / 2};
      auto got = in(*idx, v);
      EXPECT_TRUE(!got.empty() && got[0] == 0) << "vertex " << i;
      got = in(*idx, mid);
      EXPECT_TRUE(!got.empty() && got[0] == 0) << "midpoint " << i;
    }
}

TEST(FenceIndex, AgreesWithBruteForceOnRandomPolygonsAndPoints) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<Fence> fences;
  for (int i = 0; i < 3000; ++i) {
    LonLat c{114.0 + 1.5 * u(rng), 22.5 + 1.3 * u(rng)};
    bool big = i % 100 == 0;
    double r = big ? 0.05 + 0.1 * u(rng) : 0.002 + 0.02 * u(rng);
    int n = big ? 200 + int(300 * u(rng)) : 8 + int(56 * u(rng));
    Polygon p{circle(c, r, n, &rng, 0.5), {}};
    if (i % 7 == 0)
      p.holes.push_back(circle(c, 0.4 * r, 8 + i % 40, &rng,
                               0.6));  // star-shaped: no crossing
    fences.push_back(fence("f" + std::to_string(i), std::move(p)));
  }
  auto idx = FenceIndex::build(fences);
  ASSERT_TRUE(idx.is_ok()) << idx.status().to_string();
  std::vector<uint32_t> a, b;
  size_t nonempty = 0, total = 0;
  for (int k = 0; k < 20000; ++k) {
    LonLat p{113.95 + 1.6 * u(rng), 22.45 + 1.4 * u(rng)};
    idx->containing(p, a);
    idx->containing_naive(p, b);
    ASSERT_EQ(a, b) << "at " << p.lon << "," << p.lat;
    nonempty += !a.empty();
    total += a.size();
  }
  EXPECT_GT(nonempty,
            1000u);            // the test exercises real containment, not only empty answers
  EXPECT_GT(total, nonempty);  // and overlapping fences
}

TEST(FenceIndex, NonFinitePointsAndEmptyIndex) {
  auto idx = FenceIndex::build({fence("sq", {{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, {}})});
  ASSERT_TRUE(idx.is_ok());
  const double nan = std::numeric_limits<double>::quiet_NaN(),
               inf = std::numeric_limits<double>::infinity();
  std::vector<uint32_t> out{7, 8};
  idx->containing({nan, 1}, out);
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(in(*idx, {1, inf}).empty());
  EXPECT_TRUE(in(*idx, {1e308, -1e308}).empty());
  auto empty = FenceIndex::build({});
  ASSERT_TRUE(empty.is_ok());
  EXPECT_TRUE(in(*empty, {1, 1}).empty());
  EXPECT_EQ(empty->size(), 0u);
}

TEST(FenceIndex, BuildErrorsNameTheFence) {
  Fence ok = fence("a", {{{0, 0}, {1, 0}, {1, 1}}, {}});
  Fence bowtie = fence("b", {{{0, 0}, {2, 2}, {2, 0}, {0, 3}}, {}});
  auto r = FenceIndex::build({ok, bowtie});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().field(), "fences[1].area");
  auto d = FenceIndex::build({ok, ok});
  ASSERT_FALSE(d.is_ok());
  EXPECT_EQ(d.status().field(), "fences[1].id");
  EXPECT_NE(d.status().message().find("duplicate"), std::string::npos);
}

TEST(FenceIndex, OutputIsAscendingAndReportsMemory) {
  std::vector<Fence> fs;
  for (int i = 0; i < 5; ++i)
    fs.push_back(fence("n" + std::to_string(i), {circle({0, 0}, 1.0 + i, 32), {}}));
  auto idx = FenceIndex::build(fs);
  ASSERT_TRUE(idx.is_ok());
  EXPECT_EQ(in(*idx, {0, 0}), (std::vector<uint32_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(in(*idx, {2.5, 0}), (std::vector<uint32_t>{2, 3, 4}));
  EXPECT_GT(idx->memory_bytes(), 5 * 32 * sizeof(internal::Edge));
}

}  // namespace
}  // namespace liandong::geofence
