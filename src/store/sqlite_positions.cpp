#include "store/sqlite_positions.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <limits>
#include <mutex>
#include <optional>
#include <vector>

#include "store/internal/migrations.h"
#include "store/internal/reader_pool.h"
#include "store/internal/sqlite_db.h"

namespace liandong::store {

using fleet::Fix;
using internal::Db;
using internal::Stmt;

namespace {

// The telemetry file's migrations. Append only; each entry runs inside the migration transaction.
//
// latest is a copy of each object's newest fix rather than a GROUP BY over positions: SQLite has no
// loose index scan, so "max(time_ms) per object_id" reads every row (100 million at a large node),
// whereas keeping latest costs one upsert into a small table (one row per object, hot in the page
// cache) per new fix, and latest() then reads ~10,000 rows in key order.
constexpr std::array kMigrations = {
    // v1: positions and each object's newest fix.
    R"sql(
CREATE TABLE positions(
  object_id TEXT NOT NULL,
  time_ms INTEGER NOT NULL,
  lon REAL NOT NULL,
  lat REAL NOT NULL,
  speed_kmh REAL,
  heading_deg REAL,
  accuracy_m REAL,
  received_ms INTEGER NOT NULL,
  PRIMARY KEY(object_id, time_ms)) WITHOUT ROWID;
CREATE TABLE latest(
  object_id TEXT NOT NULL PRIMARY KEY,
  time_ms INTEGER NOT NULL,
  lon REAL NOT NULL,
  lat REAL NOT NULL,
  speed_kmh REAL,
  heading_deg REAL,
  accuracy_m REAL,
  received_ms INTEGER NOT NULL) WITHOUT ROWID;
)sql",
};

constexpr const char* kColumns =
    "object_id, time_ms, lon, lat, speed_kmh, heading_deg, accuracy_m, received_ms";

int64_t clamp_to_int64(uint64_t v) {
  return static_cast<int64_t>(std::min<uint64_t>(v, std::numeric_limits<int64_t>::max()));
}

// Binds a fix to ?1..?8 in kColumns order. The strings must outlive the next step().
void bind_fix(Stmt& s, const Fix& f) {
  s.bind_text(1, f.object_id);
  s.bind_int64(2, core::to_unix_millis(f.time));
  s.bind_double(3, f.lon);
  s.bind_double(4, f.lat);
  auto bind_opt = [&](int i, const std::optional<double>& v) {
    if (v)
      s.bind_double(i, *v);
    else
      s.bind_null(i);
  };
  bind_opt(5, f.speed_kmh);
  bind_opt(6, f.heading_deg);
  bind_opt(7, f.accuracy_m);
  s.bind_int64(8, core::to_unix_millis(f.received));
}

// Reads a row selected in kColumns order.
Fix fix_from_row(const Stmt& s) {
  Fix f;
  f.object_id = s.column_text(0);
  f.time = core::from_unix_millis(s.column_int64(1));
  f.lon = s.column_double(2);
  f.lat = s.column_double(3);
  auto opt = [&](int i) -> std::optional<double> {
    if (s.column_is_null(i)) return std::nullopt;
    return s.column_double(i);
  };
  f.speed_kmh = opt(4);
  f.heading_deg = opt(5);
  f.accuracy_m = opt(6);
  f.received = core::from_unix_millis(s.column_int64(7));
  return f;
}

core::Status prepare_into(Db& db, Stmt& out, const std::string& sql) {
  auto s = db.prepare(sql.c_str(), "preparing a statement");
  if (!s) return s.status();
  out = std::move(*s);
  return core::Status::ok();
}

// One writer connection with its statements prepared once.
struct Writer {
  std::unique_ptr<Db> db;
  Stmt begin, commit, insert_fix, upsert_latest;
  Stmt first_object, next_object, prune_object, prune_latest;
};

// One read-only connection with its statements prepared once.
struct Reader {
  std::unique_ptr<Db> db;
  Stmt latest, history;
};

core::Result<Writer> open_writer(const std::string& path, const SqlitePositionOptions& opts) {
  auto db = Db::open(path, /*read_only=*/false, opts.busy_timeout_ms);
  if (!db) return db.status();
  Db& d = **db;
  // Check the version before anything writes, so that a file we refuse is left as it was.
  auto version = internal::read_schema_version(d, kMigrations);
  if (!version) return version.status();
  LD_RETURN_IF_ERROR(d.use_wal());
  // journal_size_limit: truncate the WAL after a checkpoint once it has grown past 64 MiB.
  const std::string pragmas =
      "PRAGMA synchronous=NORMAL; PRAGMA journal_size_limit=67108864; "
      "PRAGMA cache_size=" +
      std::to_string(-1024LL * opts.writer_cache_mib) +
      "; PRAGMA wal_autocheckpoint=" + std::to_string(opts.wal_checkpoint_pages);
  LD_RETURN_IF_ERROR(d.exec(pragmas.c_str(), "setting pragmas"));
  LD_RETURN_IF_ERROR(internal::migrate(d, kMigrations));

  const std::string cols = kColumns;
  Writer w;
  LD_RETURN_IF_ERROR(prepare_into(d, w.begin, "BEGIN IMMEDIATE"));
  LD_RETURN_IF_ERROR(prepare_into(d, w.commit, "COMMIT"));
  LD_RETURN_IF_ERROR(prepare_into(
      d, w.insert_fix,
      "INSERT OR IGNORE INTO positions(" + cols + ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  LD_RETURN_IF_ERROR(prepare_into(
      d, w.upsert_latest,
      "INSERT INTO latest(" + cols +
          ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(object_id) DO UPDATE SET "
          "time_ms = excluded.time_ms, lon = excluded.lon, lat = excluded.lat, "
          "speed_kmh = excluded.speed_kmh, heading_deg = excluded.heading_deg, "
          "accuracy_m = excluded.accuracy_m, received_ms = excluded.received_ms "
          "WHERE excluded.time_ms > latest.time_ms"));
  LD_RETURN_IF_ERROR(
      prepare_into(d, w.first_object, "SELECT object_id FROM latest ORDER BY object_id LIMIT 1"));
  LD_RETURN_IF_ERROR(
      prepare_into(d, w.next_object,
                   "SELECT object_id FROM latest WHERE object_id > ?1 ORDER BY object_id LIMIT 1"));
  // Removes at most ?3 of the object's fixes older than ?2, oldest first: the bound is the time of
  // the (?3+1)-th such fix when there is one (times are unique per object).
  LD_RETURN_IF_ERROR(
      prepare_into(d, w.prune_object,
                   "DELETE FROM positions WHERE object_id = ?1 AND time_ms < coalesce("
                   "(SELECT time_ms FROM positions WHERE object_id = ?1 AND time_ms < ?2 "
                   "ORDER BY time_ms LIMIT 1 OFFSET ?3), ?2)"));
  LD_RETURN_IF_ERROR(
      prepare_into(d, w.prune_latest, "DELETE FROM latest WHERE object_id = ?1 AND time_ms < ?2"));
  w.db = std::move(*db);
  return w;
}

core::Result<std::unique_ptr<Reader>> open_reader(const std::string& path,
                                                  const SqlitePositionOptions& opts) {
  auto db = Db::open(path, /*read_only=*/true, opts.busy_timeout_ms);
  if (!db) return db.status();
  const std::string cols = kColumns;
  auto r = std::make_unique<Reader>();
  LD_RETURN_IF_ERROR(
      prepare_into(**db, r->latest, "SELECT " + cols + " FROM latest ORDER BY object_id"));
  LD_RETURN_IF_ERROR(prepare_into(**db, r->history,
                                  "SELECT " + cols +
                                      " FROM positions WHERE object_id = ?1 AND time_ms >= ?2 "
                                      "AND time_ms < ?3 ORDER BY time_ms LIMIT ?4"));
  r->db = std::move(*db);
  return r;
}

// Steps `s` to the end, appending each row's fix to `out`; resets `s`.
core::Status read_fixes(Db& db, Stmt& s, std::string_view what, std::vector<Fix>& out) {
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(fix_from_row(s));
  // The error is read before reset() so that SQLite's message is still the step's.
  core::Status st = rc == SQLITE_DONE ? core::Status::ok() : db.error(rc, what);
  s.reset();
  return st;
}

}  // namespace

struct SqlitePositionStore::Impl {
  std::string path;
  SqlitePositionOptions opts;

  std::mutex write_mu;  // guards writer
  Writer writer;

  internal::ReaderPool<Reader> readers{[this] { return open_reader(path, opts); }, opts.max_idle_readers};

  Impl(std::string p, SqlitePositionOptions o, Writer w)
      : path(std::move(p)), opts(o), writer(std::move(w)) {}

  core::Result<internal::ReaderPool<Reader>::Lease> acquire_reader() { return readers.acquire(); }

  // Runs `body` in a write transaction on the writer (write_mu held); rolls back on any failure.
  template <typename F>
  core::Status in_write_tx(std::string_view what, F&& body) {
    Db& db = *writer.db;
    core::Status st = run(writer.begin, what);
    if (!st.is_ok()) return st;
    st = body();
    if (st.is_ok()) st = run(writer.commit, what);
    if (!st.is_ok() && db.in_transaction()) (void)db.exec("ROLLBACK", "rolling back");
    return st;
  }

  // Steps a statement that returns no rows and resets it.
  core::Status run(Stmt& s, std::string_view what) {
    int rc = s.step();
    core::Status st = rc == SQLITE_DONE ? core::Status::ok() : writer.db->error(rc, what);
    s.reset();
    return st;
  }

  // The next object in latest after `after` (the first when nullopt), or nullopt at the end.
  core::Result<std::optional<std::string>> next_object(const std::optional<std::string>& after) {
    Stmt& s = after ? writer.next_object : writer.first_object;
    if (after) s.bind_text(1, *after);
    int rc = s.step();
    std::optional<std::string> out;
    if (rc == SQLITE_ROW) out = s.column_text(0);
    core::Status st = rc == SQLITE_ROW || rc == SQLITE_DONE ? core::Status::ok()
                                                            : writer.db->error(rc, "pruning fixes");
    s.reset();
    if (!st.is_ok()) return st;
    return out;
  }
};

SqlitePositionStore::SqlitePositionStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqlitePositionStore::~SqlitePositionStore() = default;

const std::string& SqlitePositionStore::path() const { return impl_->path; }

core::Result<std::unique_ptr<SqlitePositionStore>> SqlitePositionStore::open(
    const std::string& path, const SqlitePositionOptions& opts) {
  auto writer = open_writer(path, opts);
  if (!writer) return writer.status();
  auto impl = std::make_unique<Impl>(path, opts, std::move(*writer));
  return std::unique_ptr<SqlitePositionStore>(new SqlitePositionStore(std::move(impl)));
}

core::Status SqlitePositionStore::append(std::span<const Fix> fixes) {
  if (fixes.empty()) return core::Status::ok();
  LD_RETURN_IF_ERROR(fleet::check_finite(fixes));
  std::lock_guard wlk(impl_->write_mu);
  Writer& w = impl_->writer;
  return impl_->in_write_tx("appending fixes", [&]() -> core::Status {
    for (const Fix& f : fixes) {
      bind_fix(w.insert_fix, f);
      LD_RETURN_IF_ERROR(impl_->run(w.insert_fix, "appending fixes"));
      // A fix already stored changes nothing, not even latest (the first stored one stays).
      if (w.db->changes() == 0) continue;
      bind_fix(w.upsert_latest, f);
      LD_RETURN_IF_ERROR(impl_->run(w.upsert_latest, "updating the latest fixes"));
    }
    return core::Status::ok();
  });
}

core::Result<std::vector<Fix>> SqlitePositionStore::latest() {
  auto lease = impl_->acquire_reader();
  if (!lease) return lease.status();
  Reader& r = lease->get();
  std::vector<Fix> out;
  LD_RETURN_IF_ERROR(read_fixes(*r.db, r.latest, "reading the latest fixes", out));
  return out;
}

core::Result<std::vector<Fix>> SqlitePositionStore::history(std::string_view object_id,
                                                            core::Timestamp from,
                                                            core::Timestamp to, size_t limit) {
  std::vector<Fix> out;
  if (limit == 0 || from >= to) return out;
  auto lease = impl_->acquire_reader();
  if (!lease) return lease.status();
  Reader& r = lease->get();
  Stmt& s = r.history;
  s.bind_text(1, object_id);
  s.bind_int64(2, core::to_unix_millis(from));
  s.bind_int64(3, core::to_unix_millis(to));
  s.bind_int64(4, clamp_to_int64(limit));
  LD_RETURN_IF_ERROR(read_fixes(*r.db, s, "reading the history of " + std::string(object_id), out));
  return out;
}

core::Result<uint64_t> SqlitePositionStore::prune(core::Timestamp before) {
  const int64_t before_ms = core::to_unix_millis(before);
  const int64_t batch = std::max<int64_t>(impl_->opts.prune_batch_rows, 1);
  Writer& w = impl_->writer;
  uint64_t removed = 0;
  std::optional<std::string> done_through;  // the last object whose old fixes are all gone
  for (bool finished = false; !finished;) {
    uint64_t removed_in_tx = 0;
    std::lock_guard wlk(impl_->write_mu);
    LD_RETURN_IF_ERROR(impl_->in_write_tx("pruning fixes", [&]() -> core::Status {
      // Each object visited costs one unit of the budget besides the rows it loses, so that a
      // transaction over many objects with nothing to prune also ends.
      std::optional<std::string> cursor = done_through;
      for (int64_t budget = batch; budget > 0;) {
        auto next = impl_->next_object(cursor);
        if (!next) return next.status();
        if (!*next) {
          finished = true;
          break;
        }
        const std::string& id = **next;
        w.prune_object.bind_text(1, id);
        w.prune_object.bind_int64(2, before_ms);
        w.prune_object.bind_int64(3, budget);
        LD_RETURN_IF_ERROR(impl_->run(w.prune_object, "pruning fixes of " + id));
        int64_t n = w.db->changes();
        removed_in_tx += static_cast<uint64_t>(n);
        if (n == budget) break;  // maybe more of this object: the next transaction goes on with it
        // All of its fixes older than `before` are gone; if its newest was one, so is the object.
        w.prune_latest.bind_text(1, id);
        w.prune_latest.bind_int64(2, before_ms);
        LD_RETURN_IF_ERROR(impl_->run(w.prune_latest, "pruning the latest fix of " + id));
        budget -= n + 1;
        cursor = std::move(*next);
      }
      done_through = cursor;
      return core::Status::ok();
    }));
    removed += removed_in_tx;
  }
  return removed;
}

}  // namespace liandong::store
