#include "roadimport/synth.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "core/geo.h"
#include "roadimport/internal/synth_names.h"
#include "routing/scc.h"

namespace liandong::roadimport {
namespace {

using routing::Coord;
using routing::kInvalid;
using routing::NodeId;
using routing::RoadClass;

// splitmix64's finaliser. Every random choice is a hash of (seed, what, where), so the city does
// not depend on the order things are generated in, and no std distribution (whose results differ
// between standard libraries) is involved.
uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}
uint64_t hash(uint64_t seed, uint64_t tag, uint64_t a, uint64_t b = 0) {
  return mix(mix(mix(seed + tag * 0x9E3779B97F4A7C15ull) ^ a) ^ (b * 0xD6E8FEB86659FD93ull));
}
double unit(uint64_t h) { return double(h >> 11) * 0x1.0p-53; }

enum class Kind : uint8_t { kArterial, kCollector, kOneWay, kLocal, kExpressway };

struct Street {
  Kind kind;
  double kmh;
  RoadClass road_class;
  int dir;  // +1: only towards the higher grid index; -1: only towards the lower; 0: both
  const char* type;
};

// The street on grid line `idx` (a row or a column): every 8th an arterial, every 4th a collector,
// lines 6 and 7 of every 12 a pair of one-way streets in opposite directions, the rest local.
Street line_street(uint32_t idx) {
  if (idx % 8 == 0) return {Kind::kArterial, 60, RoadClass::kPrimary, 0, "primary"};
  if (idx % 4 == 0) return {Kind::kCollector, 40, RoadClass::kSecondary, 0, "secondary"};
  if (idx % 12 == 6) return {Kind::kOneWay, 40, RoadClass::kTertiary, +1, "tertiary"};
  if (idx % 12 == 7) return {Kind::kOneWay, 40, RoadClass::kTertiary, -1, "tertiary"};
  return {Kind::kLocal, 30, RoadClass::kResidential, 0, "residential"};
}
constexpr Street kExpressway{Kind::kExpressway, 80, RoadClass::kMotorway, 0, "motorway"};

constexpr uint32_t kSection = 20;  // blocks per named section ("文明一路", "文明二路")
constexpr double kMissing = 0.07;  // share of local blocks without a street
constexpr uint32_t kInterchangeEvery = 8;  // expressways meet the arterials only
constexpr uint32_t kAddressEvery = 10;     // about one house number per this many nodes

uint64_t key(uint32_t i, uint32_t j) { return (uint64_t(i) << 32) | j; }

class CityBuilder {
 public:
  explicit CityBuilder(const SynthOptions& options) : o_(options) {
    o_.nodes = std::clamp<uint32_t>(o_.nodes, 100, 20'000'000);
    o_.spacing_m = std::clamp(o_.spacing_m, 20.0, 2000.0);
    m_per_deg_lat_ = 111'132.95;
    m_per_deg_lon_ = 111'319.49 * std::cos(o_.center_lat * M_PI / 180.0);
    name_offset_ = hash(o_.seed, 9, 0) % internal::base_name_count();
  }

  SynthCity build() {
    choose_size();
    lay_river();
    add_grid_nodes();
    if (w_ >= 40 && h_ >= 32) add_expressways();
    add_streets();
    add_bridges();
    add_places();
    SynthCity city;
    routing::Graph all = std::move(builder_).build();
    city.graph = routing::largest_strongly_connected(all, nullptr);
    city.graph.external_id.clear();  // ids are the node indices
    city.places = std::move(places_);
    for (uint32_t i = 0; i < w_; ++i) city.river.push_back(position(i, river_[i]));
    city.river_width_m = (2.0 * rw_ + 2.0) * o_.spacing_m;
    city.bridges = bridges_;
    return city;
  }

 private:
  NodeId id(uint32_t i, uint32_t j) const { return grid_[size_t(j) * w_ + i]; }
  bool in_river(uint32_t i, uint32_t j) const {
    return j + rw_ >= river_[i] && j <= river_[i] + rw_;
  }

