#include "store/sqlite_positions.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <ostream>
#include <random>
#include <thread>

#include "fleet/position_store.h"

namespace liandong::fleet {
// So that gtest prints a differing fix readably.
void PrintTo(const Fix& f, std::ostream* os) {
  auto opt = [](const std::optional<double>& v) { return v ? std::to_string(*v) : "-"; };
  *os << "{" << f.object_id << " t=" << core::to_unix_millis(f.time) << " lon=" << f.lon
      << " lat=" << f.lat << " speed=" << opt(f.speed_kmh) << " heading=" << opt(f.heading_deg)
      << " accuracy=" << opt(f.accuracy_m) << " received=" << core::to_unix_millis(f.received)
      << "}";
}
}  // namespace liandong::fleet

namespace liandong::store {
namespace {

using fleet::Fix;
using fleet::PositionStore;

class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "liandong-positions-XXXXXX").string();
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

core::Timestamp at(int64_t ms) { return core::from_unix_millis(1795000000000 + ms); }

Fix fix(std::string id, int64_t ms, double lon = 112.46, double lat = 23.05) {
  Fix f;
  f.object_id = std::move(id);
  f.time = at(ms);
  f.lon = lon;
  f.lat = lat;
  f.received = at(ms + 250);
  return f;
}

std::vector<int64_t> times_of(const std::vector<Fix>& fixes) {
  std::vector<int64_t> out;
  for (const auto& f : fixes) out.push_back(core::to_unix_millis(f.time) - 1795000000000);
  return out;
}

std::vector<std::string> ids_of(const std::vector<Fix>& fixes) {
  std::vector<std::string> out;
  for (const auto& f : fixes) out.push_back(f.object_id);
  return out;
}

std::unique_ptr<SqlitePositionStore> must_open(const std::string& path,
                                               const SqlitePositionOptions& opts = {}) {
  auto s = SqlitePositionStore::open(path, opts);
  if (!s) ADD_FAILURE() << s.status().to_string();
  return s ? std::move(s).value() : nullptr;
}

// ---- The conformance suite: what every fleet::PositionStore does, run on both. ----

struct MemoryFactory {
  std::unique_ptr<PositionStore> make() { return std::make_unique<fleet::MemoryPositionStore>(); }
};

struct SqliteFactory {
  TempDir dir;
  std::unique_ptr<PositionStore> make() {
    // A small prune batch, so that prune's transaction boundaries are crossed in every test.
    return must_open(dir.file("telemetry.db"), {.prune_batch_rows = 3});
  }
};

template <typename Factory>
class PositionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = factory_.make();
    ASSERT_NE(store_, nullptr);
  }
  void append(std::vector<Fix> fixes) {
    core::Status st = store_->append(fixes);
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }
  std::vector<Fix> latest() {
    auto r = store_->latest();
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r ? *r : std::vector<Fix>{};
  }
  std::vector<Fix> history(std::string_view id, int64_t from = std::numeric_limits<int32_t>::min(),
                           int64_t to = std::numeric_limits<int32_t>::max(),
                           size_t limit = std::numeric_limits<size_t>::max()) {
    auto r = store_->history(id, at(from), at(to), limit);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r ? *r : std::vector<Fix>{};
  }
  uint64_t prune(int64_t before) {
    auto r = store_->prune(at(before));
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r ? *r : 0;
  }

  Factory factory_;
  std::unique_ptr<PositionStore> store_;
};

using Implementations = ::testing::Types<MemoryFactory, SqliteFactory>;
class ImplementationNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    return std::is_same_v<T, MemoryFactory> ? "Memory" : "Sqlite";
  }
};
TYPED_TEST_SUITE(PositionStoreTest, Implementations, ImplementationNames);

TYPED_TEST(PositionStoreTest, EmptyStoreHasNothing) {
  EXPECT_TRUE(this->latest().empty());
  EXPECT_TRUE(this->history("441200-UNT-1").empty());
  EXPECT_EQ(this->prune(1000), 0u);
  this->append({});
  EXPECT_TRUE(this->latest().empty());
}

