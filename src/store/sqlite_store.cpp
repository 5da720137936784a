#include "store/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

#include "core/log.h"
#include "core/thread_name.h"

#include "store/internal/file_lock.h"
#include "store/internal/migrations.h"
#include "store/internal/reader_pool.h"
#include "store/internal/snapshot_files.h"
#include "store/internal/sqlite_db.h"

namespace liandong::store {

using engine::Event;
using engine::JournalHead;
using engine::Snapshot;
using internal::Db;
using internal::Stmt;

namespace {

constexpr const char* kSelectEvents =
    "SELECT seq, origin, jurisdiction, time_ms, type, data, prev_hash, hash FROM events "
    "WHERE seq > ?1 ORDER BY seq LIMIT ?2";

int64_t clamp_to_int64(uint64_t v) {
  return static_cast<int64_t>(std::min<uint64_t>(v, std::numeric_limits<int64_t>::max()));
}

core::Result<Event> event_from_row(const Stmt& s, const std::string& path) {
  Event e;
  e.seq = static_cast<uint64_t>(s.column_int64(0));
  e.origin = s.column_text(1);
  e.jurisdiction = s.column_text(2);
  e.time = core::from_unix_millis(s.column_int64(3));
  e.type = s.column_text(4);
  e.data = nlohmann::json::parse(s.column_text(5), nullptr, /*allow_exceptions=*/false);
  if (e.data.is_discarded())
    return core::Status{
        core::Code::kDataLoss,
        "store " + path + ": event " + std::to_string(e.seq) + " data is not valid JSON"};
  e.prev_hash = s.column_text(6);
  e.hash = s.column_text(7);
  return e;
}

// One writer connection with its statements prepared once.
struct Writer {
  std::unique_ptr<Db> db;
  Stmt begin, commit, insert_event, put_meta;
};

// One read-only connection with its statements prepared once.
struct Reader {
  std::unique_ptr<Db> db;
  Stmt select_events, latest_snapshot, legacy_snapshot_seq, event_hash, get_meta;
};

// Stores from before the snapshot files kept their snapshots in journal.db's `snapshots` table.
// Once a file that reads whole is at least as new as every row there, the rows are never read
// again: they are deleted (their pages go back to the journal's free list; the file does not
// shrink). Runs at open, before anything else uses the store; reads the newest file only while
// such rows exist (the first start or two after an upgrade). A failure is logged, not fatal: the
// rows are dead weight, nothing more.
void drop_legacy_snapshots(Db& db, const internal::SnapshotFiles& files) {
  auto q = db.prepare("SELECT max(seq) FROM snapshots", "reading the old snapshots table");
  if (!q) {
    core::log::warn("cannot read the old snapshots table", {{"error", q.status().to_string()}});
    return;
  }
  int rc = q->step();
  if (rc != SQLITE_ROW || q->column_is_null(0)) return;
  auto legacy = static_cast<uint64_t>(q->column_int64(0));
  q->reset();
  auto newest = files.latest();
  if (!newest || !newest->has_value() || (*newest)->seq < legacy) return;
  auto sql = "DELETE FROM snapshots WHERE seq <= " + std::to_string(legacy);
  auto st = db.exec(sql.c_str(), "deleting the old snapshots table's rows");
  if (!st.is_ok()) {
    core::log::warn("old snapshots not deleted", {{"error", st.to_string()}});
    return;
  }
  core::log::info("old snapshots deleted from the journal (a newer snapshot file replaces them)",
                  {{"up_to_seq", std::to_string(legacy)}, {"file_seq", std::to_string((*newest)->seq)}});
}

core::Result<Writer> open_writer(const std::string& path, const SqliteOptions& opts) {
  auto db = Db::open(path, /*read_only=*/false, opts.busy_timeout_ms);
  if (!db) return db.status();
  Db& d = **db;
  // Check the version before anything writes, so that a file we refuse is left as it was.
  auto version = internal::read_schema_version(d);
  if (!version) return version.status();
  LD_RETURN_IF_ERROR(d.use_wal());
  // journal_size_limit: when the WAL starts over after a large transaction (a snapshot), it is cut
  // back to 64 MiB.
  LD_RETURN_IF_ERROR(d.exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA journal_size_limit=67108864",
                            "setting pragmas"));
  LD_RETURN_IF_ERROR(internal::migrate(d));
  // Checkpoints run on the store's own checkpointer thread (Impl::checkpoint_loop), not inside
  // whichever commit crosses SQLite's 1,000-page mark: a checkpoint copies the WAL into the file
  // and fsyncs it, which would stall that commit and every command waiting on it.
  LD_RETURN_IF_ERROR(d.exec("PRAGMA wal_autocheckpoint=0", "setting pragmas"));

