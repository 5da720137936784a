// SqliteReadingStore: readings::ReadingStore (monitoring readings as telemetry) on its own SQLite
// file. The node keeps it at DIR/readings.db, apart from the journal and from telemetry.db, so
// that readings never wait on (or delay) journal commits or position fixes.
//
// Durability: WAL mode with synchronous=FULL — append() returns after the WAL is fsync'd, so a
// row it reported stored survives a power loss ("acknowledged durable"; the caller batches many
// requests into one append(), which is what makes that affordable).
//
// Layout (schema v1, see sqlite_readings.cpp and docs/READINGS.md): series(id INTEGER PRIMARY KEY,
// station, parameter, UNIQUE(station, parameter)); readings(series, t_ms, value REAL, quality
// INTEGER, PRIMARY KEY(series, t_ms)) WITHOUT ROWID; schema_migrations with the file's versions.
// append() is INSERT OR IGNORE through one prepared statement in one transaction; range() is one
// range of the primary key, down-sampled in SQL (GROUP BY bucket) when it holds more than
// max_points rows; latest() reads one row from the end of the series' key range.
//
// Series ids are cached in memory (all of them, loaded at open: about 80 bytes per series), so
// series_ids() of known series and find_series() touch no file. The node is the only writer of
// the file: a series added by another process is found by series_ids() (it looks in the file
// before creating) but not by find_series() until the store is reopened.
//
// Locking: no lock file, as SqlitePositionStore: the data folder is held by the journal's lock.
//
// Thread-safety: every call may come from any thread. series_ids() creating a series and append()
// serialise on one writer connection. range() and latest() use a small pool of read-only
// connections and run concurrently with each other and with append() (WAL: readers see the file as
// of the last commit and neither blocks the other). All calls must have returned before the store
// is destroyed.
//
// Errors: kUnavailable when SQLite fails (I/O error, disk full, busy past busy_timeout_ms), the
// message naming the file and carrying SQLite's message; kDataLoss naming the file when it is not
// a SQLite database or is damaged (or holds a quality number this build does not know);
// kInvalidArgument as readings::ReadingStore says. A failed append() stores nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "readings/reading_store.h"

namespace liandong::store {

struct SqliteReadingOptions {
  int busy_timeout_ms = 5000;   // how long a statement waits for a lock before kUnavailable
  size_t max_idle_readers = 4;  // read-only connections kept open between calls
  // The writer's page cache: a batch rewrites about one leaf page per distinct series in it (the
  // page holding the series' newest rows), so this should hold a page per active series.
  int writer_cache_mib = 64;
  // The WAL is checkpointed once it holds this many pages (SQLite's default is 1,000), then
  // truncated back to 64 MiB.
  int wal_checkpoint_pages = 10000;
  // When > 0, the file may grow to at most this many pages (of 4 KiB); past it a write fails with
  // kUnavailable as on a full disk. For quotas and for tests of a full disk. 0: no limit.
  int64_t max_page_count = 0;
};

class SqliteReadingStore final : public readings::ReadingStore {
 public:
  // Opens the store at `path`, creating the file if missing, and brings its schema up to date (one
  // transaction). A file that is refused is left untouched. kUnavailable when the file cannot be
  // opened or created, is locked past busy_timeout_ms, or its schema is newer than this build
  // knows; kDataLoss naming the file when it is not a SQLite database or is damaged.
  static core::Result<std::unique_ptr<SqliteReadingStore>> open(
      const std::string& path, const SqliteReadingOptions& opts = {});
  ~SqliteReadingStore() override;
  SqliteReadingStore(const SqliteReadingStore&) = delete;
  SqliteReadingStore& operator=(const SqliteReadingStore&) = delete;

  core::Result<std::vector<int64_t>> series_ids(std::span<const readings::SeriesKey> keys) override;
  core::Result<std::optional<int64_t>> find_series(std::string_view station,
                                                   std::string_view parameter) override;
  core::Result<readings::AppendResult> append(std::span<const readings::Row> rows) override;
  core::Result<std::vector<readings::Bucket>> range(int64_t series, int64_t from_ms, int64_t to_ms,
                                                    size_t max_points) override;
  core::Result<std::optional<readings::Row>> latest(int64_t series) override;

  const std::string& path() const;

 private:
  struct Impl;
  explicit SqliteReadingStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace liandong::store
