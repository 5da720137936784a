#include "store/sqlite_readings.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "store/internal/migrations.h"
#include "store/internal/reader_pool.h"
#include "store/internal/sqlite_db.h"

namespace liandong::store {

using internal::Db;
using internal::Stmt;
using readings::AppendResult;
using readings::Bucket;
using readings::Row;
using readings::SeriesKey;

namespace {

// The readings file's migrations. Append only; each entry runs inside the migration transaction.
//
// readings is WITHOUT ROWID keyed (series, t_ms): the key is the only index, rows of a series sit
// together in time order, a duplicate is a primary-key conflict (INSERT OR IGNORE), and a range or
// the newest row is one seek. An integer series id instead of (station, parameter) in the key
// keeps a row at about 20 bytes (docs/READINGS.md).
constexpr std::array kMigrations = {
    // v1: series and their readings.
    R"sql(
CREATE TABLE series(
  id INTEGER PRIMARY KEY,
  station TEXT NOT NULL,
  parameter TEXT NOT NULL,
  UNIQUE(station, parameter));
CREATE TABLE readings(
  series INTEGER NOT NULL,
  t_ms INTEGER NOT NULL,
  value REAL NOT NULL,
  quality INTEGER NOT NULL,
  PRIMARY KEY(series, t_ms)) WITHOUT ROWID;
)sql",
};

// ?1 series, ?2 from (inclusive), ?3 to (exclusive), ?4 bucket width. first and last are looked up
// by the bucket's earliest and latest t_ms (two key seeks a bucket): SQLite's aggregates give no
// "value at min(t_ms)" when a query has several of them.
constexpr const char* kBucketsSql = R"sql(
WITH g AS (
  SELECT (t_ms - ?2) / ?4 AS b, count(*) AS n, min(value) AS lo, max(value) AS hi,
         avg(value) AS mean, min(t_ms) AS t0, max(t_ms) AS t1, sum(quality != 0) AS bad
  FROM readings WHERE series = ?1 AND t_ms >= ?2 AND t_ms < ?3 GROUP BY b)
SELECT g.b, g.n, g.lo, g.hi, g.mean, g.t0, g.t1, f.value, l.value, g.bad
FROM g JOIN readings AS f ON f.series = ?1 AND f.t_ms = g.t0
       JOIN readings AS l ON l.series = ?1 AND l.t_ms = g.t1
ORDER BY g.b)sql";

core::Status prepare_into(Db& db, Stmt& out, const char* sql) {
  auto s = db.prepare(sql, "preparing a statement");
  if (!s) return s.status();
  out = std::move(*s);
  return core::Status::ok();
}

// Steps a statement that returns no rows and resets it.
core::Status run(Db& db, Stmt& s, std::string_view what) {
  int rc = s.step();
  core::Status st = rc == SQLITE_DONE ? core::Status::ok() : db.error(rc, what);
  s.reset();
  return st;
}

core::Status unknown_quality(const Db& db, int64_t series, int64_t t_ms, int64_t q) {
  return {core::Code::kDataLoss, "store " + db.path() + ": the reading of series " +
                                     std::to_string(series) + " at " + std::to_string(t_ms) +
                                     " ms has quality " + std::to_string(q) +
                                     ", which this build does not know"};
}

struct Writer {
  std::unique_ptr<Db> db;
  Stmt begin, commit, insert_row, find_series, insert_series;
};

struct Reader {
  std::unique_ptr<Db> db;
  Stmt begin, end, count, rows, buckets, latest;
};