  Writer w;
  auto prep = [&](Stmt& out, const char* sql) -> core::Status {
    auto s = d.prepare(sql, "preparing a statement");
    if (!s) return s.status();
    out = std::move(*s);
    return core::Status::ok();
  };
  LD_RETURN_IF_ERROR(prep(w.begin, "BEGIN IMMEDIATE"));
  LD_RETURN_IF_ERROR(prep(w.commit, "COMMIT"));
  LD_RETURN_IF_ERROR(
      prep(w.insert_event,
           "INSERT INTO events(seq, origin, jurisdiction, time_ms, type, data, prev_hash, "
           "hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  LD_RETURN_IF_ERROR(prep(w.put_meta, "INSERT OR REPLACE INTO kv(key, value) VALUES(?1, ?2)"));
  w.db = std::move(*db);
  return w;
}

core::Result<std::unique_ptr<Reader>> open_reader(const std::string& path,
                                                  const SqliteOptions& opts) {
  auto db = Db::open(path, /*read_only=*/true, opts.busy_timeout_ms);
  if (!db) return db.status();
  auto r = std::make_unique<Reader>();
  auto prep = [&](Stmt& out, const char* sql) -> core::Status {
    auto s = (*db)->prepare(sql, "preparing a statement");
    if (!s) return s.status();
    out = std::move(*s);
    return core::Status::ok();
  };
  LD_RETURN_IF_ERROR(prep(r->select_events, kSelectEvents));
  LD_RETURN_IF_ERROR(
      prep(r->latest_snapshot, "SELECT seq, hash, body FROM snapshots ORDER BY seq DESC LIMIT 1"));
  LD_RETURN_IF_ERROR(prep(r->legacy_snapshot_seq, "SELECT seq FROM snapshots ORDER BY seq DESC LIMIT 1"));
  LD_RETURN_IF_ERROR(prep(r->event_hash, "SELECT hash FROM events WHERE seq = ?1"));
  LD_RETURN_IF_ERROR(prep(r->get_meta, "SELECT value FROM kv WHERE key = ?1"));
  r->db = std::move(*db);
  return r;
}

}  // namespace

struct SqliteStore::Impl {
  std::string path;
  SqliteOptions opts;
  internal::FileLock lock;  // declared first: released last, after every connection is closed

  std::mutex write_mu;  // guards writer
  Writer writer;

  std::mutex head_mu;  // guards head
  JournalHead head;

  std::mutex snapshot_mu;  // one save_snapshot at a time
  internal::SnapshotFiles snapshots;

  internal::ReaderPool<Reader> readers{[this] { return open_reader(path, opts); }, opts.max_idle_readers};

  // The checkpointer: its own read-write connection, woken by appends.
  std::unique_ptr<Db> checkpoint_db;
  std::mutex checkpoint_mu;
  std::condition_variable checkpoint_cv;
  uint64_t appends_since_checkpoint = 0;  // under checkpoint_mu
  bool checkpoint_stop = false;           // under checkpoint_mu
  std::thread checkpointer;

  Impl(std::string p, SqliteOptions o, internal::FileLock l, Writer w, internal::SnapshotFiles f)
      : path(std::move(p)), opts(o), lock(std::move(l)), writer(std::move(w)), snapshots(std::move(f)) {}

  ~Impl() {
    {
      std::lock_guard lk(checkpoint_mu);
      checkpoint_stop = true;
    }
    checkpoint_cv.notify_all();
    if (checkpointer.joinable()) checkpointer.join();
  }

  void appended() {
    {
      std::lock_guard lk(checkpoint_mu);
      ++appends_since_checkpoint;
    }
    checkpoint_cv.notify_one();
  }

