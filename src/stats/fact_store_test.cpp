// FactStore: durability (reopen keeps facts and cursor), replacing facts, refusing bad facts and a
// cursor going back, a damaged file, queries beside upserts.
#include "stats/fact_store.h"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "stats/testing/facts.h"
#include "litedb/testing/temp_dir.h"

namespace liandong::stats {
namespace {

using testing::at;
using testing::fact;

Fact full(const std::string& id) {
  Fact f = fact(id, "2026-11-20T08:15:30.250+08:00");
  f.jurisdiction = "441203";
  f.category = "natural_disaster";
  f.type = "flood";
  f.grade = "III";
  f.agencies = {"fire_brigade", "water_resources", "健康委"};
  f.closed_at = at("2026-11-21T08:00:00+08:00");
  f.deaths = 1;
  f.injuries = 4;
  f.missing = 2;
  f.affected = 1200;
  f.direct_loss_yuan = 3'500'000;
  f.dispatch_ms = 95'000;
  f.arrival_ms = 1'300'000;
  f.reports_due = 3;
  f.reports_on_time = 1;
  f.reports_late = 2;
  f.report_delay_ms = 4'000'000;
  return f;
}

class FactStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }
  void reopen() {
    store_.reset();
    auto s = FactStore::open(dir_.file("stats.db"));
    ASSERT_TRUE(s) << s.status().to_string();
    store_ = std::move(*s);
  }
  litedb::testing::TempDir dir_;
  std::unique_ptr<FactStore> store_;
};

TEST_F(FactStoreTest, ReopenKeepsFactsAndCursor) {
  EXPECT_EQ(store_->cursor(), 0u);
  EXPECT_EQ(store_->size(), 0u);
  Fact a = full("441200-INC-1"), b = fact("441200-INC-2");
  b.exercise = true;
  b.cancelled = true;
  ASSERT_TRUE(store_->upsert({a, b}, 17).is_ok());
  EXPECT_EQ(store_->cursor(), 17u);
  reopen();
  EXPECT_EQ(store_->cursor(), 17u);
  EXPECT_EQ(store_->size(), 2u);
  EXPECT_EQ(store_->get("441200-INC-1"), a);
  EXPECT_EQ(store_->get("441200-INC-2"), b);
  EXPECT_EQ(store_->get("441200-INC-3"), std::nullopt);
  auto r = store_->query({});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->total.incidents, 1);
  EXPECT_EQ(r->total.affected, 1200);
}

TEST_F(FactStoreTest, UpsertReplacesAFact) {
  Fact a = full("441200-INC-1");
  ASSERT_TRUE(store_->upsert({a}, 1).is_ok());
  a.deaths = 5;
  a.grade = "II";
  a.agencies = {"police"};
  ASSERT_TRUE(store_->upsert({a}, 2).is_ok());
  EXPECT_EQ(store_->size(), 1u);
  EXPECT_EQ(store_->get(a.id), a);
  Query q;
  q.group_by = {Dim::kGrade};
  auto r = store_->query(q);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0].key, std::vector<std::string>{"II"});
  EXPECT_EQ(r->rows[0].deaths, 5);
  q.group_by = {Dim::kAgency};
  r = store_->query(q);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0].key, std::vector<std::string>{"police"});
  reopen();
  EXPECT_EQ(store_->get(a.id), a);
  EXPECT_EQ(store_->size(), 1u);
}

TEST_F(FactStoreTest, TheLaterOfTwoInOneBatchWins) {
  Fact a = fact("441200-INC-1"), b = fact("441200-INC-1");
  b.deaths = 3;
  ASSERT_TRUE(store_->upsert({a, b}, 1).is_ok());
  EXPECT_EQ(store_->get(a.id)->deaths, 3);
  reopen();
  EXPECT_EQ(store_->get(a.id)->deaths, 3);
}

TEST_F(FactStoreTest, ManyReplacementsCompactTheIndex) {
  std::vector<Fact> batch;
  for (int i = 0; i < 100; ++i) batch.push_back(fact("441200-INC-" + std::to_string(i + 1)));
  for (int round = 0; round < 120; ++round) {  // 12,000 replacements of 100 facts
    for (auto& f : batch) f.injuries = round;
    ASSERT_TRUE(store_->upsert(batch, static_cast<uint64_t>(round + 1)).is_ok());
  }
  EXPECT_EQ(store_->size(), 100u);
  auto r = store_->query({});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->total.incidents, 100);
  EXPECT_EQ(r->total.injuries, 100 * 119);
  EXPECT_EQ(store_->get("441200-INC-7")->injuries, 119);
}

