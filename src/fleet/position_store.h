// Position fixes (AVL) as telemetry: where units and vehicles were, kept in their own append-only
// table, written in batches — not journal events (DESIGN.md, "Telemetry is not journaled").
//
// A fix is identified by (object_id, time): storing a fix whose key is already stored keeps the
// first and changes nothing, so a client that resends a batch does no harm. Fixes may arrive out
// of time order; history() gives them in time order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace liandong::fleet {

struct Fix {
  std::string object_id;   // a unit's id, e.g. "441200-UNT-7"
  core::Timestamp time{};  // when the device took the fix (UTC)
  double lon = 0;          // WGS-84 degrees
  double lat = 0;
  std::optional<double> speed_kmh;
  std::optional<double> heading_deg;  // 0..360, clockwise from north
  std::optional<double> accuracy_m;
  core::Timestamp received{};  // when the node received it
  bool operator==(const Fix&) const = default;
};

class PositionStore {
 public:
  virtual ~PositionStore() = default;

  // Appends fixes in one transaction; fixes whose (object_id, time) is already stored are skipped.
  // Telemetry durability: a crash may lose the last moments of fixes (the store may skip fsync),
  // never the file's consistency. Errors, with nothing of the batch stored: kUnavailable (I/O);
  // kInvalidArgument when a fix holds a number that is not finite (see check_finite()).
  virtual core::Status append(std::span<const Fix> fixes) = 0;

  // The newest fix (greatest time) of every object, in object_id order.
  virtual core::Result<std::vector<Fix>> latest() = 0;

  // The fixes of one object with from <= time < to, oldest first, at most `limit`.
  virtual core::Result<std::vector<Fix>> history(std::string_view object_id, core::Timestamp from,
                                                 core::Timestamp to, size_t limit) = 0;

  // Removes fixes with time < before (retention); returns how many.
  virtual core::Result<uint64_t> prune(core::Timestamp before) = 0;
};

// ok, or kInvalidArgument naming the first fix (by index and object) with a NaN or infinite lon,
// lat, speed, heading or accuracy, and the field. Every PositionStore::append() checks this first:
// such a number cannot be stored faithfully (SQLite turns NaN into NULL), and a batch refused as
// kUnavailable would be retried for ever.
core::Status check_finite(std::span<const Fix> fixes);

// In memory, for unit tests and benchmarks. Thread-safe. Never fails. Copies share one store.
class MemoryPositionStore : public PositionStore {
 public:
  MemoryPositionStore();  // defined where Impl is complete
  core::Status append(std::span<const Fix> fixes) override;
  core::Result<std::vector<Fix>> latest() override;
  core::Result<std::vector<Fix>> history(std::string_view object_id, core::Timestamp from,
                                         core::Timestamp to, size_t limit) override;
  core::Result<uint64_t> prune(core::Timestamp before) override;
  size_t size() const;  // fixes stored

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace liandong::fleet
