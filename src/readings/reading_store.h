// ReadingStore: where readings are kept, as series of rows (docs/READINGS.md).
//
// A series is a (station, parameter) pair with a compact integer id that the store assigns on
// first use (1, 2, 3, ... in order of creation) and keeps for good, across reopening. A row is one
// reading of a series, keyed by (series, t_ms): at most one value per series and millisecond.
//
// Implementations: MemoryReadingStore (below, for tests of others) and store::SqliteReadingStore
// (src/store/sqlite_readings.h, the node's DIR/readings.db). Both pass the same behaviour suite
// (reading_store_suite.h).
//
// Thread-safety: every implementation is thread-safe; calls may come from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "readings/reading.h"

namespace liandong::readings {

struct SeriesKey {
  std::string_view station;    // is_station_id()
  std::string_view parameter;  // is_parameter_code()
};

struct Row {
  int64_t series = 0;  // an id the store gave
  int64_t t_ms = 0;    // Unix milliseconds, is_reading_time()
  double value = 0;    // is_reading_value()
  Quality quality = Quality::kOk;
  bool operator==(const Row&) const = default;
};

struct AppendResult {
  size_t stored = 0;      // rows new to the store, now stored
  size_t duplicates = 0;  // rows whose (series, t_ms) was already stored (or earlier in the batch)
  bool operator==(const AppendResult&) const = default;
};

// A point of a chart. When range() returns rows one by one (not down-sampled), each Bucket is one
// row: start_ms = first_ms = last_ms = its t_ms, count 1, min = max = mean = first = last = its
// value, not_ok 1 when its quality is not ok, else 0. When down-sampled, a bucket summarises the
// rows with start_ms <= t_ms < start_ms + width (see range()), in time order: first and last are
// the values of its earliest and latest rows (at first_ms and last_ms), mean is sum / count,
// not_ok counts its rows whose quality is not ok. Buckets without rows are left out.
struct Bucket {
  int64_t start_ms = 0;
  int64_t first_ms = 0;
  int64_t last_ms = 0;
  size_t count = 0;
  double min = 0, max = 0, mean = 0, first = 0, last = 0;
  size_t not_ok = 0;
  bool operator==(const Bucket&) const = default;
};

class ReadingStore {
 public:
  virtual ~ReadingStore() = default;

  // The ids of the series, in the order of `keys`, each created when new (all new ones in one
  // durable transaction). kInvalidArgument naming "station" or "parameter" (and the key's index)
  // when a key is malformed, creating none; kUnavailable when the store fails.
  virtual core::Result<std::vector<int64_t>> series_ids(std::span<const SeriesKey> keys) = 0;
  // The id of an existing series, or nullopt; never creates one.
  virtual core::Result<std::optional<int64_t>> find_series(std::string_view station,
                                                           std::string_view parameter) = 0;
  // One series; as series_ids().
  core::Result<int64_t> series_id(std::string_view station, std::string_view parameter);

  // Stores the rows in one transaction, durable when it returns ok. A row whose (series, t_ms) is
  // already stored, or came earlier in the same call, is a duplicate: not stored again (the first
  // value stays) and counted. Rows may come in any time order. An empty span is ok.
  // kInvalidArgument "row N: ..." (0-based) when any row is malformed (unknown series, time,
  // value or quality out of range), storing none; kUnavailable when the store fails (disk full, I/O
  // error, busy), storing none.
  virtual core::Result<AppendResult> append(std::span<const Row> rows) = 0;

  // The rows of `series` with from_ms <= t_ms < to_ms, in time order: one Bucket per row when
  // there are at most max_points, else down-sampled into equal buckets of width
  // w = ceil((to' - from') / max_points) ms, bucket k covering [from' + k*w, from' + (k+1)*w),
  // where from' and to' are from_ms and to_ms clamped to [kMinTimeMs, kEndTimeMs) — so at most
  // max_points buckets. Empty when from_ms >= to_ms or the series is unknown. kInvalidArgument
  // when max_points is 0; kUnavailable when the store fails.
  virtual core::Result<std::vector<Bucket>> range(int64_t series, int64_t from_ms, int64_t to_ms,
                                                  size_t max_points) = 0;

  // The row of `series` with the greatest t_ms, or nullopt when it has none (or is unknown).
  virtual core::Result<std::optional<Row>> latest(int64_t series) = 0;
};

// Checks the rows of an append() against the store's series 1..max_series and the limits of
// reading.h: the first malformed row as kInvalidArgument "row N: ...".
core::Status check_rows(std::span<const Row> rows, int64_t max_series);
// Checks a series key: kInvalidArgument naming the field.
core::Status check_series_key(const SeriesKey& key);

// The bucket width range() uses for down-sampling [from_ms, to_ms) into max_points buckets, after
// clamping (see range()); from_ms < to_ms and max_points >= 1 are the caller's.
int64_t bucket_width(int64_t from_ms, int64_t to_ms, size_t max_points);

// A ReadingStore in memory, for tests. Durable only as long as the object lives.
class MemoryReadingStore final : public ReadingStore {
 public:
  core::Result<std::vector<int64_t>> series_ids(std::span<const SeriesKey> keys) override;
  core::Result<std::optional<int64_t>> find_series(std::string_view station,
                                                   std::string_view parameter) override;
  core::Result<AppendResult> append(std::span<const Row> rows) override;
  core::Result<std::vector<Bucket>> range(int64_t series, int64_t from_ms, int64_t to_ms,
                                          size_t max_points) override;
  core::Result<std::optional<Row>> latest(int64_t series) override;

 private:
  struct Value {
    double value;
    Quality quality;
  };
  std::mutex mu_;  // guards everything below
  std::map<std::pair<std::string, std::string>, int64_t> ids_;
  std::vector<std::map<int64_t, Value>> series_;  // series_[id - 1]: t_ms -> value
};

}  // namespace liandong::readings
