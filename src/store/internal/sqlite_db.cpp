#include "store/internal/sqlite_db.h"

#include <sqlite3.h>

namespace liandong::store::internal {

Stmt::~Stmt() { sqlite3_finalize(s_); }

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(s_);
    s_ = o.s_;
    o.s_ = nullptr;
  }
  return *this;
}

void Stmt::bind_int64(int i, int64_t v) { sqlite3_bind_int64(s_, i, v); }
void Stmt::bind_text(int i, std::string_view v) {
  sqlite3_bind_text64(s_, i, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
}
void Stmt::bind_blob(int i, std::string_view v) {
  // A zero-length blob with a null pointer would bind NULL, which NOT NULL columns refuse.
  sqlite3_bind_blob64(s_, i, v.empty() ? "" : v.data(), v.size(), SQLITE_STATIC);
}
void Stmt::bind_double(int i, double v) { sqlite3_bind_double(s_, i, v); }
void Stmt::bind_null(int i) { sqlite3_bind_null(s_, i); }
int Stmt::step() { return sqlite3_step(s_); }
void Stmt::reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}

int64_t Stmt::column_int64(int i) const { return sqlite3_column_int64(s_, i); }
std::string Stmt::column_text(int i) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, i));
  if (!p) return {};
  return std::string(p, static_cast<size_t>(sqlite3_column_bytes(s_, i)));
}
std::string Stmt::column_blob(int i) const {
  auto* p = static_cast<const char*>(sqlite3_column_blob(s_, i));
  if (!p) return {};
  return std::string(p, static_cast<size_t>(sqlite3_column_bytes(s_, i)));
}
double Stmt::column_double(int i) const { return sqlite3_column_double(s_, i); }
bool Stmt::column_is_null(int i) const { return sqlite3_column_type(s_, i) == SQLITE_NULL; }

core::Result<std::unique_ptr<Db>> Db::open(const std::string& path, bool read_only,
                                           int busy_timeout_ms) {
  int flags = SQLITE_OPEN_NOMUTEX |
              (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return core::unavailable("cannot open store " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return std::unique_ptr<Db>(new Db(db, path));
}

// close_v2 defers the close until any statement still alive is finalized, so member order
// mistakes cannot leak a half-closed handle.
Db::~Db() { sqlite3_close_v2(db_); }

void Db::set_busy_timeout(int ms) { sqlite3_busy_timeout(db_, ms); }

core::Status Db::checkpoint(int mode, int* log_frames, int* done_frames, std::string_view what, bool* busy) {
  int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, mode, log_frames, done_frames);
  if (busy) *busy = (rc & 0xff) == SQLITE_BUSY;
  if (busy && *busy) return core::Status::ok();
  return rc == SQLITE_OK ? core::Status::ok() : error(rc, what);
}

core::Status Db::use_wal() {
  auto mode = prepare("PRAGMA journal_mode=WAL", "switching to WAL");
  if (!mode) return mode.status();
  int rc = mode->step();
  if (rc != SQLITE_ROW) return error(rc, "switching to WAL");
  if (mode->column_text(0) != "wal")
    return core::unavailable("store " + path_ + ": cannot use WAL mode (journal_mode is " + mode->column_text(0) +
                             ")");
  return core::Status::ok();
}

core::Status Db::exec(const char* sql, std::string_view what) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return error(what);
  return core::Status::ok();
}

core::Result<Stmt> Db::prepare(const char* sql, std::string_view what) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
    sqlite3_finalize(s);
    return error(what);
  }
  return Stmt(s);
}

core::Status Db::error(std::string_view what) const {
  return error(sqlite3_extended_errcode(db_), what);
}

core::Status Db::error(int rc, std::string_view what) const {
  std::string msg = sqlite3_errmsg(db_);
  if (msg.empty() || msg == "not an error") msg = sqlite3_errstr(rc);
  int primary = rc & 0xff;
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
    return {core::Code::kDataLoss, "store " + path_ + " is not a SQLite database or is damaged (" +
                                       std::string(what) + ": " + msg + ")"};
  return core::unavailable("store " + path_ + ": " + std::string(what) + " failed: " + msg);
}

bool Db::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

int64_t Db::changes() const { return sqlite3_changes64(db_); }

}  // namespace liandong::store::internal
