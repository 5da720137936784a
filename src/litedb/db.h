// litedb: a small RAII wrapper over the SQLite C API for the stores beside the engine that keep
// their own file (webhooks' deliveries.db, stats' stats.db). store/ has its own (internal/sqlite_db.h)
// with the journal's pragmas; these modules may not link store. No SQLite type leaves this header's
// users' public headers.
//
// Not thread-safe: a Db and its Stmts are used under one lock by their owner.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace liandong::litedb {

class Db;

class Stmt {
 public:
  Stmt(const Db* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  ~Stmt();
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&&) = delete;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // 1-based; text is copied (SQLITE_TRANSIENT), so temporaries are fine.
  Stmt& bind(int i, int64_t v);
  Stmt& bind(int i, std::string_view v);
  Stmt& bind_null(int i);
  // True for a row, false when done; an error Status naming `what` otherwise.
  core::Result<bool> step(std::string_view what);
  // Steps to completion (for statements without rows), then resets.
  core::Status run(std::string_view what);
  // Resets and clears the bindings, for reuse.
  void reset();

  int64_t int64(int i) const;
  std::string text(int i) const;
  bool is_null(int i) const;

 private:
  const Db* db_;
  sqlite3_stmt* s_;
};

class Db {
 public:
  // Opens (creating) `path` read-write. kUnavailable naming the file on failure. `name` is what the
  // file is in messages ("delivery store", "stats store").
  static core::Result<std::unique_ptr<Db>> open(const std::string& path, std::string_view name = "database");
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  core::Status exec(const char* sql, std::string_view what);
  core::Result<Stmt> prepare(const char* sql, std::string_view what) const;
  // kDataLoss when the file is not a database or is damaged, kUnavailable otherwise; the message
  // names the file, `what` and SQLite's message.
  core::Status error(int rc, std::string_view what) const;
  int64_t changes() const;
  const std::string& path() const { return path_; }

 private:
  Db(sqlite3* db, std::string path, std::string name) : db_(db), path_(std::move(path)), name_(std::move(name)) {}
  sqlite3* db_;
  std::string path_;
  std::string name_;
};

// begin() runs BEGIN IMMEDIATE; the destructor rolls back unless commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Db& db) : db_(db) {}
  ~Transaction();
  core::Status begin();
  core::Status commit();

 private:
  Db& db_;
  bool open_ = false;
};

}  // namespace liandong::litedb
