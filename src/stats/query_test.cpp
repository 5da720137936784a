// Query semantics on a FactStore (real SQLite file in a temporary folder): filters, each
// dimension, zone boundaries, agencies, percentiles, validation and CSV.
#include <gtest/gtest.h>

#include <algorithm>

#include "stats/fact_store.h"
#include "stats/testing/facts.h"
#include "litedb/testing/temp_dir.h"

namespace liandong::stats {
namespace {

using testing::at;
using testing::fact;

class QueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = FactStore::open(dir_.file("stats.db"));
    ASSERT_TRUE(s) << s.status().to_string();
    store_ = std::move(*s);
  }
  void put(std::vector<Fact> facts) {
    auto st = store_->upsert(facts, ++seq_);
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }
  Result run(const Query& q) {
    auto r = store_->query(q);
    EXPECT_TRUE(r) << r.status().to_string();
    return r ? *r : Result{};
  }
  static std::vector<std::vector<std::string>> keys(const Result& r) {
    std::vector<std::vector<std::string>> k;
    for (const auto& row : r.rows) k.push_back(row.key);
    return k;
  }
  static std::vector<int64_t> counts(const Result& r) {
    std::vector<int64_t> c;
    for (const auto& row : r.rows) c.push_back(row.incidents);
    return c;
  }

  litedb::testing::TempDir dir_;
  std::unique_ptr<FactStore> store_;
  uint64_t seq_ = 0;
};

TEST_F(QueryTest, NoGroupingGivesTheTotalOnly) {
  Fact a = fact("441200-INC-1");
  a.deaths = 2;
  a.injuries = 3;
  a.missing = 1;
  a.affected = 40;
  a.direct_loss_yuan = 100000;
  Fact b = fact("441200-INC-2");
  b.deaths = 1;
  put({a, b});
  Result r = run({});
  EXPECT_TRUE(r.rows.empty());
  EXPECT_EQ(r.total.incidents, 2);
  EXPECT_EQ(r.total.deaths, 3);
  EXPECT_EQ(r.total.injuries, 3);
  EXPECT_EQ(r.total.missing, 1);
  EXPECT_EQ(r.total.affected, 40);
  EXPECT_EQ(r.total.direct_loss_yuan, 100000);
  EXPECT_EQ(r.columns.front(), "incidents");
}

TEST_F(QueryTest, CancelledAndExercisesExcludedUnlessAsked) {
  Fact a = fact("441200-INC-1"), b = fact("441200-INC-2"), c = fact("441200-INC-3");
  b.cancelled = true;
  c.exercise = true;
  put({a, b, c});
  EXPECT_EQ(run({}).total.incidents, 1);
  Query q;
  q.include_exercises = true;
  EXPECT_EQ(run(q).total.incidents, 2);
  q.include_cancelled = true;
  EXPECT_EQ(run(q).total.incidents, 3);
}

TEST_F(QueryTest, TimeRangeIsHalfOpen) {
  put({fact("441200-INC-1", "2026-11-01T00:00:00+08:00"),
       fact("441200-INC-2", "2026-11-15T00:00:00+08:00"),
       fact("441200-INC-3", "2026-12-01T00:00:00+08:00")});
  Query q;
  q.from = at("2026-11-01T00:00:00+08:00");
  q.to = at("2026-12-01T00:00:00+08:00");
  EXPECT_EQ(run(q).total.incidents, 2);
  q.from = at("2026-11-01T00:00:00.001+08:00");
  EXPECT_EQ(run(q).total.incidents, 1);
}

TEST_F(QueryTest, MonthBucketsFollowTheZone) {
  // 2026-11-30T16:30Z is 2026-12-01 00:30 in Asia/Shanghai, still November in UTC.
  put({fact("441200-INC-1", "2026-11-30T16:30:00Z"), fact("441200-INC-2", "2026-11-30T15:59:59Z")});
  Query q;
  q.group_by = {Dim::kMonth};
  Result r = run(q);
  EXPECT_EQ(keys(r), (std::vector<std::vector<std::string>>{{"2026-11"}, {"2026-12"}}));
  EXPECT_EQ(counts(r), (std::vector<int64_t>{1, 1}));
  q.zone = "UTC";
  r = run(q);
  EXPECT_EQ(keys(r), (std::vector<std::vector<std::string>>{{"2026-11"}}));
  EXPECT_EQ(counts(r), (std::vector<int64_t>{2}));
  q.zone = "America/New_York";  // 11:30 and 10:59 on 30 November
  q.group_by = {Dim::kDay};
  r = run(q);
  EXPECT_EQ(keys(r), (std::vector<std::vector<std::string>>{{"2026-11-30"}}));
}

