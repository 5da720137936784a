// SqliteStore: engine::JournalStore on one SQLite file (WAL mode, synchronous=FULL), with the
// snapshots as files in a folder beside it (`path + ".snapshots"`, internal/snapshot_files.h).
//
// Layout of the file (schema v1, see internal/migrations.cpp): events (the hash-chained journal),
// snapshots (where stores kept their snapshots before the files; read while no file is newer, no
// longer written), kv (node-local metadata, outside the journal) and schema_migrations. A store is
// held by one process at a time: open() takes an exclusive flock on `path + ".lock"` (which holds
// the owner's pid) until the store is destroyed.
//
// Thread-safety: append() and put_meta() serialise on one writer connection and may be called from
// any thread. save_snapshot() may run alongside them (the engine calls it from its snapshot
// thread): it takes no lock the journal's writer takes, so appends go on while it writes; two
// save_snapshot() calls serialise. read_after(), head(), latest_snapshot(), get_meta() and
// verify_journal() may run concurrently from any thread, including while append() runs: they use
// a small pool of read-only connections and, in WAL mode, see the journal as of the last commit.
// All calls must have returned before the store is destroyed.
//
// Errors: kUnavailable when SQLite fails (disk full, I/O error, busy past busy_timeout) — the
// message carries SQLite's; kDataLoss when the file is damaged or the chain is broken; kConflict
// when an append or snapshot does not follow the journal.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "core/status.h"
#include "engine/journal_store.h"

namespace liandong::store {

struct SqliteOptions {
  int busy_timeout_ms = 5000;   // how long a statement waits for a lock before kUnavailable
  size_t max_idle_readers = 4;  // read-only connections kept open between calls
  size_t verify_chunk = 4096;   // events per read when verify_journal() streams the journal
  // Once the WAL holds this many frames (pages), the checkpointer starts it over with a RESTART
  // checkpoint, so that a steady stream of appends does not grow it without end (4096: 16 MB).
  int wal_restart_frames = 4096;
};

class SqliteStore final : public engine::JournalStore {
 public:
  // Opens the store at `path`, creating the file if missing, and brings its schema up to date (one
  // transaction). A store from before the snapshot files loses its old `snapshots` table rows once
  // a snapshot file that reads whole is at least as new (they would never be read again). Fails
  // with:
  //  - kUnavailable "store X is in use by another process (pid N)" when another open store (in this
  //    or another process) holds it; kUnavailable when the file cannot be opened or created, or
  //    when its schema version is newer than this build knows;
  //  - kDataLoss naming the file when it is not a SQLite database or is damaged.
  static core::Result<std::unique_ptr<SqliteStore>> open(const std::string& path,
                                                         const SqliteOptions& opts = {});
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // Stores the batch in one transaction, fsync'd before returning ok. The batch must start at
  // head().seq + 1 with prev_hash == head().hash and be linked (seq +1, prev_hash == previous hash)
  // throughout, else kConflict and nothing is written. Hashes are not recomputed here (the engine
  // seals events; verify_journal() checks them). An empty batch is ok.
  core::Status append(std::span<const engine::Event> events) override;
  // Up to `limit` events with seq > after, ascending, as of one consistent moment. kDataLoss when a
  // stored row cannot be read back (data not JSON).
  core::Result<std::vector<engine::Event>> read_after(uint64_t after, size_t limit) override;
  // The last appended (seq, hash), cached in memory; never fails once open.
  core::Result<engine::JournalHead> head() override;
  // Stores the snapshot durably (a file, written while appends go on) and keeps only the newest
  // two. kConflict when snapshot.seq is past the head or snapshot.hash differs from the hash of
  // event snapshot.seq. Saving the same seq again replaces it.
  core::Status save_snapshot(const engine::Snapshot& snapshot) override;
  // The snapshot with the highest seq, or nullopt when none.
  core::Result<std::optional<engine::Snapshot>> latest_snapshot() override;

  // Reads the whole journal in chunks and checks seqs, links and hashes with engine::verify_chain,
  // and that the newest snapshot's (seq, hash) is in it (a journal cut short before the snapshot).
  // kDataLoss naming the first bad seq.
  core::Status verify_journal();
  struct VerifyReport {
    bool ok = true;
    uint64_t checked = 0;        // events read and found good
    uint64_t first_bad_seq = 0;  // 0 when ok
    std::string message;
  };
  // The same, as a report (kDataLoss becomes ok=false; other errors, e.g. I/O, stay errors).
  core::Result<VerifyReport> verify_journal_report();

  // Node-local metadata (small strings). Not part of the journal: not hash-chained, not replicated,
  // not covered by snapshots — for facts about this node's copy (e.g. a node id), never for domain
  // state. put_meta() is durable when it returns ok and replaces any previous value.
  core::Result<std::optional<std::string>> get_meta(const std::string& key);
  core::Status put_meta(const std::string& key, const std::string& value);

  const std::string& path() const;

 private:
  struct Impl;
  explicit SqliteStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace liandong::store