  Coord position(double gx, double gy, double jx = 0, double jy = 0) const {
    const double x = (gx - (w_ - 1) / 2.0 + jx) * o_.spacing_m;
    const double y = (gy - (h_ - 1) / 2.0 + jy) * o_.spacing_m;
    return Coord::from_degrees(o_.center_lon + x / m_per_deg_lon_,
                               o_.center_lat + y / m_per_deg_lat_);
  }

  NodeId add_node(Coord c) {
    coord_.push_back(c);
    return builder_.add_node(c, builder_.node_count());
  }

  void add_arc(NodeId u, NodeId v, double length_m, const Street& s) {
    const double time = length_m / (s.kmh / 3.6) * 1000.0;
    builder_.add_arc(u, v, uint32_t(std::max<long>(1, std::lround(time))),
                     uint32_t(std::lround(length_m)), s.road_class);
  }

  // A road between u and v; `s.dir` relative to u → v.
  void add_road(NodeId u, NodeId v, const Street& s) {
    const Coord a = coord_[u], b = coord_[v];
    const double d = core::distance_m({a.lon(), a.lat()}, {b.lon(), b.lat()});
    if (s.dir >= 0) add_arc(u, v, d, s);
    if (s.dir <= 0) add_arc(v, u, d, s);
  }

  // Rows (h) and columns (w) of the grid so that the grid less the river holds about `nodes`.
  void choose_size() {
    for (uint32_t h = 4;; ++h) {
      const uint32_t rw = h >= 120 ? 2 : h >= 40 ? 1 : 0;
      const uint32_t land = h - (2 * rw + 1);
      if (uint64_t(std::llround(1.25 * h)) * land >= o_.nodes) {
        h_ = h;
        rw_ = rw;
        w_ = uint32_t((o_.nodes + land - 1) / land);
        return;
      }
    }
  }

  // The river's centre row per column: a slow random walk around the middle.
  void lay_river() {
    const int64_t c0 = h_ / 2;
    const int64_t amp = std::max<int64_t>(1, h_ / 10);
    const int64_t lo = std::max<int64_t>(c0 - amp, rw_ + 2);
    const int64_t hi = std::min<int64_t>(c0 + amp, int64_t(h_) - rw_ - 3);
    int64_t c = c0;
    river_.resize(w_);
    for (uint32_t i = 0; i < w_; ++i) {
      if (i > 0 && i % 6 == 0)
        c = std::clamp<int64_t>(c + int64_t(hash(o_.seed, 1, i) % 3) - 1, lo, hi);
      river_[i] = uint32_t(c);
    }
  }

  void add_grid_nodes() {
    grid_.assign(size_t(w_) * h_, kInvalid);
    for (uint32_t j = 0; j < h_; ++j) {
      for (uint32_t i = 0; i < w_; ++i) {
        if (in_river(i, j)) continue;
        const uint64_t r = hash(o_.seed, 2, i, j);
        const double jx = (unit(r) - 0.5) * 0.36;
        const double jy = (unit(mix(r)) - 0.5) * 0.36;
        grid_[size_t(j) * w_ + i] = add_node(position(i, j, jx, jy));
      }
    }
  }

  // An expressway station where the expressway crosses grid segment (i,j)-(i,j+1) (vertical
  // segment, `vertical` true) or (i,j)-(i+1,j); kInvalid when that segment does not exist.
  NodeId interchange(uint32_t i, uint32_t j, bool vertical) {
    const uint32_t i2 = vertical ? i : i + 1, j2 = vertical ? j + 1 : j;
    if (i2 >= w_ || j2 >= h_ || id(i, j) == kInvalid || id(i2, j2) == kInvalid) return kInvalid;
    auto& split = vertical ? split_v_ : split_h_;
    if (split.count(key(i, j))) return kInvalid;
    const NodeId s = add_node(position(vertical ? i : i + 0.5, vertical ? j + 0.5 : j));
    split[key(i, j)] = s;
    return s;
  }