TEST_F(QueryTest, DayBucketsFollowDaylightSavingTime) {
  // New York: −05:00 in January, −04:00 in July.
  put({fact("441200-INC-1", "2026-01-15T04:30:00Z"),    // 23:30 on 14 January
       fact("441200-INC-2", "2026-07-15T03:30:00Z"),    // 23:30 on 14 July
       fact("441200-INC-3", "2026-07-15T04:30:00Z")});  // 00:30 on 15 July
  Query q;
  q.zone = "America/New_York";
  q.group_by = {Dim::kDay};
  EXPECT_EQ(keys(run(q)), (std::vector<std::vector<std::string>>{
                              {"2026-01-14"}, {"2026-07-14"}, {"2026-07-15"}}));
}

TEST_F(QueryTest, DayAndYearBuckets) {
  put({fact("441200-INC-1", "2025-12-31T23:59:00+08:00"),
       fact("441200-INC-2", "2026-01-01T00:00:00+08:00"),
       fact("441200-INC-3", "2026-01-01T23:00:00+08:00")});
  Query q;
  q.group_by = {Dim::kYear};
  Result r = run(q);
  EXPECT_EQ(keys(r), (std::vector<std::vector<std::string>>{{"2025"}, {"2026"}}));
  EXPECT_EQ(counts(r), (std::vector<int64_t>{1, 2}));
  q.group_by = {Dim::kDay};
  r = run(q);
  EXPECT_EQ(keys(r), (std::vector<std::vector<std::string>>{{"2025-12-31"}, {"2026-01-01"}}));
  EXPECT_EQ(counts(r), (std::vector<int64_t>{1, 2}));
}

TEST_F(QueryTest, CategoryTypeGradeDimsAndFilters) {
  Fact a = fact("441200-INC-1"), b = fact("441200-INC-2"), c = fact("441200-INC-3");
  a.grade = "IV";
  b.category = "natural_disaster";
  b.type = "flood";
  b.grade = "III";
  c.type = "gas_explosion";
  put({a, b, c});
  Query q;
  q.group_by = {Dim::kCategory, Dim::kType, Dim::kGrade};
  Result r = run(q);
  EXPECT_EQ(keys(r), (std::vector<std::vector<std::string>>{
                         {"accident_disaster", "fire", "IV"},
                         {"accident_disaster", "gas_explosion", ""},
                         {"natural_disaster", "flood", "III"}}));
  EXPECT_EQ((std::vector<std::string>{r.columns.begin(), r.columns.begin() + 4}),
            (std::vector<std::string>{"category", "type", "grade", "incidents"}));
  q = {};
  q.categories = {"accident_disaster"};
  EXPECT_EQ(run(q).total.incidents, 2);
  q.types = {"fire", "flood"};
  EXPECT_EQ(run(q).total.incidents, 1);
  q = {};
  q.grades = {""};
  EXPECT_EQ(run(q).total.incidents, 1);
  q.grades = {"III", "IV"};
  EXPECT_EQ(run(q).total.incidents, 2);
  q.grades = {"I"};  // no incident of grade I: nothing, not everything
  EXPECT_EQ(run(q).total.incidents, 0);
}

