// JournalStore: the durable journal and snapshots, as the engine needs them.
//
// The engine defines this interface; `store/` implements it (SQLite first). Thread-safety: append()
// is called by the engine's committer only, save_snapshot() by its snapshot thread only — the two
// may run at the same time, and an implementation should not make appends wait for a snapshot's
// write; read_after(), head() and latest_snapshot() may be called concurrently from any thread,
// including while append() runs.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/event.h"

namespace liandong::engine {

struct JournalHead {
  uint64_t seq = 0;                 // 0 when the journal is empty
  std::string hash = kGenesisHash;  // hash of the event at seq
};

struct Snapshot {
  uint64_t seq = 0;   // the state after applying events 1..seq
  std::string hash;   // hash of event seq
  std::string body;   // serialized state (the engine's format; opaque to the store)
};

class JournalStore {
 public:
  virtual ~JournalStore() = default;

  // Appends events with consecutive seq following head(), atomically and durably (fsync'd before
  // returning ok). On any failure nothing of the batch is stored. The engine's events may be slim
  // (Event::data_slim): their data_text is the whole data, and that is what is stored.
  virtual core::Status append(std::span<const Event> events) = 0;

  // Up to `limit` events with seq > after, ascending, with their whole data (never slim). Empty
  // when none.
  virtual core::Result<std::vector<Event>> read_after(uint64_t after, size_t limit) = 0;

  virtual core::Result<JournalHead> head() = 0;

  // Stores a snapshot durably; older snapshots may be pruned.
  virtual core::Status save_snapshot(const Snapshot& snapshot) = 0;
  virtual core::Result<std::optional<Snapshot>> latest_snapshot() = 0;
};

}  // namespace liandong::engine
