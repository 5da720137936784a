// Deliverer: sends the deliveries in a DeliveryStore to their subscribers' URLs as signed HTTP
// POSTs, with threads of its own.
//
// Rules (docs/WEBHOOKS.md says them for receivers):
// - Per subscriber strictly in seq order, one request in flight per subscriber; subscribers in
//   parallel (at most Options::max_in_flight requests in all), so a slow one holds back no other.
// - 2xx: delivered. No answer (refused, reset, timeout), 408, 429, 5xx: the same delivery again
//   after a back-off (first_backoff doubling up to max_backoff; a Retry-After in seconds is
//   honoured within those bounds). Any other status: dead, with the status and the start of the
//   body as reason, and the subscriber goes on with its next delivery. A delivery older than the
//   subscriber's max_age (counted from its creation, or from an operator's retry) when it would be
//   sent: dead ("too old").
// - At least once: an outcome is written to the store only after the answer, so a request
//   abandoned by stop() or a crash is sent again; receivers deduplicate on the delivery id.
// - Subscribers removed or disabled keep their pending deliveries, unsent, until they come back.
//
// Times (age, back-off, the signature's timestamp) come from the Clock; with a clock that is not
// the system clock, lanes look at it again at least every Options::recheck_interval, or at once
// after wake().
//
// Thread-safe: every public method may be called from any thread. The store and the clock are
// borrowed and must outlive the Deliverer; nothing else may deliver from the same store at the
// same time. Errors are values (core::Status); a failing store is logged, shown in stats() and
// retried after recheck_interval.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "webhooks/delivery_store.h"
#include "webhooks/types.h"

namespace liandong::webhooks {

struct SubscriberStats {
  std::string subscriber_id;
  bool configured = false;  // in the set given to set_subscribers
  bool enabled = false;     // configured and enabled: its deliveries are being sent
  int64_t pending = 0, delivered = 0, dead = 0;
  std::optional<core::Millis> oldest_pending_age;  // now - created_at of the next one to go
  std::optional<core::Timestamp> next_attempt_at;  // of the next one to go
  std::string last_error;  // the latest failed attempt's error ("" when none yet)
};

class Deliverer {
 public:
  struct Options {
    int workers = 2;  // threads; 1 to 64
    core::Millis first_backoff{1000}, max_backoff{60000};
    core::Millis request_timeout{10000};  // a whole request, from resolving to the answer
    size_t max_in_flight = 64;            // requests at once over all subscribers
    core::Millis recheck_interval{1000};  // longest wait before a lane reads the clock again
    core::Millis keep_delivered{std::chrono::hours(24 * 30)};  // then pruned from the store
    core::Millis prune_every{std::chrono::hours(1)};
    std::string extra_ca_pem;  // PEM certificates trusted for https beside the system's
  };

  Deliverer(DeliveryStore& store, const core::Clock& clock, Options options);
  Deliverer(DeliveryStore& store, const core::Clock& clock);
  ~Deliverer();  // stop()
  Deliverer(const Deliverer&) = delete;
  Deliverer& operator=(const Deliverer&) = delete;

  // Replaces the set of subscribers (each checked as by check_subscriber; ids unique). On
  // kInvalidArgument (naming e.g. "subscribers[2].url") nothing changes. A changed URL or secret
  // applies from the next request.
  core::Status set_subscribers(std::vector<Subscriber> subscribers);

  // Hands publications over: durable in the store when this returns ok (DeliveryStore::enqueue's
  // rules and errors), then sent while running. Works before start().
  core::Status publish(const std::vector<Publication>& publications, uint64_t cursor);
  // The cursor last handed over (DeliveryStore::cursor).
  core::Result<uint64_t> cursor() const;

  // An operator's retry of a dead delivery (DeliveryStore::retry): it goes next for its subscriber.
  core::Status retry(const std::string& delivery_id);
  core::Result<std::vector<Delivery>> list(const std::string& subscriber_id,
                                           std::optional<DeliveryState> state, size_t limit,
                                           uint64_t after_seq = 0) const;
  // One entry per subscriber that is configured or has deliveries, by id.
  core::Result<std::vector<SubscriberStats>> stats() const;

  // Starts the threads. kInvalidArgument naming the option ("options.workers") for options out of
  // range or an unusable extra_ca_pem; kConflict when already running.
  core::Status start();
  // Stops promptly, also while a receiver hangs: requests in flight are abandoned and stay
  // pending (sent again after the next start). Idempotent; start() may follow.
  void stop();
  bool running() const;
  // Makes every lane look at the store and the clock now (e.g. after a FakeClock moved).
  void wake();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace liandong::webhooks
