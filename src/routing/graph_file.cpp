#include "routing/graph_file.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "routing/internal/section_file.h"

// The container (header, section table, 8-byte aligned sections, trailing XXH64) is
// internal/section_file.h. Its sections here:
//   "meta"               source, profile, created: each a u32 byte count and the bytes
//   "graph.<member>"     first_out, head, time_ms, length_m, road_class, coord, shape_first, shape,
//                        external_id: the array's elements as they are in memory, little-endian
//                        (u32; u64 for external_id; RoadClass = u8; Coord = i32 lon_e7, i32 lat_e7)
//   "ch.<member>"        rank, order, up_first, up, down_first, down (ChArc = u32 other, weight,
//                        unpack); all empty for a graph not yet contracted
//   "x.<name>"           each extra, as given
// Readers ignore sections they do not know, so a later writer may add some without a new version.

namespace liandong::routing {
namespace {

constexpr internal::SectionFileFormat kFormat = {
    {'L', 'D', 'G', 'R', 'A', 'P', 'H', '\0'}, kGraphFileVersion, "a Liandong road network file"};
constexpr char kExtraPrefix[] = "x.";
constexpr size_t kMaxExtraName = internal::kSectionNameSize - (sizeof kExtraPrefix - 1);

constexpr uintptr_t kHugePage = 2 << 20;
constexpr size_t kHugePageWorthIt = 8 << 20;

static_assert(sizeof(Coord) == 8 && std::is_trivially_copyable_v<Coord>);
static_assert(sizeof(ChArc) == 12 && std::is_trivially_copyable_v<ChArc>);
static_assert(sizeof(RoadClass) == 1);

template <typename T>
internal::OutSection out(std::string name, const std::vector<T>& v) {
  return {std::move(name), v.data(), uint64_t(v.size()) * sizeof(T)};
}

void put_string(std::string& out, const std::string& s) {
  const uint32_t n = uint32_t(s.size());
  out.append(reinterpret_cast<const char*>(&n), 4);
  out.append(s);
}

// Room for n elements in `v`. Large arrays ask for huge pages first: faulting in a few hundred
// megabytes 4 KiB at a time is most of a load's time (and the routing searches that read these
// arrays at random miss the TLB less).
template <typename Container>
void* make_room(Container& v, size_t n) {
#ifdef MADV_HUGEPAGE
  const size_t bytes = n * sizeof(v[0]);
  if (bytes >= kHugePageWorthIt) {
    Container().swap(v);
    v.reserve(n);
    const uintptr_t begin =
        (reinterpret_cast<uintptr_t>(v.data()) + kHugePage - 1) & ~(kHugePage - 1);
    const uintptr_t end = (reinterpret_cast<uintptr_t>(v.data()) + bytes) & ~(kHugePage - 1);
    if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  }
#endif
  v.resize(n);
  return v.data();
}

// Where each section of a file being read goes, and what was wrong with the ones that came.
class Sinks {
 public:
  explicit Sinks(const std::string& path) : path_(path) {}

  template <typename T>
  void array(const std::string& name, std::vector<T>& into) {
    arrays_[name] = [this, name, &into](uint64_t size) -> void* {
      if (size % sizeof(T) != 0) {
        fault("section \"" + name + "\" is " + std::to_string(size) +
              " bytes, not a whole number of " + std::to_string(sizeof(T)) + "-byte entries");
        return nullptr;
      }
      return make_room(into, size / sizeof(T));
    };
  }
  void bytes(const std::string& name, std::string& into) {
    arrays_[name] = [&into](uint64_t size) -> void* { return make_room(into, size); };
  }

  void* place(const std::string& name, uint64_t size, std::map<std::string, std::string>& extras) {
    seen_.push_back(name);
    const auto it = arrays_.find(name);
    if (it != arrays_.end()) return it->second(size);
    if (name.compare(0, sizeof kExtraPrefix - 1, kExtraPrefix) == 0) {
      return make_room(extras[name.substr(sizeof kExtraPrefix - 1)], size);
    }
    return nullptr;  // a section of a later writer
  }

  // The first fault, or a section every file has that this one lacks.
  core::Status status() const {
    if (!fault_.empty()) return core::invalid(path_ + ": " + fault_);
    for (const auto& [name, sink] : arrays_) {
      if (std::find(seen_.begin(), seen_.end(), name) == seen_.end()) {
        return core::invalid(path_ + " has no section \"" + name +
                             "\" (every road network file has one)");
      }
    }
    return core::Status::ok();
  }

