#include "roadimport/dimacs.h"

#include <zlib.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <vector>

#include "core/geo.h"

namespace liandong::roadimport {
namespace {

// A line-at-a-time cursor over a text buffer with hand-written number parsing: iostreams cost
// several times more on the 15 MB New York file.
class LineReader {
 public:
  LineReader(std::string_view text, std::string_view name) : text_(text), name_(name) {}

  // The next line without its end (and without a trailing '\r'); false at the end.
  bool next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    const char* begin = text_.data() + pos_;
    const void* nl = std::memchr(begin, '\n', text_.size() - pos_);
    const size_t len = nl ? size_t(static_cast<const char*>(nl) - begin) : text_.size() - pos_;
    pos_ += len + 1;
    ++line_no_;
    line = std::string_view(begin, len);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return true;
  }

  core::Status error(std::string_view what) const {
    return core::invalid(std::string(name_) + ":" + std::to_string(line_no_) + ": " +
                         std::string(what));
  }
  uint64_t line_no() const { return line_no_; }

 private:
  std::string_view text_;
  std::string_view name_;
  size_t pos_ = 0;
  uint64_t line_no_ = 0;
};

bool is_space(char c) { return c == ' ' || c == '\t'; }

// Parses one whitespace-separated signed integer from `s` (advancing it); false if there is none
// or it overflows 62 bits.
bool take_int(std::string_view& s, int64_t& out) {
  size_t i = 0;
  while (i < s.size() && is_space(s[i])) ++i;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  const size_t start = i;
  uint64_t v = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    v = v * 10 + uint64_t(s[i] - '0');
    if (v > (uint64_t(1) << 62)) return false;
    ++i;
  }
  if (i == start || (i < s.size() && !is_space(s[i]))) return false;
  out = negative ? -int64_t(v) : int64_t(v);
  s.remove_prefix(i);
  return true;
}

bool take_word(std::string_view& s, std::string_view word) {
  size_t i = 0;
  while (i < s.size() && is_space(s[i])) ++i;
  if (s.substr(i, word.size()) != word) return false;
  i += word.size();
  if (i < s.size() && !is_space(s[i])) return false;
  s.remove_prefix(i);
  return true;
}

bool only_space(std::string_view s) {
  for (char c : s) {
    if (!is_space(c)) return false;
  }
  return true;
}

struct Arcs {
  uint32_t nodes = 0;
  std::vector<uint32_t> tail, head, weight;
};

core::Result<Arcs> parse_gr(std::string_view text, std::string_view name) {
  LineReader in(text, name);
  Arcs arcs;
  bool have_p = false;
  uint64_t declared_arcs = 0;
  std::string_view line;
  while (in.next(line)) {
    if (line.empty() || line[0] == 'c' || only_space(line)) continue;
    if (line[0] == 'p') {
      if (have_p) return in.error("a second 'p' line");
      std::string_view rest = line.substr(1);
      int64_t n = 0, m = 0;
      if (!take_word(rest, "sp") || !take_int(rest, n) || !take_int(rest, m) || !only_space(rest)) {
        return in.error("expected 'p sp N M'");
      }
      if (n < 0 || n >= int64_t(routing::kInvalid) || m < 0 || m >= int64_t(routing::kInvalid)) {
        return in.error("node or arc count out of range (at most 4294967294)");
      }
      have_p = true;
      arcs.nodes = uint32_t(n);
      declared_arcs = uint64_t(m);
      arcs.tail.reserve(declared_arcs);
      arcs.head.reserve(declared_arcs);
      arcs.weight.reserve(declared_arcs);
      continue;
    }
    if (line[0] != 'a') return in.error(have_p ? "expected 'a U V W'" : "expected 'p sp N M'");
    if (!have_p) return in.error("an arc before the 'p sp N M' line");
    std::string_view rest = line.substr(1);
    int64_t u = 0, v = 0, w = 0;
    if (rest.empty() || !is_space(rest[0]) || !take_int(rest, u) || !take_int(rest, v) ||
        !take_int(rest, w) || !only_space(rest)) {
      return in.error("expected 'a U V W'");
    }
    if (u < 1 || u > int64_t(arcs.nodes) || v < 1 || v > int64_t(arcs.nodes)) {
      return in.error("arc " + std::to_string(u) + " -> " + std::to_string(v) +
                      " names a node outside 1.." + std::to_string(arcs.nodes));
    }
    if (w < 0 || w >= int64_t(routing::kInfinity)) {
      return in.error("weight " + std::to_string(w) + " out of range (0..4294967294)");
    }
    if (arcs.tail.size() == declared_arcs) {
      return in.error("more arcs than the " + std::to_string(declared_arcs) + " of the 'p' line");
    }
    arcs.tail.push_back(uint32_t(u - 1));
    arcs.head.push_back(uint32_t(v - 1));
    arcs.weight.push_back(uint32_t(w));
  }
  if (!have_p)
    return core::invalid(std::string(name) + ": no 'p sp N M' line (not a DIMACS graph)");
  if (arcs.tail.size() != declared_arcs) {
    return core::invalid(std::string(name) + ": " + std::to_string(arcs.tail.size()) +
                         " arcs, but the 'p' line says " + std::to_string(declared_arcs));
  }
  return arcs;
}

