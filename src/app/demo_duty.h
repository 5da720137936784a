// The demo's contingency plans and its duty desk, so that a newcomer sees graded response live.
//
// seed_plans() loads the example plans (docs/examples/*.yaml) into a fresh demo store and takes
// each through its life-cycle — submitted by the plans office, reviewed, approved and filed by the
// supervisor — so they activate. The DutyDesk then acts, every second (real time):
//   - an open incident that has had a proposed grade for `confirm_after` without a confirmed one
//     gets the proposed grade confirmed, for two incidents in three (the rest wait for a person) —
//     the matching plan activates and its tasks appear;
//   - the agencies work their tasks: accept after 10–40 s, start soon after, and complete at a
//     random point between 40% and 120% of the time allowed, so some turn overdue and escalate;
//   - the monitoring desk ("demo-analyst") drafts and submits a CAP alert (status Exercise: the
//     demo's alerts are drills) for a warning open `alert_after` without one; blue and yellow go
//     out at once, orange and red wait, and the duty leader ("demo-supervisor") approves two in
//     three of those after `approve_after` — the rest wait for a person in the console;
//   - the duty offices ("demo-duty") answer three in four of the reports owed `report_after` after
//     they fall due: a draft from the record, the elements a person would add filled in, submitted;
//     the receiving office ("demo-supervisor") acknowledges two in three after `receive_after`
//     (demo_reports.cpp). The rest are left for a person — and go overdue on the board.
// Everything goes through the engine's commands as "demo" (or the two desks above).
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "core/status.h"
#include "engine/engine.h"

namespace liandong::app::demo {

// The example plans' folder (compiled in as the source tree's docs/examples).
std::string examples_dir();

// Creates, approves and files every plan of `dir` (*.yaml, in name order) unless the store has
// plans already. A file that does not validate stops the seeding with its first message.
core::Status seed_plans(engine::Engine& engine, const std::string& dir);

class DutyDesk {
 public:
  explicit DutyDesk(engine::Engine& engine, uint32_t seed = 11) : engine_(engine), rng_(seed) {}
  ~DutyDesk() { stop(); }
  DutyDesk(const DutyDesk&) = delete;
  DutyDesk& operator=(const DutyDesk&) = delete;

  void start();
  void stop();

  std::chrono::seconds confirm_after{20};
  std::chrono::seconds alert_after{30};
  std::chrono::seconds approve_after{25};
  std::chrono::seconds report_after{40};
  std::chrono::seconds receive_after{20};

 private:
  struct Plan {  // what the desk means to do with one task, and when
    std::chrono::steady_clock::time_point accept, start, complete;
  };
  void run();
  void tick();
  void work_alerts(const engine::View& view, std::chrono::steady_clock::time_point now);
  void work_reports(const engine::View& view, std::chrono::steady_clock::time_point now);
  uint64_t next();

  engine::Engine& engine_;
  uint64_t rng_;
  std::map<std::string, std::chrono::steady_clock::time_point> proposed_seen_;  // incident → first seen
  std::map<std::string, Plan> work_;                                             // task → schedule
  std::map<std::string, std::chrono::steady_clock::time_point> warning_seen_;    // warning → first seen
  std::map<std::string, std::chrono::steady_clock::time_point> pending_seen_;    // alert → first seen
  std::map<std::string, std::chrono::steady_clock::time_point> owed_seen_;       // obligation → first seen
  std::map<std::string, std::chrono::steady_clock::time_point> sent_seen_;       // report → first seen
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace liandong::app::demo
