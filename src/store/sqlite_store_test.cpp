#include "store/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <thread>

namespace liandong::store {
namespace {

using engine::Event;
using engine::kGenesisHash;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "liandong-store-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) std::abort();
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Events seq first..first+n-1 chained after prev_hash, with data of about 300 bytes.
std::vector<Event> make_events(uint64_t first, std::string prev_hash, size_t n) {
  std::vector<Event> out;
  for (size_t i = 0; i < n; ++i) {
    Event e;
    e.seq = first + i;
    e.origin = "441200";
    e.jurisdiction = "441202";
    e.time = core::from_unix_millis(1795000000123 + static_cast<int64_t>(e.seq) * 1001);
    e.type = "incident.updated";
    e.data = {{"incident_id", "441200-INC-" + std::to_string(e.seq)},
              {"title", "端州区 化工厂 泄漏 — leak at plant"},
              {"location", {{"lon", 112.4651234567}, {"lat", 23.0471}}},
              {"grade", "III"},
              {"priority", "P2"},
              {"casualties", {{"dead", 0}, {"injured", static_cast<int64_t>(e.seq % 7)}}},
              {"units", {"441200-UNT-1", "441200-UNT-2", "441200-UNT-3"}},
              {"note", "wind from the north-east at 4 m/s; residents within 500 m evacuated"},
              {"big", std::numeric_limits<int64_t>::max()},
              {"ratio", 0.1}};
    engine::seal(e, prev_hash);
    prev_hash = e.hash;
    out.push_back(std::move(e));
  }
  return out;
}

std::unique_ptr<SqliteStore> must_open(const std::string& path, const SqliteOptions& opts = {}) {
  auto s = SqliteStore::open(path, opts);
  if (!s) ADD_FAILURE() << s.status().to_string();
  return s ? std::move(s).value() : nullptr;
}

// Runs SQL on the file with a separate raw connection, behind the store's back.
void raw_exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg;
}

int64_t raw_count(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  int64_t n = -1;
  if (sqlite3_step(s) == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return n;
}

// A store at `path` whose journal holds make_events(1, genesis, n), closed again: its events.
std::vector<Event> closed_store_with(const std::string& path, size_t n) {
  auto events = make_events(1, kGenesisHash, n);
  auto store = must_open(path);
  EXPECT_TRUE(store && store->append(events).is_ok());
  return events;
}

// A row of journal.db's old `snapshots` table, where stores from before the snapshot files kept
// their snapshots; its body is "legacy".
void insert_old_snapshot(const std::string& path, uint64_t seq, const std::string& hash) {
  raw_exec(path, "INSERT INTO snapshots(seq, hash, body, created_at) VALUES(" + std::to_string(seq) + ", '" + hash +
                     "', CAST('legacy' AS BLOB), '2026-01-01T00:00:00Z')");
}

// The names of the snapshot files of the store at `path`, sorted.
std::vector<std::string> snapshot_files(const std::string& path) {
  std::vector<std::string> names;
  for (const auto& f : std::filesystem::directory_iterator(path + ".snapshots"))
    names.push_back(f.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

void expect_same(const Event& a, const Event& b) {
  EXPECT_EQ(a.seq, b.seq);
  EXPECT_EQ(a.origin, b.origin);
  EXPECT_EQ(a.jurisdiction, b.jurisdiction);
  EXPECT_EQ(a.time, b.time);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.data, b.data);
  EXPECT_EQ(a.prev_hash, b.prev_hash);
  EXPECT_EQ(a.hash, b.hash);
}

TEST(SqliteStore, AppendReadHeadRoundTripKeepsHashes) {
  TempDir dir;
  auto store = must_open(dir.file("node.db"));
  ASSERT_TRUE(store);
  auto h0 = store->head();
  ASSERT_TRUE(h0);
  EXPECT_EQ(h0->seq, 0u);
  EXPECT_EQ(h0->hash, kGenesisHash);
  EXPECT_TRUE(store->append({}).is_ok());

  auto events = make_events(1, kGenesisHash, 10);
  ASSERT_TRUE(store->append(events).is_ok());
  auto h = store->head();
  EXPECT_EQ(h->seq, 10u);
  EXPECT_EQ(h->hash, events.back().hash);

  auto all = store->read_after(0, 100);
  ASSERT_TRUE(all) << all.status().to_string();
  ASSERT_EQ(all->size(), 10u);
  for (size_t i = 0; i < all->size(); ++i) {
    expect_same((*all)[i], events[i]);
    EXPECT_EQ(engine::compute_hash((*all)[i]), (*all)[i].hash) << "seq " << (*all)[i].seq;
  }
  EXPECT_TRUE(engine::verify_chain(0, kGenesisHash, *all).is_ok());

  auto mid = store->read_after(3, 4);
  ASSERT_TRUE(mid);
  ASSERT_EQ(mid->size(), 4u);
  EXPECT_EQ(mid->front().seq, 4u);
  EXPECT_EQ(mid->back().seq, 7u);
  EXPECT_TRUE(store->read_after(10, 5)->empty());
  EXPECT_TRUE(store->read_after(0, 0)->empty());
  EXPECT_EQ(store->read_after(0, std::numeric_limits<size_t>::max())->size(), 10u);
  EXPECT_TRUE(store->verify_journal().is_ok());
}

TEST(SqliteStore, RefusesBatchesThatDoNotFollowTheHead) {
  TempDir dir;
  auto store = must_open(dir.file("node.db"));
  ASSERT_TRUE(store);
  auto first = make_events(1, kGenesisHash, 5);
  ASSERT_TRUE(store->append(first).is_ok());
  const std::string head_hash = first.back().hash;

  auto gap = make_events(7, head_hash, 3);
  auto st = store->append(gap);
  EXPECT_EQ(st.code(), core::Code::kConflict) << st.to_string();

  auto again = make_events(1, kGenesisHash, 2);
  EXPECT_EQ(store->append(again).code(), core::Code::kConflict);

  auto wrong_prev = make_events(6, std::string(64, 'a'), 3);
  st = store->append(wrong_prev);
  EXPECT_EQ(st.code(), core::Code::kConflict) << st.to_string();
  EXPECT_EQ(st.field(), "prev_hash");

  // Linked to the head but broken inside the batch: the good first event is not kept either.
  auto broken = make_events(6, head_hash, 3);
  broken[2].prev_hash = broken[0].hash;
  EXPECT_EQ(store->append(broken).code(), core::Code::kConflict);

  auto inner_gap = make_events(6, head_hash, 3);
  inner_gap[2].seq = 9;
  EXPECT_EQ(store->append(inner_gap).code(), core::Code::kConflict);

  EXPECT_EQ(store->head()->seq, 5u);
  EXPECT_EQ(store->head()->hash, head_hash);
  EXPECT_TRUE(store->read_after(5, 100)->empty());
  EXPECT_EQ(raw_count(dir.file("node.db"), "SELECT count(*) FROM events"), 5);

  // The right continuation is still accepted.
  EXPECT_TRUE(store->append(make_events(6, head_hash, 3)).is_ok());
  EXPECT_EQ(store->head()->seq, 8u);
}

TEST(SqliteStore, SqliteFailureMidBatchRollsBackTheWholeBatch) {
  TempDir dir;
  const auto path = dir.file("node.db");
  auto store = must_open(path);
  ASSERT_TRUE(store);
  auto events = make_events(1, kGenesisHash, 6);
  ASSERT_TRUE(store->append(std::span(events).first(3)).is_ok());
  // A row planted behind the store's back makes the 2nd insert of the next batch fail.
  raw_exec(path, "INSERT INTO events VALUES(5, 'x', 'x', 0, 'x', '{}', 'x', 'x')");
  auto st = store->append(std::span(events).subspan(3));
  EXPECT_EQ(st.code(), core::Code::kUnavailable) << st.to_string();
  EXPECT_NE(st.message().find("UNIQUE"), std::string::npos) << st.message();
  EXPECT_EQ(store->head()->seq, 3u);
  EXPECT_EQ(raw_count(path, "SELECT count(*) FROM events WHERE seq = 4"), 0);
  // The writer is usable afterwards.
  EXPECT_TRUE(store->put_meta("k", "v").is_ok());
}

TEST(SqliteStore, ReopenKeepsJournalSnapshotsAndMeta) {
  TempDir dir;
  const auto path = dir.file("node.db");
  auto events = make_events(1, kGenesisHash, 300);
  {
    auto store = must_open(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->append(std::span(events).first(100)).is_ok());
    ASSERT_TRUE(store->append(std::span(events).subspan(100)).is_ok());
    ASSERT_TRUE(store->save_snapshot({250, events[249].hash, "state@250"}).is_ok());
    ASSERT_TRUE(store->put_meta("node_id", "441200").is_ok());
  }
  auto store = must_open(path);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->head()->seq, 300u);
  EXPECT_EQ(store->head()->hash, events.back().hash);
  auto all = store->read_after(0, 1000);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 300u);
  expect_same(all->at(299), events[299]);
  auto snap = store->latest_snapshot();
  ASSERT_TRUE(snap && snap->has_value());
  EXPECT_EQ((*snap)->seq, 250u);
  EXPECT_EQ((*snap)->body, "state@250");
  EXPECT_EQ(store->get_meta("node_id")->value_or(""), "441200");
  EXPECT_TRUE(store->append(make_events(301, events.back().hash, 1)).is_ok());
  // Migrations ran once.
  EXPECT_EQ(raw_count(path, "SELECT count(*) FROM schema_migrations"), 1);
  EXPECT_EQ(raw_count(path, "SELECT max(version) FROM schema_migrations"), 1);
}

TEST(SqliteStore, OpenSetsWalAndCreatesSchema) {
  TempDir dir;
  const auto path = dir.file("node.db");
  auto store = must_open(path);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->path(), path);
  EXPECT_EQ(raw_count(path, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"),
            1);
  EXPECT_EQ(raw_count(path,
                      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                      "('events', 'snapshots', 'kv', 'schema_migrations')"),
            4);
}

TEST(SqliteStore, SnapshotsSaveLatestAndPrune) {
  TempDir dir;
  const auto path = dir.file("node.db");
  auto store = must_open(path);
  ASSERT_TRUE(store);
  auto none = store->latest_snapshot();
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());

