// bench/run monitoring: the monitoring issue's benchmark (issue 7 "Benchmark"),
// in sections.
//
// - geofence (monitoring_geofence.cpp): fixes/s through geofence::Tracker for
// 100,000 tracked
//   objects against 10,000 polygons in this process, against the naive check in
//   the same run.
// - ingestion (monitoring_ingest.cpp): readings/s acknowledged durable over the
//   line protocol into the node binary with every detector on, at 1,000, 10,000
//   and 100,000 stations, against plain SQLite inserts of the same rows.
//
// This file: flags, the order of the sections, the goals and the JSON line. See
// bench/README.md.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>

#include "monitoring_geofence.h"
#include "monitoring_ingest.h"

namespace liandong::bench {
namespace {

using nlohmann::json;

constexpr double kGoalFixesPerS = 1'000'000;
constexpr double kGoalIngestRatio = 0.40;           // of the plain-insert baseline
constexpr double kGoalReadingsPerS = 200'000;       // acknowledged durable over HTTP
constexpr size_t kGoalStations[] = {1'000, 10'000, 100'000};  // the goals hold at each

struct Options {
  GeofenceOptions geofence;
  IngestOptions ingest;
  bool run_geofence = true;
  bool run_ingestion = true;
};

void usage() {
  std::printf(
      "usage: bench_monitoring [--only geofence|ingestion] [--objects "
      "N] [--small-fences N]\n"
      "                        [--large-fences N] [--fixes N] "
      "[--baseline-fixes N] [--seed S]\n"
      "                        [--stations N,N,..] [--batch N] [--connections N] "
      "[--warmup S] [--measure S]\n"
      "                        [--http-threads N] [--tmp DIR] [--keep-data] "
      "[--wait-quiet S] [--no-probe] [--node PATH]\n"
      "  --only SECTION      runs one section (default: all)\n"
      "  --objects N         tracked objects (100000)\n"
      "  --small-fences N    polygons of 8-64 vertices, radius 100-800 "
      "m (9700)\n"
      "  --large-fences N    polygons of 200-600 vertices, radius 1-5 "
      "km, every third with a hole (300)\n"
      "  --fixes N           fixes through the tracker (5000000)\n"
      "  --baseline-fixes N  fixes through the naive check (20000)\n"
      "  --seed S            data seed (1)\n"
      "ingestion:\n"
      "  --stations N,N,..   station counts, one row each (1000,10000,100000)\n"
      "  --batch N           lines a request, rows a baseline transaction (5000)\n"
      "  --connections N     concurrent HTTP connections (8)\n"
      "  --warmup S          seconds after the priming round, not measured (2)\n"
      "  --measure S         seconds measured, HTTP and baseline each (10)\n"
      "  --http-threads N    the node's http_threads (2)\n"
      "  --tmp DIR           where data folders go; a real disk, not tmpfs (system temp)\n"
      "  --keep-data         leave the data folders behind\n"
      "  --wait-quiet S      wait up to S s for an idle machine before each half (30)\n"
      "  --no-probe          skip timing the first readings of never-seen series\n"
      "  --node PATH         the liandong binary (the one built alongside)\n");
}

int run(const Options &o) {
  json figures = json::object();
  json goals = json::object();
  bool failed = false;

  if (o.run_geofence) {
    GeofenceResult g = run_geofence(o.geofence);
    figures["geofence"] = g.figures;
    goals["geofence_fixes_per_s"] = g.fixes_per_s >= kGoalFixesPerS ? "PASS" : "MISS";
    if (!g.agree) {
      std::printf("FAILURE: the index and the naive check disagree\n");
      failed = true;
    }
  } else {
    goals["geofence_fixes_per_s"] = "SKIP";
  }

  // ---- ingestion section (bench/monitoring_ingest.{h,cpp}) ----
  // Readings over the line protocol with all detectors on vs plain SQLite batch
  // inserts; the goals hold at each of 1,000, 10,000 and 100,000 stations.
  if (o.run_ingestion) {
    IngestResult in = run_ingestion(o.ingest);
    figures["ingestion"] = in.figures;
    if (in.failed) {
      std::printf("FAILURE: an ingestion row failed\n");
      failed = true;
    }
    std::string ratio = "PASS", rate = "PASS";
    for (size_t n : kGoalStations) {
      const IngestRow *row = nullptr;
      for (const auto &r : in.rows)
        if (r.stations == n && !r.failed) row = &r;
      if (!row) {
        if (ratio == "PASS") ratio = "SKIP";
        if (rate == "PASS") rate = "SKIP";
        continue;
      }
      if (row->ratio < kGoalIngestRatio) ratio = "MISS";
      if (row->readings_per_s < kGoalReadingsPerS) rate = "MISS";
    }
    goals["ingestion_vs_plain_insert"] = ratio;
    goals["ingestion_readings_per_s"] = rate;
  } else {
    figures["ingestion"] = nullptr;
    goals["ingestion_vs_plain_insert"] = "SKIP";
    goals["ingestion_readings_per_s"] = "SKIP";
  }
  // ---- end of the ingestion section ----

  bool all_pass = true;
  std::printf("\ngoals:\n");
  for (auto it = goals.begin(); it != goals.end(); ++it) {
    std::printf("  %-28s %s\n", it.key().c_str(), it.value().get<std::string>().c_str());
    all_pass = all_pass && it.value() == "PASS";
  }
  figures["goals"] = goals;
  const auto &g = o.geofence;
  json line = {
      {"bench", "monitoring"},
      {"data", "synthetic: " + std::to_string(g.small_fences + g.large_fences) + " polygons (" +
                   std::to_string(g.large_fences) + " large) over lon 114.0-115.5 lat 22.5-23.8, " +
                   std::to_string(g.objects) + " objects on random walks, " +
                   std::to_string(g.fixes) + " fixes, seed " + std::to_string(g.seed) +
                   "; ingestion: synthetic water-quality stations (cadmium, ammonia_nitrogen, "
                   "dissolved_oxygen every 300 s, 0.5% over their limits half the time) over "
                   "loopback HTTP vs plain SQLite inserts"},
      {"figures", figures}};
  std::printf("%s\n", line.dump().c_str());
  if (failed) return 1;
  return all_pass ? 0 : 2;
}

}  // namespace
}  // namespace liandong::bench

int main(int argc, char **argv) {
  liandong::bench::Options o;
  o.ingest.node = LIANDONG_BINARY;
  auto need = [&](int &i) -> std::string {
    if (i + 1 >= argc) {
      std::fprintf(stderr, "%s needs a value\n", argv[i]);
      std::exit(1);
    }
    return argv[++i];
  };
  auto count = [&](int &i) -> size_t {
    std::string v = need(i);
    char *end = nullptr;
    unsigned long long n = std::strtoull(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || v[0] == '-' || n > 100'000'000ULL) {
      std::fprintf(stderr, "%s: '%s' is not a count from 0 to 100000000\n", argv[i - 1], v.c_str());
      std::exit(1);
    }
    return size_t(n);
  };
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      liandong::bench::usage();
      return 0;
    } else if (a == "--only") {
      std::string s = need(i);
      if (s != "geofence" && s != "ingestion") {
        std::fprintf(stderr, "--only: unknown section '%s' (geofence, ingestion)\n", s.c_str());
        return 1;
      }
      o.run_geofence = s == "geofence";
      o.run_ingestion = s == "ingestion";
    } else if (a == "--objects") {
      o.geofence.objects = count(i);
    } else if (a == "--small-fences") {
      o.geofence.small_fences = count(i);
    } else if (a == "--large-fences") {
      o.geofence.large_fences = count(i);
    } else if (a == "--fixes") {
      o.geofence.fixes = count(i);
    } else if (a == "--baseline-fixes") {
      o.geofence.baseline_fixes = count(i);
    } else if (a == "--seed") {
      o.geofence.seed = count(i);
    } else if (a == "--stations") {
      std::string v = need(i);
      o.ingest.stations.clear();
      for (size_t at = 0; at <= v.size();) {
        size_t comma = std::min(v.find(',', at), v.size());
        std::string item = v.substr(at, comma - at);
        char *end = nullptr;
        unsigned long long n = std::strtoull(item.c_str(), &end, 10);
        if (item.empty() || *end != '\0' || item[0] == '-' || n < 1 || n > 1'000'000) {
          std::fprintf(stderr, "--stations: '%s' is not a count from 1 to 1000000\n", item.c_str());
          return 1;
        }
        o.ingest.stations.push_back(size_t(n));
        at = comma + 1;
      }
    } else if (a == "--batch") {
      o.ingest.batch = count(i);
    } else if (a == "--connections") {
      o.ingest.connections = int(count(i));
    } else if (a == "--http-threads") {
      o.ingest.http_threads = int(count(i));
    } else if (a == "--warmup" || a == "--measure" || a == "--wait-quiet") {
      std::string v = need(i);
      char *end = nullptr;
      double s = std::strtod(v.c_str(), &end);
      if (v.empty() || *end != '\0' || !(s >= 0 && s <= 3600)) {
        std::fprintf(stderr, "%s: '%s' is not a number of seconds from 0 to 3600\n", a.c_str(),
                     v.c_str());
        return 1;
      }
      (a == "--warmup" ? o.ingest.warmup_s : a == "--measure" ? o.ingest.measure_s : o.ingest.wait_quiet_s) = s;
    } else if (a == "--tmp") {
      o.ingest.tmp = need(i);
    } else if (a == "--keep-data") {
      o.ingest.keep_data = true;
    } else if (a == "--no-probe") {
      o.ingest.probe_new_series = false;
    } else if (a == "--node") {
      o.ingest.node = need(i);
    } else {
      std::fprintf(stderr, "unknown flag %s\n", a.c_str());
      liandong::bench::usage();
      return 1;
    }
  }
  if (o.geofence.objects < 1 || o.geofence.fixes < 1 || o.geofence.baseline_fixes < 1) {
    std::fprintf(stderr, "--objects, --fixes and --baseline-fixes must be at least 1\n");
    return 1;
  }
  if (o.ingest.batch < 1 || o.ingest.batch > 100'000 || o.ingest.connections < 1 ||
      o.ingest.connections > 1000 || o.ingest.http_threads < 1 || o.ingest.http_threads > 64 ||
      o.ingest.measure_s <= 0) {
    std::fprintf(stderr,
                 "--batch is 1 to 100000 (the node's limit a request), --connections 1 to 1000, "
                 "--http-threads 1 to 64, --measure more than 0\n");
    return 1;
  }
  try {
    return liandong::bench::run(o);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "bench_monitoring: %s\n", e.what());
    return 1;
  }
}
