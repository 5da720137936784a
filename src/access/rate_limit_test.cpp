#include "access/rate_limit.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace liandong::access {
namespace {

using core::Millis;

core::FakeClock make_clock() { return core::FakeClock(core::from_unix_millis(1'800'000'000'000)); }

TEST(RateLimiter, BurstThenRefillsAtTheRate) {
  auto clock = make_clock();
  RateLimiter limiter(2, 5, clock);  // 2/s, burst 5
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.take("a").allowed) << i;
  auto d = limiter.take("a");
  ASSERT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, Millis(500));
  EXPECT_EQ(d.retry_after_seconds(), 1);
  clock.advance(Millis(499));
  EXPECT_FALSE(limiter.take("a").allowed);
  clock.advance(Millis(1));
  EXPECT_TRUE(limiter.take("a").allowed);
  EXPECT_FALSE(limiter.take("a").allowed);
  // A long pause refills to the burst, never beyond it.
  clock.advance(Millis(3'600'000));
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.take("a").allowed) << i;
  EXPECT_FALSE(limiter.take("a").allowed);
}

TEST(RateLimiter, KeysAreIndependent) {
  auto clock = make_clock();
  RateLimiter limiter(1, 1, clock);
  EXPECT_TRUE(limiter.take("10.0.0.1").allowed);
  EXPECT_FALSE(limiter.take("10.0.0.1").allowed);
  EXPECT_TRUE(limiter.take("10.0.0.2").allowed);
}