  // Stations along a horizontal leg at half-row b+0.5 from half-column a0+0.5 to a1+0.5 (or a
  // vertical leg at half-column b+0.5 from half-row a0+0.5 to a1+0.5).
  void leg(uint32_t b, uint32_t a0, uint32_t a1, bool horizontal, std::vector<NodeId>& out) {
    const int step = a1 > a0 ? 1 : -1;
    for (int64_t k = int64_t(a0) + (step > 0 ? 1 : 0); k != int64_t(a1) + (step > 0 ? 1 : 0);
         k += step) {
      if (k % kInterchangeEvery != 0) continue;
      const NodeId s =
          horizontal ? interchange(uint32_t(k), b, true) : interchange(b, uint32_t(k), false);
      if (s != kInvalid) out.push_back(s);
    }
  }

  void expressway(const std::vector<NodeId>& stations, bool closed, const std::string& name) {
    for (size_t k = 0; k + 1 < stations.size(); ++k)
      add_road(stations[k], stations[k + 1], kExpressway);
    if (closed && stations.size() > 2) add_road(stations.back(), stations.front(), kExpressway);
    if (!stations.empty())
      add_place(geocode::PlaceKind::kStreet, name, "motorway",
                coord_[stations[stations.size() / 2]]);
  }

  // A ring (between 1/5 and 4/5 of the city each way) and a north-south expressway through the
  // middle; both cross the river and meet the streets only at arterials.
  void add_expressways() {
    const uint32_t x0 = w_ / 5, x1 = w_ - 2 - w_ / 5, y0 = h_ / 5, y1 = h_ - 2 - h_ / 5;
    std::vector<NodeId> ring;
    auto corner = [&](uint32_t x, uint32_t y) {
      ring.push_back(add_node(position(x + 0.5, y + 0.5)));
    };
    corner(x0, y0);
    leg(y0, x0, x1, true, ring);
    corner(x1, y0);
    leg(x1, y0, y1, false, ring);
    corner(x1, y1);
    leg(y1, x1, x0, true, ring);
    corner(x0, y1);
    leg(x0, y1, y0, false, ring);
    expressway(ring, true, "环城快速路");
    std::vector<NodeId> north_south;
    leg(w_ / 2, 0, h_ - 1, false, north_south);
    expressway(north_south, false, "惠州大道");
  }

  void add_segment(uint32_t i, uint32_t j, bool vertical, const Street& s) {
    const NodeId u = id(i, j);
    const NodeId v = vertical ? id(i, j + 1) : id(i + 1, j);
    if (u == kInvalid || v == kInvalid) return;
    if (s.kind == Kind::kLocal && unit(hash(o_.seed, vertical ? 4 : 3, i, j)) < kMissing) return;
    const auto& split = vertical ? split_v_ : split_h_;
    if (auto it = split.find(key(i, j)); it != split.end()) {
      add_road(u, it->second, s);
      add_road(it->second, v, s);
    } else {
      add_road(u, v, s);
    }
  }

  void add_streets() {
    for (uint32_t j = 0; j < h_; ++j) {
      const Street s = line_street(j);
      for (uint32_t i = 0; i + 1 < w_; ++i) add_segment(i, j, false, s);
    }
    for (uint32_t i = 0; i < w_; ++i) {
      const Street s = line_street(i);
      for (uint32_t j = 0; j + 1 < h_; ++j) add_segment(i, j, true, s);
    }
  }

  // Street bridges: every 16th column (an arterial) in a large city, about three in a small one;
  // always on two-way streets (columns that are multiples of 4).
  void add_bridges() {
    const uint32_t every = w_ >= 48 ? 16 : std::max<uint32_t>(4, w_ / 3 / 4 * 4);
    for (uint32_t i = every / 2 / 4 * 4; i < w_; i += every) {
      const NodeId u = id(i, river_[i] - rw_ - 1), v = id(i, river_[i] + rw_ + 1);
      if (u == kInvalid || v == kInvalid) continue;
      add_road(u, v, line_street(i));
      ++bridges_;
      const Coord a = coord_[u], b = coord_[v];
      add_place(geocode::PlaceKind::kPlace, "东江" + internal::chinese_number(bridges_) + "桥",
                "bridge",
                Coord{int32_t((int64_t(a.lon_e7) + b.lon_e7) / 2),
                      int32_t((int64_t(a.lat_e7) + b.lat_e7) / 2)});
    }
  }

