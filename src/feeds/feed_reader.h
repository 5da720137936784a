// FeedReader: reads the outside CAP sources registered as feed records (engine FeedRecord): an Atom
// or RSS feed of CAP alerts (entries embedding the alert or linking to it), a single CAP document,
// or an EDXL-DE envelope. Each alert found is handed to the engine as ReceiveAlert (source = the
// feed's id), where it becomes a warning, updates or cancels the alert it references, is a
// duplicate, or is quarantined with its validation report (docs/ALERTS.md "Receiving").
//
// A thread of its own looks at the feeds every `tick` and polls each enabled one whose interval has
// passed, one at a time. Linked documents of entries already read (same id and updated time) are
// not fetched again. A feed that fails is retried at its next interval; its status says why.
//
// Thread-safe: start(), stop(), status() and poll_due() may be called from any thread. The engine
// and the clock must outlive the reader.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>

#include "engine/engine.h"
#include "feeds/fetch.h"

namespace liandong::feeds {

struct FeedStatus {
  std::optional<core::Timestamp> last_polled_at;
  std::optional<core::Timestamp> last_ok_at;
  std::string error;  // the last poll's failure, "" when it went well
  uint64_t entries = 0;      // entries (or documents) seen in the last poll
  uint64_t received = 0;     // alerts taken in (new, update, cancel), in all
  uint64_t duplicates = 0;   // alerts already held, in all
  uint64_t quarantined = 0;  // alerts refused by the codec, in all
};

nlohmann::json to_json(const FeedStatus& s);

class FeedReader {
 public:
  struct Options {
    core::Millis tick{1000};
    FetchOptions fetch;
  };
  FeedReader(engine::Engine& engine, const core::Clock& clock, Options options);
  FeedReader(engine::Engine& engine, const core::Clock& clock) : FeedReader(engine, clock, Options{}) {}
  ~FeedReader();

  void start();
  void stop();  // idempotent; waits for a poll in progress (bounded by the fetch timeout)

  // Polls every enabled feed that is due at the clock's now (tests call this directly).
  void poll_due();
  // Polls one feed now; the status after it.
  FeedStatus poll(const engine::FeedRecord& feed);
  // The feed's status (all empty before its first poll).
  FeedStatus status(const std::string& feed_id) const;

 private:
  void run();
  void take(const engine::FeedRecord& feed, const std::string& xml, FeedStatus& st);

  engine::Engine& engine_;
  const core::Clock& clock_;
  Options options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, FeedStatus> status_;
  std::map<std::string, std::set<std::string>> seen_;  // feed id → entries read ("id|updated")
  bool stopping_ = false;
  bool running_ = false;
  std::thread thread_;
};

}  // namespace liandong::feeds
