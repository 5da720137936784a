// The index and plain SQL agree: a few thousand random facts, then month × category ×
// jurisdiction from FactStore::query and from a GROUP BY over the store's own file.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <tuple>

#include "stats/fact_store.h"
#include "stats/testing/facts.h"
#include "litedb/testing/temp_dir.h"

namespace liandong::stats {
namespace {

struct Sums {
  int64_t incidents = 0, deaths = 0, injuries = 0, missing = 0, affected = 0, loss = 0, due = 0,
          on_time = 0, late = 0;
  bool operator==(const Sums&) const = default;
};

std::vector<Fact> random_facts(size_t n, uint32_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&](auto& v) { return v[rng() % v.size()]; };
  std::vector<std::string> jurs{"441202", "441203", "441204", "441223", "441200", "440604"};
  std::vector<std::pair<std::string, std::string>> kinds{{"natural_disaster", "flood"},
                                                         {"natural_disaster", "typhoon"},
                                                         {"accident_disaster", "fire"},
                                                         {"public_health", "food_poisoning"},
                                                         {"social_safety", "public_disorder"}};
  std::vector<std::string> grades{"", "", "IV", "III", "II", "I"};
  // 2025-01-01T00:00Z … 2027-01-01T00:00Z, so month ends fall on either side of UTC midnight.
  const int64_t t0 = 1'735'689'600'000, span = 2LL * 365 * 86'400'000;
  std::vector<Fact> out;
  for (size_t i = 0; i < n; ++i) {
    Fact f;
    f.id = "441200-INC-" + std::to_string(i % (n - n / 10) + 1);  // a tenth replace earlier ones
    f.jurisdiction = pick(jurs);
    auto kind = pick(kinds);
    f.category = kind.first;
    f.type = kind.second;
    f.grade = pick(grades);
    f.opened_at = core::from_unix_millis(t0 + static_cast<int64_t>(rng() % span));
    f.cancelled = rng() % 20 == 0;
    f.exercise = rng() % 25 == 0;
    f.deaths = rng() % 10 == 0 ? static_cast<int64_t>(rng() % 4) : 0;
    f.injuries = static_cast<int64_t>(rng() % 3);
    f.missing = rng() % 30 == 0;
    f.affected = static_cast<int64_t>(rng() % 500);
    f.direct_loss_yuan = static_cast<int64_t>(rng() % 1'000'000);
    f.reports_due = static_cast<int32_t>(rng() % 4);
    f.reports_late = f.reports_due ? static_cast<int32_t>(rng() % (f.reports_due + 1)) : 0;
    f.reports_on_time = f.reports_due - f.reports_late;
    f.report_delay_ms = f.reports_late * static_cast<int64_t>(rng() % 3'600'000);
    out.push_back(f);
  }
  return out;
}

TEST(SqlAgreement, MonthCategoryJurisdictionMatchesGroupBy) {
  litedb::testing::TempDir dir;
  const std::string path = dir.file("stats.db");
  auto opened = FactStore::open(path);
  ASSERT_TRUE(opened) << opened.status().to_string();
  auto store = std::move(*opened);
  auto facts = random_facts(5000, 20261202);
  for (size_t i = 0; i < facts.size(); i += 700) {
    std::vector<Fact> batch(facts.begin() + static_cast<ptrdiff_t>(i),
                            facts.begin() + static_cast<ptrdiff_t>(std::min(i + 700, facts.size())));
    ASSERT_TRUE(store->upsert(batch, i + 1).is_ok());
  }

  Query q;
  q.group_by = {Dim::kMonth, Dim::kCategory, Dim::kJurisdiction};
  auto r = store->query(q);
  ASSERT_TRUE(r) << r.status().to_string();
  std::map<std::tuple<std::string, std::string, std::string>, Sums> ours, theirs;
  Sums ours_total;
  for (const auto& row : r->rows) {
    Sums s{row.incidents, row.deaths,      row.injuries,        row.missing,     row.affected,
           row.direct_loss_yuan, row.reports_due, row.reports_on_time, row.reports_late};
    ours[{row.key[0], row.key[1], row.key[2]}] = s;
    ours_total.incidents += row.incidents;
  }

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(
                db,
                "SELECT strftime('%Y-%m', opened_at / 1000, 'unixepoch', '+8 hours') AS month,"
                " category, jurisdiction, COUNT(*), SUM(deaths), SUM(injuries), SUM(missing),"
                " SUM(affected), SUM(direct_loss_yuan), SUM(reports_due), SUM(reports_on_time),"
                " SUM(reports_late) FROM facts WHERE cancelled = 0 AND exercise = 0"
                " GROUP BY month, category, jurisdiction",
                -1, &st, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  while (sqlite3_step(st) == SQLITE_ROW) {
    auto text = [&](int i) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, i))); };
    Sums s;
    int64_t* fields[] = {&s.incidents, &s.deaths, &s.injuries, &s.missing, &s.affected,
                         &s.loss,      &s.due,    &s.on_time,  &s.late};
    for (int i = 0; i < 9; ++i) *fields[i] = sqlite3_column_int64(st, 3 + i);
    theirs[{text(0), text(1), text(2)}] = s;
  }
  sqlite3_finalize(st);
  sqlite3_close(db);

  ASSERT_GT(theirs.size(), 200u);  // 24 months × 4 categories × 6 codes, mostly filled
  EXPECT_EQ(ours.size(), theirs.size());
  EXPECT_TRUE(ours == theirs);
  for (const auto& [key, s] : theirs) {
    auto it = ours.find(key);
    if (it == ours.end()) {
      ADD_FAILURE() << "missing group " << std::get<0>(key) << " " << std::get<1>(key) << " "
                    << std::get<2>(key);
      continue;
    }
    EXPECT_EQ(it->second.incidents, s.incidents) << std::get<0>(key);
    EXPECT_EQ(it->second.affected, s.affected) << std::get<0>(key);
  }
  EXPECT_EQ(ours_total.incidents, r->total.incidents);
  EXPECT_EQ(store->size(), 4500u);
}

}  // namespace
}  // namespace liandong::stats
