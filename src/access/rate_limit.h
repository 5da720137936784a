// Rate limits by key (an address, a principal) and the address allow-list that exempts from them.
//
// RateLimiter is a token bucket per key: a key may take `burst` requests at once and then
// `per_second` on average. Memory is bounded: a key whose bucket has refilled is forgotten (it
// would behave exactly like a new key), and when `max_keys` keys are all still busy the one used
// least recently is dropped (it starts again with a full bucket). Time comes from a core::Clock,
// so tests move it by hand; a clock that steps back refills nothing.
//
// Thread-safety: RateLimiter is thread-safe (one mutex, held for a hash lookup). AddressList is
// immutable after parse() and safe to read from any number of threads.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace liandong::access {

class RateLimiter {
 public:
  struct Decision {
    bool allowed = true;
    core::Millis retry_after{0};  // when refused: time until the key's next token (> 0)

    explicit operator bool() const { return allowed; }
    // retry_after in whole seconds, rounded up, at least 1: the Retry-After header's value.
    int64_t retry_after_seconds() const;
  };

  // `per_second` <= 0 disables the limiter (every take() is allowed and nothing is stored).
  // `burst` below 1 is taken as 1. `clock` is borrowed and must outlive the limiter.
  RateLimiter(double per_second, double burst, const core::Clock& clock, size_t max_keys = 100'000);
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Takes one token from `key`'s bucket, or says how long until one is there.
  Decision take(std::string_view key);

  // Keys currently remembered (for tests and metrics).
  size_t size() const;
  bool enabled() const { return per_second_ > 0; }

 private:
  struct Bucket {
    std::string key;
    double tokens;
    int64_t updated_ms;  // unix ms of the last refill
  };
  using List = std::list<Bucket>;  // most recently used first

  void forget_idle_locked(int64_t now_ms);

  const double per_second_;
  const double burst_;
  const int64_t refill_ms_;  // time for an empty bucket to be full again
  const size_t max_keys_;
  const core::Clock& clock_;

  mutable std::mutex mu_;
  List lru_;
  std::unordered_map<std::string_view, List::iterator> index_;  // views into lru_'s keys
};

// The host part of an address as the HTTP server gives it: "10.1.2.3:5000" → "10.1.2.3",
// "[::1]:5000" → "::1", a bare address unchanged. For keys and for AddressList::contains.
std::string_view host_of(std::string_view address);

// A set of IPv4/IPv6 addresses and CIDR blocks: "10.0.0.0/8", "192.168.1.7", "::1", "fd00::/8".
// IPv4 entries also match IPv4-mapped IPv6 addresses (::ffff:10.1.2.3), as a dual-stack listener
// reports IPv4 clients.
class AddressList {
 public:
  AddressList() = default;  // empty: contains nothing

  // Parses every entry; kInvalidArgument naming the first bad entry (and its position) otherwise.
  // Bits set after the prefix ("10.1.2.3/8") are ignored.
  static core::Result<AddressList> parse(const std::vector<std::string>& entries);

  // Whether `address` ("10.1.2.3", "10.1.2.3:5000", "::1", "[::1]:5000", "fe80::1%eth0") is in
  // the list. An unparsable address is not.
  bool contains(std::string_view address) const;

  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::array<uint8_t, 16> bytes;  // IPv4 as IPv4-mapped IPv6
    int prefix;                     // in IPv6 bits (IPv4 /n is 96 + n)
  };
  std::vector<Entry> entries_;
};

}  // namespace liandong::access
