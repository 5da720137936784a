#include "webhooks/internal/policy.h"

#include <algorithm>
#include <charconv>

namespace liandong::webhooks::internal {
namespace {

// The body start made printable on one line, for a reason a person reads.
std::string excerpt(std::string_view body) {
  std::string out;
  for (char c : body.substr(0, kReasonBytes)) {
    auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

Verdict judge(const PostResult& r) {
  Verdict v;
  if (!r.answered) {
    v.outcome = Outcome::kRetry;
    v.reason = r.error.empty() ? "no answer" : r.error;
    return v;
  }
  std::string reason = "HTTP " + std::to_string(r.status);
  if (std::string body = excerpt(r.body_start); !body.empty()) reason += ": " + body;
  v.reason = std::move(reason);
  if (r.status >= 200 && r.status < 300) {
    v.outcome = Outcome::kDelivered;
    v.reason.clear();
  } else if (r.status == 408 || r.status == 429 || (r.status >= 500 && r.status < 600)) {
    v.outcome = Outcome::kRetry;
    v.retry_after = parse_retry_after(r.retry_after);
  } else {
    v.outcome = Outcome::kDead;
    if (r.status >= 300 && r.status < 400) v.reason += " (redirects are not followed)";
  }
  return v;
}

std::optional<core::Millis> parse_retry_after(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty() || value.size() > 9) return std::nullopt;
  int64_t seconds = 0;
  auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc{} || p != value.data() + value.size() || seconds < 0) return std::nullopt;
  return core::Millis(seconds * 1000);
}

core::Millis next_delay(int failed_attempts, std::optional<core::Millis> retry_after,
                        core::Millis first, core::Millis max) {
  if (retry_after) return std::clamp(*retry_after, first, std::max(first, max));
  core::Millis delay = first;
  for (int i = 1; i < failed_attempts && delay < max; ++i) delay *= 2;
  return std::min(delay, max);
}

}  // namespace liandong::webhooks::internal
