#include "roadimport/osm.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <osmium/io/pbf_input.hpp>
#include <osmium/osm/node.hpp>
#include <osmium/osm/way.hpp>
#include <unordered_map>

#include "core/geo.h"
#include "roadimport/car_profile.h"
#include "roadimport/internal/osm_places.h"

namespace liandong::roadimport {
namespace {

using Clock = std::chrono::steady_clock;
using routing::Coord;
using routing::kInvalid;
using routing::NodeId;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

double distance(Coord a, Coord b) {
  return core::distance_m({a.lon(), a.lat()}, {b.lon(), b.lat()});
}

TagLookup lookup(const osmium::TagList& tags) {
  return [&tags](const char* key) { return tags[key]; };
}

struct Way {
  uint32_t first = 0, count = 0;  // its node references in Importer::refs_
  float forward_kmh = 0, backward_kmh = 0;
  routing::RoadClass road_class = routing::RoadClass::kOther;
};

// A place record whose position comes from a way's nodes: the middle node for a street, the
// centroid for an area.
struct PendingPlace {
  geocode::PlaceRecord record;
  uint32_t first = 0, count = 0;  // node references in Importer::refs_
  bool street = false;
};

class Importer {
 public:
  Importer(std::string path, const OsmImportOptions& options)
      : path_(std::move(path)), options_(options) {}

  core::Result<OsmImport> run() {
    const auto start = Clock::now();
    try {
      read_ways();
      index_refs();
      read_nodes();
    } catch (const std::exception& e) {
      return core::invalid(path_ + ": cannot read it as an OSM PBF file (" + e.what() + ")");
    }
    out_.report.read_seconds = seconds_since(start);
    if (ways_.empty()) return core::invalid(path_ + ": no roads a car may drive in this file");
    auto t = Clock::now();
    build_graph();
    position_places();
    out_.report.build_seconds = seconds_since(t);

    t = Clock::now();
    progress("connectivity", 0, 1);
    routing::Graph all = std::move(builder_).build();
    out_.report.nodes_before = all.node_count();
    out_.report.arcs_before = all.arc_count();
    out_.graph = routing::largest_strongly_connected(all, &out_.report.scc);
    progress("connectivity", 1, 1);
    out_.report.scc_seconds = seconds_since(t);
    for (const auto& p : out_.places) {
      auto& n = p.kind == geocode::PlaceKind::kStreet    ? out_.report.streets
                : p.kind == geocode::PlaceKind::kAddress ? out_.report.addresses
                                                         : out_.report.places;
      ++n;
    }
    out_.report.seconds = seconds_since(start);
    out_.report.peak_rss_bytes = peak_rss_bytes();
    return std::move(out_);
  }

 private:
  void progress(std::string_view phase, uint64_t done, uint64_t total) {
    if (options_.progress) options_.progress(phase, done, total);
  }

  // Pass 1: routable ways (profile and node references) and ways that carry places.
  void read_ways() {
    osmium::io::Reader reader(osmium::io::File(path_, "pbf"), osmium::osm_entity_bits::way);
    progress("ways", 0, reader.file_size());
    while (osmium::memory::Buffer buffer = reader.read()) {
      for (const osmium::Way& way : buffer.select<osmium::Way>()) {
        ++out_.report.osm_ways;
        const TagLookup tags = lookup(way.tags());
        const auto& nodes = way.nodes();
        const uint32_t first = uint32_t(osm_refs_.size());
        bool keep_refs = false;
        const WayProfile p = car_profile(tags);
        if (p.routable && nodes.size() >= 2) {
          ++out_.report.routable_ways;
          ways_.push_back({first, uint32_t(nodes.size()), float(p.forward_kmh),
                           float(p.backward_kmh), p.road_class});
          keep_refs = true;
          internal::Names names = internal::names_of(tags);
          if (!names.name.empty()) {
            PendingPlace s;
            s.record.kind = geocode::PlaceKind::kStreet;
            s.record.name = std::move(names.name);
            s.record.alt_name = std::move(names.alt);
            s.record.type = tags("highway");
            s.first = first;
            s.count = uint32_t(nodes.size());
            s.street = true;
            pending_.push_back(std::move(s));
          }
        }
        scratch_.clear();
        internal::place_records(tags, scratch_);
        for (auto& r : scratch_) {
          if (nodes.empty()) break;
          pending_.push_back({std::move(r), first, uint32_t(nodes.size()), false});
          keep_refs = true;
        }
        if (keep_refs) {
          for (const auto& n : nodes) osm_refs_.push_back(n.ref());
        }
      }
      progress("ways", reader.offset(), reader.file_size());
    }
    reader.close();
  }

