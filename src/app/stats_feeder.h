// StatsFeeder: keeps the statistics' facts (stats/, stats.db) equal to the engine's incidents.
//
// The engine's listener calls on_events() with every committed batch (on the engine's committer
// thread; it only notes which incidents the events touch). A thread of its own waits for the View
// that holds the batch (listeners hear of it just before it is published), builds those incidents'
// facts from it (incident_fact) and upserts them with the batch's last seq as the cursor, at most
// once every kPace (100 ms), taking every incident touched meanwhile in one transaction. At start,
// when the store's cursor is behind the view, every incident of the view is written again: the
// view holds them all, so nothing the node did while the feeder was down (or between a commit and
// the upsert, a crash) is missed.
//
// Thread-safe: on_events() may be called from any thread; start() and stop() from one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "engine/engine.h"
#include "stats/fact_store.h"

namespace liandong::app {

// The fact of one incident as the view shows it at `now`: grade confirmed else proposed, agencies of
// every unit sent, the first dispatch and arrival after opening, and its report obligations
// (fulfilled on time; late = fulfilled late or overdue and still owed, with the delays of the
// fulfilled ones).
// `obligations`: the indices of the incident's obligations in view.obligations.
stats::Fact incident_fact(const engine::View& view, const engine::Incident& inc, const std::vector<size_t>& obligations);

class StatsFeeder {
 public:
  StatsFeeder(stats::FactStore& store, engine::Engine& engine) : store_(store), engine_(engine) {}
  ~StatsFeeder();
  core::Status start();  // catches up, then follows
  void stop();           // idempotent; what is queued is written first
  void on_events(std::span<const engine::Event> events);

 private:
  void run();
  core::Status write(const std::vector<std::string>& ids, uint64_t cursor);  // ids: no repeats
  // Extends by_incident_ with the view's obligations not seen yet (obligations are only appended;
  // a changed one keeps its index and incident). Feeder thread (or start) only.
  void index(const engine::View& view);

  static constexpr std::chrono::milliseconds kPace{100};

  stats::FactStore& store_;
  engine::Engine& engine_;
  std::mutex mu_;
  std::condition_variable cv_;
  // Incidents touched since the last write, as heard (repeats and all: appending is the cheapest
  // thing the committer can do; the feeder sorts them out, and on_events thins them out when they
  // pile up behind a slow write).
  std::vector<std::string> pending_;
  size_t pending_unique_ = 0;  // pending_'s size after its last thinning
  bool waiting_ = false;       // the feeder waits for work (not pacing): on_events wakes it
  uint64_t pending_seq_ = 0;  // the newest seq heard
  uint64_t written_seq_ = 0;  // the cursor written
  bool running_ = false, stopping_ = false;
  std::thread thread_;
  std::unordered_map<std::string, std::vector<size_t>> by_incident_;
  size_t indexed_ = 0;
};

}  // namespace liandong::app
