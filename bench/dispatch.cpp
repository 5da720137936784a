// bench_dispatch: 10,000 units sending one position fix a second while recommendations for a
// force requirement arrive at 100 a second, on DIMACS NY and a 1,000,000-node synthetic city —
// inside the node (fleet::Fleet in process) and over HTTP (the real node) — against the same
// recommendations without routes and by a stopping Dijkstra with no index. See bench/README.md.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "dispatch/requirement.h"
#include "dispatch_http.h"
#include "dispatch_inprocess.h"
#include "dispatch_report.h"
#include "dispatch_world.h"
#include "node_process.h"
#include "routing/snap.h"

namespace {

using json = nlohmann::json;
using Steady = std::chrono::steady_clock;

struct Flags {
  std::vector<std::string> graphs = {"ny", "synth"};
  double seconds = 20;
  uint32_t units = 10'000;
  double fix_rate = 10'000;
  double rec_rate = 100;
  double tick_ms = 10;
  double parked = 0;
  std::string requirement = "engine:2,ladder:1,ambulance:1";
  uint32_t baseline_queries = 500;
  uint32_t passes = 3;
  bool http = true;
  uint32_t incidents = 20;
  uint32_t connections = 4;
  uint32_t synth_nodes = 1'000'000;
  uint64_t seed = 1;
  std::string data_dir = LIANDONG_DATA_DIR;
  std::string cache_dir = LIANDONG_CACHE_DIR;
  std::string node = LIANDONG_BINARY;
  std::string tmp;
  bool keep_data = false;
  double wait_quiet_s = 10;
};

void usage() {
  std::cout << R"(usage: bench_dispatch [--graphs ny,synth] [--seconds S] [--units N] [--fix-rate N]
                      [--rec-rate N] [--tick-ms MS] [--parked SHARE] [--requirement SPEC]
                      [--baseline-queries N] [--passes N] [--http | --no-http] [--incidents N]
                      [--connections N] [--synth-nodes N]
                      [--seed N] [--data-dir DIR] [--cache-dir DIR] [--node PATH] [--tmp DIR]
                      [--keep-data] [--wait-quiet S]
  --seconds           measured run per graph and half (20)
  --units             units, each sending one fix every units/fix-rate seconds (10000)
  --fix-rate          position fixes per second, in batches every --tick-ms (10000; 10 ms)
  --rec-rate          recommendations per second (100)
  --parked            share of units standing still, their fixes repeating a place (0: all drive)
  --requirement       type:count[:cap+cap],... (engine:2,ladder:1,ambulance:1)
  --baseline-queries  side-by-side recommendations after the run (500)
  --passes            side-by-side passes over them; the table adds each query's best (3)
  --no-http           only the in-node half
  --incidents         open incidents the HTTP recommendations rotate over (20)
  --connections       keep-alive connections per HTTP stream (4)
  --cache-dir         where the contracted networks are kept (build-bench/)
  --wait-quiet        before each graph, wait up to S s for an idle machine (10)
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
    if (a == "--graphs")
      f.graphs = split(value());
    else if (a == "--seconds")
      f.seconds = std::stod(value());
    else if (a == "--units")
      f.units = uint32_t(std::stoul(value()));
    else if (a == "--fix-rate")
      f.fix_rate = std::stod(value());
    else if (a == "--rec-rate")
      f.rec_rate = std::stod(value());
    else if (a == "--tick-ms")
      f.tick_ms = std::stod(value());
    else if (a == "--parked")
      f.parked = std::stod(value());
    else if (a == "--requirement")
      f.requirement = value();
    else if (a == "--baseline-queries")
      f.baseline_queries = uint32_t(std::stoul(value()));
    else if (a == "--passes")
      f.passes = uint32_t(std::stoul(value()));
    else if (a == "--http")
      f.http = true;
    else if (a == "--no-http")
      f.http = false;
    else if (a == "--incidents")
      f.incidents = uint32_t(std::stoul(value()));
    else if (a == "--connections")
      f.connections = uint32_t(std::stoul(value()));
    else if (a == "--synth-nodes")
      f.synth_nodes = uint32_t(std::stoul(value()));
    else if (a == "--seed")
      f.seed = std::stoull(value());
    else if (a == "--data-dir")
      f.data_dir = value();
    else if (a == "--cache-dir")
      f.cache_dir = value();
    else if (a == "--node")
      f.node = value();
    else if (a == "--tmp")
      f.tmp = value();
    else if (a == "--keep-data")
      f.keep_data = true;
    else if (a == "--wait-quiet")
      f.wait_quiet_s = std::stod(value());
    else if (a == "-h" || a == "--help") {
      usage();
      std::exit(0);
    } else
      throw std::runtime_error("unknown flag " + a);
  }
  for (const auto& g : f.graphs)
    if (g != "ny" && g != "synth") throw std::runtime_error("unknown graph " + g + " (ny, synth)");
  if (f.seconds <= 0 || f.units == 0 || f.fix_rate <= 0 || f.rec_rate <= 0 || f.tick_ms <= 0 ||
      f.parked < 0 || f.parked > 1 || f.connections == 0 || f.incidents == 0)
    throw std::runtime_error("durations, counts and rates must be > 0");
  return f;
}

