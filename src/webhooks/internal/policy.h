// What an attempt's result means for its delivery, and when to try again. Pure functions,
// thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace liandong::webhooks::internal {

// What came back from one POST.
struct PostResult {
  bool answered = false;  // a status line was read
  int status = 0;
  std::string body_start;   // the first bytes of the response body (at most kReasonBytes kept)
  std::string retry_after;  // the Retry-After header, "" when absent
  std::string error;        // when not answered: what failed ("connect: Connection refused", ...)
};

inline constexpr size_t kReasonBytes = 200;

enum class Outcome { kDelivered, kRetry, kDead };

struct Verdict {
  Outcome outcome = Outcome::kRetry;
  std::string reason;  // for a retry or dead delivery: what happened, for people
  std::optional<core::Millis> retry_after;  // the receiver asked for this wait
};

// 2xx delivered; no answer, 408, 429 and 5xx retry; any other status (1xx, 3xx: redirects are
// not followed; 4xx: refused) dead. The reason holds the status and the start of the body.
Verdict judge(const PostResult& result);

// Retry-After as delta seconds ("120"); nullopt for absent, HTTP-date or malformed values.
std::optional<core::Millis> parse_retry_after(std::string_view value);

// The wait after the n-th failed attempt in a row (n >= 1): first doubling up to max; a
// receiver's Retry-After replaces it, kept within [first, max].
core::Millis next_delay(int failed_attempts, std::optional<core::Millis> retry_after,
                        core::Millis first, core::Millis max);

}  // namespace liandong::webhooks::internal