TEST_F(QueryTest, JurisdictionPrefixRuleAndLevels) {
  Fact a = fact("441200-INC-1"), b = fact("441200-INC-2"), c = fact("441200-INC-3"),
       d = fact("440600-INC-4"), e = fact("441200-INC-5");
  a.jurisdiction = "441202";
  b.jurisdiction = "441203";
  c.jurisdiction = "441200";  // handled by the city itself
  d.jurisdiction = "440604";
  e.jurisdiction = "450102";  // another province
  put({a, b, c, d, e});
  Query q;
  q.jurisdiction = "441200";
  EXPECT_EQ(run(q).total.incidents, 3);
  q.jurisdiction = "441202";
  EXPECT_EQ(run(q).total.incidents, 1);
  q.jurisdiction = "440000";
  EXPECT_EQ(run(q).total.incidents, 4);
  q = {};
  q.group_by = {Dim::kJurisdiction};
  EXPECT_EQ(keys(run(q)), (std::vector<std::vector<std::string>>{
                              {"440604"}, {"441200"}, {"441202"}, {"441203"}, {"450102"}}));
  q.jurisdiction_level = "city";
  Result r = run(q);
  EXPECT_EQ(keys(r), (std::vector<std::vector<std::string>>{{"440600"}, {"441200"}, {"450100"}}));
  EXPECT_EQ(counts(r), (std::vector<int64_t>{1, 3, 1}));
  q.jurisdiction_level = "province";
  r = run(q);
  EXPECT_EQ(keys(r), (std::vector<std::vector<std::string>>{{"440000"}, {"450000"}}));
  EXPECT_EQ(counts(r), (std::vector<int64_t>{4, 1}));
}

TEST_F(QueryTest, AnIncidentCountsOncePerAgencyWhenGroupedByAgency) {
  Fact a = fact("441200-INC-1"), b = fact("441200-INC-2"), c = fact("441200-INC-3");
  a.agencies = {"fire_brigade", "police"};
  a.deaths = 1;
  b.agencies = {"police"};
  // c has none
  put({a, b, c});
  Query q;
  q.group_by = {Dim::kAgency};
  Result r = run(q);
  EXPECT_EQ(keys(r),
            (std::vector<std::vector<std::string>>{{""}, {"fire_brigade"}, {"police"}}));
  EXPECT_EQ(counts(r), (std::vector<int64_t>{1, 1, 2}));
  EXPECT_EQ(r.rows[1].deaths, 1);
  EXPECT_EQ(r.rows[2].deaths, 1);
  EXPECT_EQ(r.total.incidents, 3);  // once each
  EXPECT_EQ(r.total.deaths, 1);
  q.agencies = {"police"};  // filter: incidents with the police; groups: the police only
  r = run(q);
  EXPECT_EQ(keys(r), (std::vector<std::vector<std::string>>{{"police"}}));
  EXPECT_EQ(r.total.incidents, 2);
  q.group_by = {};
  q.agencies = {"fire_brigade"};
  EXPECT_EQ(run(q).total.incidents, 1);
}

TEST_F(QueryTest, TimelinessAndIntervals) {
  Fact a = fact("441200-INC-1"), b = fact("441200-INC-2"), c = fact("441200-INC-3");
  a.reports_due = 3;
  a.reports_on_time = 2;
  a.reports_late = 1;
  a.report_delay_ms = 30 * 60'000;
  a.dispatch_ms = 60'000;
  a.arrival_ms = 600'000;
  b.reports_due = 1;
  b.reports_late = 1;
  b.report_delay_ms = 90 * 60'000;
  b.dispatch_ms = 120'000;
  // c: no dispatch, no arrival, nothing due
  put({a, b, c});
  Row t = run({}).total;
  EXPECT_EQ(t.reports_due, 4);
  EXPECT_EQ(t.reports_on_time, 2);
  EXPECT_EQ(t.reports_late, 2);
  EXPECT_DOUBLE_EQ(t.on_time_share, 0.5);
  EXPECT_DOUBLE_EQ(t.mean_delay_min, 60.0);
  EXPECT_DOUBLE_EQ(t.mean_dispatch_s, 90.0);  // over the two that have one
  EXPECT_DOUBLE_EQ(t.mean_arrival_s, 600.0);
  EXPECT_EQ(t.p90_arrival_s, 600);
}

TEST_F(QueryTest, P90IsTheNearestRank) {
  std::vector<Fact> facts;
  for (int i = 1; i <= 20; ++i) {
    Fact f = fact("441200-INC-" + std::to_string(i));
    f.arrival_ms = i * 60'000 + 400;  // 60.4 s … 1200.4 s, shuffled by id order below
    facts.push_back(f);
  }
  std::swap(facts[0], facts[19]);
  put(facts);
  // 20 values: rank ceil(0.9 × 20) = 18 → 18 min 0.4 s, rounded to 1080 s.
  EXPECT_EQ(run({}).total.p90_arrival_s, 1080);
  put({[] {
    Fact f = fact("441200-INC-21");
    f.arrival_ms = 5'000'000;
    return f;
  }()});
  // 21 values: rank ceil(18.9) = 19 → 1140 s.
  EXPECT_EQ(run({}).total.p90_arrival_s, 1140);
}

