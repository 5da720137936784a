// The measurements of bench/run plans, one function per part (see bench/README.md, "plans"), and
// the small tools they share: per-command series, machine load, CPU pinning.
//
// Each function drives its worlds from the calling thread, one command at a time, and throws
// std::runtime_error when the worlds do not behave as built (a command refused, a count off).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "plans_world.h"

namespace liandong::bench {

// Nearest-rank percentile (q in [0, 1]); 0 for no values.
double pct(std::vector<double> v, double q);
double round2(double x);

// Per-command figures of one row, in µs.
struct Series {
  std::vector<double> handle, append, wall, cpu;
  size_t events_min = SIZE_MAX, events_max = 0;
  void add(const BatchFigures& f);
  double per_s() const;  // commands per second, one at a time (1e6 × n / Σ wall)
  nlohmann::json to_json() const;
};

// Busy CPU seconds of the whole machine and of this process, to tell when other work shared the cores.
struct Load {
  double machine_s = 0, own_s = 0;
  std::chrono::steady_clock::time_point at;
  static Load now();
  // Cores other processes used between `a` and `b`.
  static double other_cores(const Load& a, const Load& b);
};

// Waits up to `max_s` for a second in which other processes use under half a core; the seconds
// waited and the other load of the last second.
std::pair<double, double> wait_quiet(double max_s);

// Puts thread `tid` of this process (0: the calling one) on `cpu`; cpu < 0 leaves it.
void pin(pid_t tid, int cpu);

// Tasks neither finished nor overdue: those with a running deadline (a timer each).
size_t running_tasks(const engine::View& v);

// Activation of bench_fire at III on a fresh incident, the re-grade to I, then a stand-down (not
// timed) so that the world keeps its running timers. With `check`, the tasks are counted.
void activate_and_regrade(World& w, Series& activation, Series& regrade, bool check);

struct ActivationFigures {
  Series act_loaded, act_empty, regrade_loaded, regrade_empty;
  double other_cores = 0;
};
// `n` activations and re-grades per world, the worlds taking turns (the order flipped each time).
ActivationFigures measure_activations(World& loaded, World& empty, int n);

struct CheapFigures {
  Series loaded, empty, note;  // UpdateIncident on each; a task note on the loaded world
  double other_cores = 0;
};
// `n` UpdateIncident per world alternating command by command, and a task note every fourth turn.
CheapFigures measure_cheap(World& loaded, World& empty, int n);

struct IdleFigures {
  double seconds = 0;
  double wake_loaded = 0, wake_empty = 0, wake_ref = 0;  // per second
  double cpu_loaded = 0, cpu_empty = 0, cpu_ref = 0;     // µs per second
  size_t batches_loaded = 0, batches_empty = 0;
};
// Both writers idle for `seconds`, beside a bare thread (pinned to `cpu`) waking once a second.
IdleFigures measure_idle(World& loaded, World& empty, double seconds, int cpu);

struct CheckFigures {
  double set_ns = 0, scan_running_us = 0, scan_all_us = 0;
  size_t running = 0, records = 0, timers = 0;
};
// The deadline check while nothing is due: the timer set's first element against scans.
CheckFigures measure_check(World& loaded);

struct FireFigures {
  size_t due = 0, events = 0;
  double handle_ms = 0, append_ms = 0, per_task_us = 0, cpu_ms = 0, wall_ms = 0;
  size_t batches = 0;          // FireTimers batches it took (the engine fires at most 200 a batch)
  double max_batch_ms = 0;     // the longest batch's handlers: how long a queued command may wait
};
// Moves the clock to `target`, pokes, and times the FireTimers batches (summed); checks every task due by
// `target` is overdue.
FireFigures measure_fire(World& loaded, core::Timestamp target);

}  // namespace liandong::bench
