#include "access/rate_limit.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>

namespace liandong::access {

int64_t RateLimiter::Decision::retry_after_seconds() const {
  return std::max<int64_t>(1, (retry_after.count() + 999) / 1000);
}

RateLimiter::RateLimiter(double per_second, double burst, const core::Clock& clock, size_t max_keys)
    : per_second_(per_second),
      burst_(std::max(1.0, burst)),
      refill_ms_(per_second > 0 ? static_cast<int64_t>(std::ceil(std::max(1.0, burst) / per_second * 1000))
                                : 0),
      max_keys_(std::max<size_t>(1, max_keys)),
      clock_(clock) {}

void RateLimiter::forget_idle_locked(int64_t now_ms) {
  // lru_ is ordered by last use, so the idle keys are all at the back.
  while (!lru_.empty() && now_ms - lru_.back().updated_ms >= refill_ms_) {
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

RateLimiter::Decision RateLimiter::take(std::string_view key) {
  if (per_second_ <= 0) return {};
  int64_t now = core::to_unix_millis(clock_.now());
  std::lock_guard lock(mu_);
  forget_idle_locked(now);
  auto it = index_.find(key);
  if (it == index_.end()) {
    if (lru_.size() >= max_keys_) {
      index_.erase(lru_.back().key);
      lru_.pop_back();
    }
    lru_.push_front(Bucket{std::string(key), burst_, now});
    index_.emplace(lru_.front().key, lru_.begin());
    it = index_.find(key);
  } else {
    lru_.splice(lru_.begin(), lru_, it->second);
  }
  Bucket& b = *it->second;
  if (now > b.updated_ms) {
    b.tokens = std::min(burst_, b.tokens + static_cast<double>(now - b.updated_ms) * per_second_ / 1000.0);
  }
  // A clock stepping back leaves the bucket as it is, stamped with the new time.
  b.updated_ms = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {};
  }
  // The epsilon keeps float noise (1500.0000001 ms) from rounding up a whole millisecond.
  auto wait = static_cast<int64_t>(std::ceil((1.0 - b.tokens) * 1000.0 / per_second_ - 1e-6));
  return {false, core::Millis(std::max<int64_t>(1, wait))};
}

size_t RateLimiter::size() const {
  std::lock_guard lock(mu_);
  return lru_.size();
}

std::string_view host_of(std::string_view a) {
  if (!a.empty() && a.front() == '[') {
    auto close = a.find(']');
    return close == std::string_view::npos ? a : a.substr(1, close - 1);
  }
  auto colon = a.find(':');
  // Exactly one colon: IPv4 (or a name) with a port. More: a bare IPv6 address.
  if (colon != std::string_view::npos && a.find(':', colon + 1) == std::string_view::npos)
    return a.substr(0, colon);
  return a;
}

namespace {

// An IP address as 16 bytes (IPv4 mapped), or nullopt. A zone ("%eth0") is ignored.
std::optional<std::array<uint8_t, 16>> parse_ip(std::string_view text, bool* is_v4 = nullptr) {
  auto pct = text.find('%');
  if (pct != std::string_view::npos) text = text.substr(0, pct);
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  std::array<uint8_t, 16> out{};
  in_addr v4;
  if (::inet_pton(AF_INET, buf, &v4) == 1) {
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    if (is_v4) *is_v4 = true;
    return out;
  }
  in6_addr v6;
  if (::inet_pton(AF_INET6, buf, &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    if (is_v4) *is_v4 = false;
    return out;
  }
  return std::nullopt;
}

bool prefix_matches(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b, int prefix) {
  int full = prefix / 8, rest = prefix % 8;
  if (std::memcmp(a.data(), b.data(), full) != 0) return false;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

}  // namespace

core::Result<AddressList> AddressList::parse(const std::vector<std::string>& entries) {
  AddressList list;
  for (size_t i = 0; i < entries.size(); ++i) {
    std::string_view e = entries[i];
    auto bad = [&](const std::string& why) {
      return core::invalid("address entry " + std::to_string(i + 1) + " '" + entries[i] + "' " + why);
    };
    auto slash = e.find('/');
    bool v4 = false;
    auto ip = parse_ip(e.substr(0, slash), &v4);
    if (!ip || e.substr(0, slash).find('%') != std::string_view::npos)
      return bad("is not an IP address or CIDR block (e.g. 10.0.0.0/8, 192.168.1.7, ::1, fd00::/8)");
    int bits = v4 ? 32 : 128;
    int prefix = bits;
    if (slash != std::string_view::npos) {
      auto p = e.substr(slash + 1);
      auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
      if (p.empty() || ec != std::errc() || end != p.data() + p.size() || prefix < 0 || prefix > bits)
        return bad("has a bad prefix length (0 to " + std::to_string(bits) + ")");
    }
    list.entries_.push_back({*ip, v4 ? 96 + prefix : prefix});
  }
  return list;
}

bool AddressList::contains(std::string_view address) const {
  if (entries_.empty()) return false;
  auto ip = parse_ip(host_of(address));
  if (!ip) return false;
  for (const auto& e : entries_)
    if (prefix_matches(*ip, e.bytes, e.prefix)) return true;
  return false;
}

}  // namespace liandong::access
