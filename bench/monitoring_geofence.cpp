#include "monitoring_geofence.h"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "geofence/fence_index.h"
#include "geofence/tracker.h"

namespace liandong::bench {
namespace {

using core::LonLat;
using geofence::Fence;
using geofence::Fix;

constexpr double kMinLon = 114.0, kMaxLon = 115.5, kMinLat = 22.5, kMaxLat = 23.8;
constexpr double kMetresPerDegLat = 111'195.0;
constexpr int64_t kFixIntervalMs = 10'000;  // each object reports every 10 s
constexpr double kGoalFixesPerS = 1'000'000;

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
double thread_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

std::vector<LonLat> ring(LonLat c, double r_m, int n, std::mt19937_64 &rng, double wobble) {
  std::uniform_real_distribution<double> k(1.0 - wobble, 1.0);
  const double dlat = r_m / kMetresPerDegLat,
               dlon = dlat / std::cos(c.lat * std::numbers::pi / 180);
  std::vector<LonLat> v;
  v.reserve(size_t(n));
  for (int i = 0; i < n; ++i) {
    double a = 2 * std::numbers::pi * i / n, f = k(rng);
    v.push_back({c.lon + f * dlon * std::cos(a), c.lat + f * dlat * std::sin(a)});
  }
  return v;
}

struct Fences {
  std::vector<Fence> list;
  size_t vertices = 0, holes = 0;
};

Fences make_fences(const GeofenceOptions &o, std::mt19937_64 &rng) {
  std::uniform_real_distribution<double> u(0, 1);
  Fences f;
  const size_t n = o.small_fences + o.large_fences;
  for (size_t i = 0; i < n; ++i) {
    const bool large = i < o.large_fences;
    LonLat c{kMinLon + (kMaxLon - kMinLon) * u(rng), kMinLat + (kMaxLat - kMinLat) * u(rng)};
    Fence fence;
    fence.id = (large ? "L" : "S") + std::to_string(i);
    fence.kind = i % 2 ? "restricted_zone" : "water_source_protection";
    if (large) {
      double r = 1'000 + 4'000 * u(rng);
      fence.area.outer = ring(c, r, 200 + int(400 * u(rng)), rng, 0.3);
      if (i % 3 == 0) fence.area.holes.push_back(ring(c, 0.3 * r, 32 + int(32 * u(rng)), rng, 0.2));
    } else {
      fence.area.outer = ring(c, 100 + 700 * u(rng), 8 + int(57 * u(rng)), rng, 0.15);
    }
    f.vertices += fence.area.outer.size();
    for (const auto &h : fence.area.holes) f.vertices += h.size(), ++f.holes;
    fence.rules.on_enter = true;
    fence.rules.on_exit = true;
    if (i % 3 == 0) fence.rules.dwell = core::Millis(2 * 60'000);
    if (i % 3 == 1) fence.rules.speed_above_kmh = 60.0;
    if (i % 5 == 0) fence.object_kinds = {"hazmat_vehicle"};
    if (i % 10 == 1) fence.object_kinds = {"vessel"};
    f.list.push_back(std::move(fence));
  }
  return f;
}

// Objects on random walks at road speeds (20–90 km/h, heading drifting), each
// reporting every 10 s at its own phase, so that fixes come in time order
// interleaved across all objects.
struct Walkers {
  std::vector<LonLat> pos;
  std::vector<double> heading, kmh;
  std::vector<uint32_t> by_phase;  // objects in the order of their phase within a round
  std::vector<int64_t> phase_ms;
  std::mt19937_64 rng;
  size_t next = 0;  // fixes made so far

  Walkers(size_t n, uint64_t seed) : rng(seed) {
    std::uniform_real_distribution<double> u(0, 1);
    for (size_t i = 0; i < n; ++i) {
      pos.push_back(
          {kMinLon + (kMaxLon - kMinLon) * u(rng), kMinLat + (kMaxLat - kMinLat) * u(rng)});
      heading.push_back(2 * std::numbers::pi * u(rng));
      kmh.push_back(20 + 70 * u(rng));
      phase_ms.push_back(int64_t(u(rng) * kFixIntervalMs));
      by_phase.push_back(uint32_t(i));
    }
    std::sort(by_phase.begin(), by_phase.end(),
              [&](uint32_t a, uint32_t b) { return phase_ms[a] < phase_ms[b]; });
  }

  void fill(std::vector<Fix> &out, size_t count, core::Timestamp start) {
    std::normal_distribution<double> turn(0, 0.3), dv(0, 5);
    out.clear();
    const size_t n = pos.size();
    for (size_t k = 0; k < count; ++k, ++next) {
      const uint32_t id = by_phase[next % n];
      const int64_t round = int64_t(next / n);
      heading[id] += turn(rng);
      kmh[id] = std::clamp(kmh[id] + dv(rng), 5.0, 110.0);
      const double m = kmh[id] / 3.6 * (kFixIntervalMs / 1000.0);
      LonLat &p = pos[id];
      p.lat += m * std::sin(heading[id]) / kMetresPerDegLat;
      p.lon +=
          m * std::cos(heading[id]) / (kMetresPerDegLat * std::cos(p.lat * std::numbers::pi / 180));
      if (p.lon < kMinLon || p.lon > kMaxLon)
        heading[id] = std::numbers::pi - heading[id], p.lon = std::clamp(p.lon, kMinLon, kMaxLon);
      if (p.lat < kMinLat || p.lat > kMaxLat)
        heading[id] = -heading[id], p.lat = std::clamp(p.lat, kMinLat, kMaxLat);
      Fix f{id, start + core::Millis(round * kFixIntervalMs + phase_ms[id]), p, std::nullopt};
      if (id % 2 == 0) f.speed_kmh = kmh[id];  // half report GPS speed, half get it computed
      out.push_back(f);
    }
  }
};

std::string thousands(double v) {
  std::string s = std::to_string(int64_t(std::llround(v)));
  for (int i = int(s.size()) - 3; i > (s[0] == '-' ? 1 : 0); i -= 3) s.insert(size_t(i), ",");
  return s;
}

}  // namespace

GeofenceResult run_geofence(const GeofenceOptions &o) {
  GeofenceResult res;
  std::mt19937_64 rng(o.seed);
  Fences fences = make_fences(o, rng);
  const size_t n_fences = fences.list.size();
  const size_t vertices = fences.vertices, holes = fences.holes;

  double t0 = now_s();
  auto built = geofence::FenceIndex::build(std::move(fences.list));
  const double build_s = now_s() - t0;
  if (!built) throw std::runtime_error("FenceIndex::build: " + built.status().to_string());
  const geofence::FenceIndex &index = *built;
  const double index_mb = double(index.memory_bytes()) / (1 << 20);

  geofence::Tracker tracker(index);
  for (size_t i = 0; i < o.objects; ++i)
    tracker.add_object(i % 10 == 9 ? "vessel" : "hazmat_vehicle");
  Walkers walkers(o.objects, o.seed + 1);
  const core::Timestamp start = core::from_unix_millis(1'800'000'000'000);

  // 1. The first chunk of fixes: the index alone and the naive check on its
  // first baseline_fixes.
  const size_t chunk = std::min<size_t>(1'000'000, std::max<size_t>(o.fixes, 1));
  std::vector<Fix> fixes;
  fixes.reserve(chunk);
  walkers.fill(fixes, std::min(chunk, o.fixes), start);
  std::vector<uint32_t> a, b;
  size_t in_any = 0, memberships = 0;
  t0 = now_s();
  for (const Fix &f : fixes) {
    index.containing(f.position, a);
    in_any += !a.empty();
    memberships += a.size();
  }
  const double index_s = now_s() - t0;
  const double index_qps = double(fixes.size()) / index_s;
  const size_t nb = std::min(o.baseline_fixes, fixes.size());
  t0 = now_s();
  size_t naive_members = 0;
  for (size_t k = 0; k < nb; ++k) {
    index.containing_naive(fixes[k].position, b);
    naive_members += b.size();
  }
  const double naive_s = now_s() - t0;
  const double naive_qps = double(nb) / naive_s;
  res.agree = true;
  for (size_t k = 0; k < nb; ++k) {
    index.containing(fixes[k].position, a);
    index.containing_naive(fixes[k].position, b);
    if (a != b) res.agree = false;
  }

  // 2. Every fix through the Tracker, check_dwell once per simulated 10 s
  // round.
  std::vector<geofence::Hit> hits;
  hits.reserve(1 << 16);
  size_t by_kind[4] = {0, 0, 0, 0}, total_hits = 0, done = 0, dwell_checks = 0;
  double track_s = 0, track_cpu = 0;
  int64_t last_round = 0;
  while (done < o.fixes) {
    if (done > 0) walkers.fill(fixes, std::min(chunk, o.fixes - done), start);
    double w0 = now_s(), c0 = thread_cpu_s();
    for (const Fix &f : fixes) {
      const int64_t round =
          (core::to_unix_millis(f.time) - core::to_unix_millis(start)) / kFixIntervalMs;
      if (round != last_round) {
        tracker.check_dwell(f.time, hits);
        last_round = round;
        ++dwell_checks;
      }
      tracker.observe(f, hits);
      if (hits.size() > 60'000) {
        for (const auto &h : hits) ++by_kind[int(h.kind)];
        total_hits += hits.size();
        hits.clear();
      }
    }
    track_s += now_s() - w0;
    track_cpu += thread_cpu_s() - c0;
    done += fixes.size();
  }
  for (const auto &h : hits) ++by_kind[int(h.kind)];
  total_hits += hits.size();
  const double fixes_per_s = double(done) / track_s;
  res.fixes_per_s = fixes_per_s;
  const double sim_s =
      double(done) / double(std::max<size_t>(o.objects, 1)) * (kFixIntervalMs / 1000.0);

  // ---- table ----
  std::printf(
      "geofence: %zu fences (%zu large, %zu holes, %s vertices) over "
      "lon %.1f-%.1f lat %.1f-%.1f; "
      "%s objects, %s fixes (%.0f s simulated, one fix per object "
      "every 10 s)\n",
      n_fences, o.large_fences, holes, thousands(double(vertices)).c_str(), kMinLon, kMaxLon,
      kMinLat, kMaxLat, thousands(double(o.objects)).c_str(), thousands(double(done)).c_str(),
      sim_s);
  std::printf("  index build          %10.3f s     index memory %8.1f MiB\n", build_s, index_mb);
  std::printf("  %-34s %14s %12s %10s\n", "", "per s", "ns each", "ratio");
  std::printf("  %-34s %14s %12.1f %10s\n", "naive: every box, then edges",
              thousands(naive_qps).c_str(), 1e9 / naive_qps, "1.0");
  std::printf("  %-34s %14s %12.1f %9.0fx\n", "FenceIndex::containing",
              thousands(index_qps).c_str(), 1e9 / index_qps, index_qps / naive_qps);
  std::printf("  %-34s %14s %12.1f %9.0fx\n", "Tracker::observe (fixes)",
              thousands(fixes_per_s).c_str(), 1e9 / fixes_per_s, fixes_per_s / naive_qps);
  std::printf("  %-34s %14s\n", "hits", thousands(double(total_hits) / track_s).c_str());
  std::printf(
      "  fixes in a fence: %.1f%% (%.2f fences each on average); naive "
      "on the first %zu fixes, same "
      "answers: %s\n",
      100.0 * double(in_any) / double(fixes.empty() ? 1 : std::min(chunk, o.fixes)),
      in_any ? double(memberships) / double(in_any) : 0.0, nb, res.agree ? "yes" : "NO");
  std::printf(
      "  hits: enter %s, exit %s, dwell %s, speed %s; stale %llu, "
      "invalid %llu; tracker CPU %.2f s of "
      "%.2f s wall\n",
      thousands(double(by_kind[0])).c_str(), thousands(double(by_kind[1])).c_str(),
      thousands(double(by_kind[2])).c_str(), thousands(double(by_kind[3])).c_str(),
      (unsigned long long)tracker.stats().stale, (unsigned long long)tracker.stats().invalid,
      track_cpu, track_s);
  (void)naive_members;

  auto r1 = [](double v) { return std::round(v * 10) / 10; };
  res.figures = {
      {"fences", n_fences},
      {"large_fences", o.large_fences},
      {"holes", holes},
      {"vertices", vertices},
      {"objects", o.objects},
      {"fixes", done},
      {"build_s", std::round(build_s * 1000) / 1000},
      {"index_mib", r1(index_mb)},
      {"naive_queries_per_s", std::round(naive_qps)},
      {"index_queries_per_s", std::round(index_qps)},
      {"index_vs_naive", r1(index_qps / naive_qps)},
      {"fixes_per_s", std::round(fixes_per_s)},
      {"fixes_per_cpu_s", std::round(double(done) / track_cpu)},
      {"tracker_vs_naive", r1(fixes_per_s / naive_qps)},
      {"hits_per_s", std::round(double(total_hits) / track_s)},
      {"hits",
       {{"enter", by_kind[0]}, {"exit", by_kind[1]}, {"dwell", by_kind[2]}, {"speed", by_kind[3]}}},
      {"dwell_checks", dwell_checks},
      {"baseline_fixes", nb},
      {"agree", res.agree}};
  std::printf("  goal: >= %s fixes/s through geofencing: %s (%s)\n",
              thousands(kGoalFixesPerS).c_str(), fixes_per_s >= kGoalFixesPerS ? "PASS" : "MISS",
              thousands(fixes_per_s).c_str());
  return res;
}

}  // namespace liandong::bench
