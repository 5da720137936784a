// The columnar in-memory index of the facts: dictionary-encoded dimensions, the opening day in
// Asia/Shanghai precomputed per row, measures in arrays; replaced facts leave dead rows until a
// compaction. Queries scan the columns once (index_query.cpp).
//
// Not thread-safe: FactStore reads it under a shared lock and changes it under an exclusive one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "stats/fact.h"
#include "stats/internal/zone_days.h"
#include "stats/query.h"

namespace liandong::stats::internal {

// Strings interned to dense ids 0, 1, 2 … in order of first sight.
struct Dict {
  std::vector<std::string> values;
  std::unordered_map<std::string, uint32_t> ids;
  uint32_t intern(const std::string& s);
  std::optional<uint32_t> find(const std::string& s) const;
  size_t size() const { return values.size(); }
};

class Index {
 public:
  static constexpr const char* kZone = "Asia/Shanghai";  // the zone of the precomputed day column
  static constexpr int64_t kNone = -1;                   // absent interval or closing time

  Index();
  // Inserts the fact, or replaces the stored one with its id. The fact must be valid.
  void apply(const Fact& f);
  size_t size() const { return row_of_.size(); }
  std::optional<Fact> get(const std::string& id) const;
  // Runs a validated query (see query.h).
  core::Result<Result> run(const Query& q) const;

 private:
  void append(const Fact& f);
  void compact();
  size_t rows() const { return opened_ms_.size(); }

  ZoneDays shanghai_;
  Dict jur_, cat_, type_, grade_, agency_;
  std::unordered_map<std::string, uint32_t> row_of_;  // live rows by incident id
  size_t dead_ = 0;
  int64_t min_ms_ = 0, max_ms_ = 0;  // over every row appended (live or dead)

  enum Flag : uint8_t { kLive = 1, kCancelled = 2, kExercise = 4 };
  std::vector<uint8_t> flags_;
  std::vector<int64_t> opened_ms_, closed_ms_;
  std::vector<int32_t> day_;  // opening day in kZone
  std::vector<uint32_t> jur_id_, cat_id_, type_id_, grade_id_;
  std::vector<uint32_t> ag_begin_{0};  // row r's agencies: ag_ids_[ag_begin_[r] .. ag_begin_[r+1])
  std::vector<uint32_t> ag_ids_;
  std::vector<int64_t> deaths_, injuries_, missing_, affected_, loss_;
  std::vector<int64_t> dispatch_ms_, arrival_ms_;  // kNone when absent
  std::vector<int32_t> arrival_s_;                 // arrival_ms_ rounded to seconds (saturated)
  std::vector<int32_t> due_, on_time_, late_;
  std::vector<int64_t> delay_ms_;
};

}  // namespace liandong::stats::internal