  // PASSIVE checkpoints (they never block the writer or readers) at most every 50 ms while appends
  // come, so the WAL stays a few hundred pages long; the last connection to close checkpoints the
  // rest. A failing checkpoint is logged and retried; the WAL then grows until one succeeds.
  //
  // Under a steady stream of appends a passive checkpoint never catches up (frames arrive while it
  // copies), so SQLite never starts the WAL over: it grew by the whole burst (500 MB in 10 s of
  // bench/run intake), and every append extended the file, which costs each commit's fsync a block
  // allocation and an inode write. So once the WAL passes opts.wal_restart_frames, a RESTART checkpoint
  // follows the passive one: it holds appends back while it copies the few frames appended since
  // and syncs the database file (about one commit's time), and the next append writes the WAL
  // from its start again, over blocks the file already has. It waits at most kRestartWaitMs for
  // the writer and for readers still on old frames (a long catch-up read); when it cannot, the
  // restart is left for the next round.
  static constexpr int kRestartWaitMs = 20;
  void checkpoint_loop() {
    core::name_this_thread("ld-checkpoint");
    core::make_this_thread_background();
    bool failing = false;
    for (;;) {
      {
        std::unique_lock lk(checkpoint_mu);
        checkpoint_cv.wait(lk, [&] { return checkpoint_stop || appends_since_checkpoint > 0; });
        if (checkpoint_stop) return;
        appends_since_checkpoint = 0;
      }
      int log = 0, done = 0;
      auto st = checkpoint_db->checkpoint(SQLITE_CHECKPOINT_PASSIVE, &log, &done, "checkpointing the journal");
      if (st.is_ok() && log >= opts.wal_restart_frames) {
        checkpoint_db->set_busy_timeout(kRestartWaitMs);
        bool busy = false;  // the writer or a reader held on: the next round tries again
        st = checkpoint_db->checkpoint(SQLITE_CHECKPOINT_RESTART, &log, &done, "restarting the journal's WAL", &busy);
        checkpoint_db->set_busy_timeout(opts.busy_timeout_ms);
      }
      if (!st.is_ok() && !failing) core::log::warn("journal checkpoint failed", {{"error", st.to_string()}});
      if (st.is_ok() && failing) core::log::info("journal checkpoint works again", {});
      failing = !st.is_ok();
      std::unique_lock lk(checkpoint_mu);
      checkpoint_cv.wait_for(lk, std::chrono::milliseconds(failing ? 1000 : 50), [&] { return checkpoint_stop; });
    }
  }

  core::Result<internal::ReaderPool<Reader>::Lease> acquire_reader() { return readers.acquire(); }

  // Reads up to `limit` events after `after` on `r` (within whatever transaction r is in).
  core::Result<std::vector<Event>> read_events(Reader& r, uint64_t after, size_t limit) {
    std::vector<Event> out;
    if (limit == 0) return out;
    out.reserve(std::min<size_t>(limit, 1024));
    Stmt& s = r.select_events;
    s.bind_int64(1, clamp_to_int64(after));
    s.bind_int64(2, clamp_to_int64(limit));
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      auto e = event_from_row(s, path);
      if (!e) {
        s.reset();
        return e.status();
      }
      out.push_back(std::move(*e));
    }
    s.reset();
    if (rc != SQLITE_DONE) return r.db->error(rc, "reading events");
    return out;
  }

  // Runs `body` in a write transaction on the writer; rolls back on any failure.
  template <typename F>
  core::Status in_write_tx(std::string_view what, F&& body) {
    Db& db = *writer.db;
    int rc = writer.begin.step();
    writer.begin.reset();
    if (rc != SQLITE_DONE) return db.error(rc, what);
    core::Status st = body();
    if (st.is_ok()) {
      rc = writer.commit.step();
      writer.commit.reset();
      if (rc != SQLITE_DONE) st = db.error(rc, what);
    }
    if (!st.is_ok() && db.in_transaction()) (void)db.exec("ROLLBACK", "rolling back");
    return st;
  }
};

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteStore::~SqliteStore() = default;

const std::string& SqliteStore::path() const { return impl_->path; }

core::Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path,
                                                             const SqliteOptions& opts) {
  auto lock = internal::FileLock::acquire(path + ".lock", path);
  if (!lock) return lock.status();
  auto writer = open_writer(path, opts);
  if (!writer) return writer.status();

  JournalHead head;
  {
    auto q = writer->db->prepare("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
                                 "reading the head");
    if (!q) return q.status();
    int rc = q->step();
    if (rc == SQLITE_ROW) {
      head.seq = static_cast<uint64_t>(q->column_int64(0));
      head.hash = q->column_text(1);
    } else if (rc != SQLITE_DONE) {
      return writer->db->error(rc, "reading the head");
    }
  }
  auto files = internal::SnapshotFiles::open(path + ".snapshots");
  if (!files) return files.status();
  drop_legacy_snapshots(*writer->db, *files);
  auto impl = std::make_unique<Impl>(path, opts, std::move(*lock), std::move(*writer), std::move(*files));
  impl->head = std::move(head);
  auto checkpoint_db = Db::open(path, /*read_only=*/false, opts.busy_timeout_ms);
  if (!checkpoint_db) return checkpoint_db.status();
  LD_RETURN_IF_ERROR((*checkpoint_db)->exec("PRAGMA synchronous=FULL; PRAGMA journal_size_limit=67108864",
                                            "setting pragmas"));
  impl->checkpoint_db = std::move(*checkpoint_db);
  impl->checkpointer = std::thread([p = impl.get()] { p->checkpoint_loop(); });
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
}

