// The behaviour every ReadingStore shows, as a gtest typed suite, for tests only: a test file
// defines a factory and instantiates the suite with it inside namespace liandong::readings, e.g.
//
//   struct MemoryFactory {
//     std::unique_ptr<ReadingStore> make();                 // a new, empty store
//     void reopen(std::unique_ptr<ReadingStore>& store);   // closes and opens the same store
//   };
//   INSTANTIATE_TYPED_TEST_SUITE_P(Memory, ReadingStoreSuite, ::testing::Types<MemoryFactory>);
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include "readings/reading_store.h"

namespace liandong::readings {

inline Row row(int64_t series, int64_t t, double v, Quality q = Quality::kOk) {
  return {series, t, v, q};
}

template <typename Factory>
class ReadingStoreSuite : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = factory_.make();
    ASSERT_NE(store_, nullptr);
  }
  int64_t id(std::string_view station, std::string_view parameter) {
    auto r = store_->series_id(station, parameter);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r ? *r : -1;
  }
  AppendResult append(std::vector<Row> rows) {
    auto r = store_->append(rows);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r ? *r : AppendResult{9999, 9999};
  }
  std::vector<Bucket> range(int64_t series, int64_t from, int64_t to, size_t max_points) {
    auto r = store_->range(series, from, to, max_points);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r ? *r : std::vector<Bucket>{};
  }
  std::vector<int64_t> times(int64_t series) {
    std::vector<int64_t> out;
    for (const Bucket& b : range(series, 0, kEndTimeMs, 1'000'000)) out.push_back(b.start_ms);
    return out;
  }
  std::optional<Row> latest(int64_t series) {
    auto r = store_->latest(series);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r ? *r : std::nullopt;
  }

  Factory factory_;
  std::unique_ptr<ReadingStore> store_;
};

TYPED_TEST_SUITE_P(ReadingStoreSuite);

TYPED_TEST_P(ReadingStoreSuite, SeriesIdsAreCompactAndStable) {
  EXPECT_EQ(this->id("441300-MON-12", "cadmium"), 1);
  EXPECT_EQ(this->id("441300-MON-12", "ph"), 2);
  EXPECT_EQ(this->id("441300-MON-7", "cadmium"), 3);
  EXPECT_EQ(this->id("441300-MON-12", "cadmium"), 1);
  // A batch: new, existing, and the same new key twice.
  std::vector<SeriesKey> keys = {
      {"441302-WQ-1", "thallium"}, {"441300-MON-12", "ph"}, {"441302-WQ-1", "thallium"}};
  auto ids = this->store_->series_ids(keys);
  ASSERT_TRUE(ids.is_ok()) << ids.status().to_string();
  EXPECT_EQ(*ids, (std::vector<int64_t>{4, 2, 4}));
  // find_series finds and never creates.
  auto found = this->store_->find_series("441300-MON-7", "cadmium");
  ASSERT_TRUE(found.is_ok());
  EXPECT_EQ(*found, std::optional<int64_t>(3));
  auto missing = this->store_->find_series("441300-MON-7", "lead");
  ASSERT_TRUE(missing.is_ok());
  EXPECT_EQ(*missing, std::nullopt);
  EXPECT_EQ(this->id("441300-MON-7", "lead"), 5);
}

TYPED_TEST_P(ReadingStoreSuite, MalformedSeriesKeysAreRefusedCreatingNone) {
  std::vector<SeriesKey> keys = {{"441300-MON-1", "lead"}, {"441300-mon-1", "lead"}};
  auto ids = this->store_->series_ids(keys);
  ASSERT_FALSE(ids.is_ok());
  EXPECT_EQ(ids.status().code(), core::Code::kInvalidArgument);
  EXPECT_EQ(ids.status().field(), "station");
  EXPECT_NE(ids.status().message().find("series 1"), std::string::npos) << ids.status().message();
  auto bad_param = this->store_->series_id("441300-MON-1", "Lead");
  ASSERT_FALSE(bad_param.is_ok());
  EXPECT_EQ(bad_param.status().field(), "parameter");
  auto found = this->store_->find_series("441300-MON-1", "lead");
  ASSERT_TRUE(found.is_ok());
  EXPECT_EQ(*found, std::nullopt);
  EXPECT_EQ(this->id("441300-MON-2", "lead"), 1);
}

