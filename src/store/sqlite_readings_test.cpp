#include "store/sqlite_readings.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "readings/reading_store_suite.h"

namespace liandong::store {
namespace {

using readings::AppendResult;
using readings::ReadingStore;
using readings::row;
using readings::Row;

class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "liandong-readings-XXXXXX").string();
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

std::unique_ptr<SqliteReadingStore> must_open(const std::string& path,
                                              const SqliteReadingOptions& opts = {}) {
  auto s = SqliteReadingStore::open(path, opts);
  EXPECT_TRUE(s.is_ok()) << s.status().to_string();
  return s ? std::move(s).value() : nullptr;
}

struct SqliteFactory {
  TempDir dir;
  std::unique_ptr<ReadingStore> make() { return must_open(dir.file("readings.db")); }
  void reopen(std::unique_ptr<ReadingStore>& store) {
    store.reset();
    store = must_open(dir.file("readings.db"));
  }
};

TEST(SqliteReadingStore, NotADatabaseIsDataLossAndLeftAlone) {
  TempDir dir;
  const std::string path = dir.file("readings.db");
  const std::string junk(8192, 'x');
  std::ofstream(path) << junk;
  auto s = SqliteReadingStore::open(path);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.status().code(), core::Code::kDataLoss) << s.status().to_string();
  EXPECT_NE(s.status().message().find(path), std::string::npos);
  std::ifstream in(path);
  std::string back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(back, junk);
}

TEST(SqliteReadingStore, ADamagedReadingsPageIsDataLoss) {
  TempDir dir;
  const std::string path = dir.file("readings.db");
  {
    auto store = must_open(path);
    ASSERT_NE(store, nullptr);
    auto id = store->series_id("441300-MON-1", "cadmium");
    ASSERT_TRUE(id.is_ok());
    std::vector<Row> rows;
    for (int i = 0; i < 5000; ++i) rows.push_back(row(*id, i * 300000LL, i * 0.001));
    ASSERT_TRUE(store->append(rows).is_ok());
  }
  // Checkpoint the WAL into the file and drop it, then overwrite the last page (a leaf of
  // readings, the newest rows) with noise.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto size = std::filesystem::file_size(path);
  ASSERT_GT(size, 4096u * 8);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size - 4096));
    std::string noise(4096, '\xa5');
    f.write(noise.data(), static_cast<std::streamsize>(noise.size()));
  }
  auto store = must_open(path);  // the schema and series pages are intact
  ASSERT_NE(store, nullptr);
  auto r = store->range(1, 0, readings::kEndTimeMs, 10);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), core::Code::kDataLoss) << r.status().to_string();
  auto l = store->latest(1);
  ASSERT_FALSE(l.is_ok());
  EXPECT_EQ(l.status().code(), core::Code::kDataLoss) << l.status().to_string();
}

TEST(SqliteReadingStore, AFolderThatIsNotThereIsUnavailable) {
  TempDir dir;
  auto s = SqliteReadingStore::open(dir.file("missing/readings.db"));
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.status().code(), core::Code::kUnavailable) << s.status().to_string();
}

TEST(SqliteReadingStore, ANewerSchemaIsRefused) {
  TempDir dir;
  const std::string path = dir.file("readings.db");
  ASSERT_NE(must_open(path), nullptr);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "INSERT INTO schema_migrations(version) VALUES(99)", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto s = SqliteReadingStore::open(path);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.status().code(), core::Code::kUnavailable);
  EXPECT_NE(s.status().message().find("newer"), std::string::npos) << s.status().message();
}

TEST(SqliteReadingStore, AFullDiskFailsTheAppendAndStoresNothing) {
  TempDir dir;
  auto store = must_open(dir.file("readings.db"), {.max_page_count = 40});
  ASSERT_NE(store, nullptr);
  auto id = store->series_id("441300-MON-1", "cadmium");
  ASSERT_TRUE(id.is_ok());
  std::vector<Row> rows;
  for (int i = 0; i < 20000; ++i) rows.push_back(row(*id, i, i * 0.5));  // ~ 100 pages
  auto r = store->append(rows);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), core::Code::kUnavailable) << r.status().to_string();
  EXPECT_NE(r.status().message().find("full"), std::string::npos) << r.status().message();
  auto latest = store->latest(*id);
  ASSERT_TRUE(latest.is_ok());
  EXPECT_EQ(*latest, std::nullopt);
  // The store goes on working once the batch fits.
  rows.resize(100);
  auto ok = store->append(rows);
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  EXPECT_EQ(*ok, (AppendResult{100, 0}));
}