core::Result<Writer> open_writer(const std::string& path, const SqliteReadingOptions& opts) {
  auto db = Db::open(path, /*read_only=*/false, opts.busy_timeout_ms);
  if (!db) return db.status();
  Db& d = **db;
  // Check the version before anything writes, so that a file we refuse is left as it was.
  auto version = internal::read_schema_version(d, kMigrations);
  if (!version) return version.status();
  LD_RETURN_IF_ERROR(d.use_wal());
  std::string pragmas =
      "PRAGMA synchronous=FULL; PRAGMA journal_size_limit=67108864; PRAGMA cache_size=" +
      std::to_string(-1024LL * opts.writer_cache_mib) +
      "; PRAGMA wal_autocheckpoint=" + std::to_string(opts.wal_checkpoint_pages);
  if (opts.max_page_count > 0)
    pragmas += "; PRAGMA max_page_count=" + std::to_string(opts.max_page_count);
  LD_RETURN_IF_ERROR(d.exec(pragmas.c_str(), "setting pragmas"));
  LD_RETURN_IF_ERROR(internal::migrate(d, kMigrations));

  Writer w;
  LD_RETURN_IF_ERROR(prepare_into(d, w.begin, "BEGIN IMMEDIATE"));
  LD_RETURN_IF_ERROR(prepare_into(d, w.commit, "COMMIT"));
  LD_RETURN_IF_ERROR(prepare_into(
      d, w.insert_row,
      "INSERT OR IGNORE INTO readings(series, t_ms, value, quality) VALUES(?1, ?2, ?3, ?4)"));
  LD_RETURN_IF_ERROR(prepare_into(d, w.find_series,
                                  "SELECT id FROM series WHERE station = ?1 AND parameter = ?2"));
  LD_RETURN_IF_ERROR(prepare_into(
      d, w.insert_series, "INSERT INTO series(station, parameter) VALUES(?1, ?2) RETURNING id"));
  w.db = std::move(*db);
  return w;
}

core::Result<std::unique_ptr<Reader>> open_reader(const std::string& path,
                                                  const SqliteReadingOptions& opts) {
  auto db = Db::open(path, /*read_only=*/true, opts.busy_timeout_ms);
  if (!db) return db.status();
  auto r = std::make_unique<Reader>();
  Db& d = **db;
  LD_RETURN_IF_ERROR(prepare_into(d, r->begin, "BEGIN"));
  LD_RETURN_IF_ERROR(prepare_into(d, r->end, "COMMIT"));
  LD_RETURN_IF_ERROR(prepare_into(
      d, r->count, "SELECT count(*) FROM readings WHERE series = ?1 AND t_ms >= ?2 AND t_ms < ?3"));
  LD_RETURN_IF_ERROR(prepare_into(d, r->rows,
                                  "SELECT t_ms, value, quality FROM readings WHERE series = ?1 "
                                  "AND t_ms >= ?2 AND t_ms < ?3 ORDER BY t_ms"));
  LD_RETURN_IF_ERROR(prepare_into(d, r->buckets, kBucketsSql));
  LD_RETURN_IF_ERROR(prepare_into(d, r->latest,
                                  "SELECT t_ms, value, quality FROM readings WHERE series = ?1 "
                                  "ORDER BY t_ms DESC LIMIT 1"));
  r->db = std::move(*db);
  return r;
}

// The cache's key: "station parameter" (neither contains a space).
struct KeyBuf {
  explicit KeyBuf(const SeriesKey& k) {
    size_t n = std::min(k.station.size(), sizeof buf - 1);
    std::memcpy(buf, k.station.data(), n);
    buf[n++] = ' ';
    size_t m = std::min(k.parameter.size(), sizeof buf - n);
    std::memcpy(buf + n, k.parameter.data(), m);
    size = n + m;
  }
  std::string_view view() const { return {buf, size}; }
  char buf[readings::kMaxStationBytes + 1 + readings::kMaxParameterBytes];
  size_t size;
};

struct Hash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// range() inside its read transaction: the rows of `series` in [from_ms, to_ms), one by one or
// down-sampled, appended to `out`.
core::Status read_range(Reader& r, int64_t series, int64_t from_ms, int64_t to_ms,
                        size_t max_points, std::vector<Bucket>& out) {
  Db& db = *r.db;
  const std::string what = "reading series " + std::to_string(series);

  r.count.bind_int64(1, series);
  r.count.bind_int64(2, from_ms);
  r.count.bind_int64(3, to_ms);
  int rc = r.count.step();
  const auto n = rc == SQLITE_ROW ? static_cast<uint64_t>(r.count.column_int64(0)) : 0;
  core::Status st = rc == SQLITE_ROW ? core::Status::ok() : db.error(rc, what);
  r.count.reset();
  if (!st.is_ok() || n == 0) return st;

  const bool down = n > max_points;
  Stmt& s = down ? r.buckets : r.rows;
  s.bind_int64(1, series);
  s.bind_int64(2, from_ms);
  s.bind_int64(3, to_ms);
  const int64_t w = readings::bucket_width(from_ms, to_ms, max_points);
  if (down) s.bind_int64(4, w);
  out.reserve(std::min<uint64_t>(n, max_points));
  while ((rc = s.step()) == SQLITE_ROW) {
    Bucket b;
    if (down) {
      b.start_ms = from_ms + s.column_int64(0) * w;
      b.count = static_cast<size_t>(s.column_int64(1));
      b.min = s.column_double(2);
      b.max = s.column_double(3);
      b.mean = s.column_double(4);
      b.first_ms = s.column_int64(5);
      b.last_ms = s.column_int64(6);
      b.first = s.column_double(7);
      b.last = s.column_double(8);
      b.not_ok = static_cast<size_t>(s.column_int64(9));
    } else {
      const int64_t t = s.column_int64(0);
      const double v = s.column_double(1);
      const int64_t q = s.column_int64(2);
      if (!readings::quality_from_number(q)) {
        st = unknown_quality(db, series, t, q);
        break;
      }
      b = {t, t, t, 1, v, v, v, v, v, q == 0 ? 0u : 1u};
    }
    out.push_back(b);
  }
  if (st.is_ok() && rc != SQLITE_ROW && rc != SQLITE_DONE) st = db.error(rc, what);
  s.reset();
  return st;
}

}  // namespace