TEST_F(FactStoreTest, BadFactsAreRefusedNamingTheFieldAndNothingIsWritten) {
  auto field_of = [&](Fact bad) {
    auto st = store_->upsert({fact("441200-INC-1"), std::move(bad)}, 5);
    EXPECT_EQ(st.code(), core::Code::kInvalidArgument);
    return st.field();
  };
  Fact f = fact("441200-INC-2");
  f.id = "";
  EXPECT_EQ(field_of(f), "facts[1].id");
  f = fact("441200-INC-2");
  f.jurisdiction = "4412";
  EXPECT_EQ(field_of(f), "facts[1].jurisdiction");
  f = fact("441200-INC-2");
  f.category = "accident";
  EXPECT_EQ(field_of(f), "facts[1].category");
  f = fact("441200-INC-2");
  f.type = "";
  EXPECT_EQ(field_of(f), "facts[1].type");
  f = fact("441200-INC-2");
  f.grade = "V";
  EXPECT_EQ(field_of(f), "facts[1].grade");
  f = fact("441200-INC-2");
  f.agencies = {"a", "a\nb"};
  EXPECT_EQ(field_of(f), "facts[1].agencies[1]");
  f.agencies = {"a", "a"};
  EXPECT_EQ(field_of(f), "facts[1].agencies[1]");
  f = fact("441200-INC-2");
  f.deaths = -1;
  EXPECT_EQ(field_of(f), "facts[1].deaths");
  f = fact("441200-INC-2");
  f.direct_loss_yuan = INT64_MAX;  // summed with another, it would overflow
  EXPECT_EQ(field_of(f), "facts[1].direct_loss_yuan");
  f = fact("441200-INC-2");
  f.affected = 3'000'000'000;
  EXPECT_EQ(field_of(f), "facts[1].affected");
  f = fact("441200-INC-2");
  f.arrival_ms = -5;
  EXPECT_EQ(field_of(f), "facts[1].arrival_ms");
  f = fact("441200-INC-2", "9999-01-01T00:00:00Z");
  EXPECT_EQ(field_of(f), "facts[1].opened_at");
  f = fact("441200-INC-2", "1899-12-31T23:59:59Z");
  EXPECT_EQ(field_of(f), "facts[1].opened_at");
  f = fact("441200-INC-2");
  f.closed_at = f.opened_at - std::chrono::seconds(1);
  EXPECT_EQ(field_of(f), "facts[1].closed_at");
  f = fact("441200-INC-2");
  f.reports_due = 1;
  f.reports_on_time = 1;
  f.reports_late = 1;
  EXPECT_EQ(field_of(f), "facts[1].reports_due");
  EXPECT_EQ(store_->size(), 0u);
  EXPECT_EQ(store_->cursor(), 0u);
  reopen();
  EXPECT_EQ(store_->size(), 0u);
}

TEST_F(FactStoreTest, CursorMayNotGoBack) {
  ASSERT_TRUE(store_->upsert({fact("441200-INC-1")}, 10).is_ok());
  ASSERT_TRUE(store_->upsert({}, 10).is_ok());  // the same position again is fine
  auto st = store_->upsert({fact("441200-INC-2")}, 9);
  EXPECT_EQ(st.code(), core::Code::kConflict);
  EXPECT_EQ(st.field(), "cursor");
  EXPECT_EQ(store_->size(), 1u);
  EXPECT_EQ(store_->cursor(), 10u);
}

TEST_F(FactStoreTest, AFileThatIsNotADatabaseIsDataLoss) {
  store_.reset();
  const std::string path = dir_.file("garbage.db");
  {
    std::ofstream out(path, std::ios::binary);
    out << std::string(8192, 'x');
  }
  auto s = FactStore::open(path);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.status().code(), core::Code::kDataLoss);
  EXPECT_NE(s.status().message().find("garbage.db"), std::string::npos);
}

TEST_F(FactStoreTest, AFolderThatDoesNotExistIsUnavailable) {
  auto s = FactStore::open(dir_.file("no/such/folder/stats.db"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.status().code(), core::Code::kUnavailable);
}

TEST_F(FactStoreTest, QueriesRunBesideUpserts) {
  std::atomic<bool> done{false};
  std::atomic<int64_t> bad{0};
  std::thread reader([&] {
    Query q;
    q.group_by = {Dim::kMonth, Dim::kJurisdiction};
    while (!done) {
      auto r = store_->query(q);
      if (!r) {
        ++bad;
        continue;
      }
      int64_t sum = 0;
      for (const auto& row : r->rows) sum += row.incidents;
      if (sum != r->total.incidents || r->total.incidents % 10 != 0) ++bad;  // whole batches only
    }
  });
  for (int b = 0; b < 50; ++b) {
    std::vector<Fact> batch;
    for (int i = 0; i < 10; ++i) {
      Fact f = fact("441200-INC-" + std::to_string(b * 10 + i + 1));
      f.jurisdiction = i % 2 ? "441202" : "441203";
      batch.push_back(f);
    }
    ASSERT_TRUE(store_->upsert(batch, static_cast<uint64_t>(b + 1)).is_ok());
  }
  done = true;
  reader.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(store_->size(), 500u);
}

}  // namespace
}  // namespace liandong::stats
