// SnapshotFiles: the engine's snapshots as plain files in a folder of their own, beside the
// journal (journal.db.snapshots/), written by the engine's snapshot thread while appends go on.
//
// Why not a table of journal.db, as before: a snapshot of a large state is 100-200 MB, and storing
// it in journal.db held the journal's one writer connection for as long as SQLite took to write
// it (200-400 ms of no commits, every few seconds under a burst of alarms). A file needs no lock
// the journal takes, and is written once (a WAL writes it twice: log, then checkpoint).
//
// Format: a header line "LIANDONG-SNAPSHOT 1 <seq> <hash> <body bytes>\n", then the body. Name:
// <seq, 20 digits>.snap. Written to .tmp-<seq> in chunks of kChunk bytes whose writeback is
// started as each is written and waited for one chunk later (sync_file_range), so that the disk's
// queue never holds more than about two chunks of snapshot ahead of the journal's own fsyncs (a
// single fsync at the end would queue the whole file before them); then fdatasync'd, renamed to
// its name and the folder fsync'd. A crash leaves either the old set or the new file whole; a
// .tmp file it left behind is removed at the next open. The newest `keep` files are kept.
//
// Thread-safety: save() from one thread at a time; latest() may run alongside it.
#pragma once

#include <optional>
#include <string>

#include "core/status.h"
#include "engine/journal_store.h"

namespace liandong::store::internal {

class SnapshotFiles {
 public:
  static constexpr size_t kChunk = 1 << 20;

  // Creates the folder if missing; removes temporary files. kUnavailable naming the folder.
  static core::Result<SnapshotFiles> open(std::string dir);

  core::Status save(const engine::Snapshot& snapshot, size_t keep = 2);
  // The newest file that reads whole (header and length agree), or nullopt when there is none. A
  // file that does not is skipped with a warning naming it (an older one, or the journal from its
  // start, recovers the same state).
  core::Result<std::optional<engine::Snapshot>> latest() const;
  const std::string& dir() const { return dir_; }

 private:
  explicit SnapshotFiles(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
};

}  // namespace liandong::store::internal