  auto events = make_events(1, kGenesisHash, 9);
  ASSERT_TRUE(store->append(events).is_ok());
  const std::string binary("a\0b\xff", 4);
  for (uint64_t seq : {3, 6, 9})
    ASSERT_TRUE(
        store->save_snapshot({seq, events[seq - 1].hash, binary + std::to_string(seq)}).is_ok());
  auto latest = store->latest_snapshot();
  ASSERT_TRUE(latest && latest->has_value());
  EXPECT_EQ((*latest)->seq, 9u);
  EXPECT_EQ((*latest)->hash, events[8].hash);
  EXPECT_EQ((*latest)->body, binary + "9");
  EXPECT_EQ(snapshot_files(path), (std::vector<std::string>{"00000000000000000006.snap", "00000000000000000009.snap"}));

  // Saving the same seq again replaces it.
  ASSERT_TRUE(store->save_snapshot({9, events[8].hash, "again"}).is_ok());
  EXPECT_EQ((*store->latest_snapshot())->body, "again");
  EXPECT_TRUE(store->save_snapshot({0, kGenesisHash, ""}).is_ok());
  EXPECT_EQ((*store->latest_snapshot())->seq, 9u);

  EXPECT_EQ(store->save_snapshot({10, events[8].hash, "x"}).code(), core::Code::kConflict);
  EXPECT_EQ(store->save_snapshot({5, events[8].hash, "x"}).code(), core::Code::kConflict);
  EXPECT_EQ(snapshot_files(path), (std::vector<std::string>{"00000000000000000006.snap", "00000000000000000009.snap"}));
}