struct SqliteReadingStore::Impl {
  std::string path;
  SqliteReadingOptions opts;

  std::mutex write_mu;  // guards writer; taken before cache_mu
  Writer writer;

  std::mutex cache_mu;  // guards ids
  std::unordered_map<std::string, int64_t, Hash, std::equal_to<>> ids;
  std::atomic<int64_t> max_series{0};

  internal::ReaderPool<Reader> readers{[this] { return open_reader(path, opts); },
                                       opts.max_idle_readers};

  Impl(std::string p, SqliteReadingOptions o, Writer w)
      : path(std::move(p)), opts(o), writer(std::move(w)) {}

  core::Status load_series() {
    auto s = writer.db->prepare("SELECT id, station, parameter FROM series", "reading the series");
    if (!s) return s.status();
    int rc;
    int64_t max = 0;
    while ((rc = s->step()) == SQLITE_ROW) {
      int64_t id = s->column_int64(0);
      ids.emplace(s->column_text(1) + ' ' + s->column_text(2), id);
      max = std::max(max, id);
    }
    if (rc != SQLITE_DONE) return writer.db->error(rc, "reading the series");
    max_series = max;
    return core::Status::ok();
  }

  // Runs `body` in a write transaction (write_mu held by the caller); rolls back on any failure.
  template <typename F>
  core::Status in_write_tx(std::string_view what, F&& body) {
    Db& db = *writer.db;
    core::Status st = run(db, writer.begin, what);
    if (!st.is_ok()) return st;
    st = body();
    if (st.is_ok()) st = run(db, writer.commit, what);
    if (!st.is_ok() && db.in_transaction()) (void)db.exec("ROLLBACK", "rolling back");
    return st;
  }

  // The id of the series in the file, found or created (inside the writer's transaction).
  core::Result<int64_t> find_or_create(const SeriesKey& k) {
    Db& db = *writer.db;
    for (Stmt* s : {&writer.find_series, &writer.insert_series}) {
      s->bind_text(1, k.station);
      s->bind_text(2, k.parameter);
      int rc = s->step();
      int64_t id = rc == SQLITE_ROW ? s->column_int64(0) : 0;
      core::Status st = rc == SQLITE_ROW || rc == SQLITE_DONE ? core::Status::ok()
                                                              : db.error(rc, "adding a series");
      s->reset();
      if (!st.is_ok()) return st;
      if (id > 0) return id;
    }
    return core::internal_error("store " + path + ": a new series got no id");
  }
};

SqliteReadingStore::SqliteReadingStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteReadingStore::~SqliteReadingStore() = default;

const std::string& SqliteReadingStore::path() const { return impl_->path; }

core::Result<std::unique_ptr<SqliteReadingStore>> SqliteReadingStore::open(
    const std::string& path, const SqliteReadingOptions& opts) {
  auto writer = open_writer(path, opts);
  if (!writer) return writer.status();
  auto impl = std::make_unique<Impl>(path, opts, std::move(*writer));
  LD_RETURN_IF_ERROR(impl->load_series());
  return std::unique_ptr<SqliteReadingStore>(new SqliteReadingStore(std::move(impl)));
}

