#include "reports_sql.h"

#include <sqlite3.h>

#include <filesystem>
#include <stdexcept>

namespace liandong::bench {
namespace {

void check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    throw std::runtime_error(std::string("plain SQL: ") + what + ": " + sqlite3_errmsg(db));
}

}  // namespace

Answer answer_of(const stats::Result& r) {
  Answer a;
  for (const auto& row : r.rows)
    a[row.key] = {row.incidents, row.deaths,      row.injuries,        row.missing,    row.affected,
                  row.direct_loss_yuan, row.reports_due, row.reports_on_time, row.reports_late};
  return a;
}

PlainSql::PlainSql(const std::string& path) {
  std::filesystem::remove(path);
  check(db_, sqlite3_open(path.c_str(), &db_), "open");
  check(db_,
        sqlite3_exec(db_,
                     "PRAGMA journal_mode=WAL;"
                     "CREATE TABLE facts (id TEXT, jurisdiction TEXT, category TEXT, type TEXT,"
                     " grade TEXT, agencies TEXT, opened_at INTEGER, closed_at INTEGER,"
                     " cancelled INTEGER, exercise INTEGER, deaths INTEGER, injuries INTEGER,"
                     " missing INTEGER, affected INTEGER, direct_loss_yuan INTEGER,"
                     " dispatch_ms INTEGER, arrival_ms INTEGER, reports_due INTEGER,"
                     " reports_on_time INTEGER, reports_late INTEGER, report_delay_ms INTEGER)",
                     nullptr, nullptr, nullptr),
        "create");
}

PlainSql::~PlainSql() { sqlite3_close(db_); }

void PlainSql::insert(const std::vector<stats::Fact>& facts) {
  check(db_, sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr), "begin");
  sqlite3_stmt* st = nullptr;
  check(db_,
        sqlite3_prepare_v2(db_,
                           "INSERT INTO facts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &st, nullptr),
        "prepare insert");
  auto text = [&](int i, const std::string& s) {
    sqlite3_bind_text(st, i, s.c_str(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  };
  auto opt = [&](int i, const std::optional<int64_t>& v) {
    if (v) sqlite3_bind_int64(st, i, *v);
    else sqlite3_bind_null(st, i);
  };
  for (const auto& f : facts) {
    std::string agencies;
    for (const auto& a : f.agencies) agencies += (agencies.empty() ? "" : "\n") + a;
    text(1, f.id);
    text(2, f.jurisdiction);
    text(3, f.category);
    text(4, f.type);
    text(5, f.grade);
    text(6, agencies);
    sqlite3_bind_int64(st, 7, core::to_unix_millis(f.opened_at));
    opt(8, f.closed_at ? std::optional<int64_t>(core::to_unix_millis(*f.closed_at)) : std::nullopt);
    sqlite3_bind_int64(st, 9, f.cancelled);
    sqlite3_bind_int64(st, 10, f.exercise);
    sqlite3_bind_int64(st, 11, f.deaths);
    sqlite3_bind_int64(st, 12, f.injuries);
    sqlite3_bind_int64(st, 13, f.missing);
    sqlite3_bind_int64(st, 14, f.affected);
    sqlite3_bind_int64(st, 15, f.direct_loss_yuan);
    opt(16, f.dispatch_ms);
    opt(17, f.arrival_ms);
    sqlite3_bind_int64(st, 18, f.reports_due);
    sqlite3_bind_int64(st, 19, f.reports_on_time);
    sqlite3_bind_int64(st, 20, f.reports_late);
    sqlite3_bind_int64(st, 21, f.report_delay_ms);
    check(db_, sqlite3_step(st), "insert");
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  check(db_, sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr), "commit");
}

Answer PlainSql::run(const std::string& sql, size_t dims) {
  sqlite3_stmt* st = nullptr;
  check(db_, sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr), "prepare query");
  Answer a;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    std::vector<std::string> key;
    for (size_t i = 0; i < dims; ++i) {
      auto* p = sqlite3_column_text(st, static_cast<int>(i));
      key.emplace_back(p ? reinterpret_cast<const char*>(p) : "");
    }
    GroupSums s;
    int64_t* fields[] = {&s.incidents, &s.deaths, &s.injuries, &s.missing, &s.affected,
                         &s.loss,      &s.due,    &s.on_time,  &s.late};
    for (int i = 0; i < 9; ++i) *fields[i] = sqlite3_column_int64(st, static_cast<int>(dims) + i);
    a[std::move(key)] = s;
  }
  const int final_rc = rc;
  sqlite3_finalize(st);
  check(db_, final_rc, "query");
  return a;
}

}  // namespace liandong::bench