TYPED_TEST(PositionStoreTest, StoringAFixAgainKeepsTheFirst) {
  this->append({fix("U1", 10, 112.0, 23.0), fix("U1", 20)});
  // A resent batch, a changed position under the same key, and a duplicate inside one batch.
  this->append({fix("U1", 10, 112.0, 23.0), fix("U1", 20)});
  this->append({fix("U1", 10, 999.0, 99.0)});
  this->append({fix("U2", 5, 1.0, 1.0), fix("U2", 5, 2.0, 2.0)});

  auto h = this->history("U1");
  ASSERT_EQ(times_of(h), (std::vector<int64_t>{10, 20}));
  EXPECT_EQ(h[0], fix("U1", 10, 112.0, 23.0));
  auto h2 = this->history("U2");
  ASSERT_EQ(h2.size(), 1u);
  EXPECT_EQ(h2[0].lon, 1.0);
  // The same key again does not replace the latest fix either.
  this->append({fix("U2", 5, 3.0, 3.0)});
  auto l = this->latest();
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[1], fix("U2", 5, 1.0, 1.0));
}

TYPED_TEST(PositionStoreTest, OutOfOrderFixesComeBackInTimeOrder) {
  this->append({fix("U1", 50), fix("U1", 10), fix("U1", 30)});
  this->append({fix("U1", 20)});
  this->append({fix("U1", 40), fix("U1", 0)});
  EXPECT_EQ(times_of(this->history("U1")), (std::vector<int64_t>{0, 10, 20, 30, 40, 50}));
}

TYPED_TEST(PositionStoreTest, AnOlderFixArrivingLaterDoesNotReplaceTheLatest) {
  this->append({fix("U1", 100, 112.5, 23.5)});
  this->append({fix("U1", 40, 100.0, 20.0), fix("U1", 99)});
  auto l = this->latest();
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0], fix("U1", 100, 112.5, 23.5));
  // A newer one does; and within one batch the newest wins whatever its place.
  this->append({fix("U1", 300, 1, 1), fix("U1", 200, 2, 2)});
  l = this->latest();
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0], fix("U1", 300, 1, 1));
}

TYPED_TEST(PositionStoreTest, LatestHasOneFixPerObjectInIdOrder) {
  this->append({fix("U3", 1), fix("U1", 5), fix("U2", 7), fix("U1", 9), fix("U3", 4)});
  auto l = this->latest();
  EXPECT_EQ(ids_of(l), (std::vector<std::string>{"U1", "U2", "U3"}));
  EXPECT_EQ(times_of(l), (std::vector<int64_t>{9, 7, 4}));
}

TYPED_TEST(PositionStoreTest, HistoryTakesFromInclusiveToExclusiveAndTheLimit) {
  std::vector<Fix> fixes;
  for (int64_t t = 0; t < 100; t += 10) fixes.push_back(fix("U1", t));
  fixes.push_back(fix("U10", 20));  // a longer id with U1 as its prefix
  fixes.push_back(fix("U", 20));
  this->append(fixes);

  EXPECT_EQ(times_of(this->history("U1", 20, 50)), (std::vector<int64_t>{20, 30, 40}));
  EXPECT_EQ(times_of(this->history("U1", 21, 50)), (std::vector<int64_t>{30, 40}));
  EXPECT_EQ(times_of(this->history("U1", 20, 50, 2)), (std::vector<int64_t>{20, 30}));
  EXPECT_EQ(times_of(this->history("U1", 0, 1000, 3)), (std::vector<int64_t>{0, 10, 20}));
  EXPECT_EQ(this->history("U1").size(), 10u);
  EXPECT_TRUE(this->history("U1", 20, 50, 0).empty());
  EXPECT_TRUE(this->history("U1", 50, 50).empty());
  EXPECT_TRUE(this->history("U1", 60, 20).empty());
  EXPECT_TRUE(this->history("U1", 91, 1000).empty());
  EXPECT_TRUE(this->history("nobody").empty());
  EXPECT_EQ(times_of(this->history("U10")), (std::vector<int64_t>{20}));
  EXPECT_EQ(times_of(this->history("U")), (std::vector<int64_t>{20}));
}

