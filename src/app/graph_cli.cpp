#include "app/graph_cli.h"

#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <limits>

#include "geocode/place.h"
#include "roadimport/car_profile.h"
#include "roadimport/dimacs.h"
#include "roadimport/network.h"
#include "roadimport/osm.h"
#include "roadimport/synth.h"
#include "routing/ch_query.h"
#include "routing/graph_file.h"

namespace liandong::app {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// 1234567 → "1,234,567"
std::string grouped(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string megabytes(uint64_t bytes) {
  char s[32];
  std::snprintf(s, sizeof s, "%.1f MB", double(bytes) / (1 << 20));
  return s;
}

std::string secs(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}

int fail(std::ostream& err, const core::Status& st) {
  err << "liandong graph: " << st.message() << "\n";
  return 1;
}

std::string file_name(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

// The part every import prints after its own lines.
void print_written(std::ostream& out, const roadimport::WriteReport& w) {
  out << "  hierarchy    " << grouped(w.shortcuts) << " shortcuts\n";
}

void print_tail(std::ostream& out, const roadimport::WriteReport& w, const std::string& times,
                double total) {
  out << "  time         " << times << "hierarchy " << secs(w.contract_seconds) << ", save "
      << secs(w.save_seconds) << "; total " << secs(total) << "\n"
      << "  peak memory  " << megabytes(roadimport::peak_rss_bytes()) << "\n"
      << "  file         " << megabytes(w.file_bytes) << "\n";
}

// Fails early (before a long import) when the output's folder does not exist.
core::Status check_output(const std::string& path) {
  const auto folder = std::filesystem::absolute(path).parent_path();
  std::error_code ec;
  if (std::filesystem::is_directory(folder, ec)) return core::Status::ok();
  return core::unavailable("cannot write " + path + ": no folder " + folder.string());
}

core::Result<std::pair<double, double>> parse_center(const std::string& text) {
  const auto comma = text.find(',');
  double lon = 0, lat = 0;
  auto number = [](std::string_view s, double& v) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && p == s.data() + s.size();
  };
  if (comma == std::string::npos || !number(std::string_view(text).substr(0, comma), lon) ||
      !number(std::string_view(text).substr(comma + 1), lat) || !(std::abs(lon) <= 180) ||
      !(std::abs(lat) <= 85)) {
    return core::invalid("--center wants LON,LAT in degrees (e.g. 114.4160,23.1115), not \"" +
                         text + "\"");
  }
  return std::pair{lon, lat};
}

// External id → node: the index itself when the graph has no external ids.
class IdLookup {
 public:
  explicit IdLookup(const routing::Graph& g) : n_(g.node_count()) {
    by_id_.reserve(g.external_id.size());
    for (routing::NodeId v = 0; v < g.external_id.size(); ++v)
      by_id_.emplace_back(g.external_id[v], v);
    std::sort(by_id_.begin(), by_id_.end());
  }
  routing::NodeId find(uint64_t id) const {
    if (by_id_.empty()) return id < n_ ? routing::NodeId(id) : routing::kInvalid;
    auto it = std::lower_bound(by_id_.begin(), by_id_.end(), std::pair{id, routing::NodeId(0)});
    return it != by_id_.end() && it->first == id ? it->second : routing::kInvalid;
  }

 private:
  uint32_t n_;
  std::vector<std::pair<uint64_t, routing::NodeId>> by_id_;
};

// Two unsigned integers separated by blanks; false otherwise.
bool parse_pair(std::string_view line, uint64_t& a, uint64_t& b) {
  auto skip = [&] {
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  };
  auto take = [&](uint64_t& v) {
    skip();
    auto [p, ec] = std::from_chars(line.data(), line.data() + line.size(), v);
    if (ec != std::errc() || p == line.data()) return false;
    line.remove_prefix(size_t(p - line.data()));
    return line.empty() || line.front() == ' ' || line.front() == '\t';
  };
  if (!take(a) || !take(b)) return false;
  skip();
  return line.empty();
}

}  // namespace

int graph_import_osm(const GraphImportFlags& f, std::ostream& out, std::ostream& err) {
  const auto start = Clock::now();
  if (auto st = check_output(f.output); !st.is_ok()) return fail(err, st);
  roadimport::ProgressDisplay display(err, f.progress_bar);
  roadimport::OsmImportOptions options;
  options.progress = display.callback();
  auto imported = roadimport::import_osm(f.input, options);
  display.finish();
  if (!imported) return fail(err, imported.status());
  const roadimport::OsmImportReport r = imported->report;
  routing::GraphMetadata meta{file_name(f.input), roadimport::kCarProfileName, ""};
  auto written = roadimport::contract_and_save(std::move(imported->graph), imported->places,
                                               std::move(meta), f.output, display.callback());
  display.finish();
  if (!written) return fail(err, written.status());
  out << "Imported " << f.input << " into " << f.output << " (" << roadimport::kCarProfileName
      << ")\n"
      << "  OSM          " << grouped(r.osm_ways) << " ways (" << grouped(r.routable_ways)
      << " driven), " << grouped(r.osm_nodes) << " nodes\n";
  if (r.missing_nodes > 0) {
    out << "  cut ways     " << grouped(r.missing_nodes) << " node references not in the extract\n";
  }
  out << "  graph        " << grouped(r.scc.kept_nodes) << " nodes, " << grouped(r.scc.kept_arcs)
      << " arcs\n"
      << "  dropped      " << grouped(r.scc.dropped_nodes) << " nodes, "
      << grouped(r.scc.dropped_arcs) << " arcs in "
      << grouped(r.scc.components > 0 ? r.scc.components - 1 : 0)
      << " parts cut off from the largest strongly connected one\n";
  print_written(out, *written);
  out << "  places       " << grouped(r.streets) << " streets, " << grouped(r.places) << " places, "
      << grouped(r.addresses) << " addresses\n";
  print_tail(out, *written,
             "read " + secs(r.read_seconds) + ", graph " + secs(r.build_seconds) +
                 ", connectivity " + secs(r.scc_seconds) + ", ",
             seconds_since(start));
  return 0;
}

int graph_import_dimacs(const GraphImportFlags& f, std::ostream& out, std::ostream& err) {
  const auto start = Clock::now();
  if (auto st = check_output(f.output); !st.is_ok()) return fail(err, st);
  auto graph = roadimport::read_dimacs(f.input, f.coordinates);
  if (!graph) return fail(err, graph.status());
  const double read = seconds_since(start);
  const uint32_t nodes = graph->node_count(), arcs = graph->arc_count();
  std::string source = file_name(f.input);
  if (!f.coordinates.empty()) source += " + " + file_name(f.coordinates);
  roadimport::ProgressDisplay display(err, f.progress_bar);
  auto written = roadimport::contract_and_save(std::move(*graph), {}, {source, "dimacs", ""},
                                               f.output, display.callback());
  display.finish();
  if (!written) return fail(err, written.status());
  out << "Imported " << f.input << " into " << f.output << " (DIMACS, ids as in the file)\n"
      << "  graph        " << grouped(nodes) << " nodes, " << grouped(arcs) << " arcs"
      << (f.coordinates.empty() ? " (no coordinates)" : "") << "\n";
  print_written(out, *written);
  print_tail(out, *written, "read " + secs(read) + ", ", seconds_since(start));
  return 0;
}

int graph_synth(const GraphSynthFlags& f, std::ostream& out, std::ostream& err) {
  const auto start = Clock::now();
  if (auto st = check_output(f.output); !st.is_ok()) return fail(err, st);
  roadimport::SynthOptions o;
  o.nodes = f.nodes;
  o.seed = f.seed;
  if (!f.center.empty()) {
    auto c = parse_center(f.center);
    if (!c) return fail(err, c.status());
    std::tie(o.center_lon, o.center_lat) = *c;
  }
  roadimport::SynthCity city = roadimport::synth_city(o);
  const double generated = seconds_since(start);
  const uint32_t nodes = city.graph.node_count(), arcs = city.graph.arc_count();
  roadimport::ProgressDisplay display(err, f.progress_bar);
  const std::string source = "synth " + std::to_string(f.nodes) + " seed " + std::to_string(f.seed);
  auto written = roadimport::contract_and_save(std::move(city.graph), city.places,
                                               {source, "synth", ""}, f.output, display.callback());
  display.finish();
  if (!written) return fail(err, written.status());
  out << "Synthetic city (" << source << ") written to " << f.output << "\n"
      << "  graph        " << grouped(nodes) << " nodes, " << grouped(arcs) << " arcs, "
      << city.bridges << " street bridges over the river\n";
  print_written(out, *written);
  out << "  places       " << grouped(city.places.size()) << " records\n";
  print_tail(out, *written, "generate " + secs(generated) + ", ", seconds_since(start));
  return 0;
}

int graph_query(const std::string& file, std::istream& in, std::ostream& out, std::ostream& err,
                bool flush_lines) {
  auto network = routing::load_road_network(file);
  if (!network) return fail(err, network.status());
  const IdLookup ids(network->graph);
  routing::ChQuery query(network->graph, network->ch);
  std::string line, answers;
  uint64_t line_no = 0, errors = 0;
  auto emit = [&](std::string_view answer) {
    answers.append(answer);
    answers += '\n';
    if (flush_lines || answers.size() > (1 << 16)) {
      out << answers;
      if (flush_lines) out.flush();
      answers.clear();
    }
  };
  auto error = [&](const std::string& message) {
    ++errors;
    out << answers << std::flush;  // keep the answers and messages in order on a terminal
    answers.clear();
    err << "liandong graph query: line " << line_no << ": " << message << "\n";
    emit("error");
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    uint64_t s = 0, t = 0;
    if (!parse_pair(line, s, t)) {
      error("expected 'SOURCE TARGET' (two node ids), got \"" + line.substr(0, 80) + "\"");
      continue;
    }
    const routing::NodeId u = ids.find(s), v = ids.find(t);
    if (u == routing::kInvalid || v == routing::kInvalid) {
      error("unknown node id " + std::to_string(u == routing::kInvalid ? s : t));
      continue;
    }
    const uint32_t d = query.distance(u, v);
    emit(d == routing::kInfinity ? "inf" : std::to_string(d));
  }
  out << answers << std::flush;
  if (errors > 0) {
    err << "liandong graph query: " << errors << " of " << line_no << " lines not answered\n";
    return 1;
  }
  return 0;
}

int graph_info(const std::string& file, std::ostream& out, std::ostream& err) {
  auto network = routing::load_road_network(file);
  if (!network) return fail(err, network.status());
  const routing::Graph& g = network->graph;
  std::error_code ec;
  const uint64_t bytes = std::filesystem::file_size(file, ec);
  out << "file         " << file << " (" << megabytes(bytes) << ", format version "
      << routing::kGraphFileVersion << ")\n"
      << "source       " << network->meta.source << "\n"
      << "profile      " << network->meta.profile << "\n"
      << "created      " << network->meta.created << "\n"
      << "nodes        " << grouped(g.node_count())
      << (g.external_id.empty() ? " (ids: the node index)" : " (ids: the source's node ids)")
      << "\n";
  uint64_t length = 0, one_way = 0;
  const auto tails = g.tails();
  for (routing::ArcId a = 0; a < g.arc_count(); ++a) {
    length += g.length_m[a];
    if (routing::find_arc(g, g.head[a], tails[a]) == routing::kInvalid) ++one_way;
  }
  out << "arcs         " << grouped(g.arc_count()) << " (" << grouped(one_way) << " one-way";
  if (length > 0) out << ", " << grouped(length / 1000) << " km of arcs";
  out << ")\n";
  uint64_t shortcuts = 0;
  for (const auto* arcs : {&network->ch.up, &network->ch.down}) {
    shortcuts += std::count_if(arcs->begin(), arcs->end(),
                               [](const routing::ChArc& a) { return a.is_shortcut(); });
  }
  out << "hierarchy    " << grouped(network->ch.up.size()) << " up and "
      << grouped(network->ch.down.size()) << " down arcs, " << grouped(shortcuts)
      << " of them shortcuts\n";
  if (g.has_coordinates()) {
    int32_t x0 = std::numeric_limits<int32_t>::max(), y0 = x0,
            x1 = std::numeric_limits<int32_t>::min(), y1 = x1;
    for (const auto& c : g.coord) {
      x0 = std::min(x0, c.lon_e7), x1 = std::max(x1, c.lon_e7);
      y0 = std::min(y0, c.lat_e7), y1 = std::max(y1, c.lat_e7);
    }
    char box[128];
    std::snprintf(box, sizeof box, "%.5f,%.5f,%.5f,%.5f", x0 * 1e-7, y0 * 1e-7, x1 * 1e-7,
                  y1 * 1e-7);
    out << "bbox         " << box << " (min lon, min lat, max lon, max lat)\n";
  } else {
    out << "bbox         none (no coordinates)\n";
  }
  for (const auto& [name, bytes_of] : network->extras) {
    out << "extra        " << name << " (" << grouped(bytes_of.size()) << " bytes)";
    if (name == roadimport::kPlacesSection) {
      auto places = geocode::decode_places(bytes_of);
      if (!places)
        return fail(err, core::invalid(file + ": places section: " + places.status().message()));
      uint64_t n[3] = {0, 0, 0};
      for (const auto& p : *places) ++n[std::min<size_t>(2, size_t(p.kind))];
      out << ": " << grouped(n[0]) << " streets, " << grouped(n[1]) << " places, " << grouped(n[2])
          << " addresses";
    }
    out << "\n";
  }
  return 0;
}

struct GraphCommands::Flags {
  CLI::App* graph = nullptr;
  CLI::App *import_osm = nullptr, *import_dimacs = nullptr, *synth = nullptr, *query = nullptr,
           *info = nullptr;
  GraphImportFlags osm, dimacs;
  GraphSynthFlags synth_flags;
  std::string file;
};

GraphCommands::GraphCommands(CLI::App& cli) : flags_(std::make_unique<Flags>()) {
  Flags& f = *flags_;
  f.graph = cli.add_subcommand(
      "graph", "Road networks: import OpenStreetMap or DIMACS, synthesise, query, describe");
  f.graph->require_subcommand(1);
  f.import_osm = f.graph->add_subcommand(
      "import-osm", "Import an OpenStreetMap extract with the emergency-vehicle car profile");
  f.import_osm->add_option("FILE", f.osm.input, "OpenStreetMap extract (.osm.pbf)")->required();
  f.import_osm->add_option("--out", f.osm.output, "Road network file to write")->required();

  f.import_dimacs = f.graph->add_subcommand(
      "import-dimacs", "Import a 9th DIMACS challenge graph (ids and weights as given)");
  f.import_dimacs->add_option("FILE", f.dimacs.input, "Graph file (.gr or .gr.gz)")->required();
  f.import_dimacs->add_option("--coordinates", f.dimacs.coordinates,
                              "Coordinate file (.co or .co.gz)");
  f.import_dimacs->add_option("--out", f.dimacs.output, "Road network file to write")->required();

  f.synth = f.graph->add_subcommand(
      "synth", "Write a deterministic synthetic city (streets, one-way pairs, a river)");
  f.synth->add_option("--nodes", f.synth_flags.nodes, "Node count, about (100 .. 20000000)")
      ->check(CLI::Range(100u, 20'000'000u));
  f.synth->add_option("--seed", f.synth_flags.seed, "Seed (same nodes and seed: same city)");
  f.synth->add_option("--center", f.synth_flags.center,
                      "LON,LAT of the centre (default 114.4160,23.1115, 惠州)");
  f.synth->add_option("--out", f.synth_flags.output, "Road network file to write")->required();

  f.query = f.graph->add_subcommand(
      "query", "Travel times for 'SOURCE TARGET' lines on standard input (ms, or inf)");
  f.query->add_option("FILE", f.file, "Road network file")->required();
  f.info = f.graph->add_subcommand("info", "Describe a road network file");
  f.info->add_option("FILE", f.file, "Road network file")->required();
}

GraphCommands::~GraphCommands() = default;

bool GraphCommands::chosen() const { return flags_->graph->parsed(); }

int GraphCommands::run() {
  // main() blocks SIGINT/SIGTERM for the node's signal wait; an offline tool should stop on Ctrl-C.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  Flags& f = *flags_;
  const bool tty = ::isatty(2) == 1;
  if (f.import_osm->parsed()) {
    f.osm.progress_bar = tty;
    return graph_import_osm(f.osm, std::cout, std::cerr);
  }
  if (f.import_dimacs->parsed()) {
    f.dimacs.progress_bar = tty;
    return graph_import_dimacs(f.dimacs, std::cout, std::cerr);
  }
  if (f.synth->parsed()) {
    f.synth_flags.progress_bar = tty;
    return graph_synth(f.synth_flags, std::cout, std::cerr);
  }
  if (f.query->parsed())
    return graph_query(f.file, std::cin, std::cout, std::cerr, ::isatty(0) == 1);
  if (f.info->parsed()) return graph_info(f.file, std::cout, std::cerr);
  return 2;
}

}  // namespace liandong::app
