#include "dispatch_world.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "roadimport/dimacs.h"
#include "roadimport/synth.h"
#include "routing/ch.h"

namespace liandong::bench {

namespace fs = std::filesystem;
using json = nlohmann::json;
using routing::ArcId;
using routing::NodeId;

double Latencies::percentile(double q) const {
  if (us_.empty()) return 0;
  std::vector<double> sorted = us_;
  std::sort(sorted.begin(), sorted.end());
  const size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

double Latencies::mean() const {
  return us_.empty() ? 0 : std::accumulate(us_.begin(), us_.end(), 0.0) / double(us_.size());
}

double Latencies::max() const {
  return us_.empty() ? 0 : *std::max_element(us_.begin(), us_.end());
}

json Latencies::summary() const {
  return {{"p50_us", percentile(0.5)},
          {"p99_us", percentile(0.99)},
          {"max_us", max()},
          {"mean_us", mean()},
          {"n", size()}};
}

namespace {

void say(const std::string& s) {
  std::fprintf(stderr, "%s\n", s.c_str());
  std::fflush(stderr);
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

uint64_t status_kb(pid_t pid, const char* key) {
  std::ifstream in(pid == 0 ? std::string("/proc/self/status")
                            : "/proc/" + std::to_string(pid) + "/status");
  std::string name;
  uint64_t value = 0;
  while (in >> name) {
    if (name == key) {
      in >> value;
      return value * 1024;
    }
    in.ignore(1 << 16, '\n');
  }
  return 0;
}

}  // namespace

routing::RoadNetwork load_network(const std::string& name, const std::string& data_dir,
                                  const std::string& cache_dir, uint32_t synth_nodes, json& fig) {
  const auto t0 = std::chrono::steady_clock::now();
  std::string source;
  if (name == "ny")
    source = "USA-road-t.NY.gr.gz + USA-road-d.NY.co.gz (read_dimacs)";
  else if (name == "synth")
    source = "synth_city nodes=" + std::to_string(synth_nodes) + " seed=1";
  else
    throw std::runtime_error("unknown graph " + name + " (ny, synth)");
  fs::create_directories(cache_dir);
  const std::string path = (fs::path(cache_dir) / ("dispatch-" + name + ".ldg")).string();
  fig["source"] = source;
  fig["file"] = path;
  if (fs::exists(path)) {
    auto cached = routing::load_road_network(path);
    if (cached && cached->meta.source == source && !cached->ch.up.empty()) {
      fig["cache"] = "hit";
      fig["prepare_s"] = seconds_since(t0);
      fig["nodes"] = cached->graph.node_count();
      fig["arcs"] = cached->graph.arc_count();
      return std::move(*cached);
    }
    say("  " + path + " is stale or unreadable; rebuilding it");
  }
  routing::RoadNetwork net;
  net.meta.source = source;
  net.meta.created = "bench_dispatch";
  if (name == "ny") {
    say("== ny: import (DIMACS with coordinates)");
    auto g = roadimport::read_dimacs(data_dir + "/dimacs/USA-road-t.NY.gr.gz",
                                     data_dir + "/dimacs/USA-road-d.NY.co.gz");
    if (!g) throw std::runtime_error(g.status().to_string());
    net.graph = std::move(*g);
    net.meta.profile = "dimacs";
  } else {
    say("== synth: synth_city " + std::to_string(synth_nodes) + " nodes");
    roadimport::SynthOptions o;
    o.nodes = synth_nodes;
    o.seed = 1;
    net.graph = roadimport::synth_city(o).graph;
    net.meta.profile = "synth";
  }
  say("== " + name + ": contraction of " + std::to_string(net.graph.node_count()) +
      " nodes (once; cached in " + path + ")");
  net.ch = routing::build_contraction_hierarchy(net.graph, {});
  const auto st = routing::save_road_network(net, path);
  if (!st) throw std::runtime_error(st.to_string());
  fig["cache"] = "built";
  fig["prepare_s"] = seconds_since(t0);
  fig["nodes"] = net.graph.node_count();
  fig["arcs"] = net.graph.arc_count();
  return net;
}

std::vector<UnitSpec> make_units(uint32_t count, uint64_t seed) {
  struct Share {
    const char* type;
    double share;
  };
  static const Share kTypes[] = {{"engine", 0.28},       {"ambulance", 0.22}, {"patrol", 0.18},
                                 {"ladder", 0.07},       {"rescue", 0.06},    {"traffic", 0.06},
                                 {"water_tender", 0.04}, {"team", 0.04},      {"hazmat", 0.03},
                                 {"boat", 0.02}};
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0, 1);
  std::vector<UnitSpec> out(count);
  // Types by share, in a shuffled order so that neighbouring ids are of mixed types.
  std::vector<std::string> types;
  for (const auto& s : kTypes)
    types.insert(types.end(), size_t(std::llround(s.share * count)), s.type);
  types.resize(count, "engine");
  std::shuffle(types.begin(), types.end(), rng);
  for (uint32_t i = 0; i < count; ++i) {
    UnitSpec& u = out[i];
    u.type = types[i];
    u.call_sign = u.type + "-" + std::to_string(i + 1);
    auto maybe = [&](double p, const char* cap) {
      if (uniform(rng) < p) u.capabilities.push_back(cap);
    };
    if (u.type == "engine") {
      maybe(0.6, "breathing_apparatus");
      maybe(0.2, "foam");
    } else if (u.type == "ladder") {
      maybe(0.5, "aerial_32m");
      maybe(0.5, "breathing_apparatus");
    } else if (u.type == "ambulance") {
      maybe(0.35, "als");
    } else if (u.type == "rescue") {
      maybe(0.5, "heavy_rescue");
    } else if (u.type == "hazmat") {
      maybe(0.8, "decon");
    }
    std::sort(u.capabilities.begin(), u.capabilities.end());
    const double s = uniform(rng);
    u.status = s < 0.80   ? "available"
               : s < 0.84 ? "returning"
               : s < 0.86 ? "dispatched"
               : s < 0.89 ? "en_route"
               : s < 0.94 ? "on_scene"
               : s < 0.96 ? "transporting"
                          : "out_of_service";
  }
  return out;
}

json describe_units(const std::vector<UnitSpec>& units) {
  json by_type = json::object(), dispatchable = json::object();
  uint64_t total_dispatchable = 0;
  for (const auto& u : units) {
    by_type[u.type] = by_type.value(u.type, 0) + 1;
    if (u.status == "available" || u.status == "returning") {
      dispatchable[u.type] = dispatchable.value(u.type, 0) + 1;
      ++total_dispatchable;
    }
  }
  return {{"count", units.size()},
          {"by_type", by_type},
          {"dispatchable", total_dispatchable},
          {"dispatchable_by_type", dispatchable}};
}

Drivers::Drivers(const routing::Graph& graph, uint32_t units, uint64_t seed, double parked)
    : graph_(graph), tails_(graph.tails()), rng_(seed) {
  arc_.resize(units);
  offset_m_.resize(units);
  speed_mps_.resize(units);
  std::uniform_real_distribution<double> kmh(20, 60), fraction(0, 1);
  for (uint32_t u = 0; u < units; ++u) {
    arc_[u] = ArcId(rng_() % graph.arc_count());
    offset_m_[u] = fraction(rng_) * length_m(arc_[u]);
    speed_mps_[u] = kmh(rng_) / 3.6;
    if (parked > 0 && fraction(rng_) < parked) speed_mps_[u] = 0;
  }
}

double Drivers::length_m(ArcId a) const {
  if (graph_.length_m[a] > 0) return graph_.length_m[a];
  const auto& p = graph_.coord[tails_[a]];
  const auto& q = graph_.coord[graph_.head[a]];
  return std::max(1.0, core::distance_m({p.lon(), p.lat()}, {q.lon(), q.lat()}));
}

core::LonLat Drivers::advance(uint32_t u, double seconds) {
  offset_m_[u] += speed_mps_[u] * seconds;
  for (int hops = 0; offset_m_[u] >= length_m(arc_[u]) && hops < 64; ++hops) {
    const ArcId a = arc_[u];
    const NodeId at = graph_.head[a];
    const uint32_t first = graph_.first_out[at], last = graph_.first_out[at + 1];
    if (first == last) {  // a dead end: wait at it
      offset_m_[u] = length_m(a);
      break;
    }
    offset_m_[u] -= length_m(a);
    std::vector<ArcId> onward;
    for (ArcId b = first; b < last; ++b)
      if (graph_.head[b] != tails_[a]) onward.push_back(b);
    arc_[u] =
        onward.empty() ? ArcId(first + rng_() % (last - first)) : onward[rng_() % onward.size()];
  }
  offset_m_[u] = std::min(offset_m_[u], length_m(arc_[u]));
  return where(u);
}

core::LonLat Drivers::where(uint32_t u) const {
  const ArcId a = arc_[u];
  const auto& p = graph_.coord[tails_[a]];
  const auto& q = graph_.coord[graph_.head[a]];
  const double f = std::clamp(offset_m_[u] / length_m(a), 0.0, 1.0);
  return {p.lon() + f * (q.lon() - p.lon()), p.lat() + f * (q.lat() - p.lat())};
}

dispatch::Requirement parse_requirement(const std::string& text) {
  dispatch::Requirement r;
  std::stringstream slots(text);
  for (std::string slot; std::getline(slots, slot, ',');) {
    std::stringstream parts(slot);
    std::string type, count, caps;
    std::getline(parts, type, ':');
    std::getline(parts, count, ':');
    std::getline(parts, caps, ':');
    dispatch::Slot s;
    s.type = type;
    s.count = count.empty() ? 1 : uint32_t(std::stoul(count));
    std::stringstream cs(caps);
    for (std::string c; std::getline(cs, c, '+');)
      if (!c.empty()) s.capabilities.push_back(c);
    r.slots.push_back(std::move(s));
  }
  if (auto st = dispatch::check(r); !st) throw std::runtime_error("--requirement: " + st.message());
  return r;
}

json requirement_json(const dispatch::Requirement& r) {
  json out = json::array();
  for (const auto& s : r.slots)
    out.push_back({{"type", s.type}, {"count", s.count}, {"capabilities", s.capabilities}});
  return out;
}

core::LonLat node_position(const routing::Graph& graph, routing::NodeId v) {
  return {graph.coord[v].lon(), graph.coord[v].lat()};
}

uint64_t rss_bytes(pid_t pid) { return status_kb(pid, "VmRSS:"); }
uint64_t rss_peak_bytes(pid_t pid) { return status_kb(pid, "VmHWM:"); }

}  // namespace liandong::bench
