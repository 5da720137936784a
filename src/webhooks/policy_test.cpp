#include "webhooks/internal/policy.h"

#include <gtest/gtest.h>

namespace liandong::webhooks::internal {
namespace {

using core::Millis;

PostResult answer(int status, std::string body = "", std::string retry_after = "") {
  PostResult r;
  r.answered = true;
  r.status = status;
  r.body_start = std::move(body);
  r.retry_after = std::move(retry_after);
  return r;
}

TEST(Policy, TwoHundredsAreDelivered) {
  for (int s : {200, 201, 202, 204, 299}) EXPECT_EQ(judge(answer(s)).outcome, Outcome::kDelivered);
}

TEST(Policy, NoAnswerTimeoutsThrottlingAndServerErrorsAreRetried) {
  PostResult refused;
  refused.error = "connect: Connection refused";
  auto v = judge(refused);
  EXPECT_EQ(v.outcome, Outcome::kRetry);
  EXPECT_EQ(v.reason, "connect: Connection refused");
  for (int s : {408, 429, 500, 502, 503, 504, 599})
    EXPECT_EQ(judge(answer(s)).outcome, Outcome::kRetry) << s;
  auto busy = judge(answer(503, "busy", "7"));
  EXPECT_EQ(busy.retry_after, Millis(7000));
  EXPECT_EQ(busy.reason, "HTTP 503: busy");
}

TEST(Policy, OtherStatusesAreDeadWithStatusAndBodyStart) {
  for (int s : {400, 401, 403, 404, 410, 413, 422, 301, 302, 101})
    EXPECT_EQ(judge(answer(s)).outcome, Outcome::kDead) << s;
  auto gone = judge(answer(410, "alert\r\nwithdrawn " + std::string(500, 'x')));
  EXPECT_EQ(gone.reason.substr(0, 27), "HTTP 410: alert  withdrawn ");
  EXPECT_LE(gone.reason.size(), 10 + kReasonBytes);
  EXPECT_NE(judge(answer(302)).reason.find("redirects are not followed"), std::string::npos);
}

TEST(Policy, RetryAfterIsDeltaSecondsOnly) {
  EXPECT_EQ(parse_retry_after("120"), Millis(120'000));
  EXPECT_EQ(parse_retry_after(" 0 "), Millis(0));
  EXPECT_FALSE(parse_retry_after(""));
  EXPECT_FALSE(parse_retry_after("-5"));
  EXPECT_FALSE(parse_retry_after("1.5"));
  EXPECT_FALSE(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"));
  EXPECT_FALSE(parse_retry_after("99999999999999"));
}

TEST(Policy, BackoffDoublesToItsCapAndRetryAfterStaysWithinBounds) {
  const Millis first(1000), max(60'000);
  std::vector<int64_t> got;
  for (int n = 1; n <= 9; ++n) got.push_back(next_delay(n, std::nullopt, first, max).count());
  EXPECT_EQ(got, (std::vector<int64_t>{1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000}));
  EXPECT_EQ(next_delay(1000000, std::nullopt, first, max), max);
  EXPECT_EQ(next_delay(1, Millis(5000), first, max), Millis(5000));
  EXPECT_EQ(next_delay(1, Millis(3'600'000), first, max), max);
  EXPECT_EQ(next_delay(1, Millis(0), first, max), first);
}

}  // namespace
}  // namespace liandong::webhooks::internal