void say(const std::string& s) {
  std::fprintf(stderr, "%s\n", s.c_str());
  std::fflush(stderr);
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

json run_graph(const Flags& f, const std::string& name,
               const std::vector<liandong::bench::UnitSpec>& units,
               const liandong::dispatch::Requirement& requirement) {
  namespace lb = liandong::bench;
  json fig;
  auto net = lb::load_network(name, f.data_dir, f.cache_dir, f.synth_nodes, fig);
  fig["units"] = lb::describe_units(units);
  auto t0 = Steady::now();
  liandong::routing::SnapIndex snap(net.graph);
  fig["snap_index_s"] = std::chrono::duration<double>(Steady::now() - t0).count();
  if (f.wait_quiet_s > 0) fig["other_cores_before"] = lb::wait_quiet(f.wait_quiet_s);

  say("== " + name + ": in the node, " + std::to_string(int(f.seconds)) + " s");
  lb::InProcessOptions io;
  io.units = units;
  io.seconds = f.seconds;
  io.fix_rate = f.fix_rate;
  io.rec_rate = f.rec_rate;
  io.tick_ms = f.tick_ms;
  io.parked = f.parked;
  io.requirement = requirement;
  io.baseline_queries = f.baseline_queries;
  io.passes = f.passes;
  io.seed = f.seed;
  try {
    fig["inprocess"] = lb::run_in_process(net, snap, io);
  } catch (const std::exception& e) {
    say("bench_dispatch: " + name + " in the node failed: " + e.what());
    fig["error"] = e.what();
    return fig;
  }
  if (!f.http) return fig;
  say("== " + name + ": over HTTP, " + std::to_string(int(f.seconds)) + " s");
  lb::HttpOptions ho;
  ho.binary = f.node;
  ho.graph_file = fig["file"].get<std::string>();
  ho.tmp = f.tmp;
  ho.keep_data = f.keep_data;
  ho.units = units;
  ho.seconds = f.seconds;
  ho.fix_rate = f.fix_rate;
  ho.rec_rate = f.rec_rate;
  ho.tick_ms = f.tick_ms;
  ho.parked = f.parked;
  ho.requirement = requirement;
  ho.incidents = f.incidents;
  ho.connections = f.connections;
  ho.seed = f.seed;
  try {
    fig["http"] = lb::run_http(net.graph, ho);
  } catch (const lb::RouteMissing& e) {
    say("bench_dispatch: " + name + " over HTTP skipped: " + e.what());
    fig["http"] = {{"skipped", std::string("the node lacks a route: ") + e.what()}};
  } catch (const std::exception& e) {
    say("bench_dispatch: " + name + " over HTTP failed: " + e.what());
    fig["http"] = {{"error", e.what()}};
  }
  return fig;
}

}  // namespace

int main(int argc, char** argv) {
  Flags f;
  liandong::dispatch::Requirement requirement;
  try {
    f = parse_flags(argc, argv);
    requirement = liandong::bench::parse_requirement(f.requirement);
  } catch (const std::exception& e) {
    std::cerr << "bench_dispatch: " << e.what() << "\n";
    usage();
    return 1;
  }
  const auto units = liandong::bench::make_units(f.units, f.seed);
  std::printf("dispatch: position stream and recommendations inside the node and over HTTP\n");
  std::printf(
      "  %s, %ld cores (shared: other processes' CPU is reported), load average before %s\n",
      utc_now().c_str(), ::sysconf(_SC_NPROCESSORS_ONLN), load_average().c_str());
  std::printf(
      "  %u units (seed %llu), %.0f fixes/s in batches every %.0f ms, %.0f recommendations/s of\n"
      "  \"%s\" with routes, %.0f s per half; side by side %u recommendations\n",
      f.units, static_cast<unsigned long long>(f.seed), f.fix_rate, f.tick_ms, f.rec_rate,
      liandong::dispatch::describe(requirement).c_str(), f.seconds, f.baseline_queries);
  std::fflush(stdout);

  json results = json::object();
  bool failed = false;
  for (const auto& name : f.graphs) {
    results[name] = run_graph(f, name, units, requirement);
    const json& g = results[name];
    if (g.contains("error") || (g.contains("http") && g["http"].contains("error"))) failed = true;
    if (g.contains("inprocess") &&
        (g["inprocess"]["baseline"].value("mismatches", 0) > 0 ||
         g["inprocess"]["baseline"].value("index_alone_mismatches", 0) > 0))
      failed = true;
  }

  liandong::bench::GoalSettings goals;
  goals.fix_rate = f.fix_rate;
  const int status = liandong::bench::print_dispatch_report(f.graphs, results, goals);
  results["settings"] = {{"units", f.units},
                         {"seconds", f.seconds},
                         {"fix_rate", f.fix_rate},
                         {"rec_rate", f.rec_rate},
                         {"tick_ms", f.tick_ms},
                         {"parked", f.parked},
                         {"requirement", f.requirement},
                         {"seed", f.seed},
                         {"baseline_queries", f.baseline_queries},
                         {"passes", f.passes},
                         {"http", f.http},
                         {"cores", ::sysconf(_SC_NPROCESSORS_ONLN)}};
  std::string data;
  for (const auto& name : f.graphs) {
    if (!data.empty()) data += ", ";
    data += name == "ny" ? "USA-road-t.NY.gr.gz + NY.co.gz (DIMACS)"
                         : "synth_city " + std::to_string(f.synth_nodes) + " nodes seed 1";
  }
  data += "; " + std::to_string(f.units) + " units at random arcs, seed " + std::to_string(f.seed);
  json line = {{"bench", "dispatch"}, {"data", data}, {"figures", results}};
  std::printf("%s\n", line.dump().c_str());
  if (failed) return 1;
  return status;
}