core::Status SqliteStore::append(std::span<const Event> events) {
  if (events.empty()) return core::Status::ok();
  std::lock_guard wlk(impl_->write_mu);
  JournalHead head;
  {
    std::lock_guard lk(impl_->head_mu);
    head = impl_->head;
  }
  uint64_t seq = head.seq;
  const std::string* prev = &head.hash;
  for (const auto& e : events) {
    if (e.seq != seq + 1)
      return core::conflict("append out of sequence: expected seq " + std::to_string(seq + 1) +
                                ", got " + std::to_string(e.seq),
                            "seq");
    if (e.prev_hash != *prev)
      return core::conflict("append of seq " + std::to_string(e.seq) +
                                " does not chain: prev_hash differs from the hash of seq " +
                                std::to_string(seq),
                            "prev_hash");
    seq = e.seq;
    prev = &e.hash;
  }

  Stmt& ins = impl_->writer.insert_event;
  Db& db = *impl_->writer.db;
  LD_RETURN_IF_ERROR(impl_->in_write_tx("appending events", [&]() -> core::Status {
    std::string dumped;
    for (const auto& e : events) {
      // The text that was hashed (seal() keeps it), else the same dump as canonical_body(), so what
      // we store hashes the same on read.
      if (e.data_text.empty()) dumped = engine::data_json(e);
      const std::string& data = e.data_text.empty() ? dumped : e.data_text;
      ins.bind_int64(1, clamp_to_int64(e.seq));
      ins.bind_text(2, e.origin);
      ins.bind_text(3, e.jurisdiction);
      ins.bind_int64(4, core::to_unix_millis(e.time));
      ins.bind_text(5, e.type);
      ins.bind_text(6, data);
      ins.bind_text(7, e.prev_hash);
      ins.bind_text(8, e.hash);
      int rc = ins.step();
      if (rc != SQLITE_DONE) {
        core::Status st = db.error(rc, "appending event " + std::to_string(e.seq));
        ins.reset();
        return st;
      }
      ins.reset();
    }
    return core::Status::ok();
  }));

  {
    std::lock_guard lk(impl_->head_mu);
    impl_->head = JournalHead{events.back().seq, events.back().hash};
  }
  impl_->appended();
  return core::Status::ok();
}

core::Result<std::vector<Event>> SqliteStore::read_after(uint64_t after, size_t limit) {
  auto r = impl_->acquire_reader();
  if (!r) return r.status();
  return impl_->read_events(r->get(), after, limit);
}

core::Result<JournalHead> SqliteStore::head() {
  std::lock_guard lk(impl_->head_mu);
  return impl_->head;
}

core::Status SqliteStore::save_snapshot(const Snapshot& snapshot) {
  std::lock_guard slk(impl_->snapshot_mu);
  uint64_t head_seq;
  {
    std::lock_guard lk(impl_->head_mu);
    head_seq = impl_->head.seq;
  }
  if (snapshot.seq > head_seq)
    return core::conflict("snapshot at seq " + std::to_string(snapshot.seq) +
                              " is past the journal head " + std::to_string(head_seq),
                          "seq");
  if (snapshot.seq > 0) {
    auto lease = impl_->acquire_reader();
    if (!lease) return lease.status();
    Reader& r = lease->get();
    r.event_hash.bind_int64(1, clamp_to_int64(snapshot.seq));
    int rc = r.event_hash.step();
    std::string stored = rc == SQLITE_ROW ? r.event_hash.column_text(0) : std::string();
    r.event_hash.reset();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return r.db->error(rc, "saving a snapshot");
    if (stored != snapshot.hash)
      return core::conflict("snapshot at seq " + std::to_string(snapshot.seq) +
                                " does not match the journal's hash at that seq",
                            "hash");
  }
  return impl_->snapshots.save(snapshot);
}

