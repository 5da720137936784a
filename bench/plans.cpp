// bench/run plans: plan activation and deadline timers inside the engine (issue "bench/run plans").
//
// Two worlds side by side, driven one command at a time and interleaved: "loaded" has --incidents
// (1,000) open traffic accidents, each with a 10-task plan activated (10,000 tasks with running
// deadlines, 10,000 timers); "empty" is built the same way and then has those activations stood
// down (the same records, no timer). On both: the activation of a 50-task plan on a fresh incident
// (a confirmed grade III) and its re-grade to I, each timed by the engine's
// CommitStats::handle_seconds; a cheap command (UpdateIncident); the writer idle. Then, on the
// loaded world, the deadline check (the timer set's first element) against scans of the tasks, and
// 1,000 deadlines falling due at once. Optionally the loaded world again on a real SqliteStore, for
// the commit apart. This file: flags, the order of the parts, the table, goals and JSON; the parts
// are in plans_measure.cpp, the worlds in plans_world.cpp. See bench/README.md.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/log.h"
#include "engine/testing/memory_journal.h"
#include "plans_measure.h"
#include "plans_world.h"
#include "store/sqlite_store.h"

namespace liandong::bench {
namespace {

using nlohmann::json;

constexpr double kGoalActivationUs = 1000;  // activation under 1 ms inside the engine
constexpr double kGoalRatio = 1.10;         // "costs nothing": within 10% of no timers at all
constexpr double kGoalWakeupsPerS = 1.0;    // idle with pending timers

struct Options {
  int incidents = 1000;
  int activations = 500;
  uint64_t seed = 1;
  double idle_s = 5;
  int cheap = 2000;
  int sqlite_activations = 100;
  bool sqlite = true;
  std::string tmp;
  int pin = -2;  // -2: the last online CPU; -1: no pinning
  double wait_quiet_s = 30;
};

void usage() {
  std::printf(
      "usage: bench_plans [--incidents N] [--activations N] [--seed S] [--idle SECONDS] [--cheap N]\n"
      "                   [--sqlite-activations N] [--no-sqlite] [--tmp DIR] [--pin CPU | --no-pin]\n"
      "                   [--wait-quiet SECONDS]\n"
      "  --incidents N           background incidents with a 10-task plan each (1000: 10,000 timers)\n"
      "  --activations N         activations of the 50-task plan (and re-grades) per world (500)\n"
      "  --seed S                spreads the background activations over 50 minutes (1)\n"
      "  --idle SECONDS          how long the writers are watched idle (5)\n"
      "  --cheap N               cheap commands (UpdateIncident) per world (2000)\n"
      "  --sqlite-activations N  activations on the loaded world over a real SqliteStore (100)\n"
      "  --no-sqlite             skip the SqliteStore world\n"
      "  --tmp DIR               where the SqliteStore's temporary folder goes (the system's temp folder)\n"
      "  --pin CPU               runs this thread and the writers on CPU (default: the last one)\n"
      "  --no-pin                lets the scheduler place them\n"
      "  --wait-quiet SECONDS    waits up to this long for other processes to use < 0.5 cores before measuring (30)\n");
}

std::string thousands(size_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

double ratio3(double x) { return std::round(x * 1000) / 1000; }

struct SqliteFigures {
  Series activation, regrade;
  double build_s = 0;
  std::string error;
};

// The loaded world again over a SqliteStore in a fresh temporary folder (removed after).
SqliteFigures measure_sqlite(const Options& o, core::Timestamp start, core::Millis spread, int cpu) {
  namespace fs = std::filesystem;
  SqliteFigures f;
  std::string base = (o.tmp.empty() ? fs::temp_directory_path() : fs::path(o.tmp)) / "liandong-bench-plans-XXXXXX";
  std::vector<char> buf(base.begin(), base.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data())) {
    f.error = "mkdtemp " + base + " failed";
    return f;
  }
  fs::path dir(buf.data());
  try {
    auto store = store::SqliteStore::open((dir / "journal.db").string());
    if (!store) throw std::runtime_error("sqlite store: " + store.status().to_string());
    std::mt19937_64 rng(o.seed);
    World w("sqlite", **store, start);
    w.exec(engine::FireTimers{});  // the writer is known after its first batch
    pin(w.writer_tid(), cpu);
    auto t0 = std::chrono::steady_clock::now();
    w.build(o.incidents, true, spread, rng);
    f.build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (int k = 0; k < 5; ++k) {  // warm-up, not counted
      Series a, b;
      activate_and_regrade(w, a, b, k == 0);
    }
    for (int k = 0; k < o.sqlite_activations; ++k) activate_and_regrade(w, f.activation, f.regrade, false);
  } catch (const std::exception& e) {
    f.error = e.what();
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return f;
}

void print_row(const char* name, size_t timers, const Series& s) {
  std::string ev = s.events_min == s.events_max ? std::to_string(s.events_max)
                                                : std::to_string(s.events_min) + "-" + std::to_string(s.events_max);
  std::printf("%-40s %7zu %6zu %8.1f %8.1f %8.1f %8.1f %7s %8.1f %8.1f\n", name, timers, s.handle.size(), pct(s.handle, .5),
              pct(s.handle, .9), pct(s.handle, .99), pct(s.handle, 1), ev.c_str(), pct(s.cpu, .5), pct(s.wall, .5));
}

void print_idle(const IdleFigures& i, size_t timers) {
  auto per_wake = [](double cpu, double wakes) { return wakes > 0 ? cpu / wakes : 0.0; };
  std::printf("\nidle %.1f s (nothing due):                 wake-ups/s  CPU µs/s  CPU µs/wake-up  FireTimers batches\n",
              i.seconds);
  std::printf("  writer, %6zu timers                     %10.2f  %8.1f  %14.1f  %18zu\n", timers, i.wake_loaded,
              i.cpu_loaded, per_wake(i.cpu_loaded, i.wake_loaded), i.batches_loaded);
  std::printf("  writer, %6d timers                     %10.2f  %8.1f  %14.1f  %18zu\n", 0, i.wake_empty, i.cpu_empty,
              per_wake(i.cpu_empty, i.wake_empty), i.batches_empty);
  std::printf("  reference: a bare 1 s timed wait          %10.2f  %8.1f  %14.1f\n", i.wake_ref, i.cpu_ref,
              per_wake(i.cpu_ref, i.wake_ref));
  std::printf("  wake-ups: voluntary context switches (each a sleep on a condition variable). CPU: the thread's\n"
              "  CPU clock; the reference is a thread of this process that only waits, on the same CPU.\n");
}

void print_check(const CheckFigures& c, double cheap_us) {
  std::printf("\ndeadline check, nothing due (median of 15 x 10 checks):\n");
  std::printf("  timer set (State::next_timer, %zu timers)        %10.1f ns\n", c.timers, c.set_ns);
  std::printf("  scan of the %zu running tasks' deadlines         %10.1f µs   (%.0fx the set)\n", c.running,
              c.scan_running_us, c.scan_running_us * 1e3 / c.set_ns);
  std::printf("  scan of all %zu task records in the view       %10.1f µs   (%.0fx the set)\n", c.records, c.scan_all_us,
              c.scan_all_us * 1e3 / c.set_ns);
  std::printf("  the writer checks after every batch and every wake-up: a scan of the running tasks per check would\n"
              "  cost %.2fx the handlers of a cheap command (p50 %.1f µs); the set's check %.4fx.\n",
              c.scan_running_us / cheap_us, cheap_us, c.set_ns / 1e3 / cheap_us);
}

void print_sqlite(const SqliteFigures& s) {
  if (!s.error.empty()) {
    std::printf("\nSqliteStore world failed: %s\n", s.error.c_str());
    return;
  }
  std::printf("\nthe loaded world on a SqliteStore (journal.db, synchronous=FULL; built in %.1f s):\n", s.build_s);
  std::printf("  %-34s %6s %9s %9s %9s %9s %9s %9s\n", "", "n", "handle50", "handle99", "commit50", "commit99", "rt p50",
              "rt p99");
  auto row = [](const char* name, const Series& x) {
    std::printf("  %-34s %6zu %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f\n", name, x.handle.size(), pct(x.handle, .5),
                pct(x.handle, .99), pct(x.append, .5), pct(x.append, .99), pct(x.wall, .5), pct(x.wall, .99));
  };
  row("activation III (50 tasks), µs", s.activation);
  row("re-grade III -> I, µs", s.regrade);
}

int run(const Options& o) {
  core::log::set_level(core::log::Level::kWarn);
  const long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
  const auto start = *core::parse_rfc3339("2026-12-02T01:00:00Z");
  const core::Millis spread{50 * 60 * 1000};  // background activations within 50 min: no deadline before 1 h
  // Both worlds' writers and this thread on one CPU: the worlds then meet the same neighbours (on a
  // shared machine a thread's placement alone moved its per-command CPU time by up to 4x).
  const int cpu = o.pin == -2 ? static_cast<int>(cores) - 1 : o.pin;
  pin(0, cpu);

  // ---- the worlds ----
  engine::testing::MemoryJournal loaded_journal, empty_journal;
  World loaded("loaded", loaded_journal, start), empty("empty", empty_journal, start);
  loaded.exec(engine::FireTimers{});  // the writers are known after their first batch
  empty.exec(engine::FireTimers{});
  pin(loaded.writer_tid(), cpu);
  pin(empty.writer_tid(), cpu);
  auto t0 = std::chrono::steady_clock::now();
  std::mt19937_64 rng(o.seed), rng_empty(o.seed);
  loaded.build(o.incidents, true, spread, rng);
  double build_loaded_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  t0 = std::chrono::steady_clock::now();
  empty.build(o.incidents, true, spread, rng_empty);
  empty.stand_down_background();
  double build_empty_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const size_t timers = running_tasks(*loaded.engine().view());
  if (timers != static_cast<size_t>(o.incidents) * 10 || running_tasks(*empty.engine().view()) != 0)
    throw std::runtime_error("the worlds do not have the expected running tasks");
  std::fprintf(stderr, "built: loaded world (%zu running tasks) in %.1f s, empty world in %.1f s\n", timers,
               build_loaded_s, build_empty_s);

  // ---- the parts ----
  for (int k = 0; k < 20; ++k) {  // warm-up, not counted; the first checks the tasks
    Series a, b;
    activate_and_regrade(loaded, a, b, k == 0);
    activate_and_regrade(empty, a, b, k == 0);
  }
  auto [waited_s, quiet_other] = wait_quiet(o.wait_quiet_s);
  std::fprintf(stderr, "waited %.0f s for a quiet machine: other processes used %.2f cores in the last second\n",
               waited_s, quiet_other);
  ActivationFigures act = measure_activations(loaded, empty, o.activations);
  std::fprintf(stderr, "activations: %d per world\n", o.activations);
  CheapFigures cheap = measure_cheap(loaded, empty, o.cheap);
  std::fprintf(stderr, "cheap commands: %zu per world\n", cheap.loaded.handle.size());
  IdleFigures idle = measure_idle(loaded, empty, o.idle_s, cpu);
  std::fprintf(stderr, "idle: %.1f s\n", idle.seconds);
  CheckFigures check = measure_check(loaded);
  // One hour after the last background activation: the first task of each is due, no other.
  FireFigures fire = measure_fire(loaded, start + spread + core::Millis{60 * 60 * 1000});
  std::fprintf(stderr, "deadlines: %zu overdue at once\n", fire.due);
  SqliteFigures sqlite;
  if (o.sqlite) {
    sqlite = measure_sqlite(o, start, spread, cpu);
    std::fprintf(stderr, "sqlite: built in %.1f s\n", sqlite.build_s);
  }

  // ---- the table ----
  std::printf("\nworld \"loaded\": %d open traffic accidents in 5 counties of %s, each with plan bench_traffic (10 tasks,\n"
              "deadlines 1-10 h after activations spread over 50 min): %zu tasks with running deadlines, %zu timers.\n"
              "world \"empty\": built the same, then the %d activations stood down: the same records, 0 timers.\n"
              "Both: 22 agencies, 2 approved plans.\n"
              "measured: plan bench_fire on a fresh fire incident, activated by a confirmed grade III (50 tasks, 16 waiting\n"
              "on predecessors, 2 notifications), re-graded to I (10 tasks stood down, 10 added, 3 notifications), then\n"
              "stood down (not timed); %d of each per world, interleaved; one command per batch.\n\n",
              o.incidents, kPlansNode, timers, check.timers, o.incidents, o.activations);
  std::printf("%-40s %7s %6s %8s %8s %8s %8s %7s %8s %8s\n", "in the engine (handle_seconds)", "timers", "n", "p50 µs",
              "p90 µs", "p99 µs", "max µs", "events", "cpu p50", "rt p50");
  print_row("activation III (50 tasks)", timers, act.act_loaded);
  print_row("activation III (50 tasks)", 0, act.act_empty);
  print_row("re-grade III -> I (+10 -10 tasks)", timers, act.regrade_loaded);
  print_row("re-grade III -> I (+10 -10 tasks)", 0, act.regrade_empty);
  print_row("update_incident (cheap command)", timers, cheap.loaded);
  print_row("update_incident (cheap command)", 0, cheap.empty);
  print_row("task note (re-sets the task's timer)", timers, cheap.note);
  std::printf("  p50 … max: the batch's handle_seconds (validation, events, applying them; not the commit).\n"
              "  cpu p50: the writer thread's CPU time per command (handlers, commit, view, answer).\n"
              "  rt p50: submit -> answer on the calling thread (incl. the writer's wake-up and the commit).\n");
  if (act.other_cores > 0.25 || cheap.other_cores > 0.25)
    std::printf("WARNING: other processes used %.2f (activations) and %.2f (cheap commands) of the %ld cores: the\n"
                "  wall-time percentiles (p99, max) include waiting for a core; the interleaved p50 ratios hold.\n",
                act.other_cores, cheap.other_cores, cores);

  auto ratio = [](const std::vector<double>& a, const std::vector<double>& b, double q) { return pct(a, q) / pct(b, q); };
  const double r_act50 = ratio(act.act_loaded.handle, act.act_empty.handle, .5);
  const double r_act99 = ratio(act.act_loaded.handle, act.act_empty.handle, .99);
  const double r_reg50 = ratio(act.regrade_loaded.handle, act.regrade_empty.handle, .5);
  const double r_reg99 = ratio(act.regrade_loaded.handle, act.regrade_empty.handle, .99);
  const double r_cheap50 = ratio(cheap.loaded.handle, cheap.empty.handle, .5);
  const double r_cheap99 = ratio(cheap.loaded.handle, cheap.empty.handle, .99);
  const double r_cheap_cpu = ratio(cheap.loaded.cpu, cheap.empty.cpu, .5);
  const double r_tput = cheap.loaded.per_s() / cheap.empty.per_s();
  std::printf("\n%zu timers / none:\n", timers);
  std::printf("  activation        p50 %.3fx  p99 %.3fx\n", r_act50, r_act99);
  std::printf("  re-grade          p50 %.3fx  p99 %.3fx\n", r_reg50, r_reg99);
  std::printf("  cheap command     p50 %.3fx  p99 %.3fx  writer cpu p50 %.3fx  throughput %.0f vs %.0f /s (%.3fx, one at a time)\n",
              r_cheap50, r_cheap99, r_cheap_cpu, cheap.loaded.per_s(), cheap.empty.per_s(), r_tput);
  print_idle(idle, timers);
  print_check(check, pct(cheap.loaded.handle, .5));
  std::printf("\n%zu deadlines falling due at once (clock moved, poked): FireTimers handle %.2f ms (%.2f µs per overdue\n"
              "  task, %zu events: task.overdue + escalation) in %zu batches (longest %.2f ms), commit %.2f ms (in memory),\n"
              "  writer CPU %.2f ms, poke -> figures %.2f ms\n",
              fire.due, fire.handle_ms, fire.per_task_us, fire.events, fire.batches, fire.max_batch_ms, fire.append_ms,
              fire.cpu_ms, fire.wall_ms);
  if (o.sqlite) print_sqlite(sqlite);

  // ---- goals ----
  json figures;
  bool all_pass = true;
  std::printf("\n");
  auto goal = [&](const std::string& name, bool pass, const char* fmt, double x) {
    char b[64];
    std::snprintf(b, sizeof b, fmt, x);
    std::printf("%-4s %s: %s\n", pass ? "PASS" : "MISS", name.c_str(), b);
    figures["goals"][name] = pass ? "PASS" : "MISS";
    all_pass = all_pass && pass;
  };
  const std::string n = thousands(timers);
  const double act99 = pct(act.act_loaded.handle, .99), reg99 = pct(act.regrade_loaded.handle, .99);
  goal("activation of the 50-task plan in the engine, p99 < 1 ms (" + n + " running deadlines)",
       act99 < kGoalActivationUs, "%.0f µs", act99);
  goal("re-grade III -> I in the engine, p99 < 1 ms (" + n + " running deadlines)", reg99 < kGoalActivationUs, "%.0f µs",
       reg99);
  goal("activation with " + n + " running deadlines / with none, p50 <= 1.10x", r_act50 <= kGoalRatio, "%.3fx", r_act50);
  goal("cheap command with " + n + " pending timers / with none, p50 <= 1.10x", r_cheap50 <= kGoalRatio, "%.3fx",
       r_cheap50);
  goal("idle writer wake-ups with " + n + " pending timers <= 1/s", idle.wake_loaded <= kGoalWakeupsPerS + 0.05, "%.2f/s",
       idle.wake_loaded);
  goal("deadline check is the timer set's first element, not a scan: < 1 µs", check.set_ns < 1000, "%.1f ns",
       check.set_ns);

  // ---- JSON ----
  figures["activation"] = {{"loaded", act.act_loaded.to_json()}, {"empty", act.act_empty.to_json()}};
  figures["regrade"] = {{"loaded", act.regrade_loaded.to_json()}, {"empty", act.regrade_empty.to_json()}};
  figures["cheap_update_incident"] = {{"loaded", cheap.loaded.to_json()},
                                      {"empty", cheap.empty.to_json()},
                                      {"loaded_per_s", std::round(cheap.loaded.per_s())},
                                      {"empty_per_s", std::round(cheap.empty.per_s())}};
  figures["task_note"] = cheap.note.to_json();
  figures["ratios"] = {{"activation_p50", ratio3(r_act50)}, {"activation_p99", ratio3(r_act99)},
                       {"regrade_p50", ratio3(r_reg50)},    {"regrade_p99", ratio3(r_reg99)},
                       {"cheap_p50", ratio3(r_cheap50)},    {"cheap_p99", ratio3(r_cheap99)},
                       {"cheap_writer_cpu_p50", ratio3(r_cheap_cpu)}, {"cheap_throughput", ratio3(r_tput)}};
  figures["idle"] = {
      {"seconds", round2(idle.seconds)},
      {"loaded", {{"wakeups_per_s", round2(idle.wake_loaded)}, {"writer_cpu_us_per_s", round2(idle.cpu_loaded)},
                  {"fire_batches", idle.batches_loaded}}},
      {"empty", {{"wakeups_per_s", round2(idle.wake_empty)}, {"writer_cpu_us_per_s", round2(idle.cpu_empty)},
                 {"fire_batches", idle.batches_empty}}},
      {"reference_sleeper", {{"wakeups_per_s", round2(idle.wake_ref)}, {"cpu_us_per_s", round2(idle.cpu_ref)}}}};
  figures["check"] = {{"set_ns", round2(check.set_ns)}, {"scan_running_us", round2(check.scan_running_us)},
                      {"scan_all_us", round2(check.scan_all_us)}, {"running_tasks", check.running},
                      {"task_records", check.records}};
  figures["fire"] = {{"due", fire.due},          {"handle_ms", round2(fire.handle_ms)},
                     {"append_ms", round2(fire.append_ms)}, {"events", fire.events},
                     {"us_per_task", round2(fire.per_task_us)}, {"writer_cpu_ms", round2(fire.cpu_ms)},
                     {"poke_to_figures_ms", round2(fire.wall_ms)}};
  if (o.sqlite) {
    if (sqlite.error.empty())
      figures["sqlite"] = {{"build_s", round2(sqlite.build_s)},
                           {"activation", sqlite.activation.to_json()},
                           {"regrade", sqlite.regrade.to_json()}};
    else
      figures["sqlite"] = {{"error", sqlite.error}};
  }
  figures["machine"] = {{"cores", cores},
                        {"pinned_cpu", cpu},
                        {"waited_for_quiet_s", round2(waited_s)},
                        {"other_cores_before", round2(quiet_other)},
                        {"other_cores_activations", round2(act.other_cores)},
                        {"other_cores_cheap", round2(cheap.other_cores)}};
  figures["settings"] = {{"incidents", o.incidents},
                         {"activations", o.activations},
                         {"seed", o.seed},
                         {"cheap", o.cheap},
                         {"idle_s", o.idle_s},
                         {"sqlite_activations", o.sqlite ? o.sqlite_activations : 0},
                         {"build_loaded_s", round2(build_loaded_s)},
                         {"build_empty_s", round2(build_empty_s)}};
  json line = {{"bench", "plans"},
               {"data", std::to_string(o.incidents) +
                            " open incidents x 10 running tasks vs none; a 50-task plan (III) activated by grade and "
                            "re-graded to I (+10 -10); engine on a FakeClock, in-memory journal"},
               {"figures", figures}};
  std::printf("%s\n", line.dump().c_str());
  if (!sqlite.error.empty()) return 1;
  return all_pass ? 0 : 2;
}

}  // namespace
}  // namespace liandong::bench

int main(int argc, char** argv) {
  liandong::bench::Options o;
  auto need = [&](int& i) -> std::string {
    if (i + 1 >= argc) {
      std::fprintf(stderr, "%s needs a value\n", argv[i]);
      std::exit(1);
    }
    return argv[++i];
  };
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      liandong::bench::usage();
      return 0;
    } else if (a == "--incidents") {
      o.incidents = std::stoi(need(i));
    } else if (a == "--activations") {
      o.activations = std::stoi(need(i));
    } else if (a == "--seed") {
      o.seed = std::stoull(need(i));
    } else if (a == "--idle") {
      o.idle_s = std::stod(need(i));
    } else if (a == "--cheap") {
      o.cheap = std::stoi(need(i));
    } else if (a == "--sqlite-activations") {
      o.sqlite_activations = std::stoi(need(i));
    } else if (a == "--pin") {
      o.pin = std::stoi(need(i));
    } else if (a == "--wait-quiet") {
      o.wait_quiet_s = std::stod(need(i));
    } else if (a == "--no-pin") {
      o.pin = -1;
    } else if (a == "--no-sqlite") {
      o.sqlite = false;
    } else if (a == "--tmp") {
      o.tmp = need(i);
    } else {
      std::fprintf(stderr, "unknown flag %s\n", a.c_str());
      liandong::bench::usage();
      return 1;
    }
  }
  if (o.incidents < 1 || o.activations < 1 || o.cheap < 5 || o.idle_s <= 0) {
    std::fprintf(stderr, "--incidents, --activations, --cheap (>= 5) and --idle must be positive\n");
    return 1;
  }
  try {
    return liandong::bench::run(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_plans: %s\n", e.what());
    return 1;
  }
}