TEST_F(QueryTest, TheTotalIsTheSameWhateverTheGrouping) {
  std::vector<Fact> facts;
  for (int i = 1; i <= 60; ++i) {
    Fact f = fact("441200-INC-" + std::to_string(i), i % 2 ? "2026-10-03T10:00:00+08:00"
                                                           : "2026-11-03T10:00:00+08:00");
    f.jurisdiction = i % 3 ? "441202" : "441203";
    f.grade = i % 5 ? "" : "IV";
    f.agencies = {i % 2 ? "police" : "fire"};
    if (i % 4) f.arrival_ms = i * 7'919 % 1'000'000;
    if (i % 3) f.dispatch_ms = i * 1'000;
    f.deaths = i % 7 == 0;
    f.reports_due = 2;
    f.reports_on_time = i % 2 ? 2 : 1;
    f.reports_late = 2 - f.reports_on_time;
    f.report_delay_ms = f.reports_late * i * 1000;
    facts.push_back(f);
  }
  put(facts);
  const Row plain = run({}).total;
  EXPECT_EQ(plain.incidents, 60);
  EXPECT_GT(plain.p90_arrival_s, 0);
  for (auto dims : std::vector<std::vector<Dim>>{{Dim::kMonth},
                                                 {Dim::kJurisdiction, Dim::kGrade},
                                                 {Dim::kAgency},
                                                 {Dim::kDay, Dim::kAgency, Dim::kType}}) {
    Query q;
    q.group_by = dims;
    Result r = run(q);
    EXPECT_EQ(r.total, plain) << dim_name(dims[0]);
    int64_t sum = 0;
    for (const auto& row : r.rows) sum += row.incidents;
    EXPECT_EQ(sum, 60);  // one agency each here, so the agency rows add up too
  }
}

TEST_F(QueryTest, GroupsOverFourDims) {
  Fact a = fact("441200-INC-1"), b = fact("441200-INC-2");
  a.agencies = {"x"};
  b.jurisdiction = "441203";
  put({a, b});
  Query q;
  q.group_by = {Dim::kMonth, Dim::kCategory, Dim::kJurisdiction, Dim::kAgency};
  EXPECT_EQ(keys(run(q)), (std::vector<std::vector<std::string>>{
                              {"2026-11", "accident_disaster", "441202", "x"},
                              {"2026-11", "accident_disaster", "441203", ""}}));
}

TEST_F(QueryTest, ManyPossibleGroupsUseTheHashedTable) {
  // 1,200 days × 1,001 agency codes > 2^20 possible groups: the hash map path, same answers.
  std::vector<Fact> facts;
  const int64_t t0 = core::to_unix_millis(at("2024-01-01T12:00:00+08:00"));
  for (int i = 0; i < 1000; ++i) {
    Fact f = fact("441200-INC-" + std::to_string(i + 1));
    f.opened_at = core::from_unix_millis(t0 + int64_t{i % 1200} * 86'400'000 * 6 / 5);
    f.agencies = {"agency_" + std::to_string(i), "shared"};
    f.deaths = i % 3;
    facts.push_back(f);
  }
  put(facts);
  Query q;
  q.group_by = {Dim::kDay, Dim::kAgency};
  Result r = run(q);
  ASSERT_EQ(r.rows.size(), 1000u + 1000u);  // each incident under its own agency and "shared"
  int64_t deaths = 0;
  for (const auto& row : r.rows) {
    EXPECT_EQ(row.incidents, 1);
    deaths += row.deaths;
  }
  EXPECT_EQ(deaths, 2 * r.total.deaths);
  EXPECT_EQ(r.total.incidents, 1000);
  EXPECT_TRUE(std::is_sorted(r.rows.begin(), r.rows.end(),
                             [](const Row& a, const Row& b) { return a.key < b.key; }));
}