core::Result<std::vector<routing::Coord>> parse_co(std::string_view text, std::string_view name,
                                                   uint32_t nodes) {
  LineReader in(text, name);
  std::vector<routing::Coord> coord;
  std::vector<bool> seen;
  bool have_p = false;
  uint64_t count = 0;
  std::string_view line;
  while (in.next(line)) {
    if (line.empty() || line[0] == 'c' || only_space(line)) continue;
    if (line[0] == 'p') {
      if (have_p) return in.error("a second 'p' line");
      std::string_view rest = line.substr(1);
      int64_t n = 0;
      if (!take_word(rest, "aux") || !take_word(rest, "sp") || !take_word(rest, "co") ||
          !take_int(rest, n) || !only_space(rest)) {
        return in.error("expected 'p aux sp co N'");
      }
      if (n != int64_t(nodes)) {
        return in.error("coordinates for " + std::to_string(n) + " nodes, but the graph has " +
                        std::to_string(nodes));
      }
      have_p = true;
      coord.assign(nodes, routing::Coord{});
      seen.assign(nodes, false);
      continue;
    }
    if (line[0] != 'v')
      return in.error(have_p ? "expected 'v ID X Y'" : "expected 'p aux sp co N'");
    if (!have_p) return in.error("a node before the 'p aux sp co N' line");
    std::string_view rest = line.substr(1);
    int64_t id = 0, x = 0, y = 0;
    if (rest.empty() || !is_space(rest[0]) || !take_int(rest, id) || !take_int(rest, x) ||
        !take_int(rest, y) || !only_space(rest)) {
      return in.error("expected 'v ID X Y'");
    }
    if (id < 1 || id > int64_t(nodes)) {
      return in.error("node " + std::to_string(id) + " outside 1.." + std::to_string(nodes));
    }
    if (x < -180'000'000 || x > 180'000'000 || y < -90'000'000 || y > 90'000'000) {
      return in.error("coordinate out of range (X = longitude × 1e6, Y = latitude × 1e6)");
    }
    if (seen[id - 1]) return in.error("node " + std::to_string(id) + " given twice");
    seen[id - 1] = true;
    ++count;
    coord[id - 1] = routing::Coord{int32_t(x * 10), int32_t(y * 10)};
  }
  if (!have_p)
    return core::invalid(std::string(name) +
                         ": no 'p aux sp co N' line (not a DIMACS coordinate file)");
  if (count != nodes) {
    return core::invalid(std::string(name) + ": coordinates for " + std::to_string(count) +
                         " nodes, but the 'p' line says " + std::to_string(nodes));
  }
  return coord;
}

}  // namespace

core::Result<std::string> read_maybe_gzip(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return core::not_found("no such file: " + path);
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return core::unavailable("cannot open " + path + ": " + std::strerror(errno));
  gzbuffer(f, 1 << 18);
  std::string out;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec) out.reserve(size_t(size) * 4);  // gzip road graphs expand about four times
  std::vector<char> chunk(1 << 20);
  for (;;) {
    const int got = gzread(f, chunk.data(), unsigned(chunk.size()));
    if (got < 0) {
      int errnum = 0;
      std::string msg = gzerror(f, &errnum);
      gzclose(f);
      return core::invalid(path + ": damaged compressed data (" + msg + ")");
    }
    if (got == 0) break;
    out.append(chunk.data(), size_t(got));
  }
  if (gzclose(f) == Z_BUF_ERROR)
    return core::invalid(path + ": damaged compressed data (it ends early)");
  return out;
}

core::Result<routing::Graph> parse_dimacs(std::string_view gr_text, std::string_view gr_name,
                                          std::string_view co_text, std::string_view co_name) {
  auto arcs = parse_gr(gr_text, gr_name);
  if (!arcs) return arcs.status();
  const uint32_t n = arcs->nodes;
  const uint32_t m = uint32_t(arcs->tail.size());
  routing::Graph g;
  if (!co_text.empty()) {
    auto coord = parse_co(co_text, co_name, n);
    if (!coord) return coord.status();
    g.coord = std::move(*coord);
  } else {
    g.coord.assign(n, routing::Coord{});
  }
  // Group arcs by tail, keeping the file's order within a tail (counting sort).
  g.first_out.assign(size_t(n) + 1, 0);
  for (uint32_t t : arcs->tail) ++g.first_out[t + 1];
  for (uint32_t v = 0; v < n; ++v) g.first_out[v + 1] += g.first_out[v];
  std::vector<uint32_t> next(g.first_out.begin(), g.first_out.end() - 1);
  g.head.resize(m);
  g.time_ms.resize(m);
  g.length_m.assign(m, 0);
  g.road_class.assign(m, routing::RoadClass::kOther);
  g.shape_first.assign(size_t(m) + 1, 0);
  const bool with_length = !co_text.empty();
  for (uint32_t a = 0; a < m; ++a) {
    const uint32_t t = arcs->tail[a];
    const uint32_t slot = next[t]++;
    g.head[slot] = arcs->head[a];
    g.time_ms[slot] = arcs->weight[a];
    if (with_length) {
      const routing::Coord& p = g.coord[t];
      const routing::Coord& q = g.coord[arcs->head[a]];
      g.length_m[slot] =
          uint32_t(std::lround(core::distance_m({p.lon(), p.lat()}, {q.lon(), q.lat()})));
    }
  }
  g.external_id.resize(n);
  for (uint32_t v = 0; v < n; ++v) g.external_id[v] = uint64_t(v) + 1;
  return g;
}

core::Result<routing::Graph> read_dimacs(const std::string& gr_path, const std::string& co_path) {
  auto gr = read_maybe_gzip(gr_path);
  if (!gr) return gr.status();
  std::string co;
  if (!co_path.empty()) {
    auto text = read_maybe_gzip(co_path);
    if (!text) return text.status();
    if (text->empty())
      return core::invalid(co_path + ": empty file (not a DIMACS coordinate file)");
    co = std::move(*text);
  }
  return parse_dimacs(*gr, gr_path, co, co_path);
}

}  // namespace liandong::roadimport
