#include "plans_measure.h"

#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "engine/state.h"

namespace liandong::bench {

using nlohmann::json;
using Steady = std::chrono::steady_clock;

namespace {

template <typename T>
void keep(const T& value) {
  asm volatile("" : : "r,m"(value) : "memory");
}

double median(std::vector<double> v) { return pct(std::move(v), 0.5); }

}  // namespace

double pct(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

double round2(double x) { return std::round(x * 100) / 100; }

void Series::add(const BatchFigures& f) {
  handle.push_back(f.handle_s * 1e6);
  append.push_back(f.append_s * 1e6);
  wall.push_back(f.wall_s * 1e6);
  cpu.push_back(f.cpu_s * 1e6);
  events_min = std::min(events_min, f.events);
  events_max = std::max(events_max, f.events);
}

double Series::per_s() const {
  double sum = 0;
  for (double w : wall) sum += w;
  return sum > 0 ? 1e6 * static_cast<double>(wall.size()) / sum : 0;
}

json Series::to_json() const {
  return {{"n", handle.size()},
          {"handle_us", {{"p50", round2(pct(handle, .5))}, {"p90", round2(pct(handle, .9))},
                         {"p99", round2(pct(handle, .99))}, {"max", round2(pct(handle, 1))}}},
          {"append_us", {{"p50", round2(pct(append, .5))}, {"p99", round2(pct(append, .99))}}},
          {"writer_cpu_us", {{"p50", round2(pct(cpu, .5))}, {"p99", round2(pct(cpu, .99))}}},
          {"round_trip_us", {{"p50", round2(pct(wall, .5))}, {"p99", round2(pct(wall, .99))}}},
          {"events", events_max == events_min ? json(events_max) : json::array({events_min, events_max})}};
}

Load Load::now() {
  Load l;
  l.at = Steady::now();
  std::ifstream in("/proc/stat");
  std::string cpu;
  uint64_t user = 0, nice = 0, sys = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  in >> cpu >> user >> nice >> sys >> idle >> iowait >> irq >> softirq >> steal;
  l.machine_s =
      static_cast<double>(user + nice + sys + irq + softirq + steal) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  l.own_s = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
            static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
  return l;
}

double Load::other_cores(const Load& a, const Load& b) {
  double s = std::chrono::duration<double>(b.at - a.at).count();
  return s > 0 ? std::max(0.0, ((b.machine_s - a.machine_s) - (b.own_s - a.own_s)) / s) : 0;
}

std::pair<double, double> wait_quiet(double max_s) {
  auto t0 = Steady::now();
  double other = 0;
  do {
    Load a = Load::now();
    std::this_thread::sleep_for(std::chrono::seconds(1));
    other = Load::other_cores(a, Load::now());
    if (other < 0.5) break;
  } while (std::chrono::duration<double>(Steady::now() - t0).count() < max_s);
  return {std::chrono::duration<double>(Steady::now() - t0).count(), other};
}

void pin(pid_t tid, int cpu) {
  if (cpu < 0) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (::sched_setaffinity(tid, sizeof set, &set) != 0)
    throw std::runtime_error("sched_setaffinity(" + std::to_string(tid) + ", cpu " + std::to_string(cpu) + ") failed");
}

size_t running_tasks(const engine::View& v) {
  size_t n = 0;
  for (size_t i = 0; i < v.tasks.size(); ++i)
    if (!v.tasks[i].finished() && !v.tasks[i].overdue_at) ++n;
  return n;
}

void activate_and_regrade(World& w, Series& activation, Series& regrade, bool check) {
  std::string inc = w.new_fire_incident();
  activation.add(w.measured(engine::ConfirmGrade{inc, core::Grade::kIII, "bench: grade III confirmed"}));
  std::string id = w.active_activation(inc);
  auto count = [&](const char* status) {
    auto v = w.engine().view();
    size_t n = 0;
    for (const auto& t : v->find_activation(id)->task_ids) {
      const engine::Task* task = v->find_task(t);
      if (status ? task->status == status : !task->finished()) ++n;
    }
    return n;
  };
  if (check) {
    auto v = w.engine().view();
    const engine::Activation* a = v->find_activation(id);
    if (a->level != "III" || a->task_ids.size() != 50 || count("waiting") != 16)
      throw std::runtime_error(w.label() + ": the activation did not make 50 tasks at level III, 16 waiting");
  }
  regrade.add(w.measured(engine::ConfirmGrade{inc, core::Grade::kI, "bench: grade I confirmed"}));
  if (check) {
    auto v = w.engine().view();
    const engine::Activation* a = v->find_activation(id);
    if (a->level != "I" || a->task_ids.size() != 60 || count(nullptr) != 50 || count("stood_down") != 10)
      throw std::runtime_error(w.label() + ": the re-grade did not give 50 tasks at level I (10 added, 10 stood down)");
  }
  w.exec(engine::StandDown{id, "bench: measured"});
}

ActivationFigures measure_activations(World& loaded, World& empty, int n) {
  ActivationFigures f;
  size_t timers = running_tasks(*loaded.engine().view());
  Load l0 = Load::now();
  for (int k = 0; k < n; ++k) {
    if (k % 2 == 0) {
      activate_and_regrade(loaded, f.act_loaded, f.regrade_loaded, false);
      activate_and_regrade(empty, f.act_empty, f.regrade_empty, false);
    } else {
      activate_and_regrade(empty, f.act_empty, f.regrade_empty, false);
      activate_and_regrade(loaded, f.act_loaded, f.regrade_loaded, false);
    }
  }
  f.other_cores = Load::other_cores(l0, Load::now());
  if (running_tasks(*loaded.engine().view()) != timers || running_tasks(*empty.engine().view()) != 0)
    throw std::runtime_error("measured activations were not stood down");
  return f;
}

CheapFigures measure_cheap(World& loaded, World& empty, int n) {
  CheapFigures f;
  std::vector<std::string> tasks;  // the loaded world's running background tasks
  {
    auto v = loaded.engine().view();
    for (const auto& inc : loaded.background())
      for (const engine::Activation* a : v->activations_of(inc))
        for (const auto& t : a->task_ids) tasks.push_back(t);
  }
  if (tasks.empty()) throw std::runtime_error("the loaded world has no background tasks");
  auto update = [](World& w, int j) {
    json changes = {{"description", "bench update " + std::to_string(j)}};
    return w.measured(engine::UpdateIncident{w.background()[static_cast<size_t>(j) % w.background().size()], changes});
  };
  for (int j = 0; j < 100; ++j) {  // warm-up, not counted
    update(loaded, j);
    update(empty, j);
  }
  // One command each in turn, the order flipped every other turn, so that whatever else the machine
  // does falls on both worlds alike.
  Load l0 = Load::now();
  for (int j = 0; j < n; ++j) {
    if (j % 2 == 0) {
      f.loaded.add(update(loaded, j));
      f.empty.add(update(empty, j));
    } else {
      f.empty.add(update(empty, j));
      f.loaded.add(update(loaded, j));
    }
    if (j % 4 == 0)
      f.note.add(loaded.measured(engine::UpdateTask{tasks[static_cast<size_t>(j) * 7 % tasks.size()], "note", "bench note"}));
  }
  f.other_cores = Load::other_cores(l0, Load::now());
  return f;
}

IdleFigures measure_idle(World& loaded, World& empty, double seconds, int cpu) {
  Sleeper sleeper;
  pin(sleeper.tid(), cpu);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const uint64_t ref_sleeps = sleeper.sleeps(), ref_cpu = sleeper.cpu_ns();
  const uint64_t l_sleeps = loaded.writer_sleeps(), l_cpu = loaded.writer_cpu_ns();
  const uint64_t e_sleeps = empty.writer_sleeps(), e_cpu = empty.writer_cpu_ns();
  const size_t l_batches = loaded.batches(), e_batches = empty.batches();
  auto t0 = Steady::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  IdleFigures f;
  f.seconds = std::chrono::duration<double>(Steady::now() - t0).count();
  auto rate = [&](uint64_t now, uint64_t then) { return static_cast<double>(now - then) / f.seconds; };
  f.wake_loaded = rate(loaded.writer_sleeps(), l_sleeps);
  f.wake_empty = rate(empty.writer_sleeps(), e_sleeps);
  f.wake_ref = rate(sleeper.sleeps(), ref_sleeps);
  f.cpu_loaded = rate(loaded.writer_cpu_ns(), l_cpu) / 1e3;
  f.cpu_empty = rate(empty.writer_cpu_ns(), e_cpu) / 1e3;
  f.cpu_ref = rate(sleeper.cpu_ns(), ref_cpu) / 1e3;
  f.batches_loaded = loaded.batches() - l_batches;
  f.batches_empty = empty.batches() - e_batches;
  return f;
}

CheckFigures measure_check(World& loaded) {
  auto view = loaded.engine().view();
  const core::Clock& clock = loaded.clock();
  std::vector<const engine::Task*> running;
  for (size_t i = 0; i < view->tasks.size(); ++i)
    if (!view->tasks[i].finished() && !view->tasks[i].overdue_at) running.push_back(&view->tasks[i]);
  // The writer's State is private to the engine: a replica rebuilt from the view's snapshot body
  // holds the same timers.
  auto replica = engine::State::load(engine::serialize_view(*view), kPlansNode);
  if (!replica) throw std::runtime_error("state replica: " + replica.status().to_string());
  if (replica->pending_timers() != running.size())
    throw std::runtime_error("the replica's timers (" + std::to_string(replica->pending_timers()) +
                             ") are not the running tasks (" + std::to_string(running.size()) + ")");
  std::vector<double> scan_all_us, scan_running_us, set_ns;
  size_t due_seen = 0;
  for (int rep = 0; rep < 15; ++rep) {
    auto s0 = Steady::now();
    for (int i = 0; i < 10; ++i) {
      auto now = clock.now();
      size_t due = 0;
      for (size_t t = 0; t < view->tasks.size(); ++t) {
        const engine::Task& task = view->tasks[t];
        if (!task.finished() && !task.overdue_at && task.deadline <= now) ++due;
      }
      due_seen += due;
    }
    auto s1 = Steady::now();
    for (int i = 0; i < 10; ++i) {
      auto now = clock.now();
      size_t due = 0;
      for (const engine::Task* task : running)
        if (task->deadline <= now) ++due;
      due_seen += due;
    }
    auto s2 = Steady::now();
    const int checks = 200000;
    size_t due = 0;
    for (int i = 0; i < checks; ++i) {
      auto next = replica->next_timer();
      if (next && *next <= clock.now()) ++due;
      keep(due);
    }
    auto s3 = Steady::now();
    due_seen += due;
    scan_all_us.push_back(std::chrono::duration<double, std::micro>(s1 - s0).count() / 10);
    scan_running_us.push_back(std::chrono::duration<double, std::micro>(s2 - s1).count() / 10);
    set_ns.push_back(std::chrono::duration<double, std::nano>(s3 - s2).count() / checks);
  }
  if (due_seen != 0) throw std::runtime_error("a deadline was due before the clock moved");
  CheckFigures f;
  f.set_ns = median(set_ns);
  f.scan_running_us = median(scan_running_us);
  f.scan_all_us = median(scan_all_us);
  f.running = running.size();
  f.records = view->tasks.size();
  f.timers = replica->pending_timers();
  return f;
}

FireFigures measure_fire(World& loaded, core::Timestamp target) {
  FireFigures f;
  {
    auto v = loaded.engine().view();
    for (size_t i = 0; i < v->tasks.size(); ++i) {
      const engine::Task& t = v->tasks[i];
      if (!t.finished() && !t.overdue_at && t.deadline <= target) ++f.due;
    }
  }
  size_t before = loaded.batches();
  uint64_t cpu0 = loaded.writer_cpu_ns();
  auto t0 = Steady::now();
  loaded.clock().set(target);
  loaded.engine().poke();
  // The engine fires at most 200 timers a batch: wait for batches until every due task is overdue.
  engine::CommitStats fired;
  size_t overdue = 0;
  for (size_t seen = before; overdue < f.due;) {
    engine::CommitStats one;
    if (!loaded.wait_batch(seen, core::Millis{30000}, &one)) throw std::runtime_error("the due timers did not fire");
    seen = loaded.batches();
    fired.commands += one.commands;
    fired.events += one.events;
    fired.handle_seconds += one.handle_seconds;
    fired.append_seconds += one.append_seconds;
    f.max_batch_ms = std::max(f.max_batch_ms, one.handle_seconds * 1e3);
    ++f.batches;
    overdue = 0;
    auto v = loaded.engine().view();
    for (size_t i = 0; i < v->tasks.size(); ++i)
      if (v->tasks[i].overdue_at) ++overdue;
  }
  f.wall_ms = std::chrono::duration<double, std::milli>(Steady::now() - t0).count();
  f.cpu_ms = static_cast<double>(loaded.writer_cpu_ns() - cpu0) / 1e6;
  if (overdue != f.due)
    throw std::runtime_error("FireTimers marked " + std::to_string(overdue) + " tasks overdue, expected " +
                             std::to_string(f.due));
  f.events = fired.events;
  f.handle_ms = fired.handle_seconds * 1e3;
  f.append_ms = fired.append_seconds * 1e3;
  f.per_task_us = f.due ? fired.handle_seconds * 1e6 / static_cast<double>(f.due) : 0;
  return f;
}

}  // namespace liandong::bench
