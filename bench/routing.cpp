// bench_routing: preprocessing, point-to-point, many-to-one, k nearest and source moves on real
// and synthetic road graphs, against Dijkstra (stopping and one-to-all) and pgRouting measured in
// the same run on the same queries. See bench/README.md.
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "node_process.h"
#include "pgrouting.h"
#include "roadimport/dimacs.h"
#include "roadimport/osm.h"
#include "roadimport/synth.h"
#include "routing/ch.h"
#include "routing/graph_file.h"
#include "routing_measure.h"
#include "routing_table.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using json = nlohmann::json;
using liandong::bench::MeasureOptions;
using liandong::routing::RoadNetwork;

struct Flags {
  std::string data_dir = LIANDONG_DATA_DIR;
  std::vector<std::string> only;  // empty: every graph
  MeasureOptions measure;
  uint32_t synth_nodes = 1'000'000;
  bool pgrouting = true;
  std::vector<std::string> pgrouting_graphs = {"monaco", "liechtenstein", "ny"};
  std::string pgrouting_server = LIANDONG_PGROUTING_SERVER;
  std::string tmp;
  double wait_quiet_s = 30;
};

const std::vector<std::string> kGraphs = {"monaco", "liechtenstein", "ny", "synth"};

void usage() {
  std::cout << R"(usage: bench_routing [--data-dir DIR] [--only monaco,liechtenstein,ny,synth]
                     [--queries N] [--baseline-queries N] [--slow-queries N] [--moves N]
                     [--passes N] [--seed N] [--synth-nodes N] [--no-pgrouting]
                     [--pgrouting-graphs LIST] [--pg-per-source N] [--pg-one-to-many N]
                     [--tmp DIR] [--wait-quiet S]
  --queries           our queries of each kind, on random targets (10000)
  --baseline-queries  stopping-Dijkstra k-nearest queries, the first N of the targets (1000)
  --slow-queries      plain Dijkstra point-to-point and full one-to-all runs (100)
  --moves             source moves timed per index (5000)
  --passes            timing passes over our queries; the table adds each query's best (3)
  --pgrouting-graphs  graphs pgRouting runs on (monaco,liechtenstein,ny; add synth if patient)
  --pg-per-source     per-source pgr_dijkstraCost calls timed, extrapolated to 10,000 (20)
  --pg-one-to-many    one-to-many pgr_dijkstraCost calls timed (5)
  --wait-quiet        before each graph's queries, wait up to S s for an idle machine (30)
)";
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string x; std::getline(ss, x, ',');)
    if (!x.empty()) out.push_back(x);
  return out;
}

Flags parse_flags(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    auto count = [&]() { return static_cast<uint32_t>(std::stoul(value())); };
    if (a == "--data-dir")
      f.data_dir = value();
    else if (a == "--only")
      f.only = split(value());
    else if (a == "--queries")
      f.measure.queries = count();
    else if (a == "--baseline-queries")
      f.measure.baseline_queries = count();
    else if (a == "--slow-queries")
      f.measure.slow_queries = count();
    else if (a == "--moves")
      f.measure.moves = count();
    else if (a == "--passes")
      f.measure.passes = count();
    else if (a == "--seed")
      f.measure.seed = std::stoull(value());
    else if (a == "--synth-nodes")
      f.synth_nodes = count();
    else if (a == "--no-pgrouting")
      f.pgrouting = false;
    else if (a == "--pgrouting-graphs")
      f.pgrouting_graphs = split(value());
    else if (a == "--pg-per-source")
      f.measure.pg_per_source = count();
    else if (a == "--pg-one-to-many")
      f.measure.pg_one_to_many = count();
    else if (a == "--tmp")
      f.tmp = value();
    else if (a == "--wait-quiet")
      f.wait_quiet_s = std::stod(value());
    else if (a == "-h" || a == "--help") {
      usage();
      std::exit(0);
    } else
      throw std::runtime_error("unknown flag " + a);
  }
  for (const auto& g : f.only)
    if (std::find(kGraphs.begin(), kGraphs.end(), g) == kGraphs.end())
      throw std::runtime_error("unknown graph " + g + " (monaco, liechtenstein, ny, synth)");
  if (f.measure.queries == 0 || f.measure.moves == 0)
    throw std::runtime_error("--queries and --moves must be > 0");
  if (f.tmp.empty()) f.tmp = fs::temp_directory_path().string();
  return f;
}

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