TYPED_TEST_P(ReadingStoreSuite, DuplicatesAreCountedAndNotStoredAgain) {
  int64_t a = this->id("441300-MON-1", "cadmium"), b = this->id("441300-MON-1", "lead");
  EXPECT_EQ(this->append({row(a, 10, 1.0), row(a, 20, 2.0)}), (AppendResult{2, 0}));
  EXPECT_EQ(this->append({row(a, 10, 1.0), row(a, 20, 2.0)}), (AppendResult{0, 2}));
  // Another value under a stored key: still a duplicate, the first value stays.
  EXPECT_EQ(this->append({row(a, 10, 99.0, Quality::kSuspect)}), (AppendResult{0, 1}));
  // The same key twice in one batch: the first is stored.
  EXPECT_EQ(this->append({row(a, 30, 3.0), row(a, 30, 4.0)}), (AppendResult{1, 1}));
  // The same time in another series is no duplicate.
  EXPECT_EQ(this->append({row(b, 10, 7.0)}), (AppendResult{1, 0}));
  auto r = this->range(a, 0, 100, 100);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].first, 1.0);
  EXPECT_EQ(r[0].not_ok, 0u);
  EXPECT_EQ(r[2].first, 3.0);
  EXPECT_EQ(this->append({}), (AppendResult{0, 0}));
}

TYPED_TEST_P(ReadingStoreSuite, OutOfOrderRowsArePlacedInTimeOrder) {
  int64_t a = this->id("441300-MON-1", "cadmium");
  this->append({row(a, 50, 5), row(a, 10, 1), row(a, 30, 3)});
  this->append({row(a, 20, 2)});
  this->append({row(a, 40, 4), row(a, 0, 0)});
  EXPECT_EQ(this->times(a), (std::vector<int64_t>{0, 10, 20, 30, 40, 50}));
  // latest() is the newest by time, not the last appended.
  EXPECT_EQ(this->latest(a), std::optional<Row>(row(a, 50, 5)));
}

TYPED_TEST_P(ReadingStoreSuite, RowsComeOneByOneUpToMaxPoints) {
  int64_t a = this->id("441300-MON-1", "cadmium");
  this->append({row(a, 100, 1.5), row(a, 200, -2.25, Quality::kSuspect), row(a, 300, 4)});
  // from inclusive, to exclusive; exactly max_points rows are not down-sampled.
  auto r = this->range(a, 100, 300, 2);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0], (Bucket{100, 100, 100, 1, 1.5, 1.5, 1.5, 1.5, 1.5, 0}));
  EXPECT_EQ(r[1], (Bucket{200, 200, 200, 1, -2.25, -2.25, -2.25, -2.25, -2.25, 1}));
  EXPECT_TRUE(this->range(a, 300, 300, 10).empty());
  EXPECT_TRUE(this->range(a, 400, 100, 10).empty());
  EXPECT_TRUE(this->range(a + 1, 0, 1000, 10).empty());  // unknown series
  EXPECT_TRUE(this->range(-5, 0, 1000, 10).empty());
  auto zero = this->store_->range(a, 0, 1000, 0);
  ASSERT_FALSE(zero.is_ok());
  EXPECT_EQ(zero.status().code(), core::Code::kInvalidArgument);
}

TYPED_TEST_P(ReadingStoreSuite, DownSamplingKeepsMinMaxMeanFirstLast) {
  int64_t a = this->id("441300-MON-1", "cadmium");
  // Inserted out of order on purpose.
  this->append({row(a, 99, 8), row(a, 0, 5), row(a, 24, 9), row(a, 10, 1),
                row(a, 25, 2, Quality::kSuspect), row(a, 80, 0.5), row(a, 75, -4),
                row(a, 100, 1000)});
  // [0, 100) into 4 buckets of 25 ms; [50, 75) has no rows and is left out; t=100 is outside.
  auto r = this->range(a, 0, 100, 4);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0], (Bucket{0, 0, 24, 3, 1, 9, 5, 5, 9, 0}));  // 5, 1, 9: mean 15/3
  EXPECT_EQ(r[1], (Bucket{25, 25, 25, 1, 2, 2, 2, 2, 2, 1}));
  EXPECT_EQ(r[2], (Bucket{75, 75, 99, 3, -4, 8, 1.5, -4, 8, 0}));  // -4, 0.5, 8: mean 4.5/3
  // [10, 101) into 4: width ceil(91/4) = 23, buckets start at 10, 33, 56, 79.
  r = this->range(a, 10, 101, 4);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0], (Bucket{10, 10, 25, 3, 1, 9, 4, 1, 2, 1}));  // 1, 9, 2
  EXPECT_EQ(r[1], (Bucket{56, 75, 75, 1, -4, -4, -4, -4, -4, 0}));
  EXPECT_EQ(r[2].start_ms, 79);
  EXPECT_EQ(r[2].count, 3u);  // 0.5, 8, 1000
  EXPECT_EQ(r[2].min, 0.5);
  EXPECT_EQ(r[2].max, 1000);
  EXPECT_DOUBLE_EQ(r[2].mean, 1008.5 / 3);
  EXPECT_EQ(r[2].first, 0.5);
  EXPECT_EQ(r[2].last, 1000);
  // One bucket holds everything.
  r = this->range(a, 0, 1000, 1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].count, 8u);
  EXPECT_EQ(r[0].not_ok, 1u);
  EXPECT_EQ(r[0].first_ms, 0);
  EXPECT_EQ(r[0].last_ms, 100);
}

