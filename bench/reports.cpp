// bench/run reports: statistics over the incident history (issue 9 "Benchmark").
//
// Generates --facts (1,000,000) incident facts (reports_world.cpp), writes them through
// stats::FactStore in batches (load rate, durable commits), reopens the store (start-up: reading
// stats.db and building the columnar index), then times queries on the index against the same
// queries as plain SQL GROUP BY on an unindexed copy of the table in a separate SQLite file
// (reports_sql.cpp): month × category × jurisdiction over all time (the query; goal under
// 200 ms), a filtered one (one category, one county, one year, by month), and one grouped by agency
// (checked against a count in plain C++; SQL has no agency rows to group). Both answers must agree
// group by group (incidents and every summed figure) or the run fails. See bench/README.md.
#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <time.h>
#include <unistd.h>
#include <vector>

#include "reports_sql.h"
#include "reports_world.h"
#include "stats/fact_store.h"

namespace liandong::bench {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr double kGoalMs = 200;

struct Options {
  size_t facts = 1'000'000;
  size_t batch = 10'000;
  int runs = 21;
  int sql_runs = 5;
  uint64_t seed = 9;
  std::string tmp;
  bool keep = false;
};

void usage() {
  std::printf(
      "usage: bench_reports [--facts N] [--batch N] [--runs N] [--sql-runs N] [--seed S] [--tmp DIR]\n"
      "                     [--keep]\n"
      "  --facts N      incidents generated (1000000)\n"
      "  --batch N      facts per FactStore::upsert (one transaction each) (10000)\n"
      "  --runs N       timed runs of each query on the index (21), after one untimed\n"
      "  --sql-runs N   timed runs of each plain SQL query (5), after one untimed\n"
      "  --seed S       generator seed (9)\n"
      "  --tmp DIR      folder for stats.db and plain.db (a fresh folder under $TMPDIR or /tmp)\n"
      "  --keep         keep the folder\n");
}

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Timing {
  std::vector<double> ms;
  std::vector<double> cpu_ms;  // this thread's CPU time: what the query cost on a shared machine
  double cpu_median() const {
    std::vector<double> v = cpu_ms;
    std::sort(v.begin(), v.end());
    return v[(v.size() - 1) / 2];
  }
  double median() const { return at_rank(0.5); }
  double p99() const { return at_rank(0.99); }
  double max() const { return *std::max_element(ms.begin(), ms.end()); }
  double at_rank(double p) const {  // nearest rank
    std::vector<double> v = ms;
    std::sort(v.begin(), v.end());
    size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[std::max<size_t>(rank, 1) - 1];
  }
  json to_json() const {
    return {{"runs", ms.size()},   {"median_ms", median()}, {"p99_ms", p99()},
            {"max_ms", max()},     {"cpu_median_ms", cpu_median()}};
  }
};

std::string loadavg() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

stats::Result run_index(const stats::FactStore& store, const stats::Query& q) {
  auto r = store.query(q);
  if (!r) throw std::runtime_error("FactStore::query: " + r.status().to_string());
  return std::move(*r);
}

template <typename F>
Timing time_runs(int runs, F&& f) {
  f();  // untimed: first touch
  Timing t;
  for (int i = 0; i < runs; ++i) {
    const double c0 = thread_cpu_ms();
    auto t0 = Clock::now();
    f();
    t.ms.push_back(ms_since(t0));
    t.cpu_ms.push_back(thread_cpu_ms() - c0);
  }
  return t;
}

// Compares group by group; throws with the first difference.
void require_same(const Answer& ours, const Answer& ref, const std::string& what) {
  auto key_text = [](const std::vector<std::string>& k) {
    std::string s;
    for (const auto& p : k) s += (s.empty() ? "" : " × ") + (p.empty() ? "\"\"" : p);
    return s;
  };
  if (ours.size() != ref.size())
    throw std::runtime_error(what + ": the index has " + std::to_string(ours.size()) +
                             " groups, the reference " + std::to_string(ref.size()));
  for (const auto& [key, sums] : ref) {
    auto it = ours.find(key);
    if (it == ours.end()) throw std::runtime_error(what + ": group " + key_text(key) + " missing");
    if (!(it->second == sums))
      throw std::runtime_error(what + ": group " + key_text(key) + " differs (incidents " +
                               std::to_string(it->second.incidents) + " vs " +
                               std::to_string(sums.incidents) + ", deaths " +
                               std::to_string(it->second.deaths) + " vs " +
                               std::to_string(sums.deaths) + ", loss " +
                               std::to_string(it->second.loss) + " vs " +
                               std::to_string(sums.loss) + ")");
  }
}

const char* kSums =
    "COUNT(*), SUM(deaths), SUM(injuries), SUM(missing), SUM(affected), SUM(direct_loss_yuan),"
    " SUM(reports_due), SUM(reports_on_time), SUM(reports_late),"
    " AVG(dispatch_ms), AVG(arrival_ms)";
const char* kMonth = "strftime('%Y-%m', opened_at / 1000, 'unixepoch', '+8 hours')";

struct Row {
  std::string query, path;
  Timing t;
  double ratio = 0;  // reference median / ours (on our line)
  bool goal = false;
};

int run(const Options& o) {
  std::printf("bench reports: %zu generated incidents (seed %llu), 2023-12-01 … 2026-12-01 +08:00,\n"
              "  15 jurisdictions of 4412xx Zhaoqing and 4406xx Foshan, the 24 default types; load %s\n",
              o.facts, static_cast<unsigned long long>(o.seed), loadavg().c_str());
  namespace fs = std::filesystem;
  fs::path dir = o.tmp.empty() ? fs::temp_directory_path() /
                                     ("liandong-bench-reports-" + std::to_string(getpid()))
                               : fs::path(o.tmp);
  fs::remove_all(dir / "stats.db");
  fs::remove_all(dir / "stats.db-wal");
  fs::remove_all(dir / "stats.db-shm");
  fs::create_directories(dir);

  auto t0 = Clock::now();
  const std::vector<stats::Fact> facts = generate_facts(o.facts, o.seed);
  const double gen_ms = ms_since(t0);

  // Load through FactStore: batches, each one durable transaction.
  const std::string store_path = (dir / "stats.db").string();
  double load_ms = 0;
  {
    auto s = stats::FactStore::open(store_path);
    if (!s) throw std::runtime_error(s.status().to_string());
    t0 = Clock::now();
    for (size_t i = 0; i < facts.size(); i += o.batch) {
      std::vector<stats::Fact> batch(facts.begin() + static_cast<ptrdiff_t>(i),
                                     facts.begin() + static_cast<ptrdiff_t>(std::min(i + o.batch, facts.size())));
      auto st = (*s)->upsert(batch, i + batch.size());
      if (!st.is_ok()) throw std::runtime_error(st.to_string());
    }
    load_ms = ms_since(t0);
  }
  t0 = Clock::now();
  auto reopened = stats::FactStore::open(store_path);
  if (!reopened) throw std::runtime_error(reopened.status().to_string());
  const double open_ms = ms_since(t0);
  const stats::FactStore& store = **reopened;
  if (store.size() != facts.size() || store.cursor() != facts.size())
    throw std::runtime_error("reopened store holds " + std::to_string(store.size()) +
                             " facts, cursor " + std::to_string(store.cursor()));

  t0 = Clock::now();
  PlainSql plain((dir / "plain.db").string());
  plain.insert(facts);
  const double plain_ms = ms_since(t0);
  std::printf("generated in %.0f ms; FactStore load %.1f s (%.0f facts/s, batches of %zu, fsync'd);\n"
              "reopen (read stats.db, build the index) %.0f ms; plain copy written in %.1f s\n\n",
              gen_ms, load_ms / 1000, static_cast<double>(facts.size()) / (load_ms / 1000), o.batch,
              open_ms, plain_ms / 1000);

  std::vector<Row> rows;
  json figures;

  // 1. month × category × jurisdiction, all time.
  {
    stats::Query q;
    q.group_by = {stats::Dim::kMonth, stats::Dim::kCategory, stats::Dim::kJurisdiction};
    const std::string sql = std::string("SELECT ") + kMonth + " AS m, category, jurisdiction, " +
                            kSums + " FROM facts WHERE cancelled = 0 AND exercise = 0" +
                            " GROUP BY m, category, jurisdiction";
    Answer ours = answer_of(run_index(store, q)), ref = plain.run(sql, 3);
    require_same(ours, ref, "month × category × jurisdiction");
    Timing ti = time_runs(o.runs, [&] { (void)run_index(store, q); });
    Timing ts = time_runs(o.sql_runs, [&] { (void)plain.run(sql, 3); });
    const std::string name = "month x category x jurisdiction (" + std::to_string(ours.size()) + " groups)";
    rows.push_back({name, "stats index", ti, ts.median() / ti.median(), true});
    rows.push_back({"", "plain SQL, no index", ts});
    figures["month_category_jurisdiction"] = {
        {"groups", ours.size()}, {"index", ti.to_json()}, {"sql", ts.to_json()},
        {"ratio", ts.median() / ti.median()}};
  }
  // 2. filtered: natural disasters in 441224 (Huaiji) in 2025 (+08:00), by month.
  {
    stats::Query q;
    q.group_by = {stats::Dim::kMonth};
    q.categories = {"natural_disaster"};
    q.jurisdiction = "441224";
    q.from = core::from_unix_millis(1'735'660'800'000);  // 2025-01-01T00:00+08:00
    q.to = core::from_unix_millis(1'767'196'800'000);    // 2026-01-01T00:00+08:00
    const std::string sql = std::string("SELECT ") + kMonth + " AS m, " + kSums +
                            " FROM facts WHERE cancelled = 0 AND exercise = 0"
                            " AND category = 'natural_disaster' AND jurisdiction = '441224'"
                            " AND opened_at >= 1735660800000 AND opened_at < 1767196800000"
                            " GROUP BY m";
    Answer ours = answer_of(run_index(store, q)), ref = plain.run(sql, 1);
    require_same(ours, ref, "filtered");
    Timing ti = time_runs(o.runs, [&] { (void)run_index(store, q); });
    Timing ts = time_runs(o.sql_runs, [&] { (void)plain.run(sql, 1); });
    rows.push_back({"natural_disaster in 441224 in 2025, by month", "stats index", ti,
                    ts.median() / ti.median(), true});
    rows.push_back({"", "plain SQL, no index", ts});
    figures["filtered"] = {{"groups", ours.size()}, {"index", ti.to_json()}, {"sql", ts.to_json()},
                           {"ratio", ts.median() / ti.median()}};
  }
  // 3. agency × month: an incident counts once per agency; checked against a plain C++ count.
  {
    stats::Query q;
    q.group_by = {stats::Dim::kAgency, stats::Dim::kCategory};
    stats::Result r = run_index(store, q);
    std::map<std::vector<std::string>, int64_t> expected;
    for (const auto& f : facts) {
      if (f.cancelled || f.exercise) continue;
      for (const auto& a : f.agencies) ++expected[{a, f.category}];
    }
    std::map<std::vector<std::string>, int64_t> got;
    for (const auto& row : r.rows) got[row.key] = row.incidents;
    if (got != expected) throw std::runtime_error("agency × category: counts differ from the facts");
    Timing ti = time_runs(o.runs, [&] { (void)run_index(store, q); });
    rows.push_back({"agency x category (" + std::to_string(got.size()) + " groups)", "stats index", ti, 0,
                    true});
    figures["agency_category"] = {{"groups", got.size()}, {"index", ti.to_json()}};
  }

  std::printf("%-48s %-20s %5s %10s %9s %9s %8s %8s %8s %s\n", "query (answers checked equal)",
              "path", "runs", "median ms", "p99 ms", "max ms", "cpu ms", "ratio", "goal", "");
  bool all_pass = true;
  for (const auto& r : rows) {
    char ratio[32] = "", goal[32] = "", verdict[8] = "";
    if (r.ratio > 0) std::snprintf(ratio, sizeof ratio, "%.0fx", r.ratio);
    if (r.goal) {
      std::snprintf(goal, sizeof goal, "<%.0f ms", kGoalMs);
      const bool pass = r.t.median() < kGoalMs;
      all_pass = all_pass && pass;
      std::snprintf(verdict, sizeof verdict, "%s", pass ? "PASS" : "MISS");
    }
    std::printf("%-48s %-20s %5zu %10.2f %9.2f %9.2f %8.2f %8s %8s %s\n", r.query.c_str(),
                r.path.c_str(), r.t.ms.size(), r.t.median(), r.t.p99(), r.t.max(), r.t.cpu_median(),
                ratio, goal, verdict);
  }
  std::printf("ratio: the plain SQL median over the index's (wall). p99 is nearest rank over the runs; cpu ms:\n"
              "the median of the querying thread's CPU time (the wall time includes waiting for a core).\n"
              "load after: %s\n",
              loadavg().c_str());

  figures["facts"] = facts.size();
  figures["load_facts_per_s"] = static_cast<double>(facts.size()) / (load_ms / 1000);
  figures["reopen_ms"] = open_ms;
  figures["goal_ms"] = kGoalMs;
  figures["pass"] = all_pass;
  if (!o.keep) fs::remove_all(dir);
  json line = {{"bench", "reports"},
               {"data", std::to_string(facts.size()) + " generated incident facts, seed " +
                            std::to_string(o.seed)},
               {"figures", figures}};
  std::printf("%s\n", line.dump().c_str());
  return 0;
}

}  // namespace
}  // namespace liandong::bench

int main(int argc, char** argv) {
  liandong::bench::Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    try {
      if (a == "--facts") o.facts = std::stoull(value());
      else if (a == "--batch") o.batch = std::stoull(value());
      else if (a == "--runs") o.runs = std::stoi(value());
      else if (a == "--sql-runs") o.sql_runs = std::stoi(value());
      else if (a == "--seed") o.seed = std::stoull(value());
      else if (a == "--tmp") o.tmp = value();
      else if (a == "--keep") o.keep = true;
      else if (a == "-h" || a == "--help") {
        liandong::bench::usage();
        return 0;
      } else {
        std::fprintf(stderr, "unknown flag %s\n", a.c_str());
        liandong::bench::usage();
        return 2;
      }
    } catch (const std::exception&) {
      std::fprintf(stderr, "%s: not a number\n", a.c_str());
      return 2;
    }
  }
  if (o.facts < 1 || o.batch < 1 || o.runs < 1 || o.sql_runs < 1) {
    std::fprintf(stderr, "--facts, --batch, --runs and --sql-runs must be positive\n");
    return 2;
  }
  try {
    return liandong::bench::run(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_reports: FAILED: %s\n", e.what());
    return 1;
  }
}