TYPED_TEST(PositionStoreTest, PruneRemovesOlderFixesAndObjectsLeftWithNone) {
  std::vector<Fix> fixes;
  for (int64_t t = 0; t < 10; ++t) fixes.push_back(fix("U1", t * 10));  // 0..90
  fixes.push_back(fix("U2", 5));
  fixes.push_back(fix("U2", 15));  // all of U2 is older than 50
  fixes.push_back(fix("U3", 50));  // exactly `before`: stays
  this->append(fixes);

  EXPECT_EQ(this->prune(50), 5u + 2u);
  EXPECT_EQ(times_of(this->history("U1")), (std::vector<int64_t>{50, 60, 70, 80, 90}));
  EXPECT_TRUE(this->history("U2").empty());
  auto l = this->latest();
  EXPECT_EQ(ids_of(l), (std::vector<std::string>{"U1", "U3"}));
  EXPECT_EQ(times_of(l), (std::vector<int64_t>{90, 50}));
  EXPECT_EQ(this->prune(50), 0u);

  // A pruned object that reports again is back, with only its new fixes.
  this->append({fix("U2", 500)});
  EXPECT_EQ(times_of(this->history("U2")), (std::vector<int64_t>{500}));
  EXPECT_EQ(this->prune(1000), 7u);
  EXPECT_TRUE(this->latest().empty());
}

TYPED_TEST(PositionStoreTest, OptionalFieldsRoundTripAndAbsentStaysAbsent) {
  Fix full = fix("U1", 1, 112.4651234567891, -23.047100000000001);
  full.speed_kmh = 0.0;  // present and zero is not absent
  full.heading_deg = 359.99999999;
  full.accuracy_m = 4.25e-3;
  Fix some = fix("U2", 2, -180.0, 90.0);
  some.heading_deg = 0.0;
  Fix none = fix("U3", 3, 0.0, -0.0);
  none.received = at(-5);  // received before taken: a device clock ahead; stored as given
  this->append({full, some, none});

  auto l = this->latest();
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[0], full);
  EXPECT_EQ(l[1], some);
  EXPECT_FALSE(l[1].speed_kmh.has_value());
  EXPECT_FALSE(l[1].accuracy_m.has_value());
  EXPECT_EQ(l[2], none);
  EXPECT_FALSE(l[2].speed_kmh || l[2].heading_deg || l[2].accuracy_m);
  EXPECT_EQ(this->history("U1"), std::vector<Fix>{full});
  EXPECT_EQ(this->history("U2"), std::vector<Fix>{some});
  EXPECT_EQ(this->history("U3"), std::vector<Fix>{none});
}

TYPED_TEST(PositionStoreTest, ChineseAndOddObjectIds) {
  std::vector<std::string> ids = {
      "粤H·12345 消防车",
      "端州区-UNT-7",
      "",
      " ",
      "U1 ",
      "a'b\"c; DROP TABLE positions; --",
      "%_*?[",
      "😀🚒",
      std::string("nul\0inside", 10),
      std::string(1000, 'x'),
      "\xff\xfe not utf-8",
  };
  std::vector<Fix> fixes;
  for (size_t i = 0; i < ids.size(); ++i) fixes.push_back(fix(ids[i], static_cast<int64_t>(i)));
  this->append(fixes);

  auto sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(ids_of(this->latest()), sorted);
  for (size_t i = 0; i < ids.size(); ++i)
    EXPECT_EQ(this->history(ids[i]), std::vector<Fix>{fixes[i]}) << "id #" << i;
}

TYPED_TEST(PositionStoreTest, ABatchWithANumberNotFiniteIsRefusedWhole) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<Fix> bad = {fix("U1", 1), fix("U1", 2, nan, 23.0)};
  core::Status st = this->store_->append(bad);
  EXPECT_EQ(st.code(), core::Code::kInvalidArgument) << st.to_string();
  EXPECT_EQ(st.field(), "lon");
  EXPECT_NE(st.message().find("fix 1 (object U1)"), std::string::npos) << st.message();

  Fix f = fix("U2", 3);
  f.speed_kmh = inf;
  st = this->store_->append(std::vector<Fix>{f});
  EXPECT_EQ(st.code(), core::Code::kInvalidArgument);
  EXPECT_EQ(st.field(), "speed_kmh");
  f.speed_kmh.reset();
  f.accuracy_m = -nan;
  EXPECT_EQ(this->store_->append(std::vector<Fix>{f}).field(), "accuracy_m");
  EXPECT_TRUE(this->latest().empty());
}

// ---- SQLite only. ----

