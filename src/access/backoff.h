// Sign-in back-off: repeated failures slow the source down instead of locking the account, so
// nobody can lock the on-duty dispatcher out by guessing at their name.
//
// Failures are counted per address and per name. The first `free_failures` failures cost nothing;
// the next one makes the key wait `base` after it, doubling with each further failure up to `max`
// (defaults: the 4th failure in a row earns 1 s, the 5th 2 s, ...); the wait
// before an attempt is the larger of the address's and the name's. A success clears the name's
// count, and takes back from the address only the failures made for that name there (a person
// signing in to their own account does not clear an attacker's guesses at another name). A key
// with no failure for `forget_after` is forgotten.
//
// Memory is bounded: at most `max_entries` addresses and as many names are remembered (the one
// whose last failure is oldest makes way), and an address remembers the names it failed for up
// to kNamesPerAddress (further failures count for the address but cannot be taken back).
//
// Thread-safety: every member is thread-safe. The clock is borrowed and must outlive the Backoff.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/time.h"

namespace liandong::access {

struct BackoffOptions {
  int free_failures = 3;           // failures allowed without any wait
  core::Millis base{1000};         // wait after the first failure beyond those
  core::Millis max{60'000};        // the longest wait
  core::Millis forget_after{15 * 60'000};  // quiet time after which a key's failures are forgotten
  size_t max_entries = 100'000;    // per table (addresses, names)
};

class Backoff {
 public:
  static constexpr size_t kNamesPerAddress = 32;

  Backoff(BackoffOptions options, const core::Clock& clock);
  Backoff(const Backoff&) = delete;
  Backoff& operator=(const Backoff&) = delete;

  // How long `address` must wait before trying `name` again; 0 means now. `address` may carry a
  // port ("10.1.2.3:5000", "[::1]:5000"); it is ignored. `name` is compared exactly: pass it as
  // the sign-in matches it (e.g. lower-cased when names are case-insensitive).
  core::Millis wait_before(std::string_view address, std::string_view name) const;

  // A failed sign-in (unknown name or wrong password alike).
  void failed(std::string_view address, std::string_view name);

  // A successful sign-in: clears `name`'s failures and those made for it from `address`.
  void succeeded(std::string_view address, std::string_view name);

  // The delay after `failures` failures in a row (0 up to free_failures).
  core::Millis delay_for(int failures) const;

  // Keys remembered (addresses + names), for tests and metrics.
  size_t size() const;

 private:
  struct Entry {
    std::string key;
    int failures = 0;
    int64_t last_ms = 0;  // unix ms of the latest failure
    // Addresses only: failures per name, so that a success can take back its own.
    std::vector<std::pair<std::string, int>> by_name;
  };
  // Keys in the order of their latest failure, newest first, with an index.
  struct Table {
    std::list<Entry> order;
    std::unordered_map<std::string_view, std::list<Entry>::iterator> index;

    Entry* find(std::string_view key);
    const Entry* find(std::string_view key) const;
    Entry& touch(std::string_view key, int64_t now_ms, size_t max_entries);  // find or add, move to front
    void erase(std::string_view key);
    void forget_before(int64_t cutoff_ms);
  };

  core::Millis wait_of(const Entry* e, int64_t now_ms) const;
  void forget_locked(int64_t now_ms);

  const BackoffOptions options_;
  const core::Clock& clock_;
  mutable std::mutex mu_;
  Table addresses_, names_;
};

}  // namespace liandong::access
