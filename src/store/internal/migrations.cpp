#include "store/internal/migrations.h"

#include <sqlite3.h>

#include <array>

namespace liandong::store::internal {
namespace {

// Append only. Each entry runs inside the migration transaction.
constexpr std::array kMigrations = {
    // v1: the journal, snapshots of the live state, and node-local metadata.
    R"sql(
CREATE TABLE events(
  seq INTEGER PRIMARY KEY,
  origin TEXT NOT NULL,
  jurisdiction TEXT NOT NULL,
  time_ms INTEGER NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE TABLE snapshots(
  seq INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  body BLOB NOT NULL,
  created_at TEXT);
CREATE TABLE kv(key TEXT PRIMARY KEY, value TEXT);
)sql",
};

core::Status check_known(Db& db, int version, Migrations migrations) {
  if (version > latest_schema_version(migrations))
    return core::unavailable("store " + db.path() + " has schema version " +
                             std::to_string(version) + ", newer than this build knows (" +
                             std::to_string(latest_schema_version(migrations)) +
                             "); use a newer liandong or restore a matching backup");
  return core::Status::ok();
}

}  // namespace

Migrations journal_migrations() { return kMigrations; }

int latest_schema_version(Migrations migrations) { return static_cast<int>(migrations.size()); }

core::Result<int> read_schema_version(Db& db, Migrations migrations) {
  // Touching sqlite_master is what reveals a file that is not a database at all.
  auto probe = db.prepare(
      "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_migrations'",
      "reading the schema");
  if (!probe) return probe.status();
  int rc = probe->step();
  if (rc != SQLITE_ROW) return db.error(rc, "reading the schema");
  if (probe->column_int64(0) == 0) return 0;

  auto q = db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                      "reading the schema version");
  if (!q) return q.status();
  rc = q->step();
  if (rc != SQLITE_ROW) return db.error(rc, "reading the schema version");
  int version = static_cast<int>(q->column_int64(0));
  LD_RETURN_IF_ERROR(check_known(db, version, migrations));
  return version;
}

core::Status migrate(Db& db, Migrations migrations) {
  LD_RETURN_IF_ERROR(db.exec("BEGIN IMMEDIATE", "starting the schema migration"));
  auto run = [&]() -> core::Status {
    LD_RETURN_IF_ERROR(
        db.exec("CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY, "
                "applied_at TEXT)",
                "creating schema_migrations"));
    auto current = read_schema_version(db, migrations);
    if (!current) return current.status();
    auto record = db.prepare(
        "INSERT INTO schema_migrations(version, applied_at) "
        "VALUES(?1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
        "recording a migration");
    if (!record) return record.status();
    for (int v = *current + 1; v <= latest_schema_version(migrations); ++v) {
      std::string what = "schema migration " + std::to_string(v);
      LD_RETURN_IF_ERROR(db.exec(migrations[static_cast<size_t>(v - 1)], what));
      record->bind_int64(1, v);
      int rc = record->step();
      record->reset();
      if (rc != SQLITE_DONE) return db.error(rc, what);
    }
    return db.exec("COMMIT", "committing the schema migration");
  };
  core::Status st = run();
  if (!st.is_ok() && db.in_transaction()) (void)db.exec("ROLLBACK", "rolling back the migration");
  return st;
}

}  // namespace liandong::store::internal
