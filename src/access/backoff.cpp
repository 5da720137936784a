#include "access/backoff.h"

#include <algorithm>

#include "access/rate_limit.h"

namespace liandong::access {

Backoff::Entry* Backoff::Table::find(std::string_view key) {
  auto it = index.find(key);
  return it == index.end() ? nullptr : &*it->second;
}

const Backoff::Entry* Backoff::Table::find(std::string_view key) const {
  auto it = index.find(key);
  return it == index.end() ? nullptr : &*it->second;
}

Backoff::Entry& Backoff::Table::touch(std::string_view key, int64_t now_ms, size_t max_entries) {
  auto it = index.find(key);
  if (it != index.end()) {
    order.splice(order.begin(), order, it->second);
  } else {
    if (order.size() >= max_entries) erase(order.back().key);
    order.push_front(Entry{std::string(key)});
    index.emplace(order.front().key, order.begin());
  }
  order.front().last_ms = now_ms;
  return order.front();
}

void Backoff::Table::erase(std::string_view key) {
  auto it = index.find(key);
  if (it == index.end()) return;
  auto node = it->second;
  index.erase(it);
  order.erase(node);
}

void Backoff::Table::forget_before(int64_t cutoff_ms) {
  while (!order.empty() && order.back().last_ms <= cutoff_ms) erase(order.back().key);
}

Backoff::Backoff(BackoffOptions options, const core::Clock& clock) : options_(options), clock_(clock) {}

core::Millis Backoff::delay_for(int failures) const {
  int over = failures - options_.free_failures;
  if (over <= 0) return core::Millis(0);
  // base * 2^(over-1), capped; the shift is bounded so that it cannot overflow.
  int64_t base = std::max<int64_t>(0, options_.base.count());
  int64_t cap = std::max<int64_t>(0, options_.max.count());
  int shift = std::min(over - 1, 40);
  int64_t d = base > (cap >> shift) ? cap : base << shift;
  return core::Millis(std::min(d, cap));
}

core::Millis Backoff::wait_of(const Entry* e, int64_t now_ms) const {
  if (!e || now_ms - e->last_ms >= options_.forget_after.count()) return core::Millis(0);
  int64_t until = e->last_ms + delay_for(e->failures).count();
  return core::Millis(std::max<int64_t>(0, until - now_ms));
}

void Backoff::forget_locked(int64_t now_ms) {
  int64_t cutoff = now_ms - options_.forget_after.count();
  addresses_.forget_before(cutoff);
  names_.forget_before(cutoff);
}

core::Millis Backoff::wait_before(std::string_view address, std::string_view name) const {
  int64_t now = core::to_unix_millis(clock_.now());
  std::lock_guard lock(mu_);
  return std::max(wait_of(addresses_.find(host_of(address)), now), wait_of(names_.find(name), now));
}

void Backoff::failed(std::string_view address, std::string_view name) {
  int64_t now = core::to_unix_millis(clock_.now());
  std::lock_guard lock(mu_);
  forget_locked(now);
  Entry& a = addresses_.touch(host_of(address), now, options_.max_entries);
  ++a.failures;
  auto it = std::find_if(a.by_name.begin(), a.by_name.end(), [&](const auto& p) { return p.first == name; });
  if (it != a.by_name.end()) ++it->second;
  else if (a.by_name.size() < kNamesPerAddress) a.by_name.emplace_back(std::string(name), 1);
  ++names_.touch(name, now, options_.max_entries).failures;
}

void Backoff::succeeded(std::string_view address, std::string_view name) {
  int64_t now = core::to_unix_millis(clock_.now());
  std::lock_guard lock(mu_);
  forget_locked(now);
  names_.erase(name);
  // The address keeps its place in the order (it is by latest failure, not by latest attempt).
  if (Entry* a = addresses_.find(host_of(address))) {
    auto it = std::find_if(a->by_name.begin(), a->by_name.end(), [&](const auto& p) { return p.first == name; });
    if (it != a->by_name.end()) {
      a->failures -= it->second;
      a->by_name.erase(it);
      if (a->failures <= 0) addresses_.erase(a->key);
    }
  }
}

size_t Backoff::size() const {
  std::lock_guard lock(mu_);
  return addresses_.order.size() + names_.order.size();
}

}  // namespace liandong::access