core::Result<std::optional<Snapshot>> SqliteStore::latest_snapshot() {
  auto from_files = impl_->snapshots.latest();
  if (!from_files) return from_files.status();
  // Stores from before the snapshot files kept theirs in journal.db's snapshots table: that one
  // counts while no file is newer.
  auto lease = impl_->acquire_reader();
  if (!lease) return lease.status();
  Reader& r = lease->get();
  int rc = r.legacy_snapshot_seq.step();
  std::optional<uint64_t> legacy;
  if (rc == SQLITE_ROW) legacy = static_cast<uint64_t>(r.legacy_snapshot_seq.column_int64(0));
  r.legacy_snapshot_seq.reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return r.db->error(rc, "reading the latest snapshot");
  if (!legacy || (*from_files && (*from_files)->seq >= *legacy)) return from_files;
  Stmt& s = r.latest_snapshot;
  rc = s.step();
  std::optional<Snapshot> out;
  if (rc == SQLITE_ROW)
    out = Snapshot{static_cast<uint64_t>(s.column_int64(0)), s.column_text(1), s.column_blob(2)};
  s.reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return r.db->error(rc, "reading the latest snapshot");
  return out;
}

core::Status SqliteStore::verify_journal() {
  auto r = verify_journal_report();
  if (!r) return r.status();
  if (!r->ok) return {core::Code::kDataLoss, r->message};
  return core::Status::ok();
}

core::Result<SqliteStore::VerifyReport> SqliteStore::verify_journal_report() {
  auto lease = impl_->acquire_reader();
  if (!lease) return lease.status();
  Reader& r = lease->get();
  VerifyReport report;
  // One read transaction, so the chunks come from one consistent journal while appends go on.
  LD_RETURN_IF_ERROR(r.db->exec("BEGIN", "verifying the journal"));
  auto run = [&]() -> core::Status {
    uint64_t seq = 0;
    std::string hash = engine::kGenesisHash;
    size_t chunk = std::max<size_t>(impl_->opts.verify_chunk, 1);
    auto snap = latest_snapshot();
    if (!snap) return snap.status();
    for (;;) {
      auto events = impl_->read_events(r, seq, chunk);
      if (!events) return events.status();
      if (events->empty()) break;
      uint64_t bad = 0;
      core::Status st = engine::verify_chain(seq, hash, *events, &bad);
      if (!st.is_ok()) {
        report.ok = false;
        report.first_bad_seq = bad;
        report.message = "store " + impl_->path + ": " + st.message();
        return core::Status::ok();
      }
      for (const auto& e : *events)
        if (*snap && e.seq == (*snap)->seq && e.hash != (*snap)->hash) {
          report.ok = false;
          report.first_bad_seq = e.seq;
          report.message = "store " + impl_->path + ": journal event " + std::to_string(e.seq) +
                           " differs from the snapshot taken at it";
          return core::Status::ok();
        }
      seq = events->back().seq;
      hash = events->back().hash;
      report.checked = seq;
    }
    if (*snap && (*snap)->seq > seq) {
      report.ok = false;
      report.first_bad_seq = seq + 1;
      report.message = "store " + impl_->path + ": the journal ends at seq " + std::to_string(seq) +
                       " but a snapshot was taken at seq " + std::to_string((*snap)->seq) +
                       " (events were removed from the end)";
    }
    return core::Status::ok();
  };
  core::Status st = run();
  (void)r.db->exec("COMMIT", "ending the verification");
  if (!st.is_ok()) return st;
  if (report.ok) report.message = "the journal's hash chain is intact through seq " + std::to_string(report.checked);
  return report;
}

core::Result<std::optional<std::string>> SqliteStore::get_meta(const std::string& key) {
  auto lease = impl_->acquire_reader();
  if (!lease) return lease.status();
  Reader& r = lease->get();
  Stmt& s = r.get_meta;
  s.bind_text(1, key);
  int rc = s.step();
  std::optional<std::string> out;
  if (rc == SQLITE_ROW) out = s.column_text(0);
  s.reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return r.db->error(rc, "reading metadata " + key);
  return out;
}

core::Status SqliteStore::put_meta(const std::string& key, const std::string& value) {
  std::lock_guard wlk(impl_->write_mu);
  Writer& w = impl_->writer;
  w.put_meta.bind_text(1, key);
  w.put_meta.bind_text(2, value);
  int rc = w.put_meta.step();
  w.put_meta.reset();
  if (rc != SQLITE_DONE) return w.db->error(rc, "writing metadata " + key);
  return core::Status::ok();
}

}  // namespace liandong::store
