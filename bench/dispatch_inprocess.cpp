#include "dispatch_inprocess.h"

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "core/codes.h"
#include "core/ids.h"
#include "core/time.h"
#include "dispatch_baseline.h"
#include "engine/view.h"
#include "fleet/fleet.h"
#include "fleet/position_store.h"
#include "node_process.h"

namespace liandong::bench {
namespace {

constexpr uint64_t kFleetDriftMs = 3000;  // the fleet's re-indexing drift (src/fleet/fleet.cpp)

using Steady = std::chrono::steady_clock;
using json = nlohmann::json;

double us_between(Steady::time_point a, Steady::time_point b) {
  return std::chrono::duration<double, std::micro>(b - a).count();
}

double mb(uint64_t bytes) { return double(bytes) / 1e6; }

void say(const std::string& s) {
  std::fprintf(stderr, "%s\n", s.c_str());
  std::fflush(stderr);
}

std::shared_ptr<engine::View> make_view(const std::vector<UnitSpec>& units, const std::string& node,
                                        core::Timestamp now) {
  auto view = std::make_shared<engine::View>();
  view->node = node;
  for (uint32_t i = 0; i < units.size(); ++i) {
    auto u = std::make_shared<engine::Unit>();
    u->id = core::format_id(node, core::kKindUnit, i + 1);
    u->jurisdiction = node;
    u->call_sign = units[i].call_sign;
    u->type = units[i].type;
    u->capabilities = units[i].capabilities;
    u->crew = 4;
    u->status = units[i].status;
    u->status_since = now;
    view->units.push_back(std::move(u));
  }
  return view;
}

// What the fix stream did, filled by its thread.
struct FixStream {
  uint64_t offered = 0, applied = 0, duplicate = 0, out_of_order = 0, rejected = 0;
  uint64_t refused_batches = 0, late_ticks = 0;
  Latencies ingest_us;  // one ingest() call (a batch)
  std::string first_problem;
};

// What the recommendation stream did.
struct RecStream {
  Latencies wall_us, worker_us, handover_us;
  uint64_t failed = 0, not_road = 0, unfilled = 0, late = 0, considered = 0;
  std::string first_problem;
};

uint32_t unfilled_of(const fleet::Recommendation& r) {
  uint32_t n = 0;
  for (const auto& s : r.slots) n += s.unfilled;
  return n;
}

// (unit index, eta) per slot, chosen then alternatives, of a fleet answer.
std::vector<std::vector<std::pair<int64_t, uint32_t>>> picks(const fleet::Recommendation& r,
                                                             const std::string& node,
                                                             size_t units) {
  std::vector<std::vector<std::pair<int64_t, uint32_t>>> out;
  for (const auto& s : r.slots) {
    out.emplace_back();
    for (const auto* list : {&s.units, &s.alternatives}) {
      for (const auto& u : *list)
        out.back().emplace_back(engine::index_of(u.unit_id, node, core::kKindUnit, units),
                                u.eta_ms.value_or(routing::kInfinity));
      out.back().emplace_back(-1, 0);  // separator: chosen | alternatives
    }
  }
  return out;
}

std::vector<std::vector<std::pair<int64_t, uint32_t>>> picks(const dispatch::Assignment& a) {
  std::vector<std::vector<std::pair<int64_t, uint32_t>>> out;
  for (size_t i = 0; i < a.chosen.size(); ++i) {
    out.emplace_back();
    for (const auto* list : {&a.chosen[i], &a.alternatives[i]}) {
      for (const auto& c : *list) out.back().emplace_back(int64_t(c.unit), c.eta_ms);
      out.back().emplace_back(-1, 0);
    }
  }
  return out;
}

json ratio(const Latencies& baseline, const Latencies& ours) {
  return {{"p50", baseline.percentile(0.5) / std::max(ours.percentile(0.5), 1e-9)},
          {"p99", baseline.percentile(0.99) / std::max(ours.percentile(0.99), 1e-9)},
          {"mean", baseline.mean() / std::max(ours.mean(), 1e-9)}};
}

// Per method of the side-by-side phase: the first pass's times (the figure of record) and each
// query's least time over the passes (what is left when preemption by other processes is
// filtered out).
struct Timed {
  Latencies first;
  std::vector<double> least;
  void add(uint32_t pass, size_t q, double us) {
    if (pass == 0) {
      first.add(us);
      least.push_back(us);
    } else {
      least[q] = std::min(least[q], us);
    }
  }
  Latencies best() const {
    Latencies b;
    for (double v : least) b.add(v);
    return b;
  }
  json summary() const {
    json j = first.summary();
    const Latencies b = best();
    j["best_p50_us"] = b.percentile(0.5);
    j["best_p99_us"] = b.percentile(0.99);
    return j;
  }
};

json ratios(const Timed& baseline, const Timed& ours) {
  json j = ratio(baseline.first, ours.first);
  const json b = ratio(baseline.best(), ours.best());
  j["best_p50"] = b["p50"];
  j["best_p99"] = b["p99"];
  return j;
}

// The side-by-side phase: the fleet with routes, without, the index alone and the Dijkstra
// reference, on the same incident places, one query at a time in rotating order; positions
// stand still.
json side_by_side(const routing::RoadNetwork& net, const routing::SnapIndex& snap,
                  fleet::Fleet& fleet, const InProcessOptions& o) {
  const auto& g = net.graph;
  const size_t n_units = o.units.size();
  std::vector<routing::Place> places(n_units);
  std::vector<std::string> types;
  for (const auto& s : o.requirement.slots)
    if (std::find(types.begin(), types.end(), s.type) == types.end()) types.push_back(s.type);
  for (const auto& t : types)
    for (const auto& [id, place] : fleet.dispatchable_places(t)) {
      const int64_t u = engine::index_of(id, o.node, core::kKindUnit, n_units);
      if (u >= 0) places[size_t(u)] = place;
    }
  auto t0 = Steady::now();
  DijkstraRecommender reference(g, places, o.units);
  const double setup_ms = us_between(t0, Steady::now()) / 1e3;
  t0 = Steady::now();
  IndexRecommender alone(g, net.ch, places, o.units);
  const double index_setup_ms = us_between(t0, Steady::now()) / 1e3;

  std::mt19937_64 rng(o.seed * 7919 + 3);
  std::vector<core::LonLat> at(o.baseline_queries + 1);
  for (auto& p : at) p = node_position(g, routing::NodeId(rng() % g.node_count()));
  Timed on_us, off_us, alone_us, dij_us, snap_us;
  uint64_t within_drift_count = 0;
  uint64_t mismatches = 0, alone_mismatches = 0, route_mismatches = 0, settled = 0, compared = 0,
           unplaceable = 0;
  std::string first_mismatch;
  const uint32_t alternatives = fleet.options().alternatives;
  const uint32_t passes = std::max(1u, o.passes);
  for (uint32_t pass = 0; pass < passes; ++pass) {
    // Query 0 runs untimed first (scratch arrays, the reference's reverse index).
    for (uint32_t q = 0; q < at.size(); ++q) {
      fleet::RecommendRequest req{"bench", o.node, at[q], o.requirement, true};
      fleet::RecommendRequest req_off = req;
      req_off.with_routes = false;
      core::Result<fleet::Recommendation> on = core::unavailable(""), off = core::unavailable("");
      dispatch::Assignment ref, idx;
      double t[5] = {};
      bool placed = true;
      for (uint32_t step = 0; step < 4; ++step) {
        const uint32_t method = (step + q + pass) % 4;
        const auto s0 = Steady::now();
        if (method == 0) {
          on = fleet.recommend(req);
        } else if (method == 1) {
          off = fleet.recommend(req_off);
        } else {
          auto target =
              snap.snap(at[q].lon, at[q].lat, 1000);  // the fleet's incident snap distance
          if (method == 2) t[4] = us_between(s0, Steady::now());
          if (!target) {
            placed = false;
          } else if (method == 2) {
            idx = alone.recommend(target->place, o.requirement, alternatives);
          } else {
            ref = reference.recommend(target->place, o.requirement, alternatives);
          }
        }
        t[method] = us_between(s0, Steady::now());
      }
      if (!on || !off)
        throw std::runtime_error("recommend failed: " + (on ? off : on).status().to_string());
      if (q == 0) continue;
      on_us.add(pass, q - 1, t[0]);
      off_us.add(pass, q - 1, t[1]);
      alone_us.add(pass, q - 1, t[2]);
      dij_us.add(pass, q - 1, t[3]);
      snap_us.add(pass, q - 1, t[4]);
      if (pass > 0) continue;
      settled += reference.last_settled();
      if (!placed || off->method != "road") {
        ++unplaceable;
        continue;
      }
      ++compared;
      const auto fleet_picks = picks(*off, o.node, n_units);
      // The fleet re-indexes a unit only when it changes road or drifts more than 3 s along it
      // (src/fleet/fleet.h), so its ETAs may differ from the exact ones by that much per unit: a
      // different answer within that is counted apart, a bigger difference is a mismatch.
      uint64_t positions = 0;
      for (const auto& slot : off->slots) positions += slot.units.size() + slot.unfilled;
      auto within_drift = [&](uint64_t a, uint64_t b) {
        return (a > b ? a - b : b - a) <= kFleetDriftMs * positions;
      };
      if (fleet_picks != picks(ref) && within_drift(off->total_eta_ms, ref.total_eta_ms)) {
        ++within_drift_count;
      } else if (fleet_picks != picks(ref)) {
        ++mismatches;
        if (first_mismatch.empty())
          first_mismatch = "at " + std::to_string(at[q].lon) + "," + std::to_string(at[q].lat) +
                           ": fleet total " + std::to_string(off->total_eta_ms) + " ms, Dijkstra " +
                           std::to_string(ref.total_eta_ms) + " ms";
      }
      if (fleet_picks != picks(idx) && !within_drift(off->total_eta_ms, idx.total_eta_ms)) ++alone_mismatches;
      if (picks(*on, o.node, n_units) != fleet_picks) ++route_mismatches;
    }
  }
  json out = {
      {"queries", o.baseline_queries},
      {"passes", passes},
      {"fleet_routes_on", on_us.summary()},
      {"fleet_routes_off", off_us.summary()},
      {"index_alone", alone_us.summary()},
      {"incident_snap", snap_us.summary()},
      {"dijkstra", dij_us.summary()},
      {"dijkstra_setup_ms", setup_ms},
      {"index_alone_setup_ms", index_setup_ms},
      {"dijkstra_units", reference.units_placed()},
      {"dijkstra_settled_mean", o.baseline_queries ? double(settled) / o.baseline_queries : 0},
      {"ratio_dijkstra_vs_routes_off", ratios(dij_us, off_us)},
      {"ratio_dijkstra_vs_routes_on", ratios(dij_us, on_us)},
      {"ratio_dijkstra_vs_index_alone", ratios(dij_us, alone_us)},
      {"ratio_routes_on_vs_off", ratios(on_us, off_us)},
      {"ratio_routes_off_vs_index_alone", ratios(off_us, alone_us)},
      {"compared", compared},
      {"not_compared", unplaceable},
      {"mismatches", mismatches},
      {"differ_within_drift", within_drift_count},
      {"index_alone_mismatches", alone_mismatches},
      {"routes_changed_choice", route_mismatches}};
  if (!first_mismatch.empty()) out["first_mismatch"] = first_mismatch;
  return out;
}

// CPU seconds (user + system) of each thread of this process, by thread id.
std::map<int, double> thread_cpu() {
  std::map<int, double> out;
  const double tick = double(::sysconf(_SC_CLK_TCK));
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream in(e.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto paren = stat.rfind(')');
    if (paren == std::string::npos) continue;
    std::istringstream fields(stat.substr(paren + 2));
    std::string f;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> f; ++i) {
      if (i == 14) utime = std::stoull(f);
      if (i == 15) stime = std::stoull(f);
    }
    out[std::stoi(e.path().filename().string())] = double(utime + stime) / tick;
  }
  return out;
}

// How fast the fleet's worker applies fixes when nothing else asks of it: `rounds` fixes per unit
// (each unit driven on by one fix interval), ingested in batches of 1000 as fast as ingest()
// takes them, until drain() returns. The busiest thread in that window is the worker; its CPU
// time per fix is what one fix costs it.
json capacity(fleet::Fleet& fleet, Drivers& drivers, const std::vector<std::string>& ids,
              std::vector<int64_t>& last_ms, double fix_interval_s, uint32_t rounds,
              const core::Clock& clock) {
  const auto n_units = uint32_t(ids.size());
  std::vector<std::vector<fleet::Fix>> batches;
  const int64_t now_ms = core::to_unix_millis(clock.now());
  for (uint32_t r = 0; r < rounds; ++r)
    for (uint32_t u = 0; u < n_units; ++u) {
      if (batches.empty() || batches.back().size() == 1000) batches.emplace_back();
      const auto at = drivers.advance(u, fix_interval_s);
      last_ms[u] = std::max(now_ms, last_ms[u] + 1);
      batches.back().push_back(
          {ids[u], core::from_unix_millis(last_ms[u]), at.lon, at.lat, {}, {}, {}, {}});
    }
  const uint64_t total = uint64_t(rounds) * n_units;
  const auto cpu0 = thread_cpu();
  const double process0 = process_cpu_seconds();
  const auto t0 = Steady::now();
  uint64_t refused = 0;
  for (auto& b : batches) {
    for (;;) {
      auto r = fleet.ingest(b);
      if (r) break;
      ++refused;  // the queue is full: let the worker catch up
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  const double ingest_s = std::chrono::duration<double>(Steady::now() - t0).count();
  fleet.drain();
  const double s = std::chrono::duration<double>(Steady::now() - t0).count();
  const double process = process_cpu_seconds() - process0;
  double busiest = 0;
  for (const auto& [tid, cpu] : thread_cpu()) {
    auto it = cpu0.find(tid);
    busiest = std::max(busiest, cpu - (it == cpu0.end() ? 0.0 : it->second));
  }
  return {{"fixes", total},
          {"seconds", s},
          {"ingest_seconds", ingest_s},
          {"fixes_per_s", double(total) / s},
          {"refused_batches", refused},
          {"worker_cpu_us_per_fix", busiest * 1e6 / double(total)},
          {"worker_cpu_share", busiest / s},
          {"process_cpu_us_per_fix", process * 1e6 / double(total)}};
}

}  // namespace

json run_in_process(const routing::RoadNetwork& net, const routing::SnapIndex& snap,
                    const InProcessOptions& o) {
  const auto& g = net.graph;
  const uint32_t n_units = uint32_t(o.units.size());
  core::SystemClock clock;
  json fig;

  // Every unit starts with one stored fix a second ago, as after a restart: start() places them
  // all before the measured stream begins.
  Drivers drivers(g, n_units, o.seed, o.parked);
  std::vector<std::string> ids(n_units);
  std::vector<int64_t> last_ms(n_units);
  fleet::MemoryPositionStore store;
  {
    std::vector<fleet::Fix> first(n_units);
    const auto when = clock.now() - core::Millis(1000);
    for (uint32_t u = 0; u < n_units; ++u) {
      ids[u] = core::format_id(o.node, core::kKindUnit, u + 1);
      const auto at = drivers.where(u);
      first[u] = {ids[u], when, at.lon, at.lat, {}, {}, {}, when};
      last_ms[u] = core::to_unix_millis(when);
    }
    if (auto st = store.append(first); !st) throw std::runtime_error(st.to_string());
  }
  auto view = make_view(o.units, o.node, clock.now());
  ::malloc_trim(0);
  const uint64_t rss_network = rss_bytes();  // the network, snap index, units and stored fixes
  fleet::FleetOptions fo;
  for (auto t : core::default_unit_types()) fo.unit_types.emplace_back(t);
  fleet::Fleet fleet(fo, &net, &snap, store, clock);
  const auto s0 = Steady::now();
  if (auto st = fleet.start(view); !st) throw std::runtime_error("fleet start: " + st.to_string());
  const double start_ms = us_between(s0, Steady::now()) / 1e3;
  const uint64_t rss_started = rss_bytes();
  uint32_t on_road = 0;
  for (const auto& p : fleet.positions()) on_road += p.on_road;
  fig["start"] = {{"ms", start_ms}, {"units_on_road", on_road}};
  say("  fleet started in " + std::to_string(int(start_ms)) + " ms; " + std::to_string(on_road) +
      " of " + std::to_string(n_units) + " units on the road graph");

  // ---- the measured run: fixes, recommendations, queue sampling ----
  const auto tick = std::chrono::microseconds(int64_t(o.tick_ms * 1000));
  const auto begin = Steady::now() + std::chrono::milliseconds(50);
  const auto end = begin + std::chrono::microseconds(int64_t(o.seconds * 1e6));
  FixStream fs;
  RecStream rs;
  std::vector<uint32_t> depth_samples;
  std::vector<uint32_t> depth_per_second(size_t(std::ceil(o.seconds)), 0);
  const double fix_interval_s = double(n_units) / o.fix_rate;  // between two fixes of one unit

  const double cpu0 = process_cpu_seconds();
  const MachineCpu m0 = machine_cpu();
  std::thread fixes([&] {
    double owed = 0;
    uint32_t cursor = 0;
    for (auto next = begin; next < end; next += tick) {
      std::this_thread::sleep_until(next);
      if (Steady::now() - next > std::chrono::milliseconds(5)) ++fs.late_ticks;
      owed += o.fix_rate * o.tick_ms / 1e3;
      const auto count = size_t(owed);
      owed -= double(count);
      std::vector<fleet::Fix> batch;
      batch.reserve(count);
      const int64_t now_ms = core::to_unix_millis(clock.now());
      for (size_t i = 0; i < count; ++i) {
        const uint32_t u = cursor;
        cursor = (cursor + 1) % n_units;
        const auto at = drivers.advance(u, fix_interval_s);
        last_ms[u] = std::max(now_ms, last_ms[u] + 1);
        const auto t = core::from_unix_millis(last_ms[u]);
        batch.push_back({ids[u], t, at.lon, at.lat, {}, {}, {}, {}});
      }
      fs.offered += count;
      const auto c0 = Steady::now();
      auto r = fleet.ingest(std::move(batch));
      fs.ingest_us.add(us_between(c0, Steady::now()));
      if (!r) {
        ++fs.refused_batches;
        if (fs.first_problem.empty()) fs.first_problem = r.status().to_string();
        continue;
      }
      for (const auto& out : *r) {
        switch (out.kind) {
          case fleet::FixOutcome::Kind::kApplied:
            ++fs.applied;
            break;
          case fleet::FixOutcome::Kind::kDuplicate:
            ++fs.duplicate;
            break;
          case fleet::FixOutcome::Kind::kOutOfOrder:
            ++fs.out_of_order;
            break;
          case fleet::FixOutcome::Kind::kRejected:
            ++fs.rejected;
            if (fs.first_problem.empty()) fs.first_problem = out.reason;
            break;
        }
      }
    }
  });

  std::thread recs([&] {
    std::mt19937_64 rng(o.seed * 31 + 1);
    const auto period = std::chrono::microseconds(int64_t(1e6 / o.rec_rate));
    uint64_t n = 0;
    for (auto next = begin; next < end; next += period) {
      std::this_thread::sleep_until(next);
      const auto c0 = Steady::now();
      if (c0 - next > std::chrono::milliseconds(1)) ++rs.late;
      const core::LonLat at = node_position(g, routing::NodeId(rng() % g.node_count()));
      fleet::RecommendRequest req{core::format_id(o.node, core::kKindIncident, ++n), o.node, at,
                                  o.requirement, true};
      const auto r0 = Steady::now();
      auto r = fleet.recommend(req);
      const double wall = us_between(r0, Steady::now());
      rs.wall_us.add(wall);
      if (!r) {
        ++rs.failed;
        if (rs.first_problem.empty()) rs.first_problem = r.status().to_string();
        continue;
      }
      rs.worker_us.add(double(r->micros));
      rs.handover_us.add(wall - double(r->micros));
      rs.considered += r->considered;
      if (r->method != "road") {
        ++rs.not_road;
        if (rs.first_problem.empty()) rs.first_problem = r->notice;
      }
      rs.unfilled += unfilled_of(*r);
    }
  });

  std::thread sampler([&] {
    for (auto next = begin; next < end; next += std::chrono::milliseconds(5)) {
      std::this_thread::sleep_until(next);
      const auto q = uint32_t(fleet.stats().queued);
      depth_samples.push_back(q);
      const auto second = size_t(std::chrono::duration<double>(next - begin).count());
      if (second < depth_per_second.size())
        depth_per_second[second] = std::max(depth_per_second[second], q);
    }
  });
  fixes.join();
  recs.join();
  sampler.join();
  const double run_s = std::chrono::duration<double>(Steady::now() - begin).count();
  {
    const MachineCpu m1 = machine_cpu();
    const double own = (process_cpu_seconds() - cpu0) / run_s;
    const double busy = m1.total > m0.total
                            ? double(m1.busy - m0.busy) / double(m1.total - m0.total) *
                                  double(::sysconf(_SC_NPROCESSORS_ONLN))
                            : 0.0;
    fig["machine"] = {
        {"own_cores", own}, {"busy_cores", busy}, {"other_cores", std::max(0.0, busy - own)}};
  }
  const auto queued_at_end = fleet.stats().queued;
  const auto d0 = Steady::now();
  fleet.drain();
  const double drain_ms = us_between(d0, Steady::now()) / 1e3;
  const auto stats = fleet.stats();
  const uint64_t rss_run = rss_bytes();

  Latencies depth;
  for (auto d : depth_samples) depth.add(d);
  fig["fixes"] = {{"offered", fs.offered},
                  {"offered_per_s", double(fs.offered) / run_s},
                  {"applied", fs.applied},
                  {"applied_per_s", double(fs.applied) / run_s},
                  {"absorbed_per_s", double(fs.applied - queued_at_end) / run_s},
                  {"duplicate", fs.duplicate},
                  {"out_of_order", fs.out_of_order},
                  {"rejected", fs.rejected},
                  {"refused_batches", fs.refused_batches},
                  {"late_ticks", fs.late_ticks},
                  {"batch", o.fix_rate * o.tick_ms / 1e3},
                  {"ingest_call", fs.ingest_us.summary()},
                  {"max_apply_lag_ms", double(stats.max_apply_lag_us) / 1e3},
                  {"queued_at_end", queued_at_end},
                  {"drain_ms", drain_ms},
                  {"queue_depth",
                   {{"max", depth.max()},
                    {"p99", depth.percentile(0.99)},
                    {"mean", depth.mean()},
                    {"samples", depth.size()},
                    {"max_per_second", depth_per_second}}},
                  {"stored", stats.fixes_stored},
                  {"store_errors", stats.store_errors}};
  if (!fs.first_problem.empty()) fig["fixes"]["first_problem"] = fs.first_problem;
  fig["recommend"] = {
      {"wall", rs.wall_us.summary()},
      {"worker", rs.worker_us.summary()},
      {"handover", rs.handover_us.summary()},
      {"failed", rs.failed},
      {"not_road", rs.not_road},
      {"unfilled_positions", rs.unfilled},
      {"late_starts", rs.late},
      {"considered_mean",
       rs.worker_us.size() ? double(rs.considered) / double(rs.worker_us.size()) : 0}};
  if (!rs.first_problem.empty()) fig["recommend"]["first_problem"] = rs.first_problem;
  fig["run_s"] = run_s;

  say("  capacity: " + std::to_string(2 * n_units) + " fixes as fast as the fleet takes them");
  fig["capacity"] = capacity(fleet, drivers, ids, last_ms, fix_interval_s, 2, clock);
  say("  side by side: " + std::to_string(o.baseline_queries) +
      " recommendations with routes, without, and by the stopping Dijkstra");
  fig["baseline"] = side_by_side(net, snap, fleet, o);
  fleet.stop();
  fig["memory"] = {{"rss_network_mb", mb(rss_network)},
                   {"rss_fleet_started_mb", mb(rss_started)},
                   {"rss_after_run_mb", mb(rss_run)},
                   {"fleet_start_growth_mb", mb(rss_started) - mb(rss_network)},
                   {"run_growth_mb", mb(rss_run) - mb(rss_started)},
                   {"hwm_mb", mb(rss_peak_bytes())},
                   {"fixes_in_memory_store", store.size()}};
  return fig;
}

}  // namespace liandong::bench