TEST(SqliteReadingStore, ALockedFileIsUnavailableAfterTheBusyTimeout) {
  TempDir dir;
  const std::string path = dir.file("readings.db");
  auto store = must_open(path, {.busy_timeout_ms = 50});
  ASSERT_NE(store, nullptr);
  auto id = store->series_id("441300-MON-1", "cadmium");
  ASSERT_TRUE(id.is_ok());
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  std::vector<Row> rows = {row(*id, 1, 1)};
  auto r = store->append(rows);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), core::Code::kUnavailable);
  EXPECT_NE(r.status().message().find("locked"), std::string::npos) << r.status().message();
  auto created = store->series_id("441300-MON-1", "lead");
  ASSERT_FALSE(created.is_ok());
  EXPECT_EQ(created.status().code(), core::Code::kUnavailable);
  // Reads are not blocked by the other writer (WAL).
  EXPECT_TRUE(store->range(*id, 0, 100, 10).is_ok());
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  auto again = store->append(rows);
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_EQ(*again, (AppendResult{1, 0}));
  // The failed series was not cached: it is created now, with the next id.
  auto lead = store->series_id("441300-MON-1", "lead");
  ASSERT_TRUE(lead.is_ok());
  EXPECT_EQ(*lead, 2);
}

TEST(SqliteReadingStore, ReadsRunWhileAppendsCommit) {
  TempDir dir;
  auto store = must_open(dir.file("readings.db"));
  ASSERT_NE(store, nullptr);
  auto id = store->series_id("441300-MON-1", "cadmium");
  ASSERT_TRUE(id.is_ok());
  constexpr int kBatches = 50, kRows = 200;
  std::atomic<bool> done{false};
  std::atomic<int> read_errors{0}, reads{0};
  std::thread reader([&] {
    size_t last = 0;
    while (!done) {
      auto r = store->range(*id, 0, readings::kEndTimeMs, 1'000'000);
      if (!r.is_ok() || r->size() < last || r->size() % kRows != 0) ++read_errors;
      if (r.is_ok()) last = r->size();
      ++reads;
    }
  });
  for (int b = 0; b < kBatches; ++b) {
    std::vector<Row> rows;
    for (int i = 0; i < kRows; ++i) rows.push_back(row(*id, b * kRows + i, i));
    auto r = store->append(rows);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  }
  done = true;
  reader.join();
  EXPECT_EQ(read_errors, 0);  // every read saw whole batches only
  EXPECT_GT(reads, 0);
  auto all = store->range(*id, 0, readings::kEndTimeMs, 1'000'000);
  ASSERT_TRUE(all.is_ok());
  EXPECT_EQ(all->size(), static_cast<size_t>(kBatches * kRows));
}

TEST(SqliteReadingStore, AnUnknownQualityInTheFileIsDataLoss) {
  TempDir dir;
  const std::string path = dir.file("readings.db");
  {
    auto store = must_open(path);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->series_id("441300-MON-1", "cadmium").is_ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "INSERT INTO readings VALUES(1, 5, 1.0, 42)", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  auto store = must_open(path);
  ASSERT_NE(store, nullptr);
  auto l = store->latest(1);
  ASSERT_FALSE(l.is_ok());
  EXPECT_EQ(l.status().code(), core::Code::kDataLoss);
  auto r = store->range(1, 0, 10, 10);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), core::Code::kDataLoss);
}

}  // namespace
}  // namespace liandong::store

// The suite's names live in its namespace.
namespace liandong::readings {
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, ReadingStoreSuite, ::testing::Types<store::SqliteFactory>);
}  // namespace liandong::readings
