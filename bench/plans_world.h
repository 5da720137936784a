// The world of bench/run plans: an engine (on a FakeClock, over any JournalStore) with agencies,
// two approved plans and open incidents, and the harness that submits one command at a time and
// reads back the commit figures (CommitStats) of the batch it made.
//
// Plans (YAML, parsed with plans::parse_plan):
//  - bench_fire (incident type fire): level III has 50 tasks, some with predecessors; level I keeps
//    40 of them, drops 10 and adds 10 of its own. A confirmed grade III activates it (50 tasks).
//  - bench_traffic (type traffic_accident): level IV, 10 tasks with deadlines 1 h … 10 h after
//    activation. The background incidents are traffic accidents; with their grade confirmed each
//    has 10 tasks with running deadlines (one timer each).
//
// Not thread-safe: one thread drives a World. Throws std::runtime_error when a command the
// benchmark relies on fails.
#pragma once

#include <sys/types.h>
#include <time.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/time.h"
#include "engine/engine.h"

namespace liandong::bench {

inline constexpr const char* kPlansNode = "441300";

// The YAML of the two plans.
std::string big_plan_yaml();    // bench_fire
std::string small_plan_yaml();  // bench_traffic

// The figures of the one batch a command made.
struct BatchFigures {
  double handle_s = 0;  // CommitStats::handle_seconds: the command's handlers
  double append_s = 0;  // CommitStats::append_seconds: the journal commit
  double wall_s = 0;    // submit → answer, on the calling thread
  double cpu_s = 0;     // the writer thread's CPU time from submit to the commit figures
  size_t events = 0;
  size_t commands = 0;
};

// Voluntary context switches of thread `tid` of this process (each a sleep: its wake-ups), and the
// CPU time (ns) of a thread's CPU clock; 0 when unreadable.
uint64_t thread_sleeps(pid_t tid);
uint64_t thread_cpu_ns(clockid_t clock);

// The reference for the writer's idle cost: a bare thread that only waits on a condition variable
// for a second at a time, as the writer does while timers are pending and none is due.
class Sleeper {
 public:
  Sleeper();
  ~Sleeper();
  Sleeper(const Sleeper&) = delete;
  Sleeper& operator=(const Sleeper&) = delete;
  pid_t tid() const { return tid_; }
  uint64_t cpu_ns() const { return thread_cpu_ns(clock_); }
  uint64_t sleeps() const { return thread_sleeps(tid_); }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool ready_ = false, stop_ = false;
  pid_t tid_ = 0;
  clockid_t clock_{};
  std::thread thread_;
};

class World {
 public:
  // `store` must outlive the world. The clock starts at `start`.
  World(std::string label, engine::JournalStore& store, core::Timestamp start);
  ~World();

  // Registers agencies (the incident counties' 119/110/120, the city's others), creates both plans
  // and takes them through submitted → reviewed → approved (three different people), then opens
  // `incidents` traffic accidents. With `activate`, confirms each one's grade IV at a clock spread
  // over `spread` after the start (sorted random times), which activates bench_traffic with its 10
  // tasks; the clock is left at start + spread.
  void build(int incidents, bool activate, core::Millis spread, std::mt19937_64& rng);

  // Stands down every background activation: the same records remain (incidents, activations, tasks,
  // timeline lines), and no timer.
  void stand_down_background();

  // Submits `command`, waits for the answer and for the commit figures of its batch. With
  // `answer`, the answer's body is stored there. Throws when the command fails.
  BatchFigures measured(engine::Command command, nlohmann::json* answer = nullptr);
  // Submits and waits for the answer and the commit figures; throws when the command fails.
  nlohmann::json exec(engine::Command command, const engine::Actor& by = "bench.duty");

  // Reports a fire at a fresh place (never joining an open incident); the incident's id.
  std::string new_fire_incident();
  // The active activation of `incident_id` (throws when there is none).
  std::string active_activation(const std::string& incident_id) const;

  // Waits up to `timeout` for a batch after the first `after` (counting from 0); its figures.
  bool wait_batch(size_t after, core::Millis timeout, engine::CommitStats* out);
  size_t batches() const;

  const std::string& label() const { return label_; }
  engine::Engine& engine() { return *engine_; }
  core::FakeClock& clock() { return clock_; }
  core::Timestamp start() const { return start_; }
  const std::vector<std::string>& background() const { return background_; }
  pid_t writer_tid() const { return writer_tid_; }
  // The writer thread's CPU time (ns), read from any thread.
  uint64_t writer_cpu_ns() const;
  // Voluntary context switches of the writer so far: each is the writer going to sleep (on its
  // condition variable, timed or not), so their count is its wake-ups.
  uint64_t writer_sleeps() const;

 private:
  std::string label_;
  core::Timestamp start_;
  core::FakeClock clock_;
  std::unique_ptr<engine::Engine> engine_;
  std::vector<std::string> background_;  // incident ids
  size_t places_ = 0;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<engine::CommitStats> stats_;
  pid_t writer_tid_ = 0;
  clockid_t writer_clock_{};
  bool have_writer_ = false;
};

}  // namespace liandong::bench
