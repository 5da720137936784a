// FactStore: the facts in their own SQLite file (stats.db, WAL) and a columnar in-memory index that
// answers grouped statistics in milliseconds over a million incidents.
//
// The file holds one row per incident keyed by id and a cursor (the journal position the facts are
// up to date with, for the feeder). open() loads every fact into the index; upsert() writes a batch
// in one transaction, then applies it to the index. query() reads only the index.
//
// Thread-safety: every method may be called from any thread; queries run concurrently with each
// other and with an upsert's write to disk (the index is locked exclusively only while a committed
// batch is applied). Ownership: the caller owns the store; it owns its file handle.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "stats/fact.h"
#include "stats/query.h"

namespace liandong::stats {

namespace internal {
class Index;
}  // namespace internal

class FactStore {
 public:
  // Opens (creating or migrating) the file at `path` and loads every fact into the index.
  // kUnavailable when the file cannot be opened, kDataLoss when it is not a stats database or is
  // damaged (a stored fact that no longer validates is reported as damage, naming its id).
  static core::Result<std::unique_ptr<FactStore>> open(const std::string& path);
  ~FactStore();
  FactStore(const FactStore&) = delete;
  FactStore& operator=(const FactStore&) = delete;

  // Stores the facts (a fact whose id is stored replaces it) and sets the cursor, durably in one
  // transaction, then applies them to the index. A later fact in the batch wins over an earlier
  // one with the same id. kInvalidArgument naming "facts[i].field" when a fact does not validate
  // (nothing is written); kConflict naming "cursor" when `cursor` is below the stored cursor;
  // kUnavailable when the write fails (nothing changes, in the file or the index).
  core::Status upsert(const std::vector<Fact>& facts, uint64_t cursor);

  uint64_t cursor() const;
  size_t size() const;  // facts stored
  // The stored fact with this id, or nullopt (from the index; for tests and the feeder).
  std::optional<Fact> get(const std::string& id) const;

  // Validates the query (kInvalidArgument naming the field, see query.h) and runs it on the index.
  core::Result<Result> query(const Query& q) const;

 private:
  struct State;
  explicit FactStore(std::unique_ptr<State> s);
  std::unique_ptr<State> s_;
};

}  // namespace liandong::stats
