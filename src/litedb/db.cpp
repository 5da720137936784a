#include "litedb/db.h"

#include <sqlite3.h>

namespace liandong::litedb {

Stmt::~Stmt() { sqlite3_finalize(s_); }

Stmt& Stmt::bind(int i, int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}
Stmt& Stmt::bind(int i, std::string_view v) {
  sqlite3_bind_text64(s_, i, v.empty() ? "" : v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}
Stmt& Stmt::bind_null(int i) {
  sqlite3_bind_null(s_, i);
  return *this;
}

core::Result<bool> Stmt::step(std::string_view what) {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->error(rc, what);
}

core::Status Stmt::run(std::string_view what) {
  for (;;) {
    auto row = step(what);
    if (!row) {
      reset();
      return row.status();
    }
    if (!*row) {
      reset();
      return core::Status::ok();
    }
  }
}

void Stmt::reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}

int64_t Stmt::int64(int i) const { return sqlite3_column_int64(s_, i); }
std::string Stmt::text(int i) const {
  auto* p = static_cast<const char*>(sqlite3_column_blob(s_, i));
  if (!p) return {};
  return std::string(p, static_cast<size_t>(sqlite3_column_bytes(s_, i)));
}
bool Stmt::is_null(int i) const { return sqlite3_column_type(s_, i) == SQLITE_NULL; }

core::Result<std::unique_ptr<Db>> Db::open(const std::string& path, std::string_view name) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return core::unavailable("cannot open " + std::string(name) + " " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 5000);
  return std::unique_ptr<Db>(new Db(db, path, std::string(name)));
}

Db::~Db() { sqlite3_close_v2(db_); }

core::Status Db::exec(const char* sql, std::string_view what) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
    return error(sqlite3_extended_errcode(db_), what);
  return core::Status::ok();
}

core::Result<Stmt> Db::prepare(const char* sql, std::string_view what) const {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) {
    sqlite3_finalize(s);
    return error(sqlite3_extended_errcode(db_), what);
  }
  return Stmt(this, s);
}

core::Status Db::error(int rc, std::string_view what) const {
  std::string msg = sqlite3_errmsg(db_);
  if (msg.empty() || msg == "not an error") msg = sqlite3_errstr(rc);
  int primary = rc & 0xff;
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
    return {core::Code::kDataLoss, name_ + " " + path_ +
                                       " is not a SQLite database or is damaged (" +
                                       std::string(what) + ": " + msg + ")"};
  return core::unavailable(name_ + " " + path_ + ": " + std::string(what) +
                           " failed: " + msg);
}

int64_t Db::changes() const { return sqlite3_changes64(db_); }

Transaction::~Transaction() {
  if (open_) (void)db_.exec("ROLLBACK", "rolling back");
}

core::Status Transaction::begin() {
  LD_RETURN_IF_ERROR(db_.exec("BEGIN IMMEDIATE", "beginning a transaction"));
  open_ = true;
  return core::Status::ok();
}

core::Status Transaction::commit() {
  LD_RETURN_IF_ERROR(db_.exec("COMMIT", "committing"));
  open_ = false;
  return core::Status::ok();
}

}  // namespace liandong::litedb
