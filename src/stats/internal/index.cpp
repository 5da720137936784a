#include "stats/internal/index.h"

#include <algorithm>

namespace liandong::stats::internal {

uint32_t Dict::intern(const std::string& s) {
  auto [it, added] = ids.try_emplace(s, static_cast<uint32_t>(values.size()));
  if (added) values.push_back(s);
  return it->second;
}

std::optional<uint32_t> Dict::find(const std::string& s) const {
  auto it = ids.find(s);
  if (it == ids.end()) return std::nullopt;
  return it->second;
}

namespace {
// 1900-01-01 and 2200-01-01 UTC: the span of the precomputed zone table (instants outside it take
// the nearest interval's offset, which for Asia/Shanghai is +08:00 either way after 1991).
constexpr int64_t kSpanBegin = -2'208'988'800'000;
constexpr int64_t kSpanEnd = 7'258'118'400'000;
}  // namespace

Index::Index() {
  // Without the tz database (a broken installation) Asia/Shanghai's offset since 1991, +08:00,
  // rather than no day column; queries in any zone check the zone themselves.
  auto z = ZoneDays::make(kZone, kSpanBegin, kSpanEnd);
  shanghai_ = z ? std::move(*z) : ZoneDays::fixed(8 * 3'600'000);
}

void Index::apply(const Fact& f) {
  auto it = row_of_.find(f.id);
  if (it != row_of_.end()) {
    flags_[it->second] &= static_cast<uint8_t>(~kLive);
    ++dead_;
    row_of_.erase(it);
  }
  row_of_.emplace(f.id, static_cast<uint32_t>(rows()));
  append(f);
  if (dead_ > 4096 && dead_ > row_of_.size() / 2) compact();
}

void Index::append(const Fact& f) {
  const int64_t opened = core::to_unix_millis(f.opened_at);
  if (rows() == 0 || opened < min_ms_) min_ms_ = opened;
  if (rows() == 0 || opened > max_ms_) max_ms_ = opened;
  flags_.push_back(static_cast<uint8_t>(kLive | (f.cancelled ? kCancelled : 0) |
                                        (f.exercise ? kExercise : 0)));
  opened_ms_.push_back(opened);
  closed_ms_.push_back(f.closed_at ? core::to_unix_millis(*f.closed_at) : kNone);
  day_.push_back(shanghai_.day(opened));
  jur_id_.push_back(jur_.intern(f.jurisdiction));
  cat_id_.push_back(cat_.intern(f.category));
  type_id_.push_back(type_.intern(f.type));
  grade_id_.push_back(grade_.intern(f.grade));
  for (const auto& a : f.agencies) ag_ids_.push_back(agency_.intern(a));
  ag_begin_.push_back(static_cast<uint32_t>(ag_ids_.size()));
  deaths_.push_back(f.deaths);
  injuries_.push_back(f.injuries);
  missing_.push_back(f.missing);
  affected_.push_back(f.affected);
  loss_.push_back(f.direct_loss_yuan);
  dispatch_ms_.push_back(f.dispatch_ms.value_or(kNone));
  arrival_ms_.push_back(f.arrival_ms.value_or(kNone));
  arrival_s_.push_back(static_cast<int32_t>(
      std::min<int64_t>((f.arrival_ms.value_or(0) + 500) / 1000, INT32_MAX)));
  due_.push_back(f.reports_due);
  on_time_.push_back(f.reports_on_time);
  late_.push_back(f.reports_late);
  delay_ms_.push_back(f.report_delay_ms);
}

std::optional<Fact> Index::get(const std::string& id) const {
  auto it = row_of_.find(id);
  if (it == row_of_.end()) return std::nullopt;
  const uint32_t r = it->second;
  Fact f;
  f.id = id;
  f.jurisdiction = jur_.values[jur_id_[r]];
  f.category = cat_.values[cat_id_[r]];
  f.type = type_.values[type_id_[r]];
  f.grade = grade_.values[grade_id_[r]];
  for (uint32_t i = ag_begin_[r]; i < ag_begin_[r + 1]; ++i)
    f.agencies.push_back(agency_.values[ag_ids_[i]]);
  f.opened_at = core::from_unix_millis(opened_ms_[r]);
  if (closed_ms_[r] != kNone) f.closed_at = core::from_unix_millis(closed_ms_[r]);
  f.cancelled = flags_[r] & kCancelled;
  f.exercise = flags_[r] & kExercise;
  f.deaths = deaths_[r];
  f.injuries = injuries_[r];
  f.missing = missing_[r];
  f.affected = affected_[r];
  f.direct_loss_yuan = loss_[r];
  if (dispatch_ms_[r] != kNone) f.dispatch_ms = dispatch_ms_[r];
  if (arrival_ms_[r] != kNone) f.arrival_ms = arrival_ms_[r];
  f.reports_due = due_[r];
  f.reports_on_time = on_time_[r];
  f.reports_late = late_[r];
  f.report_delay_ms = delay_ms_[r];
  return f;
}

void Index::compact() {
  // Rebuilt from the live facts, in their row order; dictionaries keep their ids.
  std::vector<std::pair<uint32_t, const std::string*>> live;
  live.reserve(row_of_.size());
  for (const auto& [id, row] : row_of_) live.emplace_back(row, &id);
  std::sort(live.begin(), live.end());
  std::vector<Fact> facts;
  facts.reserve(live.size());
  for (const auto& l : live) facts.push_back(*get(*l.second));
  Index fresh;
  fresh.jur_ = std::move(jur_);
  fresh.cat_ = std::move(cat_);
  fresh.type_ = std::move(type_);
  fresh.grade_ = std::move(grade_);
  fresh.agency_ = std::move(agency_);
  fresh.row_of_.reserve(facts.size());
  for (const Fact& f : facts) {
    fresh.row_of_.emplace(f.id, static_cast<uint32_t>(fresh.rows()));
    fresh.append(f);
  }
  *this = std::move(fresh);
}

}  // namespace liandong::stats::internal