  // The distinct node ids referenced, sorted; references become indices into them.
  void index_refs() {
    needed_ = osm_refs_;
    std::sort(needed_.begin(), needed_.end());
    needed_.erase(std::unique(needed_.begin(), needed_.end()), needed_.end());
    refs_.resize(osm_refs_.size());
    for (size_t k = 0; k < osm_refs_.size(); ++k) {
      refs_[k] = uint32_t(std::lower_bound(needed_.begin(), needed_.end(), osm_refs_[k]) -
                          needed_.begin());
    }
    std::vector<int64_t>().swap(osm_refs_);
    coord_.assign(needed_.size(), Coord{});
    located_.assign(needed_.size(), 0);
  }

  // Pass 2: locations of the needed nodes, and places tagged on nodes.
  void read_nodes() {
    osmium::io::Reader reader(osmium::io::File(path_, "pbf"), osmium::osm_entity_bits::node);
    progress("nodes", 0, reader.file_size());
    size_t cursor = 0;
    int64_t last = std::numeric_limits<int64_t>::min();
    while (osmium::memory::Buffer buffer = reader.read()) {
      for (const osmium::Node& node : buffer.select<osmium::Node>()) {
        ++out_.report.osm_nodes;
        const int64_t id = node.id();
        // Files are sorted by id as a rule; search from the last position then.
        if (id < last) cursor = 0;
        last = id;
        cursor =
            size_t(std::lower_bound(needed_.begin() + cursor, needed_.end(), id) - needed_.begin());
        const osmium::Location loc = node.location();
        if (!loc.valid()) continue;
        const Coord c{loc.x(), loc.y()};
        if (cursor < needed_.size() && needed_[cursor] == id) {
          coord_[cursor] = c;
          located_[cursor] = 1;
        }
        if (node.tags().empty()) continue;
        const size_t before = out_.places.size();
        internal::place_records(lookup(node.tags()), out_.places);
        for (size_t k = before; k < out_.places.size(); ++k) {
          out_.places[k].lon = c.lon();
          out_.places[k].lat = c.lat();
        }
      }
      progress("nodes", reader.offset(), reader.file_size());
    }
    reader.close();
  }

  NodeId graph_node(uint32_t idx) {
    if (graph_id_[idx] == kInvalid)
      graph_id_[idx] = builder_.add_node(coord_[idx], uint64_t(needed_[idx]));
    return graph_id_[idx];
  }

  // Arcs along the polyline seq (indices of needed nodes) between its two end nodes.
  void emit(std::span<const uint32_t> seq, const Way& way) {
    const NodeId u = graph_node(seq.front());
    const NodeId v = graph_node(seq.back());
    if (u == v) {  // a loop: split it at its middle point, or drop it when it has none
      if (seq.size() < 3) return;
      const size_t mid = seq.size() / 2;
      emit(seq.subspan(0, mid + 1), way);
      emit(seq.subspan(mid), way);
      return;
    }
    double length = 0;
    shape_.clear();
    for (size_t k = 1; k < seq.size(); ++k) {
      length += distance(coord_[seq[k - 1]], coord_[seq[k]]);
      if (k + 1 < seq.size()) shape_.push_back(coord_[seq[k]]);
    }
    const uint32_t length_m = uint32_t(std::lround(length));
    auto time_ms = [&](double kmh) {
      return uint32_t(std::max<long>(1, std::lround(length / (kmh / 3.6) * 1000.0)));
    };
    if (way.forward_kmh > 0)
      builder_.add_arc(u, v, time_ms(way.forward_kmh), length_m, way.road_class, shape_);
    if (way.backward_kmh > 0) {
      std::reverse(shape_.begin(), shape_.end());
      builder_.add_arc(v, u, time_ms(way.backward_kmh), length_m, way.road_class, shape_);
    }
  }