 private:
  void fault(std::string message) {
    if (fault_.empty()) fault_ = std::move(message);
  }
  const std::string& path_;
  std::map<std::string, std::function<void*(uint64_t)>> arrays_;
  std::vector<std::string> seen_;
  std::string fault_;
};

core::Status parse_meta(const std::string& path, const std::string& bytes, GraphMetadata& meta) {
  const char* p = bytes.data();
  uint64_t left = bytes.size();
  // A later writer may append fields; this reader takes the three it knows.
  for (std::string* field : {&meta.source, &meta.profile, &meta.created}) {
    uint32_t n;
    if (left < 4 || (std::memcpy(&n, p, 4), n > left - 4)) {
      return core::invalid(path + ": the meta section is cut short");
    }
    field->assign(p + 4, n);
    p += 4 + n;
    left -= 4 + uint64_t(n);
  }
  return core::Status::ok();
}

}  // namespace

core::Status save_road_network(const RoadNetwork& network, const std::string& path) {
  const Graph& g = network.graph;
  const ContractionHierarchy& ch = network.ch;
  if (core::Status s = g.check(); !s.is_ok()) {
    return core::invalid("not saving " + path + ": " + s.message());
  }
  if (core::Status s = ch.check(g); !s.is_ok()) {
    return core::invalid("not saving " + path + ": " + s.message());
  }
  for (const auto& [name, bytes] : network.extras) {
    if (name.size() > kMaxExtraName || name.find('\0') != std::string::npos) {
      return core::invalid("not saving " + path + ": the extra section name \"" + name +
                           "\" is not a name of at most " + std::to_string(kMaxExtraName) +
                           " characters");
    }
  }
  std::string meta;
  put_string(meta, network.meta.source);
  put_string(meta, network.meta.profile);
  put_string(meta, network.meta.created);
  std::vector<internal::OutSection> sections = {
      {"meta", meta.data(), meta.size()},
      out("graph.first_out", g.first_out),
      out("graph.head", g.head),
      out("graph.time_ms", g.time_ms),
      out("graph.length_m", g.length_m),
      out("graph.road_class", g.road_class),
      out("graph.coord", g.coord),
      out("graph.shape_first", g.shape_first),
      out("graph.shape", g.shape),
      out("graph.external_id", g.external_id),
      out("ch.rank", ch.rank),
      out("ch.order", ch.order),
      out("ch.up_first", ch.up_first),
      out("ch.up", ch.up),
      out("ch.down_first", ch.down_first),
      out("ch.down", ch.down),
  };
  for (const auto& [name, bytes] : network.extras) {
    sections.push_back({kExtraPrefix + name, bytes.data(), bytes.size()});
  }
  return internal::write_section_file(path, kFormat, sections);
}

core::Result<RoadNetwork> load_road_network(const std::string& path) {
  RoadNetwork net;
  Graph& g = net.graph;
  ContractionHierarchy& ch = net.ch;
  std::string meta;
  Sinks sinks(path);
  sinks.bytes("meta", meta);
  sinks.array("graph.first_out", g.first_out);
  sinks.array("graph.head", g.head);
  sinks.array("graph.time_ms", g.time_ms);
  sinks.array("graph.length_m", g.length_m);
  sinks.array("graph.road_class", g.road_class);
  sinks.array("graph.coord", g.coord);
  sinks.array("graph.shape_first", g.shape_first);
  sinks.array("graph.shape", g.shape);
  sinks.array("graph.external_id", g.external_id);
  sinks.array("ch.rank", ch.rank);
  sinks.array("ch.order", ch.order);
  sinks.array("ch.up_first", ch.up_first);
  sinks.array("ch.up", ch.up);
  sinks.array("ch.down_first", ch.down_first);
  sinks.array("ch.down", ch.down);
  LD_RETURN_IF_ERROR(internal::read_section_file(
      path, kFormat,
      [&](const std::string& name, uint64_t size) { return sinks.place(name, size, net.extras); }));
  LD_RETURN_IF_ERROR(sinks.status());
  LD_RETURN_IF_ERROR(parse_meta(path, meta, net.meta));
  if (core::Status s = g.check(); !s.is_ok()) return core::invalid(path + ": " + s.message());
  if (core::Status s = ch.check(g); !s.is_ok()) return core::invalid(path + ": " + s.message());
  return net;
}

}  // namespace liandong::routing
