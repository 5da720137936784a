// Thin RAII wrappers over the SQLite C API for the store's own use: a connection (Db) and a
// prepared statement (Stmt). No SQLite type escapes src/store/internal/ and src/store/*.cpp.
//
// Not thread-safe: a Db and its Stmts are used by one thread at a time (connections are opened with
// SQLITE_OPEN_NOMUTEX; callers serialise access).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace liandong::store::internal {

class Stmt {
 public:
  Stmt() = default;
  explicit Stmt(sqlite3_stmt* s) : s_(s) {}
  ~Stmt();
  Stmt(Stmt&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Binds by 1-based index. Text and blobs are NOT copied: they must outlive the next step().
  void bind_int64(int i, int64_t v);
  void bind_text(int i, std::string_view v);
  void bind_blob(int i, std::string_view v);
  void bind_double(int i, double v);  // NaN binds NULL (SQLite stores no NaN)
  void bind_null(int i);
  // Returns the SQLite result code (SQLITE_ROW, SQLITE_DONE or an error).
  int step();
  // Resets and clears bindings so the statement can be reused.
  void reset();

  int64_t column_int64(int i) const;
  std::string column_text(int i) const;  // "" for NULL
  std::string column_blob(int i) const;
  double column_double(int i) const;  // 0 for NULL
  bool column_is_null(int i) const;

 private:
  sqlite3_stmt* s_ = nullptr;
};

class Db {
 public:
  // Opens `path` read-write (creating it) or read-only, with the busy timeout set. Does not touch
  // the file's contents; a non-SQLite file shows up at the first statement. kUnavailable on
  // failure.
  static core::Result<std::unique_ptr<Db>> open(const std::string& path, bool read_only,
                                                int busy_timeout_ms);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more statements with no results. On failure an error from error().
  core::Status exec(const char* sql, std::string_view what);
  core::Result<Stmt> prepare(const char* sql, std::string_view what);
  // Switches the file to WAL mode; kUnavailable naming the file when SQLite keeps another mode.
  core::Status use_wal();
  // The status for the connection's last error: kDataLoss when the file is not a database or is
  // corrupt, kUnavailable otherwise; the message names the store file, `what` and SQLite's message.
  core::Status error(std::string_view what) const;
  // Same, for a result code returned by Stmt::step() (SQLite's message is read from the handle).
  core::Status error(int rc, std::string_view what) const;
  bool in_transaction() const;
  void set_busy_timeout(int ms);
  // Checkpoints the WAL in `mode` (SQLITE_CHECKPOINT_PASSIVE, _RESTART, ...); *log_frames and
  // *done_frames get the WAL's frame count and how many of them are in the database file (-1 when
  // the file is not in WAL mode). When a blocking mode's busy timeout runs out (SQLITE_BUSY) it
  // sets *busy and returns ok if `busy` is given; else that is an error like any other.
  core::Status checkpoint(int mode, int* log_frames, int* done_frames, std::string_view what,
                          bool* busy = nullptr);
  // Rows changed by the last INSERT, UPDATE or DELETE that finished on this connection.
  int64_t changes() const;
  const std::string& path() const { return path_; }

 private:
  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

}  // namespace liandong::store::internal