// Stores from before the snapshot files kept snapshots in journal.db: that one is read until a
// newer file exists; a damaged file is passed over for the one before it; a temporary file a
// crash left behind is removed at open.
TEST(SqliteStore, SnapshotFilesLegacyTableDamageAndLeftovers) {
  TempDir dir;
  const auto path = dir.file("node.db");
  auto events = closed_store_with(path, 9);
  insert_old_snapshot(path, 4, events[3].hash);
  {
    std::ofstream(path + ".snapshots/.tmp-7") << "half a snapshot";
  }
  auto store = must_open(path);
  ASSERT_TRUE(store);
  EXPECT_FALSE(std::filesystem::exists(path + ".snapshots/.tmp-7"));
  auto legacy = store->latest_snapshot();
  ASSERT_TRUE(legacy && legacy->has_value());
  EXPECT_EQ((*legacy)->seq, 4u);
  EXPECT_EQ((*legacy)->body, "legacy");

  ASSERT_TRUE(store->save_snapshot({3, events[2].hash, "older than the table's"}).is_ok());
  EXPECT_EQ((*store->latest_snapshot())->seq, 4u);
  ASSERT_TRUE(store->save_snapshot({6, events[5].hash, "six"}).is_ok());
  ASSERT_TRUE(store->save_snapshot({8, events[7].hash, "eight"}).is_ok());
  EXPECT_EQ((*store->latest_snapshot())->body, "eight");

  // The newest file cut short: the one before it is read.
  std::filesystem::resize_file(path + ".snapshots/00000000000000000008.snap", 20);
  auto older = store->latest_snapshot();
  ASSERT_TRUE(older && older->has_value());
  EXPECT_EQ((*older)->seq, 6u);
  EXPECT_EQ((*older)->body, "six");
  // And one whose header is not a snapshot's.
  std::ofstream(path + ".snapshots/00000000000000000009.snap") << "not a snapshot\n";
  EXPECT_EQ((*store->latest_snapshot())->seq, 6u);

  // The table's row is still there (the store was opened before any file was newer); the next
  // open finds a whole file at least as new and deletes it.
  EXPECT_EQ(raw_count(path, "SELECT count(*) FROM snapshots"), 1);
  store.reset();
  store = must_open(path);
  ASSERT_TRUE(store);
  EXPECT_EQ(raw_count(path, "SELECT count(*) FROM snapshots"), 0);
  EXPECT_EQ((*store->latest_snapshot())->seq, 6u);
}

