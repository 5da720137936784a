#include "access/backoff.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace liandong::access {
namespace {

using core::Millis;

class BackoffTest : public ::testing::Test {
 protected:
  core::FakeClock clock_{core::from_unix_millis(1'800'000'000'000)};
};

TEST_F(BackoffTest, DelaysGrowFromBaseDoublingToTheCap) {
  Backoff b({}, clock_);
  EXPECT_EQ(b.delay_for(0), Millis(0));
  EXPECT_EQ(b.delay_for(3), Millis(0));
  EXPECT_EQ(b.delay_for(4), Millis(1'000));
  EXPECT_EQ(b.delay_for(5), Millis(2'000));
  EXPECT_EQ(b.delay_for(9), Millis(32'000));
  EXPECT_EQ(b.delay_for(10), Millis(60'000));
  EXPECT_EQ(b.delay_for(1'000'000), Millis(60'000));
  BackoffOptions o;
  o.free_failures = 0;
  o.base = Millis(250);
  o.max = Millis(1'000);
  Backoff custom(o, clock_);
  EXPECT_EQ(custom.delay_for(1), Millis(250));
  EXPECT_EQ(custom.delay_for(3), Millis(1'000));
}

TEST_F(BackoffTest, FreeFailuresThenAWaitCountedFromTheLatestFailure) {
  Backoff b({}, clock_);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(b.wait_before("10.0.0.1:5000", "li.wei"), Millis(0)) << i;
    b.failed("10.0.0.1:5000", "li.wei");
  }
  EXPECT_EQ(b.wait_before("10.0.0.1:5001", "li.wei"), Millis(0));
  b.failed("10.0.0.1:5001", "li.wei");  // 4th
  EXPECT_EQ(b.wait_before("10.0.0.1:5002", "li.wei"), Millis(1'000));
  clock_.advance(Millis(400));
  EXPECT_EQ(b.wait_before("10.0.0.1", "li.wei"), Millis(600));
  clock_.advance(Millis(600));
  EXPECT_EQ(b.wait_before("10.0.0.1", "li.wei"), Millis(0));
  b.failed("10.0.0.1", "li.wei");  // 5th
  EXPECT_EQ(b.wait_before("10.0.0.1", "li.wei"), Millis(2'000));
}

TEST_F(BackoffTest, WaitIsTheLargerOfAddressAndName) {
  Backoff b({}, clock_);
  // One address guessing many names: the address slows down, the names do not.
  for (int i = 0; i < 6; ++i) b.failed("203.0.113.5", "user" + std::to_string(i));
  EXPECT_EQ(b.wait_before("203.0.113.5", "someone"), Millis(4'000));
  EXPECT_EQ(b.wait_before("198.51.100.1", "user0"), Millis(0));
  // Many addresses guessing one name: the name slows down wherever it is tried from.
  for (int i = 0; i < 5; ++i) b.failed("198.51.100." + std::to_string(10 + i), "zhang.min");
  EXPECT_EQ(b.wait_before("192.0.2.1", "zhang.min"), Millis(2'000));
  EXPECT_EQ(b.wait_before("192.0.2.1", "li.wei"), Millis(0));
}

TEST_F(BackoffTest, SuccessClearsTheNameAndOnlyItsOwnFailuresAtTheAddress) {
  Backoff b({}, clock_);
  for (int i = 0; i < 4; ++i) b.failed("10.0.0.9", "victim");
  for (int i = 0; i < 2; ++i) b.failed("10.0.0.9", "attacker");  // address: 6 failures
  EXPECT_EQ(b.wait_before("10.0.0.9", "attacker"), Millis(4'000));
  b.succeeded("10.0.0.9", "attacker");
  // The attacker's own name is clear, but the guesses at "victim" still count at the address.
  EXPECT_EQ(b.wait_before("10.0.0.9", "attacker"), Millis(1'000));
  EXPECT_EQ(b.wait_before("10.0.0.9", "victim"), Millis(1'000));
  // The real owner signing in from elsewhere clears the name everywhere.
  b.succeeded("10.20.0.1", "victim");
  EXPECT_EQ(b.wait_before("10.20.0.1", "victim"), Millis(0));
  EXPECT_EQ(b.wait_before("10.0.0.9", "victim"), Millis(1'000));  // the address still waits
  b.succeeded("10.0.0.9", "victim");
  EXPECT_EQ(b.wait_before("10.0.0.9", "anyone"), Millis(0));
  EXPECT_EQ(b.size(), 0u);
}

TEST_F(BackoffTest, ForgetsAfterAQuietPeriod) {
  BackoffOptions o;
  o.forget_after = Millis(10 * 60'000);
  Backoff b(o, clock_);
  for (int i = 0; i < 10; ++i) b.failed("10.0.0.1", "li.wei");
  EXPECT_EQ(b.wait_before("10.0.0.1", "li.wei"), Millis(60'000));
  clock_.advance(Millis(10 * 60'000 - 1));
  EXPECT_EQ(b.wait_before("10.0.0.1", "li.wei"), Millis(0));  // the wait is over, not forgotten
  b.failed("10.0.0.1", "li.wei");  // 11th: still the cap
  EXPECT_EQ(b.wait_before("10.0.0.1", "li.wei"), Millis(60'000));
  clock_.advance(Millis(10 * 60'000));
  b.failed("10.0.0.1", "li.wei");  // forgotten: this is the first failure again
  EXPECT_EQ(b.wait_before("10.0.0.1", "li.wei"), Millis(0));
  EXPECT_EQ(b.size(), 2u);
}

TEST_F(BackoffTest, MemoryIsBounded) {
  BackoffOptions o;
  o.max_entries = 100;
  Backoff b(o, clock_);
  for (int i = 0; i < 5'000; ++i) b.failed("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256),
                                           "name" + std::to_string(i));
  EXPECT_LE(b.size(), 200u);
  // One address failing for more names than it remembers still counts every failure.
  Backoff one({}, clock_);
  for (size_t i = 0; i < Backoff::kNamesPerAddress + 5; ++i) one.failed("10.9.9.9", "n" + std::to_string(i));
  EXPECT_EQ(one.wait_before("10.9.9.9", "x"), Millis(60'000));
  for (size_t i = 0; i < Backoff::kNamesPerAddress + 5; ++i) one.succeeded("10.9.9.9", "n" + std::to_string(i));
  EXPECT_EQ(one.wait_before("10.9.9.9", "x"), Millis(2'000));  // the 5 it could not attribute
}

TEST_F(BackoffTest, ConcurrentFailuresAreAllCounted) {
  BackoffOptions o;
  o.free_failures = 400;
  Backoff b(o, clock_);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) b.failed("10.0.0.1", "shared");
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(b.wait_before("10.0.0.1", "shared"), Millis(0));  // exactly 400: still free
  b.failed("10.0.0.1", "shared");
  EXPECT_EQ(b.wait_before("10.0.0.1", "shared"), Millis(1'000));
}

}  // namespace
}  // namespace liandong::access
