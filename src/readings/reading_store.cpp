#include "readings/reading_store.h"

#include <algorithm>

#include "readings/internal/quote.h"

namespace liandong::readings {

core::Result<int64_t> ReadingStore::series_id(std::string_view station,
                                              std::string_view parameter) {
  SeriesKey key{station, parameter};
  auto ids = series_ids(std::span<const SeriesKey>(&key, 1));
  if (!ids) return ids.status();
  return (*ids)[0];
}

core::Status check_series_key(const SeriesKey& key) {
  if (!is_station_id(key.station))
    return core::invalid("station " + internal::quote(key.station) +
                             " is not a station id of the form 441300-MON-12",
                         "station");
  if (!is_parameter_code(key.parameter))
    return core::invalid("parameter " + internal::quote(key.parameter, 70) +
                             " is not a code of the form [a-z][a-z0-9_]{0,63}",
                         "parameter");
  return core::Status::ok();
}

core::Status check_rows(std::span<const Row> rows, int64_t max_series) {
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    auto bad = [&](const std::string& why, const char* field) {
      return core::invalid("row " + std::to_string(i) + ": " + why, field);
    };
    if (r.series < 1 || r.series > max_series)
      return bad("series " + std::to_string(r.series) + " does not exist", "series");
    if (!is_reading_time(r.t_ms))
      return bad("time " + std::to_string(r.t_ms) + " ms is outside 1970-01-01 to 9999-12-31",
                 "t_ms");
    if (!is_reading_value(r.value))
      return bad("value must be a finite number of magnitude at most 1e15", "value");
    if (!quality_from_number(static_cast<int64_t>(r.quality)))
      return bad("quality " + std::to_string(static_cast<int>(r.quality)) + " is not a known flag",
                 "quality");
  }
  return core::Status::ok();
}

int64_t bucket_width(int64_t from_ms, int64_t to_ms, size_t max_points) {
  from_ms = std::max(from_ms, kMinTimeMs);
  to_ms = std::min(to_ms, kEndTimeMs);
  if (from_ms >= to_ms || max_points == 0) return 1;
  auto span = static_cast<uint64_t>(to_ms - from_ms);
  uint64_t w = span / max_points + (span % max_points != 0 ? 1 : 0);
  return static_cast<int64_t>(std::max<uint64_t>(w, 1));
}

// ---- MemoryReadingStore ----

core::Result<std::vector<int64_t>> MemoryReadingStore::series_ids(std::span<const SeriesKey> keys) {
  for (size_t i = 0; i < keys.size(); ++i) {
    core::Status st = check_series_key(keys[i]);
    if (!st.is_ok())
      return core::invalid("series " + std::to_string(i) + ": " + st.message(), st.field());
  }
  std::lock_guard lk(mu_);
  std::vector<int64_t> out;
  out.reserve(keys.size());
  for (const SeriesKey& k : keys) {
    auto [it, added] = ids_.try_emplace({std::string(k.station), std::string(k.parameter)},
                                        static_cast<int64_t>(series_.size()) + 1);
    if (added) series_.emplace_back();
    out.push_back(it->second);
  }
  return out;
}

core::Result<std::optional<int64_t>> MemoryReadingStore::find_series(std::string_view station,
                                                                     std::string_view parameter) {
  std::lock_guard lk(mu_);
  auto it = ids_.find({std::string(station), std::string(parameter)});
  if (it == ids_.end()) return std::optional<int64_t>();
  return std::optional<int64_t>(it->second);
}

core::Result<AppendResult> MemoryReadingStore::append(std::span<const Row> rows) {
  std::lock_guard lk(mu_);
  LD_RETURN_IF_ERROR(check_rows(rows, static_cast<int64_t>(series_.size())));
  AppendResult res;
  for (const Row& r : rows) {
    bool added = series_[static_cast<size_t>(r.series - 1)]
                     .try_emplace(r.t_ms, Value{r.value, r.quality})
                     .second;
    ++(added ? res.stored : res.duplicates);
  }
  return res;
}

core::Result<std::vector<Bucket>> MemoryReadingStore::range(int64_t series, int64_t from_ms,
                                                            int64_t to_ms, size_t max_points) {
  if (max_points == 0) return core::invalid("max_points must be at least 1", "max_points");
  std::vector<Bucket> out;
  std::lock_guard lk(mu_);
  if (from_ms >= to_ms || series < 1 || series > static_cast<int64_t>(series_.size())) return out;
  const auto& rows = series_[static_cast<size_t>(series - 1)];
  auto first = rows.lower_bound(from_ms), last = rows.lower_bound(to_ms);
  const auto n = static_cast<size_t>(std::distance(first, last));
  const bool down = n > max_points;
  const int64_t from = std::max(from_ms, kMinTimeMs);
  const int64_t w = down ? bucket_width(from_ms, to_ms, max_points) : 1;
  for (auto it = first; it != last; ++it) {
    const int64_t t = it->first;
    const double v = it->second.value;
    const size_t bad = it->second.quality == Quality::kOk ? 0 : 1;
    const int64_t start = down ? from + (t - from) / w * w : t;
    if (down && !out.empty() && out.back().start_ms == start) {
      Bucket& b = out.back();
      b.last_ms = t;
      ++b.count;
      b.min = std::min(b.min, v);
      b.max = std::max(b.max, v);
      b.mean += v;  // the sum until the bucket is done
      b.last = v;
      b.not_ok += bad;
    } else {
      out.push_back({start, t, t, 1, v, v, v, v, v, bad});
    }
  }
  if (down)
    for (Bucket& b : out) b.mean /= static_cast<double>(b.count);
  return out;
}

core::Result<std::optional<Row>> MemoryReadingStore::latest(int64_t series) {
  std::lock_guard lk(mu_);
  if (series < 1 || series > static_cast<int64_t>(series_.size()) ||
      series_[static_cast<size_t>(series - 1)].empty())
    return std::optional<Row>();
  const auto& [t, v] = *series_[static_cast<size_t>(series - 1)].rbegin();
  return std::optional<Row>(Row{series, t, v.value, v.quality});
}

}  // namespace liandong::readings