void say(const std::string& s) {
  std::fprintf(stderr, "%s\n", s.c_str());
  std::fflush(stderr);
}

// Imports graph `name`; fills figures "source", "import_s".
liandong::routing::Graph import_graph(const Flags& f, const std::string& name, json& fig) {
  namespace ri = liandong::roadimport;
  const auto t0 = Clock::now();
  liandong::routing::Graph graph;
  if (name == "monaco" || name == "liechtenstein") {
    const std::string path = f.data_dir + (name == "monaco" ? "/osm/monaco.osm.pbf"
                                                            : "/osm/liechtenstein-latest.osm.pbf");
    auto r = ri::import_osm(path);
    if (!r) throw std::runtime_error(r.status().to_string());
    graph = std::move(r->graph);
    fig["source"] =
        fs::path(path).filename().string() + " (import_osm, emergency-car profile, largest SCC)";
    fig["import_dropped_nodes"] = r->report.nodes_before - graph.node_count();
  } else if (name == "ny") {
    const std::string path = f.data_dir + "/dimacs/USA-road-t.NY.gr.gz";
    auto r = ri::read_dimacs(path);
    if (!r) throw std::runtime_error(r.status().to_string());
    graph = std::move(*r);
    fig["source"] = "USA-road-t.NY.gr.gz (read_dimacs; arc weights as given, read as ms)";
  } else {
    ri::SynthOptions o;
    o.nodes = f.synth_nodes;
    o.seed = 1;
    graph = ri::synth_city(o).graph;
    fig["source"] = "synth_city nodes=" + std::to_string(f.synth_nodes) + " seed=1";
  }
  fig["import_s"] = seconds_since(t0);
  fig["nodes"] = graph.node_count();
  fig["arcs"] = graph.arc_count();
  return graph;
}

// Contraction with its time, CPU time and peak memory: RSS high-water mark reset just before
// (freed heap returned to the system first), read just after.
void contract(RoadNetwork& net, json& fig) {
  ::malloc_trim(0);
  const uint64_t rss0 = liandong::bench::rss_bytes();
  const bool reset = liandong::bench::reset_rss_peak();
  const double cpu0 = liandong::bench::process_cpu_seconds();
  const auto m0 = liandong::bench::machine_cpu();
  const auto t0 = Clock::now();
  liandong::routing::ChBuildStats stats;
  net.ch = liandong::routing::build_contraction_hierarchy(net.graph, {}, &stats);
  const double wall = seconds_since(t0);
  const auto m1 = liandong::bench::machine_cpu();
  const double cpu = liandong::bench::process_cpu_seconds() - cpu0;
  const uint64_t peak = liandong::bench::rss_peak_bytes();
  const double cores = static_cast<double>(::sysconf(_SC_NPROCESSORS_ONLN));
  const double busy =
      m1.total > m0.total ? double(m1.busy - m0.busy) / double(m1.total - m0.total) * cores : 0;
  fig["contraction"] = {{"wall_s", wall},
                        {"cpu_s", cpu},
                        {"peak_rss_growth_mb", reset ? (double(peak) - double(rss0)) / 1e6 : -1.0},
                        {"peak_rss_mb", double(peak) / 1e6},
                        {"rss_before_mb", double(rss0) / 1e6},
                        {"shortcuts", stats.shortcuts},
                        {"up_arcs", stats.up_arcs},
                        {"down_arcs", stats.down_arcs},
                        {"other_cores", std::max(0.0, busy - cpu / wall)}};
  if (!reset)
    say("warning: /proc/self/clear_refs refused; the contraction's peak is the process's");
}

