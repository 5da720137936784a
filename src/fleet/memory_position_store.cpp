#include <cmath>
#include <iterator>
#include <map>
#include <mutex>

#include "fleet/position_store.h"

namespace liandong::fleet {

// Here rather than in a position_store.cpp because this is fleet's one source file for now.
core::Status check_finite(std::span<const Fix> fixes) {
  for (size_t i = 0; i < fixes.size(); ++i) {
    const Fix& f = fixes[i];
    const char* bad = !std::isfinite(f.lon)                             ? "lon"
                      : !std::isfinite(f.lat)                           ? "lat"
                      : f.speed_kmh && !std::isfinite(*f.speed_kmh)     ? "speed_kmh"
                      : f.heading_deg && !std::isfinite(*f.heading_deg) ? "heading_deg"
                      : f.accuracy_m && !std::isfinite(*f.accuracy_m)   ? "accuracy_m"
                                                                        : nullptr;
    if (bad)
      return core::invalid("fix " + std::to_string(i) + " (object " + f.object_id + "): " + bad +
                               " is not a finite number",
                           bad);
  }
  return core::Status::ok();
}

struct MemoryPositionStore::Impl {
  mutable std::mutex mu;
  // object_id -> time -> fix. std::less<> so history() can look up by string_view; std::string
  // orders by unsigned bytes, as SQLite's BINARY collation does, so latest() has the same order.
  std::map<std::string, std::map<core::Timestamp, Fix>, std::less<>> fixes;
  size_t count = 0;
};

MemoryPositionStore::MemoryPositionStore() : impl_(std::make_shared<Impl>()) {}

core::Status MemoryPositionStore::append(std::span<const Fix> fixes) {
  LD_RETURN_IF_ERROR(check_finite(fixes));
  std::lock_guard lk(impl_->mu);
  for (const Fix& f : fixes)
    if (impl_->fixes[f.object_id].try_emplace(f.time, f).second) ++impl_->count;
  return core::Status::ok();
}

core::Result<std::vector<Fix>> MemoryPositionStore::latest() {
  std::lock_guard lk(impl_->mu);
  std::vector<Fix> out;
  out.reserve(impl_->fixes.size());
  for (const auto& [id, by_time] : impl_->fixes) out.push_back(by_time.rbegin()->second);
  return out;
}

core::Result<std::vector<Fix>> MemoryPositionStore::history(std::string_view object_id,
                                                            core::Timestamp from,
                                                            core::Timestamp to, size_t limit) {
  std::lock_guard lk(impl_->mu);
  std::vector<Fix> out;
  auto it = impl_->fixes.find(object_id);
  if (it == impl_->fixes.end() || from >= to) return out;
  const auto& by_time = it->second;
  for (auto f = by_time.lower_bound(from);
       f != by_time.end() && f->first < to && out.size() < limit; ++f)
    out.push_back(f->second);
  return out;
}

core::Result<uint64_t> MemoryPositionStore::prune(core::Timestamp before) {
  std::lock_guard lk(impl_->mu);
  uint64_t removed = 0;
  for (auto it = impl_->fixes.begin(); it != impl_->fixes.end();) {
    auto& by_time = it->second;
    auto end = by_time.lower_bound(before);
    removed += static_cast<uint64_t>(std::distance(by_time.begin(), end));
    by_time.erase(by_time.begin(), end);
    it = by_time.empty() ? impl_->fixes.erase(it) : std::next(it);
  }
  impl_->count -= removed;
  return removed;
}

size_t MemoryPositionStore::size() const {
  std::lock_guard lk(impl_->mu);
  return impl_->count;
}

}  // namespace liandong::fleet