TYPED_TEST_P(ReadingStoreSuite, TheWidestRangeDoesNotOverflow) {
  int64_t a = this->id("441300-MON-1", "cadmium");
  this->append({row(a, 0, 1), row(a, 1, 2), row(a, kEndTimeMs - 1, 3)});
  auto r =
      this->range(a, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), 2);
  // Clamped to [0, kEndTimeMs): width kEndTimeMs / 2 = 126701150400000.
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0], (Bucket{0, 0, 1, 2, 1, 2, 1.5, 1, 2, 0}));
  EXPECT_EQ(r[1], (Bucket{126701150400000, kEndTimeMs - 1, kEndTimeMs - 1, 1, 3, 3, 3, 3, 3, 0}));
  r = this->range(a, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(),
                  std::numeric_limits<size_t>::max());
  EXPECT_EQ(r.size(), 3u);
}

TYPED_TEST_P(ReadingStoreSuite, LatestIsTheNewestRow) {
  int64_t a = this->id("441300-MON-1", "cadmium");
  EXPECT_EQ(this->latest(a), std::nullopt);
  EXPECT_EQ(this->latest(77), std::nullopt);
  this->append({row(a, 100, 1, Quality::kEstimated)});
  this->append({row(a, 40, 2), row(a, 100, 3)});  // older, and a duplicate of the newest
  EXPECT_EQ(this->latest(a), std::optional<Row>(row(a, 100, 1, Quality::kEstimated)));
}

TYPED_TEST_P(ReadingStoreSuite, AMalformedRowRefusesTheWholeBatch) {
  int64_t a = this->id("441300-MON-1", "cadmium");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  struct Case {
    Row bad;
    const char* field;
  };
  const Case cases[] = {
      {row(a + 1, 5, 1), "series"},
      {row(0, 5, 1), "series"},
      {row(a, -1, 1), "t_ms"},
      {row(a, kEndTimeMs, 1), "t_ms"},
      {row(a, 5, nan), "value"},
      {row(a, 5, inf), "value"},
      {row(a, 5, -inf), "value"},
      {row(a, 5, 1e16), "value"},
      {row(a, 5, 1, static_cast<Quality>(5)), "quality"},
  };
  for (const Case& c : cases) {
    std::vector<Row> rows = {row(a, 1, 1), c.bad};
    auto r = this->store_->append(rows);
    ASSERT_FALSE(r.is_ok()) << c.field;
    EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument);
    EXPECT_EQ(r.status().field(), c.field);
    EXPECT_EQ(r.status().message().rfind("row 1: ", 0), 0u) << r.status().message();
  }
  EXPECT_TRUE(this->times(a).empty());  // the good row of each batch was not stored either
}

TYPED_TEST_P(ReadingStoreSuite, ReopeningKeepsSeriesAndRows) {
  int64_t a = this->id("441300-MON-1", "cadmium"), b = this->id("441300-MON-2", "ph");
  this->append({row(a, 10, 0.006), row(b, 10, 7.25, Quality::kMaintenance)});
  this->factory_.reopen(this->store_);
  ASSERT_NE(this->store_, nullptr);
  EXPECT_EQ(this->id("441300-MON-2", "ph"), b);
  EXPECT_EQ(this->id("441300-MON-1", "cadmium"), a);
  EXPECT_EQ(this->id("441300-MON-3", "ph"), 3);
  EXPECT_EQ(this->latest(b), std::optional<Row>(row(b, 10, 7.25, Quality::kMaintenance)));
  EXPECT_EQ(this->append({row(a, 10, 1)}), (AppendResult{0, 1}));
  EXPECT_EQ(this->latest(a), std::optional<Row>(row(a, 10, 0.006)));
}

REGISTER_TYPED_TEST_SUITE_P(ReadingStoreSuite, SeriesIdsAreCompactAndStable,
                            MalformedSeriesKeysAreRefusedCreatingNone,
                            DuplicatesAreCountedAndNotStoredAgain,
                            OutOfOrderRowsArePlacedInTimeOrder, RowsComeOneByOneUpToMaxPoints,
                            DownSamplingKeepsMinMaxMeanFirstLast, TheWidestRangeDoesNotOverflow,
                            LatestIsTheNewestRow, AMalformedRowRefusesTheWholeBatch,
                            ReopeningKeepsSeriesAndRows);

}  // namespace liandong::readings