TEST_F(QueryTest, EmptyStoreAnswersNothing) {
  Query q;
  q.group_by = {Dim::kDay, Dim::kAgency};
  Result r = run(q);
  EXPECT_TRUE(r.rows.empty());
  EXPECT_EQ(r.total.incidents, 0);
  EXPECT_EQ(r.total.p90_arrival_s, 0);
}

TEST_F(QueryTest, BadQueriesAreRefusedNamingTheField) {
  auto field_of = [&](const Query& q) {
    auto r = store_->query(q);
    EXPECT_FALSE(r);
    EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument);
    return r.status().field();
  };
  Query q;
  q.group_by = {Dim::kYear, Dim::kMonth, Dim::kDay, Dim::kType, Dim::kGrade};
  EXPECT_EQ(field_of(q), "group_by");
  q.group_by = {Dim::kType, Dim::kType};
  EXPECT_EQ(field_of(q), "group_by");
  q = {};
  q.zone = "Asia/Nowhere";
  EXPECT_EQ(field_of(q), "zone");
  q = {};
  q.jurisdiction = "4412";
  EXPECT_EQ(field_of(q), "jurisdiction");
  q.jurisdiction = "44120x";
  EXPECT_EQ(field_of(q), "jurisdiction");
  q = {};
  q.jurisdiction_level = "town";
  EXPECT_EQ(field_of(q), "jurisdiction_level");
  q = {};
  q.categories = {"disaster"};
  EXPECT_EQ(field_of(q), "categories");
  q = {};
  q.types = {"Fire!"};
  EXPECT_EQ(field_of(q), "types");
  q = {};
  q.grades = {"V"};
  EXPECT_EQ(field_of(q), "grades");
  q = {};
  q.agencies = {""};
  EXPECT_EQ(field_of(q), "agencies");
  q = {};
  q.from = at("2026-12-01T00:00:00Z");
  q.to = at("2026-11-01T00:00:00Z");
  EXPECT_EQ(field_of(q), "to");
}

TEST(ParseDim, NamesRoundTrip) {
  for (auto d : {Dim::kYear, Dim::kMonth, Dim::kDay, Dim::kCategory, Dim::kType, Dim::kGrade,
                 Dim::kJurisdiction, Dim::kAgency})
    EXPECT_EQ(parse_dim(dim_name(d)), d);
  EXPECT_EQ(parse_dim("week"), std::nullopt);
  EXPECT_EQ(parse_dim("Month"), std::nullopt);
}

TEST(Csv, HeaderRowsTotalAndQuoting) {
  Result r;
  r.columns = {"agency", "grade"};
  for (const auto& m : measure_columns()) r.columns.push_back(m);
  Row a;
  a.key = {"fire, \"north\"", ""};
  a.incidents = 2;
  a.on_time_share = 2.0 / 3.0;
  a.mean_delay_min = 12.34;
  a.p90_arrival_s = 61;
  Row b;
  b.key = {"line\nbreak", "IV"};
  b.incidents = 1;
  r.rows = {a, b};
  r.total.incidents = 3;
  const std::string csv = to_csv(r);
  const std::string expected =
      "agency,grade,incidents,deaths,injuries,missing,affected,direct_loss_yuan,reports_due,"
      "reports_on_time,reports_late,on_time_share,mean_delay_min,mean_dispatch_s,mean_arrival_s,"
      "p90_arrival_s\r\n"
      "\"fire, \"\"north\"\"\",,2,0,0,0,0,0,0,0,0,0.6667,12.3,0.0,0.0,61\r\n"
      "\"line\nbreak\",IV,1,0,0,0,0,0,0,0,0,0.0000,0.0,0.0,0.0,0\r\n"
      "total,,3,0,0,0,0,0,0,0,0,0.0000,0.0,0.0,0.0,0\r\n";
  EXPECT_EQ(csv, expected);
}

TEST(Csv, NoDimsHasAScopeColumn) {
  Result r;
  r.columns = measure_columns();
  r.total.incidents = 7;
  const std::string csv = to_csv(r);
  EXPECT_EQ(csv.substr(0, 16), "scope,incidents,");
  EXPECT_NE(csv.find("\r\ntotal,7,0,"), std::string::npos);
}

}  // namespace
}  // namespace liandong::stats
