// DeliveryStore: the durable queue of webhook deliveries, in its own SQLite file (e.g.
// DIR/deliveries.db, WAL, synchronous=FULL).
//
// It keeps each publication's body once and one delivery row per (subscriber, publication), plus
// the cursor: the last journal seq whose publications the caller has fully handed over, written
// in the same transaction as the deliveries so that a caller resuming from cursor() neither loses
// nor doubles a publication. Times come from the Clock given at open.
//
// Failures are values: kInvalidArgument for bad input (naming the field), kNotFound / kConflict
// for a delivery that is missing or in the wrong state, kUnavailable / kDataLoss when SQLite fails
// (the message names the file). Thread-safe: every method takes the store's lock. One
// DeliveryStore (and one Deliverer) per file at a time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "webhooks/types.h"

namespace liandong::litedb {
class Db;
}

namespace liandong::webhooks {

// A pending delivery with what is to be sent.
struct Outgoing {
  Delivery delivery;
  std::string body;
  std::string content_type;
};

struct SubscriberCounts {
  int64_t pending = 0, delivered = 0, dead = 0;
  std::optional<Delivery> oldest_pending;  // the one that goes next
};

class DeliveryStore {
 public:
  // Opens or creates the file. kUnavailable when it cannot be opened, kDataLoss when it is not a
  // delivery store (or is damaged), kConflict when a newer version of the module wrote it. The
  // clock must outlive the store.
  static core::Result<std::unique_ptr<DeliveryStore>> open(const std::string& path,
                                                           const core::Clock& clock);
  ~DeliveryStore();
  DeliveryStore(const DeliveryStore&) = delete;
  DeliveryStore& operator=(const DeliveryStore&) = delete;

  // Writes the publications' deliveries (pending, due now) and the cursor in one transaction:
  // all or nothing. Idempotent: a (subscriber, seq) already enqueued is left as it is, so a caller
  // may hand the same publications over again. The cursor never moves back. kInvalidArgument
  // (naming e.g. "publications[3].alert_id") for seq 0, a seq after `cursor`, an empty or
  // control-character alert id, a bad subscriber id, or a seq already stored for another alert.
  core::Status enqueue(const std::vector<Publication>& publications, uint64_t cursor);
  // The last cursor written by enqueue; 0 for a new store.
  core::Result<uint64_t> cursor() const;

  // The subscriber's pending delivery with the lowest seq, with its body; nullopt when none.
  core::Result<std::optional<Outgoing>> oldest_pending(const std::string& subscriber_id) const;
  core::Result<Delivery> get(const std::string& delivery_id) const;

  // The outcomes of an attempt, for a pending delivery (kNotFound when the delivery does not
  // exist, kConflict when it is not pending). Each counts one attempt.
  core::Status mark_delivered(const std::string& delivery_id);
  core::Status record_failure(const std::string& delivery_id, const std::string& error,
                              core::Timestamp next_attempt_at);
  // Dead with `reason`; counts an attempt when `attempted` (false for "too old").
  core::Status mark_dead(const std::string& delivery_id, const std::string& reason, bool attempted);

  // An operator's retry of a dead delivery: pending again, due now, attempts 0, its age counted
  // from now, its seq (and so its place in the subscriber's order) kept, so it goes before the
  // subscriber's later pending ones. kNotFound, or kConflict when it is not dead.
  core::Status retry(const std::string& delivery_id);

  // Deliveries by seq (then subscriber id), those with seq > after_seq, at most `limit` (1 to
  // 10000). An empty subscriber_id lists every subscriber's.
  core::Result<std::vector<Delivery>> list(const std::string& subscriber_id,
                                           std::optional<DeliveryState> state, size_t limit,
                                           uint64_t after_seq = 0) const;
  // Counts by state for every subscriber that has deliveries.
  core::Result<std::map<std::string, SubscriberCounts>> counts() const;

  // Deletes deliveries delivered before `before`, and publications left with no delivery.
  // Returns how many deliveries went.
  core::Result<int64_t> prune_delivered(core::Timestamp before);

  const std::string& path() const;

 private:
  DeliveryStore(std::unique_ptr<litedb::Db> db, const core::Clock& clock);
  core::Status finish_pending(const std::string& delivery_id, const char* sql,
                              const std::string& text, int64_t time, std::string_view what);

  mutable std::mutex mu_;
  std::unique_ptr<litedb::Db> db_;
  const core::Clock& clock_;
};

}  // namespace liandong::webhooks