// Save to a temporary file, load it three times (warm page cache), keep the median.
void save_and_load(const Flags& f, const std::string& name, const RoadNetwork& net, json& fig) {
  const std::string path =
      f.tmp + "/bench-routing-" + name + "-" + std::to_string(::getpid()) + ".ldg";
  auto t0 = Clock::now();
  const auto st = liandong::routing::save_road_network(net, path);
  if (!st) throw std::runtime_error(st.to_string());
  const double save_s = seconds_since(t0);
  std::vector<double> ms;
  for (int i = 0; i < 3; ++i) {
    t0 = Clock::now();
    auto loaded = liandong::routing::load_road_network(path);
    const double t = seconds_since(t0) * 1e3;
    if (!loaded) throw std::runtime_error(loaded.status().to_string());
    if (loaded->graph.head != net.graph.head || loaded->ch.up.size() != net.ch.up.size())
      throw std::runtime_error("the loaded graph differs from the saved one");
    ms.push_back(t);
  }
  std::sort(ms.begin(), ms.end());
  fig["file"] = {{"bytes", fs::file_size(path)},
                 {"save_s", save_s},
                 {"load_ms", ms[1]},
                 {"load_ms_min", ms[0]}};
  fs::remove(path);
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  Flags f;
  try {
    f = parse_flags(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "bench_routing: " << e.what() << "\n";
    usage();
    return 1;
  }
  std::vector<std::string> graphs;
  for (const auto& g : kGraphs)
    if (f.only.empty() || std::find(f.only.begin(), f.only.end(), g) != f.only.end())
      graphs.push_back(g);

  std::printf(
      "routing: contraction hierarchy queries and source index against Dijkstra and pgRouting\n");
  std::printf("  %s, %ld cores, load average before the run %s\n", utc_now().c_str(),
              ::sysconf(_SC_NPROCESSORS_ONLN), load_average().c_str());
  std::printf("  data %s; %u queries of each kind on random node targets (seed %llu), k = %u\n",
              f.data_dir.c_str(), f.measure.queries,
              static_cast<unsigned long long>(f.measure.seed), f.measure.k);
  std::printf(
      "  baselines on the first of the same targets: stopping Dijkstra %u, plain Dijkstra and "
      "full\n"
      "  one-to-all %u; %u moves per index\n\n",
      f.measure.baseline_queries, f.measure.slow_queries, f.measure.moves);
  std::fflush(stdout);

  std::unique_ptr<liandong::bench::PgServer> server;
  std::unique_ptr<liandong::bench::PgRouting> pg;
  json results = json::object();
  bool failed = false;
  for (const auto& name : graphs) {
    json fig;
    try {
      say("== " + name + ": import");
      RoadNetwork net;
      net.graph = import_graph(f, name, fig);
      net.meta.source = fig["source"].get<std::string>();
      say("== " + name + ": contraction (" + std::to_string(net.graph.node_count()) + " nodes)");
      contract(net, fig);
      save_and_load(f, name, net, fig);
      const bool with_pg =
          f.pgrouting && std::find(f.pgrouting_graphs.begin(), f.pgrouting_graphs.end(), name) !=
                             f.pgrouting_graphs.end();
      if (with_pg && !server) {
        say("== starting PostgreSQL with pgRouting (bench/pgrouting-server)");
        server = std::make_unique<liandong::bench::PgServer>(f.pgrouting_server);
        pg = std::make_unique<liandong::bench::PgRouting>(server->conninfo());
      }
      MeasureOptions mo = f.measure;
      mo.pg = with_pg ? pg.get() : nullptr;
      if (f.wait_quiet_s > 0)
        fig["other_cores_before"] = liandong::bench::wait_quiet(f.wait_quiet_s);
      say("== " + name + ": queries");
      const auto t0 = Clock::now();
      json q = liandong::bench::measure_queries(net.graph, net.ch, mo);
      fig.update(q);
      fig["measure_s"] = seconds_since(t0);
      if (fig["mismatches"].get<uint64_t>() > 0) failed = true;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bench_routing: %s failed: %s\n", name.c_str(), e.what());
      fig["error"] = e.what();
      failed = true;
    }
    results[name] = fig;
  }
  pg.reset();
  server.reset();

  const int goals_status = liandong::bench::print_routing_report(graphs, results, f.pgrouting);
  std::string data;
  for (const auto& name : graphs) {
    if (!data.empty()) data += ", ";
    if (name == "monaco") data += "monaco.osm.pbf (OSM, emergency-car)";
    if (name == "liechtenstein") data += "liechtenstein-latest.osm.pbf (OSM, emergency-car)";
    if (name == "ny") data += "USA-road-t.NY.gr.gz (DIMACS travel time)";
    if (name == "synth") data += "synth_city " + std::to_string(f.synth_nodes) + " nodes seed 1";
  }
  data += "; random node sources and targets, seed " + std::to_string(f.measure.seed);
  json line = {{"bench", "routing"}, {"data", data}, {"figures", results}};
  std::printf("%s\n", line.dump().c_str());
  if (failed) return 1;
  return goals_status;
}