  // Graph nodes: way ends and nodes used twice or more (by different ways, or twice by one);
  // nodes without a location cut their way.
  void build_graph() {
    std::vector<uint8_t> uses(needed_.size(), 0);
    for (const Way& w : ways_) {
      for (uint32_t k = w.first; k < w.first + w.count; ++k) {
        if (uses[refs_[k]] < 2) ++uses[refs_[k]];
      }
    }
    graph_id_.assign(needed_.size(), kInvalid);
    std::vector<uint32_t> seq;
    for (size_t w = 0; w < ways_.size(); ++w) {
      const Way& way = ways_[w];
      seq.clear();
      for (uint32_t k = way.first; k < way.first + way.count; ++k) {
        const uint32_t idx = refs_[k];
        if (!located_[idx]) {
          ++out_.report.missing_nodes;
          if (seq.size() >= 2) emit(seq, way);
          seq.clear();
          continue;
        }
        seq.push_back(idx);
        if (seq.size() >= 2 && uses[idx] >= 2) {
          emit(seq, way);
          seq.assign(1, idx);
        }
      }
      if (seq.size() >= 2) emit(seq, way);
      if (w % 4096 == 0) progress("graph", w, ways_.size());
    }
    progress("graph", ways_.size(), ways_.size());
  }

  // Streets at their way's middle node (the same name within street_dedup_m once), areas at
  // the centroid of their nodes.
  void position_places() {
    std::unordered_map<std::string, std::vector<Coord>> streets;
    for (PendingPlace& p : pending_) {
      Coord at;
      if (p.street) {
        const uint32_t idx = refs_[p.first + p.count / 2];
        if (!located_[idx]) continue;
        at = coord_[idx];
        auto& seen = streets[p.record.name];
        if (std::any_of(seen.begin(), seen.end(),
                        [&](Coord c) { return distance(c, at) < options_.street_dedup_m; })) {
          continue;
        }
        seen.push_back(at);
      } else {
        // A closed way repeats its first node at the end; count it once.
        uint32_t count = p.count;
        if (count > 1 && refs_[p.first] == refs_[p.first + count - 1]) --count;
        int64_t lon = 0, lat = 0, n = 0;
        for (uint32_t k = p.first; k < p.first + count; ++k) {
          if (!located_[refs_[k]]) continue;
          lon += coord_[refs_[k]].lon_e7;
          lat += coord_[refs_[k]].lat_e7;
          ++n;
        }
        if (n == 0) continue;
        at = Coord{int32_t(lon / n), int32_t(lat / n)};
      }
      p.record.lon = at.lon();
      p.record.lat = at.lat();
      out_.places.push_back(std::move(p.record));
    }
    std::vector<PendingPlace>().swap(pending_);
  }

  std::string path_;
  OsmImportOptions options_;
  OsmImport out_;
  std::vector<Way> ways_;
  std::vector<PendingPlace> pending_;
  std::vector<geocode::PlaceRecord> scratch_;
  std::vector<int64_t> osm_refs_;  // pass 1: OSM ids of the kept ways' nodes
  std::vector<int64_t> needed_;    // distinct, sorted
  std::vector<uint32_t> refs_;     // osm_refs_ as indices into needed_
  std::vector<Coord> coord_;       // per needed node
  std::vector<uint8_t> located_;   // per needed node: found in the file with a location
  std::vector<NodeId> graph_id_;   // per needed node: its graph node, or kInvalid
  std::vector<Coord> shape_;
  routing::GraphBuilder builder_;
};

}  // namespace

uint64_t peak_rss_bytes() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return uint64_t(usage.ru_maxrss) * 1024;  // kilobytes on Linux
}

core::Result<OsmImport> import_osm(const std::string& path, const OsmImportOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return core::not_found("no such file: " + path);
  return Importer(path, options).run();
}

}  // namespace liandong::roadimport