TEST(RateLimiter, RetryAfterRoundsUpToWholeSeconds) {
  auto clock = make_clock();
  RateLimiter slow(0.1, 1, clock);  // one every 10 s
  EXPECT_TRUE(slow.take("k").allowed);
  auto d = slow.take("k");
  EXPECT_EQ(d.retry_after, Millis(10'000));
  EXPECT_EQ(d.retry_after_seconds(), 10);
  clock.advance(Millis(8'500));
  d = slow.take("k");
  EXPECT_EQ(d.retry_after, Millis(1'500));
  EXPECT_EQ(d.retry_after_seconds(), 2);
  RateLimiter::Decision tiny{false, Millis(1)};
  EXPECT_EQ(tiny.retry_after_seconds(), 1);
}

TEST(RateLimiter, DisabledAllowsEverythingAndStoresNothing) {
  auto clock = make_clock();
  RateLimiter off(0, 10, clock);
  EXPECT_FALSE(off.enabled());
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(off.take("k").allowed);
  EXPECT_EQ(off.size(), 0u);
}

TEST(RateLimiter, ForgetsIdleKeysWithoutChangingDecisions) {
  auto clock = make_clock();
  RateLimiter limiter(10, 20, clock);  // refills from empty in 2 s
  for (int i = 0; i < 100; ++i) (void)limiter.take("key" + std::to_string(i));
  EXPECT_EQ(limiter.size(), 100u);
  clock.advance(Millis(1'999));
  (void)limiter.take("fresh");
  EXPECT_EQ(limiter.size(), 101u);  // not yet full again: still remembered
  clock.advance(Millis(1));
  (void)limiter.take("fresh");
  EXPECT_EQ(limiter.size(), 1u);
}

TEST(RateLimiter, ManyKeysStayWithinTheBound) {
  auto clock = make_clock();
  RateLimiter limiter(1, 2, clock, /*max_keys=*/50);
  for (int i = 0; i < 10'000; ++i) (void)limiter.take("addr" + std::to_string(i));
  EXPECT_LE(limiter.size(), 50u);
  // The most recent keys are the ones kept.
  EXPECT_TRUE(limiter.take("addr9999").allowed);
  EXPECT_FALSE(limiter.take("addr9999").allowed);
}

TEST(RateLimiter, ClockSteppingBackRefillsNothing) {
  auto clock = make_clock();
  RateLimiter limiter(1, 1, clock);
  EXPECT_TRUE(limiter.take("k").allowed);
  clock.advance(Millis(-60'000));
  EXPECT_FALSE(limiter.take("k").allowed);
  clock.advance(Millis(1'000));
  EXPECT_TRUE(limiter.take("k").allowed);
}

TEST(RateLimiter, ConcurrentTakesGrantExactlyTheBurst) {
  auto clock = make_clock();
  RateLimiter limiter(1, 1000, clock);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i)
        if (limiter.take("shared")) ++allowed;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 1000);
}

TEST(HostOf, StripsPortsAndBrackets) {
  EXPECT_EQ(host_of("10.1.2.3:5000"), "10.1.2.3");
  EXPECT_EQ(host_of("10.1.2.3"), "10.1.2.3");
  EXPECT_EQ(host_of("[::1]:5000"), "::1");
  EXPECT_EQ(host_of("::1"), "::1");
  EXPECT_EQ(host_of("fd00::7"), "fd00::7");
}

TEST(AddressList, MatchesAddressesAndBlocks) {
  auto list = AddressList::parse({"10.0.0.0/8", "192.168.1.7", "::1", "fd00::/8"});
  ASSERT_TRUE(list.is_ok()) << list.status().to_string();
  EXPECT_EQ(list->size(), 4u);
  for (const char* in : {"10.0.0.1", "10.255.255.255:80", "192.168.1.7:5000", "::1", "[::1]:8080", "fd12:3456::1",
                         "[fdff::1]:443", "::ffff:10.2.3.4", "[::ffff:192.168.1.7]:1"})
    EXPECT_TRUE(list->contains(in)) << in;
  for (const char* out : {"11.0.0.1", "192.168.1.8", "192.168.1.70:80", "::2", "fe80::1", "[fc00::1]:1", "",
                          "not-an-address", "10.0.0", "[::1"})
    EXPECT_FALSE(list->contains(out)) << out;
}

TEST(AddressList, PrefixesOnOddBitsAndTheExtremes) {
  auto list = AddressList::parse({"172.16.0.0/12", "2001:db8::/33"});
  ASSERT_TRUE(list.is_ok());
  EXPECT_TRUE(list->contains("172.16.0.1"));
  EXPECT_TRUE(list->contains("172.31.255.255"));
  EXPECT_FALSE(list->contains("172.32.0.0"));
  EXPECT_FALSE(list->contains("172.15.255.255"));
  EXPECT_TRUE(list->contains("2001:db8:7fff::1"));
  EXPECT_FALSE(list->contains("2001:db8:8000::1"));
  auto all4 = AddressList::parse({"0.0.0.0/0"});
  EXPECT_TRUE(all4->contains("203.0.113.9"));
  EXPECT_FALSE(all4->contains("2001:db8::1"));  // an IPv4 block never matches IPv6
  auto host_bits = AddressList::parse({"10.1.2.3/8"});
  EXPECT_TRUE(host_bits->contains("10.200.0.1"));
  EXPECT_FALSE(AddressList().contains("127.0.0.1"));
}

TEST(AddressList, ErrorsNameTheBadEntry) {
  struct Case {
    std::vector<std::string> entries;
    std::string expect;
  };
  for (const auto& c : std::vector<Case>{{{"10.0.0.0/8", "10.0.0.0/33"}, "entry 2 '10.0.0.0/33'"},
                                         {{"fd00::/129"}, "entry 1 'fd00::/129'"},
                                         {{"10.0.0.0/"}, "'10.0.0.0/'"},
                                         {{"10.0.0.0/8x"}, "'10.0.0.0/8x'"},
                                         {{"10.0.0.0/-1"}, "'10.0.0.0/-1'"},
                                         {{"localhost"}, "'localhost' is not an IP address"},
                                         {{"10.0.0.256"}, "'10.0.0.256'"},
                                         {{"::1", ""}, "entry 2 ''"},
                                         {{"10.0.0.1:80"}, "'10.0.0.1:80'"}}) {
    auto r = AddressList::parse(c.entries);
    ASSERT_FALSE(r.is_ok()) << c.expect;
    EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos) << r.status().message();
  }
}

}  // namespace
}  // namespace liandong::access