// Runs SQL on the file with a separate raw connection, behind the store's back.
std::string raw_query(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  std::string out;
  char* err = nullptr;
  auto cb = [](void* o, int n, char** vals, char**) {
    for (int i = 0; i < n; ++i) *static_cast<std::string*>(o) += vals[i] ? vals[i] : "NULL";
    return 0;
  };
  int rc = sqlite3_exec(db, sql.c_str(), cb, &out, &err);
  EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(SqlitePositionStore, ReopeningKeepsTheFixes) {
  TempDir dir;
  std::string path = dir.file("telemetry.db");
  Fix a = fix("粤H-UNT-1", 10);
  a.speed_kmh = 42.5;
  std::vector<Fix> fixes = {a, fix("粤H-UNT-1", 5), fix("U2", 7)};
  {
    auto s = must_open(path);
    ASSERT_NE(s, nullptr);
    ASSERT_TRUE(s->append(fixes).is_ok());
  }
  auto s = must_open(path);
  ASSERT_NE(s, nullptr);
  auto l = s->latest();
  ASSERT_TRUE(l.is_ok());
  EXPECT_EQ(*l, (std::vector<Fix>{fix("U2", 7), a}));  // byte order: 'U' < the UTF-8 of 粤
  auto h = s->history("粤H-UNT-1", at(0), at(100), 10);
  ASSERT_TRUE(h.is_ok());
  EXPECT_EQ(*h, (std::vector<Fix>{fix("粤H-UNT-1", 5), a}));
  EXPECT_EQ(raw_query(path, "SELECT max(version) FROM schema_migrations"), "1");
  EXPECT_EQ(raw_query(path, "PRAGMA journal_mode"), "wal");
}

TEST(SqlitePositionStore, ADamagedFileIsRefusedNamingItAndLeftAsItWas) {
  TempDir dir;
  std::string path = dir.file("telemetry.db");
  std::string garbage;
  for (int i = 0; i < 8192; ++i) garbage += static_cast<char>('A' + i * 7 % 26);
  std::ofstream(path, std::ios::binary) << garbage;

  auto s = SqlitePositionStore::open(path);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.status().code(), core::Code::kDataLoss) << s.status().to_string();
  EXPECT_NE(s.status().message().find(path), std::string::npos) << s.status().message();
  EXPECT_NE(s.status().message().find("not a SQLite database"), std::string::npos);
  EXPECT_EQ(read_file(path), garbage);
}

TEST(SqlitePositionStore, AFileThatCannotBeCreatedIsUnavailable) {
  TempDir dir;
  std::string path = dir.file("no-such-folder/telemetry.db");
  auto s = SqlitePositionStore::open(path);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.status().code(), core::Code::kUnavailable);
  EXPECT_NE(s.status().message().find(path), std::string::npos) << s.status().message();
}

TEST(SqlitePositionStore, ANewerSchemaIsRefused) {
  TempDir dir;
  std::string path = dir.file("telemetry.db");
  { ASSERT_NE(must_open(path), nullptr); }
  raw_query(path, "INSERT INTO schema_migrations(version) VALUES(99)");
  auto s = SqlitePositionStore::open(path);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.status().code(), core::Code::kUnavailable);
  EXPECT_NE(s.status().message().find("schema version 99"), std::string::npos)
      << s.status().message();
}

TEST(SqlitePositionStore, ABusyFileIsUnavailableAndTheBatchIsNotStored) {
  TempDir dir;
  std::string path = dir.file("telemetry.db");
  auto s = must_open(path, {.busy_timeout_ms = 20});
  ASSERT_NE(s, nullptr);
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);

  core::Status st = s->append(std::vector<Fix>{fix("U1", 1)});
  EXPECT_EQ(st.code(), core::Code::kUnavailable) << st.to_string();
  EXPECT_NE(st.message().find(path), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("database is locked"), std::string::npos) << st.message();
  // Readers are not blocked by a writer (WAL).
  auto l = s->latest();
  ASSERT_TRUE(l.is_ok()) << l.status().to_string();
  EXPECT_TRUE(l->empty());

  ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  EXPECT_TRUE(s->append(std::vector<Fix>{fix("U1", 1)}).is_ok());
  EXPECT_EQ(s->latest()->size(), 1u);
}