TEST(SqliteStore, OldSnapshotRowsStayWhileNoWholeFileIsAsNew) {
  TempDir dir;
  const auto path = dir.file("node.db");
  auto events = closed_store_with(path, 9);
  {
    auto store = must_open(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->save_snapshot({3, events[2].hash, "three"}).is_ok());
  }
  insert_old_snapshot(path, 5, events[4].hash);
  // A damaged file numbered newer than the row does not count.
  std::ofstream(path + ".snapshots/00000000000000000007.snap") << "not a snapshot\n";
  auto store = must_open(path);
  ASSERT_TRUE(store);
  EXPECT_EQ(raw_count(path, "SELECT count(*) FROM snapshots"), 1);
  EXPECT_EQ((*store->latest_snapshot())->body, "legacy");
}

TEST(SqliteStore, SecondOpenInSameProcessIsRefused) {
  TempDir dir;
  const auto path = dir.file("node.db");
  auto first = must_open(path);
  ASSERT_TRUE(first);
  auto second = SqliteStore::open(path);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.status().code(), core::Code::kUnavailable);
  EXPECT_EQ(second.status().message(), "store " + path + " is in use by another process (pid " +
                                           std::to_string(getpid()) + ")");
  first.reset();
  EXPECT_TRUE(must_open(path));
}

