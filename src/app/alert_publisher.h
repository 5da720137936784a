// AlertPublisher: hands the alerts the node publishes to the webhook deliverer (webhooks/), and
// keeps the deliverer's subscribers equal to the engine's subscriber records.
//
// The engine's listener calls on_events() with every committed batch (on the engine's committer
// thread; it only queues). A thread of its own turns each "alert.published" event into a Publication for the
// subscribers the alert matches (engine::subscriber_matches, against the subscribers of the newest
// view) and hands it over; the deliverer's cursor moves with it in the same transaction. At start
// it first reads the journal after that cursor, so alerts published while the node was down or
// between a commit and the hand-over (a crash) are delivered too: at least once, in journal order.
//
// Thread-safe: on_events() may be called from any thread; start() and stop() from one.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "engine/engine.h"
#include "webhooks/deliverer.h"
#include "webhooks/delivery_store.h"

namespace liandong::app {

class AlertPublisher {
 public:
  // `engine` and `journal` must outlive the publisher. Opens (or creates) `path` (deliveries.db).
  static core::Result<std::unique_ptr<AlertPublisher>> open(const std::string& path, engine::Engine& engine,
                                                          engine::JournalStore& journal, const core::Clock& clock);
  ~AlertPublisher();

  // Catches up from the journal, then starts delivering and following the engine.
  core::Status start();
  void stop();  // idempotent
  void on_events(std::span<const engine::Event> events);

  webhooks::Deliverer& deliverer() { return *deliverer_; }

 private:
  AlertPublisher(engine::Engine& engine, engine::JournalStore& journal, const core::Clock& clock);
  void run();
  core::Status hand_over(const std::vector<engine::Event>& events, uint64_t cursor);
  core::Status catch_up();
  core::Status sync_subscribers();

  engine::Engine& engine_;
  engine::JournalStore& journal_;
  const core::Clock& clock_;
  std::unique_ptr<webhooks::DeliveryStore> store_;
  std::unique_ptr<webhooks::Deliverer> deliverer_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<engine::Event>> queue_;
  bool stopping_ = false;
  bool running_ = false;
  uint64_t subscribers_seq_ = UINT64_MAX;
  std::thread thread_;
};

}  // namespace liandong::app