  void add_place(geocode::PlaceKind kind, std::string name, std::string type, Coord c) {
    geocode::PlaceRecord p;
    p.kind = kind;
    p.name = std::move(name);
    p.type = std::move(type);
    p.lon = c.lon();
    p.lat = c.lat();
    places_.push_back(std::move(p));
  }

  // The name of the street on grid line `line` (rows 0..h-1, then columns) in section `section`.
  std::string street_name(uint32_t line, uint32_t length, uint32_t section) const {
    const uint64_t n = internal::base_name_count();
    const uint64_t index = (uint64_t(line % n) * 7919 + name_offset_) % n + uint64_t(line / n) * n;
    const std::string base = internal::base_name(index);
    const Street s = line_street(line < h_ ? line : line - h_);
    if (s.kind == Kind::kArterial) return base + "大道";
    const uint32_t sections = (length + kSection - 1) / kSection;
    const std::string number = sections > 1 ? internal::chinese_number(section + 1) : "";
    if (s.kind != Kind::kLocal) return base + number + "路";
    static constexpr const char* kSuffix[] = {"路", "街", "巷"};
    return base + number + kSuffix[hash(o_.seed, 5, line) % 3];
  }

  // The nearest existing node to (i, j) along the line, within [lo, hi).
  NodeId node_near(uint32_t i, uint32_t j, bool vertical, uint32_t lo, uint32_t hi) const {
    const uint32_t mid = vertical ? j : i;
    for (uint32_t d = 0; d < hi - lo; ++d) {
      for (int64_t k : {int64_t(mid) - d, int64_t(mid) + d}) {
        if (k < int64_t(lo) || k >= int64_t(hi)) continue;
        const NodeId v = vertical ? id(i, uint32_t(k)) : id(uint32_t(k), j);
        if (v != kInvalid) return v;
      }
    }
    return kInvalid;
  }

  void street_places(uint32_t line, uint32_t fixed, uint32_t length, bool vertical) {
    const Street s = line_street(fixed);
    const uint32_t section_length = s.kind == Kind::kArterial ? length : kSection;
    for (uint32_t lo = 0, section = 0; lo < length; lo += section_length, ++section) {
      const uint32_t hi = std::min(length, lo + section_length);
      const uint32_t mid = (lo + hi) / 2;
      const NodeId v =
          vertical ? node_near(fixed, mid, true, lo, hi) : node_near(mid, fixed, false, lo, hi);
      if (v == kInvalid) continue;
      add_place(geocode::PlaceKind::kStreet, street_name(line, length, section), s.type, coord_[v]);
    }
  }