// Random appends (out of order, with duplicates) and prunes on both implementations, in small prune
// transactions: every answer must be the same.
TEST(SqlitePositionStore, AnswersAsTheMemoryStoreDoesOnRandomOperations) {
  TempDir dir;
  auto sql = must_open(dir.file("telemetry.db"), {.prune_batch_rows = 5});
  ASSERT_NE(sql, nullptr);
  fleet::MemoryPositionStore mem;
  std::mt19937 rng(20261129);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  for (int round = 0; round < 300; ++round) {
    if (pick(10) == 0) {
      int64_t before = pick(2000);
      auto a = mem.prune(at(before));
      auto b = sql->prune(at(before));
      ASSERT_TRUE(b.is_ok()) << b.status().to_string();
      ASSERT_EQ(*a, *b) << "round " << round;
    } else {
      std::vector<Fix> batch;
      for (int i = pick(40); i >= 0; --i) {
        Fix f =
            fix("单位-" + std::to_string(pick(12)), pick(2000), pick(1000) / 7.0, pick(900) / 3.0);
        if (pick(2)) f.speed_kmh = pick(120);
        batch.push_back(f);
      }
      ASSERT_TRUE(mem.append(batch).is_ok());
      core::Status st = sql->append(batch);
      ASSERT_TRUE(st.is_ok()) << st.to_string();
    }
    ASSERT_EQ(*mem.latest(), *sql->latest()) << "round " << round;
    std::string id = "单位-" + std::to_string(pick(12));
    int64_t from = pick(2000), to = pick(2000);
    size_t limit = static_cast<size_t>(pick(50));
    ASSERT_EQ(*mem.history(id, at(from), at(to), limit), *sql->history(id, at(from), at(to), limit))
        << "round " << round;
  }
  EXPECT_GT(mem.size(), 0u);
}

// A flusher thread appends while HTTP-like threads read; each read must be a consistent commit:
// history in time order, and an object's latest never going back in time. Run under the sanitizers.
TEST(SqlitePositionStore, ReadsRunWhileAppendsGoOn) {
  TempDir dir;
  auto s = must_open(dir.file("telemetry.db"));
  ASSERT_NE(s, nullptr);
  constexpr int kObjects = 20, kBatches = 150;
  std::atomic<bool> done{false};
  std::atomic<int> reads{0};
  std::thread writer([&] {
    for (int b = 0; b < kBatches; ++b) {
      std::vector<Fix> batch;
      // Each batch: two fixes per object, the newer first, and an old one arriving late.
      for (int o = 0; o < kObjects; ++o) {
        std::string id = "U" + std::to_string(o);
        batch.push_back(fix(id, b * 10 + 5));
        batch.push_back(fix(id, b * 10));
        if (b > 2) batch.push_back(fix(id, (b - 2) * 10 + 1));
      }
      core::Status st = s->append(batch);
      if (!st.is_ok()) {
        ADD_FAILURE() << st.to_string();
        break;
      }
    }
    done = true;
  });
  auto reader = [&](int which) {
    std::map<std::string, int64_t> seen;
    while (!done || reads < 20) {
      if (which == 0) {
        auto l = s->latest();
        ASSERT_TRUE(l.is_ok()) << l.status().to_string();
        for (const auto& f : *l) {
          int64_t t = core::to_unix_millis(f.time);
          ASSERT_GE(t, seen[f.object_id]) << f.object_id;
          ASSERT_EQ(t % 10, 5) << "the newest fix of a batch is always latest";
          seen[f.object_id] = t;
        }
      } else {
        auto h = s->history("U" + std::to_string(reads % kObjects), at(0), at(1000000), 100000);
        ASSERT_TRUE(h.is_ok()) << h.status().to_string();
        ASSERT_TRUE(std::is_sorted(h->begin(), h->end(),
                                   [](const Fix& a, const Fix& b) { return a.time < b.time; }));
      }
      ++reads;
    }
  };
  std::thread r1(reader, 0), r2(reader, 1), r3(reader, 0);
  writer.join();
  r1.join();
  r2.join();
  r3.join();
  auto l = s->latest();
  ASSERT_TRUE(l.is_ok());
  ASSERT_EQ(l->size(), static_cast<size_t>(kObjects));
  for (const auto& f : *l) EXPECT_EQ(f.time, at((kBatches - 1) * 10 + 5));
  auto h = s->history("U0", at(0), at(1000000), 100000);
  ASSERT_TRUE(h.is_ok());
  EXPECT_EQ(h->size(), static_cast<size_t>(kBatches * 2 + (kBatches - 3)));
}

}  // namespace
}  // namespace liandong::store