TEST(SqliteStore, OpenFromAnotherProcessIsRefused) {
  TempDir dir;
  const auto path = dir.file("node.db");
  auto store = must_open(path);
  ASSERT_TRUE(store);
  const std::string expected = "(pid " + std::to_string(getpid()) + ")";
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto other = SqliteStore::open(path);
    bool refused =
        !other && other.status().code() == core::Code::kUnavailable &&
        other.status().message().find("in use by another process " + expected) != std::string::npos;
    _exit(refused ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(SqliteStore, ConcurrentReadersSeeConsistentPrefixesWhileAppending) {
  TempDir dir;
  auto store = must_open(dir.file("node.db"));
  ASSERT_TRUE(store);
  constexpr uint64_t kTotal = 20000;
  auto events = make_events(1, kGenesisHash, kTotal);
  std::atomic<bool> writer_done{false};

  std::thread writer([&] {
    size_t at = 0;
    for (int batch = 0; at < events.size(); ++batch) {
      size_t n = std::min<size_t>(100 + (batch * 37) % 400, events.size() - at);
      auto st = store->append(std::span(events).subspan(at, n));
      EXPECT_TRUE(st.is_ok()) << st.to_string();
      if (!st.is_ok()) break;
      at += n;
      if (batch % 10 == 0) {
        EXPECT_TRUE(store->save_snapshot({at, events[at - 1].hash, "s"}).is_ok());
      }
    }
    writer_done = true;
  });

  std::vector<std::thread> readers;
  for (int r = 0; r < 4; ++r) {
    readers.emplace_back([&, r] {
      uint64_t seq = 0;
      std::string hash = kGenesisHash;
      uint64_t last_head = 0;
      for (int iter = 0;; ++iter) {
        bool done = writer_done.load();
        auto chunk = store->read_after(seq, 300 + 100 * r);
        ASSERT_TRUE(chunk) << chunk.status().to_string();
        auto st = engine::verify_chain(seq, hash, *chunk);
        ASSERT_TRUE(st.is_ok()) << st.to_string();
        if (!chunk->empty()) {
          seq = chunk->back().seq;
          hash = chunk->back().hash;
        }
        auto head = store->head();
        ASSERT_TRUE(head);
        EXPECT_GE(head->seq, last_head);
        last_head = head->seq;
        ASSERT_TRUE(store->latest_snapshot());
        if (iter % 32 == 8 * r) {
          // A whole read is a prefix: seqs 1..n, each linked to the one before.
          auto all = store->read_after(0, kTotal + 1);
          ASSERT_TRUE(all);
          for (size_t i = 0; i < all->size(); ++i) {
            ASSERT_EQ((*all)[i].seq, i + 1);
            ASSERT_EQ((*all)[i].prev_hash, i == 0 ? std::string(kGenesisHash) : (*all)[i - 1].hash);
          }
        }
        if (done && chunk->empty()) break;
      }
      EXPECT_EQ(seq, kTotal);
    });
  }
  writer.join();
  for (auto& t : readers) t.join();
  EXPECT_EQ(store->head()->seq, kTotal);
  EXPECT_TRUE(store->verify_journal().is_ok());
}

// Under appends that never pause, a passive checkpoint never catches up with the WAL, so SQLite
// never starts it over; the checkpointer's RESTART checkpoint must keep it bounded all the same.
TEST(SqliteStore, WalStaysBoundedUnderAppendsThatNeverPause) {
  TempDir dir;
  SqliteOptions opts;
  opts.wal_restart_frames = 64;  // 256 KB
  auto store = must_open(dir.file("node.db"), opts);
  ASSERT_TRUE(store);
  std::string wal = dir.file("node.db") + "-wal";
  // Appends for 600 ms, so that a dozen checkpoint rounds (50 ms apart) run meanwhile.
  uintmax_t max_wal = 0;
  uint64_t seq = 0;
  std::string hash = kGenesisHash;
  auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(600);
  while (std::chrono::steady_clock::now() < end) {
    auto batch = make_events(seq + 1, hash, 100);
    ASSERT_TRUE(store->append(batch).is_ok());
    seq = batch.back().seq;
    hash = batch.back().hash;
    std::error_code ec;
    max_wal = std::max(max_wal, std::filesystem::file_size(wal, ec));
  }
  auto db_bytes = std::filesystem::file_size(dir.file("node.db"));
  EXPECT_GT(db_bytes, 2u << 20) << "checkpoints copied the journal into the database file";
  EXPECT_LT(max_wal, db_bytes / 2) << "the WAL grew with the journal instead of starting over";
  EXPECT_EQ(store->head()->seq, seq);
  EXPECT_TRUE(store->verify_journal().is_ok());
}

TEST(SqliteStore, GarbageFileIsAClearErrorNotACrash) {
  TempDir dir;
  for (size_t size : {5u, 100u, 8192u}) {
    const auto path = dir.file("garbage" + std::to_string(size) + ".db");
    {
      std::ofstream f(path, std::ios::binary);
      for (size_t i = 0; i < size; ++i) f.put(static_cast<char>('A' + (i * 7) % 26));
    }
    auto s = SqliteStore::open(path);
    ASSERT_FALSE(s) << size;
    EXPECT_EQ(s.status().code(), core::Code::kDataLoss) << s.status().to_string();
    EXPECT_NE(s.status().message().find(path), std::string::npos) << s.status().message();
    EXPECT_NE(s.status().message().find("not a SQLite database"), std::string::npos);
    // The lock was released: a second try gives the same answer, not "in use".
    EXPECT_EQ(SqliteStore::open(path).status().code(), core::Code::kDataLoss);
    EXPECT_EQ(std::filesystem::file_size(path), size);
  }
}

TEST(SqliteStore, NewerSchemaVersionIsRefused) {
  TempDir dir;
  const auto path = dir.file("future.db");
  raw_exec(path,
           "CREATE TABLE schema_migrations(version INTEGER PRIMARY KEY, applied_at TEXT);"
           "INSERT INTO schema_migrations VALUES(1, 'x'), (999, 'y');");
  auto s = SqliteStore::open(path);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.status().code(), core::Code::kUnavailable);
  EXPECT_NE(s.status().message().find("schema version 999"), std::string::npos)
      << s.status().message();
  EXPECT_NE(s.status().message().find(path), std::string::npos);
  // Refused without touching it.
  EXPECT_EQ(raw_count(path, "SELECT count(*) FROM sqlite_master WHERE name = 'events'"), 0);
  EXPECT_EQ(raw_count(path, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"),
            0);
}

TEST(SqliteStore, VerifyJournalFindsAlteredRow) {
  TempDir dir;
  const auto path = dir.file("node.db");
  SqliteOptions opts;
  opts.verify_chunk = 3;  // several chunks, the bad row inside one
  auto store = must_open(path, opts);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->append(make_events(1, kGenesisHash, 20)).is_ok());
  ASSERT_TRUE(store->verify_journal().is_ok());

  raw_exec(path, R"(UPDATE events SET data = '{"tampered":true}' WHERE seq = 8)");
  auto st = store->verify_journal();
  EXPECT_EQ(st.code(), core::Code::kDataLoss);
  EXPECT_NE(st.message().find("event 8 "), std::string::npos) << st.message();

  raw_exec(path, "UPDATE events SET data = 'not json' WHERE seq = 5");
  st = store->verify_journal();
  EXPECT_EQ(st.code(), core::Code::kDataLoss);
  EXPECT_NE(st.message().find("event 5 "), std::string::npos) << st.message();

  raw_exec(path, "DELETE FROM events WHERE seq = 2");
  st = store->verify_journal();
  EXPECT_EQ(st.code(), core::Code::kDataLoss);
  EXPECT_NE(st.message().find("expected seq 2"), std::string::npos) << st.message();
}

TEST(SqliteStore, MetaIsStoredOutsideTheJournal) {
  TempDir dir;
  auto store = must_open(dir.file("node.db"));
  ASSERT_TRUE(store);
  auto missing = store->get_meta("node_id");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
  ASSERT_TRUE(store->put_meta("node_id", "441200").is_ok());
  ASSERT_TRUE(store->put_meta("node_id", "441202").is_ok());
  EXPECT_EQ(store->get_meta("node_id")->value_or(""), "441202");
  EXPECT_EQ(store->head()->seq, 0u);
  EXPECT_TRUE(store->read_after(0, 10)->empty());
}

TEST(SqliteStore, MissingDirectoryIsUnavailable) {
  TempDir dir;
  auto s = SqliteStore::open(dir.file("no/such/dir/node.db"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.status().code(), core::Code::kUnavailable);
  EXPECT_NE(s.status().message().find("no/such/dir/node.db"), std::string::npos);
}

}  // namespace
}  // namespace liandong::store