core::Result<std::vector<int64_t>> SqliteReadingStore::series_ids(std::span<const SeriesKey> keys) {
  for (size_t i = 0; i < keys.size(); ++i) {
    core::Status st = readings::check_series_key(keys[i]);
    if (!st.is_ok())
      return core::invalid("series " + std::to_string(i) + ": " + st.message(), st.field());
  }
  std::vector<int64_t> out(keys.size(), 0);
  std::vector<size_t> missing;
  {
    std::lock_guard lk(impl_->cache_mu);
    for (size_t i = 0; i < keys.size(); ++i) {
      auto it = impl_->ids.find(KeyBuf(keys[i]).view());
      if (it != impl_->ids.end())
        out[i] = it->second;
      else
        missing.push_back(i);
    }
  }
  if (missing.empty()) return out;

  std::lock_guard wlk(impl_->write_mu);
  core::Status st = impl_->in_write_tx("adding series", [&]() -> core::Status {
    for (size_t i : missing) {
      auto id = impl_->find_or_create(keys[i]);
      if (!id) return id.status();
      out[i] = *id;
    }
    return core::Status::ok();
  });
  if (!st.is_ok()) return st;
  std::lock_guard lk(impl_->cache_mu);
  for (size_t i : missing) {
    impl_->ids.emplace(std::string(KeyBuf(keys[i]).view()), out[i]);
    if (out[i] > impl_->max_series) impl_->max_series = out[i];
  }
  return out;
}

core::Result<std::optional<int64_t>> SqliteReadingStore::find_series(std::string_view station,
                                                                     std::string_view parameter) {
  SeriesKey key{station, parameter};
  if (!readings::check_series_key(key).is_ok()) return std::optional<int64_t>();
  std::lock_guard lk(impl_->cache_mu);
  auto it = impl_->ids.find(KeyBuf(key).view());
  if (it == impl_->ids.end()) return std::optional<int64_t>();
  return std::optional<int64_t>(it->second);
}

core::Result<AppendResult> SqliteReadingStore::append(std::span<const Row> rows) {
  AppendResult res;
  if (rows.empty()) return res;
  LD_RETURN_IF_ERROR(readings::check_rows(rows, impl_->max_series.load()));
  std::lock_guard wlk(impl_->write_mu);
  Writer& w = impl_->writer;
  LD_RETURN_IF_ERROR(impl_->in_write_tx("appending readings", [&]() -> core::Status {
    for (const Row& r : rows) {
      w.insert_row.bind_int64(1, r.series);
      w.insert_row.bind_int64(2, r.t_ms);
      w.insert_row.bind_double(3, r.value);
      w.insert_row.bind_int64(4, static_cast<int64_t>(r.quality));
      LD_RETURN_IF_ERROR(run(*w.db, w.insert_row, "appending readings"));
      ++(w.db->changes() > 0 ? res.stored : res.duplicates);
    }
    return core::Status::ok();
  }));
  return res;
}

core::Result<std::vector<Bucket>> SqliteReadingStore::range(int64_t series, int64_t from_ms,
                                                            int64_t to_ms, size_t max_points) {
  if (max_points == 0) return core::invalid("max_points must be at least 1", "max_points");
  std::vector<Bucket> out;
  from_ms = std::max(from_ms, readings::kMinTimeMs);
  to_ms = std::min(to_ms, readings::kEndTimeMs);
  if (from_ms >= to_ms || series < 1) return out;
  auto lease = impl_->readers.acquire();
  if (!lease) return lease.status();
  Reader& r = lease->get();
  // The count and the rows must see the same commit: one read transaction holds the snapshot.
  LD_RETURN_IF_ERROR(run(*r.db, r.begin, "starting a read"));
  core::Status st = read_range(r, series, from_ms, to_ms, max_points, out);
  core::Status end = run(*r.db, r.end, "ending a read");
  if (!st.is_ok()) return st;
  if (!end.is_ok()) return end;
  return out;
}

core::Result<std::optional<Row>> SqliteReadingStore::latest(int64_t series) {
  auto lease = impl_->readers.acquire();
  if (!lease) return lease.status();
  Reader& r = lease->get();
  Stmt& s = r.latest;
  s.bind_int64(1, series);
  int rc = s.step();
  std::optional<Row> out;
  core::Status st;
  if (rc == SQLITE_ROW) {
    Row row{series, s.column_int64(0), s.column_double(1), readings::Quality::kOk};
    int64_t q = s.column_int64(2);
    if (auto quality = readings::quality_from_number(q)) {
      row.quality = *quality;
      out = row;
    } else {
      st = unknown_quality(*r.db, series, row.t_ms, q);
    }
  } else if (rc != SQLITE_DONE) {
    st = r.db->error(rc, "reading the latest reading of series " + std::to_string(series));
  }
  s.reset();
  if (!st.is_ok()) return st;
  return out;
}

}  // namespace liandong::store