  void add_places() {
    for (uint32_t j = 0; j < h_; ++j) street_places(j, j, w_, false);
    for (uint32_t i = 0; i < w_; ++i) street_places(h_ + i, i, h_, true);
    // House numbers: odd on one side of the street, even on the other, a few metres off it.
    for (uint32_t j = 0; j < h_; ++j) {
      for (uint32_t i = 0; i < w_; ++i) {
        const uint64_t r = hash(o_.seed, 6, i, j);
        if (id(i, j) == kInvalid || r % kAddressEvery != 0) continue;
        const bool on_column = (r >> 20) & 1;
        const uint32_t fixed = on_column ? i : j, along = on_column ? j : i;
        const uint32_t line = on_column ? h_ + i : j, length = on_column ? h_ : w_;
        const bool arterial = line_street(fixed).kind == Kind::kArterial;
        const uint32_t side = (r >> 21) & 1;
        const uint32_t number = (arterial ? along : along % kSection) * 4 + 2 - side;
        geocode::PlaceRecord p;
        p.kind = geocode::PlaceKind::kAddress;
        p.street = street_name(line, length, along / kSection);
        p.housenumber = std::to_string(number) + "号";
        p.type = "house";
        const Coord c = coord_[id(i, j)];
        const double off = (side ? 12.0 : -12.0);
        p.lon = c.lon() + (on_column ? off / m_per_deg_lon_ : 0);
        p.lat = c.lat() + (on_column ? 0 : off / m_per_deg_lat_);
        places_.push_back(std::move(p));
      }
    }
    // Districts on a 3×3 layout, neighbourhoods every 24 blocks, the river.
    const auto& districts = internal::district_names();
    for (uint32_t b = 0; b < 3; ++b) {
      for (uint32_t a = 0; a < 3; ++a) {
        add_place(geocode::PlaceKind::kPlace, std::string(districts[b * 3 + a]) + "街道", "suburb",
                  position(w_ * (2 * a + 1) / 6.0, h_ * (2 * b + 1) / 6.0));
      }
    }
    uint64_t hood = 0;
    for (uint32_t y = 12; y < h_; y += 24) {
      for (uint32_t x = 12; x < w_; x += 24, ++hood) {
        const bool outer = x < w_ / 5 || x > w_ - w_ / 5 || y < h_ / 5 || y > h_ - h_ / 5;
        add_place(geocode::PlaceKind::kPlace,
                  internal::base_name(hood * 7 + 3 + name_offset_) + (outer ? "村" : "社区"),
                  outer ? "village" : "neighbourhood", position(x + 0.5, y + 0.5));
      }
    }
    add_place(geocode::PlaceKind::kPlace, "东江", "river", position(w_ / 2.0, river_[w_ / 2]));
    // Landmarks near the centre, and more hospitals, schools and fire stations in a large city.
    uint64_t k = 0;
    auto landmark = [&](std::string name, std::string type, bool central) {
      const uint64_t r = hash(o_.seed, 7, k++);
      const uint32_t span_w = central ? std::max<uint32_t>(1, w_ / 2) : w_;
      const uint32_t span_h = central ? std::max<uint32_t>(1, h_ / 2) : h_;
      const uint32_t i = (central ? w_ / 4 : 0) + uint32_t(r % span_w);
      uint32_t j = (central ? h_ / 4 : 0) + uint32_t((r >> 32) % span_h);
      if (in_river(i, j)) j = river_[i] + rw_ + 1;  // on the north bank
      add_place(geocode::PlaceKind::kPlace, std::move(name), std::move(type),
                position(i + 0.3, j + 0.3));
    };
    for (const auto& l : internal::landmarks())
      landmark(std::string(l.name), std::string(l.type), true);
    for (uint32_t n = 2; n <= o_.nodes / 50'000 + 1; ++n) {
      landmark("第" + internal::chinese_number(n) + "人民医院", "hospital", false);
      landmark("第" + internal::chinese_number(n + 2) + "中学", "school", false);
      landmark("第" + internal::chinese_number(n) + "消防救援站", "fire_station", false);
    }
  }

  SynthOptions o_;
  uint32_t w_ = 0, h_ = 0, rw_ = 0;  // grid columns and rows; river half-width in rows
  std::vector<uint32_t> river_;      // the river's centre row in each column
  std::vector<NodeId> grid_;         // node of grid point (i, j), kInvalid in the river
  std::vector<Coord> coord_;
  routing::GraphBuilder builder_;
  std::unordered_map<uint64_t, NodeId> split_v_, split_h_;  // grid segment → expressway station
  std::vector<geocode::PlaceRecord> places_;
  double m_per_deg_lon_ = 0, m_per_deg_lat_ = 0;
  uint64_t name_offset_ = 0;
  uint32_t bridges_ = 0;
};

}  // namespace

SynthCity synth_city(const SynthOptions& options) { return CityBuilder(options).build(); }

}  // namespace liandong::roadimport
