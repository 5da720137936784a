// SqlitePositionStore: fleet::PositionStore (AVL fixes as telemetry) on its own SQLite file.
//
// The node keeps it in DIR/telemetry.db, apart from the journal's DIR/journal.db, so that telemetry
// writes never wait on (or delay) journal commits: each file has its own write lock and WAL.
//
// Durability: WAL mode with synchronous=NORMAL — a commit is not fsync'd (the WAL is synced at
// checkpoints). A process crash loses nothing that append() returned ok for; a power loss or OS
// crash may lose the last moments of fixes, never the file's consistency. That is the telemetry
// promise of fleet::PositionStore; the journal, by contrast, uses synchronous=FULL.
//
// Layout (schema v1, see sqlite_positions.cpp): positions(object_id, time_ms, ...) keyed by
// (object_id, time_ms), WITHOUT ROWID; latest(object_id, ...) holding each object's newest fix,
// kept up to date in the same transaction as the positions it summarises, so latest() reads one
// row per object however many fixes are stored; schema_migrations with the file's own versions.
//
// Cost: append() rewrites about one page per distinct object in the batch (the leaf holding the
// object's newest fixes), whatever the table's size, so a batch of 1,000 fixes from 1,000 objects
// costs far more than 1,000 fixes from 10; a flush interval at least as long as the devices'
// report interval puts several fixes of an object on each page written. history() is one range of
// the primary key; latest() reads the latest table only.
//
// Locking: no lock file. The file lives in the node's data folder, which the journal's store holds
// exclusively (SqliteStore's flock on journal.db.lock) for the node's lifetime; so the node opens
// the journal first, and a second node on the same folder is refused there before it reaches this
// file. SQLite's own locks still keep the file consistent if it is opened twice anyway (a tool).
//
// Thread-safety: append() and prune() serialise on one writer connection and may be called from
// any thread (the node appends from one flusher thread). latest() and history() may run
// concurrently from any thread, including while append() or prune() runs: they use a small pool of
// read-only connections and see the file as of the last commit. All calls must have returned
// before the store is destroyed.
//
// Errors: kUnavailable when SQLite fails (I/O error, disk full, busy past busy_timeout_ms), the
// message naming the file and carrying SQLite's message; kDataLoss naming the file when it is not a
// SQLite database or is damaged; kInvalidArgument from append() as fleet::check_finite() says.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "fleet/position_store.h"

namespace liandong::store {

struct SqlitePositionOptions {
  int busy_timeout_ms = 5000;        // how long a statement waits for a lock before kUnavailable
  size_t max_idle_readers = 4;       // read-only connections kept open between calls
  int64_t prune_batch_rows = 10000;  // rows prune() removes per transaction (appends interleave)
  // The writer's page cache. A batch touches about one leaf page per distinct object (the page
  // its newest fixes are on), so this should hold a page per object: 10,000 objects ~ 40 MiB.
  int writer_cache_mib = 64;
  // The WAL is copied back into the file (a checkpoint, with fsyncs) once it holds this many
  // pages. SQLite's default of 1,000 means a checkpoint after almost every 1,000-fix batch; a
  // larger WAL lets a page rewritten by many batches be copied once. The WAL is truncated back to
  // 64 MiB after a checkpoint.
  int wal_checkpoint_pages = 10000;
};

class SqlitePositionStore final : public fleet::PositionStore {
 public:
  // Opens the store at `path`, creating the file if missing, and brings its schema up to date (one
  // transaction). A file that is refused (not a database, newer schema) is left untouched. Fails
  // with kUnavailable when the file cannot be opened or created or its schema version is newer than
  // this build knows; kDataLoss naming the file when it is not a SQLite database or is damaged.
  static core::Result<std::unique_ptr<SqlitePositionStore>> open(
      const std::string& path, const SqlitePositionOptions& opts = {});
  ~SqlitePositionStore() override;
  SqlitePositionStore(const SqlitePositionStore&) = delete;
  SqlitePositionStore& operator=(const SqlitePositionStore&) = delete;

  // One transaction: INSERT OR IGNORE of each fix, and latest's row of its object replaced when
  // the fix is new and newer than it. An empty batch is ok.
  core::Status append(std::span<const fleet::Fix> fixes) override;
  // One row per object from the latest table, in object_id byte order.
  core::Result<std::vector<fleet::Fix>> latest() override;
  // A range read of the primary key.
  core::Result<std::vector<fleet::Fix>> history(std::string_view object_id, core::Timestamp from,
                                                core::Timestamp to, size_t limit) override;
  // Walks the objects in latest and removes each one's old fixes by primary-key range (no scan of
  // the table), in transactions of about prune_batch_rows rows so that append() is not held up for
  // long. Not atomic: readers may see it half done; on an error the rows removed by committed
  // transactions stay removed (prune again). Fixes of an object first stored while prune() runs may
  // be left for the next prune.
  core::Result<uint64_t> prune(core::Timestamp before) override;

  const std::string& path() const;

 private:
  struct Impl;
  explicit SqlitePositionStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace liandong::store
