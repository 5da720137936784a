// The deliverer against real HTTP receivers on loopback (issue 8's webhook test and the rules
// around it). Outcomes are awaited by polling with a deadline, never by sleeping.
#include "webhooks/deliverer.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <set>
#include <thread>

#include "webhooks/testing/receiver.h"
#include "litedb/testing/temp_dir.h"

namespace liandong::webhooks {
namespace {

using namespace std::chrono_literals;
using testing::Received;
using testing::Receiver;
using testing::Reply;

// Polls `done` every 10 ms for up to 20 s; on time-out fails with what `missing` says.
template <class Done, class Missing>
bool eventually(Done done, Missing missing, std::chrono::milliseconds limit = 20s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(10ms);
  }
  if (done()) return true;
  ADD_FAILURE() << "gave up waiting: " << missing();
  return false;
}

Publication alert(uint64_t seq, std::vector<std::string> subs) {
  Publication p;
  p.seq = seq;
  p.alert_id = "441200-ALR-" + std::to_string(seq);
  p.body = "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>" + p.alert_id +
           "</identifier><headline>东江镉超标 黄色预警 " + std::to_string(seq) +
           "</headline></alert>";
  p.published_at = core::from_unix_millis(1'800'000'000'000);
  p.subscriber_ids = std::move(subs);
  return p;
}

std::string secret_of(const std::string& sub) { return "secret-of-" + sub; }

std::map<std::string, std::string> secrets(std::initializer_list<std::string> subs) {
  std::map<std::string, std::string> out;
  for (const auto& s : subs) out["/" + s] = secret_of(s);
  return out;
}

Subscriber subscriber(const std::string& id, uint16_t port, bool tls = false) {
  Subscriber s;
  s.id = id;
  s.url = std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port) + "/" + id;
  s.secret = secret_of(id);
  return s;
}

// The seqs a subscriber's path received, in arrival order, duplicates included.
std::vector<uint64_t> seqs_at(const Receiver& r, const std::string& sub) {
  std::vector<uint64_t> out;
  for (const Received& x : r.received())
    if (x.path == "/" + sub) out.push_back(std::stoull(x.delivery_id.substr(sub.size() + 1)));
  return out;
}

std::set<uint64_t> distinct(const std::vector<uint64_t>& v) { return {v.begin(), v.end()}; }

std::string describe(const std::vector<uint64_t>& v) {
  std::string out;
  for (auto s : v) out += std::to_string(s) + " ";
  return out;
}

Deliverer::Options fast_options() {
  Deliverer::Options o;
  o.first_backoff = 20ms;
  o.max_backoff = 100ms;
  o.request_timeout = 3s;
  o.recheck_interval = 50ms;
  return o;
}

class DelivererTest : public ::testing::Test {
 protected:
  void open_store(const core::Clock& clock) {
    store_.reset();
    auto s = DeliveryStore::open(dir_.file("deliveries.db"), clock);
    ASSERT_TRUE(s) << s.status().to_string();
    store_ = std::move(*s);
  }
  SubscriberStats stats_of(const Deliverer& d, const std::string& sub) {
    auto all = d.stats();
    EXPECT_TRUE(all) << all.status().to_string();
    if (all)
      for (auto& s : *all)
        if (s.subscriber_id == sub) return s;
    return {};
  }
  Delivery get(const std::string& id) {
    auto d = store_->get(id);
    EXPECT_TRUE(d) << d.status().to_string();
    return d ? *d : Delivery{};
  }

  litedb::testing::TempDir dir_;
  core::SystemClock system_clock_;
  std::unique_ptr<DeliveryStore> store_;
};

// Issue 8: 60 alerts to 3 subscribers while the receiver is stopped and restarted mid-stream,
// once with a request in flight: every alert arrives at every subscriber, in order, and exactly
// once after deduplication by delivery id.
TEST_F(DelivererTest, EveryAlertReachesEverySubscriberInOrderThroughReceiverRestarts) {
  const std::vector<std::string> subs = {"s1", "s2", "s3"};
  Receiver receiver(secrets({"s1", "s2", "s3"}));
  ASSERT_TRUE(receiver.start().is_ok());
  std::atomic<bool> hung{false};
  receiver.set_handler([&](const Received& r) {
    Reply reply;
    if (r.delivery_id == "s1.20" && !hung.exchange(true)) reply.hang = true;
    return reply;
  });
  open_store(system_clock_);
  Deliverer d(*store_, system_clock_, fast_options());
  std::vector<Subscriber> set;
  for (const auto& s : subs) set.push_back(subscriber(s, receiver.port()));
  ASSERT_TRUE(d.set_subscribers(set).is_ok());
  ASSERT_TRUE(d.start().is_ok());

  auto publish = [&](uint64_t from, uint64_t to) {
    for (uint64_t seq = from; seq <= to; seq += 5) {
      std::vector<Publication> batch;
      for (uint64_t s = seq; s < seq + 5 && s <= to; ++s) batch.push_back(alert(s, subs));
      ASSERT_TRUE(d.publish(batch, batch.back().seq).is_ok());
    }
  };
  // The last errors now; then: has a subscriber had a connection refused since?
  auto last_errors = [&] {
    std::map<std::string, std::string> out;
    for (const auto& s : subs) out[s] = stats_of(d, s).last_error;
    return out;
  };
  auto refused_since = [&](std::map<std::string, std::string> before) {
    return [&, before] {
      for (const auto& [s, error] : last_errors())
        if (error != before.at(s) && error.find("connect:") != std::string::npos) return true;
      return false;
    };
  };

  publish(1, 20);
  // First stop: while s1's request for seq 20 is in flight (the receiver holds it unanswered).
  ASSERT_TRUE(eventually(
      [&] { return hung.load(); },
      [&] { return "s1 never sent seq 20; s1 got " + describe(seqs_at(receiver, "s1")); }));
  auto before = last_errors();
  receiver.stop();
  publish(21, 40);
  ASSERT_TRUE(eventually(refused_since(before), [] { return "no refused connection reported"; }));
  ASSERT_TRUE(receiver.start().is_ok());

  // Second stop: mid-stream again, once s2 is past seq 30.
  ASSERT_TRUE(eventually([&] { return distinct(seqs_at(receiver, "s2")).size() >= 30; },
                         [&] { return "s2 got only " + describe(seqs_at(receiver, "s2")); }));
  before = last_errors();
  receiver.stop();
  EXPECT_TRUE(d.set_subscribers(set).is_ok());  // replacing the set mid-stream changes nothing
  publish(41, 60);
  ASSERT_TRUE(eventually(refused_since(before), [] { return "no refused connection reported"; }));
  ASSERT_TRUE(receiver.start().is_ok());

  for (const auto& s : subs)
    ASSERT_TRUE(eventually([&] { return distinct(seqs_at(receiver, s)).size() == 60; },
                           [&] { return s + " got " + describe(seqs_at(receiver, s)); }));

  std::map<std::string, Publication> by_delivery;
  for (uint64_t seq = 1; seq <= 60; ++seq)
    for (const auto& s : subs) by_delivery[delivery_id_for(s, seq)] = alert(seq, subs);
  for (const Received& r : receiver.received()) {
    ASSERT_TRUE(by_delivery.count(r.delivery_id)) << "unexpected delivery id " << r.delivery_id;
    const Publication& p = by_delivery[r.delivery_id];
    EXPECT_TRUE(r.signature_ok) << r.delivery_id << ": " << r.signature_error;
    EXPECT_EQ(r.alert_id, p.alert_id);
    EXPECT_EQ(r.body, p.body);
    EXPECT_EQ(r.content_type, "application/cap+xml");
  }
  for (const auto& s : subs) {
    auto got = seqs_at(receiver, s);
    // In order: a resend repeats the latest seq, never an earlier one.
    EXPECT_TRUE(std::is_sorted(got.begin(), got.end())) << s << ": " << describe(got);
    EXPECT_EQ(distinct(got), distinct([] {
                std::vector<uint64_t> all;
                for (uint64_t i = 1; i <= 60; ++i) all.push_back(i);
                return all;
              }()));
    auto st = stats_of(d, s);
    EXPECT_TRUE(eventually([&] { return stats_of(d, s).delivered == 60; },
                           [&] { return s + " not all marked delivered"; }));
    EXPECT_EQ(st.dead, 0);
  }
  // The request abandoned by the first stop was sent again: at least once.
  auto s1 = seqs_at(receiver, "s1");
  EXPECT_GE(std::count(s1.begin(), s1.end(), 20u), 2) << describe(s1);
  d.stop();
}

TEST_F(DelivererTest, APermanentRefusalGoesDeadTheRestFlowsAndRetryDeliversIt) {
  Receiver receiver(secrets({"s1"}));
  ASSERT_TRUE(receiver.start().is_ok());
  std::atomic<bool> refuse{true};
  receiver.set_handler([&](const Received& r) {
    Reply reply;
    if (r.delivery_id == "s1.3" && refuse) {
      reply.status = 410;
      reply.body = "alert withdrawn by the county";
    }
    return reply;
  });
  open_store(system_clock_);
  Deliverer d(*store_, system_clock_, fast_options());
  ASSERT_TRUE(d.set_subscribers({subscriber("s1", receiver.port())}).is_ok());
  ASSERT_TRUE(d.start().is_ok());
  std::vector<Publication> batch;
  for (uint64_t s = 1; s <= 6; ++s) batch.push_back(alert(s, {"s1"}));
  ASSERT_TRUE(d.publish(batch, 6).is_ok());

  ASSERT_TRUE(eventually(
      [&] {
        auto st = stats_of(d, "s1");
        return st.delivered == 5 && st.dead == 1;
      },
      [&] { return "s1 got " + describe(seqs_at(receiver, "s1")); }));
  EXPECT_EQ(seqs_at(receiver, "s1"), (std::vector<uint64_t>{1, 2, 3, 4, 5, 6}));
  Delivery dead = get("s1.3");
  EXPECT_EQ(dead.state, DeliveryState::kDead);
  EXPECT_EQ(dead.attempts, 1);
  EXPECT_NE(dead.dead_reason.find("HTTP 410"), std::string::npos) << dead.dead_reason;
  EXPECT_NE(dead.dead_reason.find("alert withdrawn"), std::string::npos) << dead.dead_reason;
  auto listed = d.list("s1", DeliveryState::kDead, 10);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].delivery_id, "s1.3");

  refuse = false;
  ASSERT_TRUE(d.retry("s1.3").is_ok());
  ASSERT_TRUE(eventually([&] { return stats_of(d, "s1").delivered == 6; },
                         [&] { return "s1.3 not delivered after retry"; }));
  EXPECT_EQ(seqs_at(receiver, "s1"), (std::vector<uint64_t>{1, 2, 3, 4, 5, 6, 3}));
  EXPECT_EQ(get("s1.3").state, DeliveryState::kDelivered);
  EXPECT_EQ(d.retry("s1.3").code(), core::Code::kConflict);
  EXPECT_EQ(d.retry("s1.99").code(), core::Code::kNotFound);
}

TEST_F(DelivererTest, AnswersWithLargeBodiesAreJudgedByTheirStatus) {
  Receiver receiver(secrets({"s1"}));
  ASSERT_TRUE(receiver.start().is_ok());
  receiver.set_handler([](const Received& r) {
    Reply reply;
    reply.body = std::string(200 * 1024, 'z');  // over the 64 KiB the deliverer reads
    if (r.delivery_id == "s1.2") reply.status = 422;
    return reply;
  });
  open_store(system_clock_);
  Deliverer d(*store_, system_clock_, fast_options());
  ASSERT_TRUE(d.set_subscribers({subscriber("s1", receiver.port())}).is_ok());
  ASSERT_TRUE(d.start().is_ok());
  Publication big = alert(1, {"s1"});
  big.body += std::string(1024 * 1024, ' ');  // a 1 MiB alert goes out whole
  ASSERT_TRUE(d.publish({big, alert(2, {"s1"}), alert(3, {"s1"})}, 3).is_ok());
  ASSERT_TRUE(eventually(
      [&] {
        auto st = stats_of(d, "s1");
        return st.delivered == 2 && st.dead == 1;
      },
      [&] { return "s1 got " + describe(seqs_at(receiver, "s1")); }));
  EXPECT_EQ(receiver.received()[0].body, big.body);
  Delivery dead = get("s1.2");
  EXPECT_EQ(dead.dead_reason.substr(0, 12), "HTTP 422: zz");
  EXPECT_LE(dead.dead_reason.size(), 220u);
}

TEST_F(DelivererTest, AHangingReceiverTimesOutAndTheDeliveryIsRetried) {
  Receiver receiver(secrets({"s1"}));
  ASSERT_TRUE(receiver.start().is_ok());
  std::atomic<bool> hung{false};
  receiver.set_handler([&](const Received&) {
    Reply reply;
    reply.hang = !hung.exchange(true);
    return reply;
  });
  open_store(system_clock_);
  auto options = fast_options();
  options.request_timeout = 300ms;
  Deliverer d(*store_, system_clock_, options);
  ASSERT_TRUE(d.set_subscribers({subscriber("s1", receiver.port())}).is_ok());
  ASSERT_TRUE(d.start().is_ok());
  ASSERT_TRUE(d.publish({alert(1, {"s1"}), alert(2, {"s1"})}, 2).is_ok());
  ASSERT_TRUE(eventually([&] { return stats_of(d, "s1").delivered == 2; },
                         [&] { return "s1 got " + describe(seqs_at(receiver, "s1")); }));
  EXPECT_EQ(seqs_at(receiver, "s1"), (std::vector<uint64_t>{1, 1, 2}));
  EXPECT_EQ(get("s1.1").attempts, 2);
  EXPECT_NE(stats_of(d, "s1").last_error.find("timed out after 300 ms"), std::string::npos)
      << stats_of(d, "s1").last_error;
}

TEST_F(DelivererTest, OneSlowSubscriberHoldsBackNoOther) {
  Receiver receiver(secrets({"slow", "quick"}));
  ASSERT_TRUE(receiver.start().is_ok());
  receiver.set_handler([](const Received& r) {
    Reply reply;
    reply.hang = r.path == "/slow";
    return reply;
  });
  open_store(system_clock_);
  auto options = fast_options();
  options.request_timeout = 10s;
  options.workers = 1;
  Deliverer d(*store_, system_clock_, options);
  ASSERT_TRUE(
      d.set_subscribers({subscriber("slow", receiver.port()), subscriber("quick", receiver.port())})
          .is_ok());
  ASSERT_TRUE(d.start().is_ok());
  std::vector<Publication> batch;
  for (uint64_t s = 1; s <= 10; ++s) batch.push_back(alert(s, {"slow", "quick"}));
  ASSERT_TRUE(d.publish(batch, 10).is_ok());
  ASSERT_TRUE(eventually([&] { return stats_of(d, "quick").delivered == 10; },
                         [&] { return "quick got " + describe(seqs_at(receiver, "quick")); }));
  EXPECT_EQ(seqs_at(receiver, "slow"), (std::vector<uint64_t>{1}));  // still in flight
  EXPECT_EQ(stats_of(d, "slow").pending, 10);
  // And stop() is prompt although a request hangs.
  auto before = std::chrono::steady_clock::now();
  d.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 2s);
  EXPECT_EQ(get("slow.1").state, DeliveryState::kPending);
  receiver.stop();
}

TEST_F(DelivererTest, ANewDelivererOverTheSameFileLosesNothing) {
  Receiver receiver(secrets({"s1", "s2"}));
  ASSERT_TRUE(receiver.start().is_ok());
  std::atomic<bool> hung{false};
  receiver.set_handler([&](const Received& r) {
    Reply reply;
    reply.hang = r.delivery_id == "s1.5" && !hung.exchange(true);
    return reply;
  });
  auto options = fast_options();
  options.request_timeout = 10s;
  const std::vector<Subscriber> set = {subscriber("s1", receiver.port()),
                                       subscriber("s2", receiver.port())};
  open_store(system_clock_);
  {
    Deliverer first(*store_, system_clock_, options);
    ASSERT_TRUE(first.set_subscribers(set).is_ok());
    ASSERT_TRUE(first.start().is_ok());
    std::vector<Publication> batch;
    for (uint64_t s = 1; s <= 10; ++s) batch.push_back(alert(s, {"s1", "s2"}));
    ASSERT_TRUE(first.publish(batch, 12).is_ok());
    ASSERT_TRUE(eventually([&] { return hung.load(); }, [] { return "s1.5 never sent"; }));
    auto before = std::chrono::steady_clock::now();
    first.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - before, 2s);
  }
  open_store(system_clock_);  // a new store object over the same file
  EXPECT_EQ(get("s1.5").state, DeliveryState::kPending);
  Deliverer second(*store_, system_clock_, options);
  EXPECT_EQ(*second.cursor(), 12u);
  ASSERT_TRUE(second.set_subscribers(set).is_ok());
  ASSERT_TRUE(second.start().is_ok());
  for (const std::string s : {"s1", "s2"})
    ASSERT_TRUE(eventually([&] { return stats_of(second, s).delivered == 10; },
                           [&] { return s + " got " + describe(seqs_at(receiver, s)); }));
  auto s1 = seqs_at(receiver, "s1");
  EXPECT_TRUE(std::is_sorted(s1.begin(), s1.end())) << describe(s1);
  EXPECT_EQ(distinct(s1).size(), 10u);
  EXPECT_EQ(std::count(s1.begin(), s1.end(), 5u), 2) << describe(s1);
  EXPECT_EQ(distinct(seqs_at(receiver, "s2")).size(), 10u);
}

TEST_F(DelivererTest, DisabledOrRemovedSubscribersKeepTheirDeliveriesPending) {
  Receiver receiver(secrets({"on", "off", "gone"}));
  ASSERT_TRUE(receiver.start().is_ok());
  open_store(system_clock_);
  Deliverer d(*store_, system_clock_, fast_options());
  Subscriber off = subscriber("off", receiver.port());
  off.enabled = false;
  ASSERT_TRUE(d.set_subscribers({subscriber("on", receiver.port()), off}).is_ok());
  ASSERT_TRUE(d.start().is_ok());
  ASSERT_TRUE(
      d.publish({alert(1, {"on", "off", "gone"}), alert(2, {"on", "off", "gone"})}, 2).is_ok());
  ASSERT_TRUE(
      eventually([&] { return stats_of(d, "on").delivered == 2; }, [] { return "on not served"; }));
  EXPECT_TRUE(seqs_at(receiver, "off").empty());
  EXPECT_TRUE(seqs_at(receiver, "gone").empty());
  auto st = stats_of(d, "off");
  EXPECT_TRUE(st.configured);
  EXPECT_FALSE(st.enabled);
  EXPECT_EQ(st.pending, 2);
  EXPECT_FALSE(stats_of(d, "gone").configured);
  EXPECT_EQ(stats_of(d, "gone").pending, 2);

  off.enabled = true;
  ASSERT_TRUE(d.set_subscribers(
                   {subscriber("on", receiver.port()), off, subscriber("gone", receiver.port())})
                  .is_ok());
  for (const std::string s : {"off", "gone"})
    ASSERT_TRUE(eventually([&] { return stats_of(d, s).delivered == 2; },
                           [&] { return s + " not served once enabled"; }));
  EXPECT_EQ(seqs_at(receiver, "off"), (std::vector<uint64_t>{1, 2}));

  // Disabling a subscriber that was being served stops it too.
  Subscriber on = subscriber("on", receiver.port());
  on.enabled = false;
  ASSERT_TRUE(d.set_subscribers({on, off}).is_ok());
  ASSERT_TRUE(d.publish({alert(3, {"on", "off"})}, 3).is_ok());
  ASSERT_TRUE(eventually([&] { return stats_of(d, "off").delivered == 3; },
                         [] { return "off not served"; }));
  EXPECT_EQ(seqs_at(receiver, "on"), (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(stats_of(d, "on").pending, 1);
}

TEST_F(DelivererTest, BackOffFollowsTheClockDoublesToItsCapAndHonoursRetryAfter) {
  const core::Timestamp t0 = core::from_unix_millis(1'800'000'000'000);
  core::FakeClock clock(t0);
  Receiver receiver(secrets({"s1"}));
  ASSERT_TRUE(receiver.start().is_ok());
  std::mutex mu;
  Reply answer{503, "busy"};
  receiver.set_handler([&](const Received&) {
    std::lock_guard lock(mu);
    return answer;
  });
  auto set_answer = [&](Reply r) {
    std::lock_guard lock(mu);
    answer = std::move(r);
  };
  open_store(clock);
  Deliverer::Options options;
  options.first_backoff = 1s;
  options.max_backoff = 4s;
  options.recheck_interval = 10ms;
  Deliverer d(*store_, clock, options);
  ASSERT_TRUE(d.set_subscribers({subscriber("s1", receiver.port())}).is_ok());
  ASSERT_TRUE(d.start().is_ok());
  ASSERT_TRUE(d.publish({alert(1, {"s1"})}, 1).is_ok());

  core::Timestamp now = t0;
  // Awaits attempt n, checks the wait it was given, sets the next answer, moves the clock on.
  auto attempt = [&](int n, core::Millis expected_wait, std::optional<Reply> then = {}) {
    ASSERT_TRUE(eventually([&] { return get("s1.1").attempts == n; },
                           [&] { return "attempt " + std::to_string(n) + " not made"; }));
    Delivery x = get("s1.1");
    EXPECT_EQ(x.next_attempt_at - now, expected_wait) << "after attempt " << n;
    EXPECT_EQ(receiver.count(), static_cast<size_t>(n));
    if (then) set_answer(*then);
    now += expected_wait;
    clock.set(now);
    d.wake();
  };
  ASSERT_NO_FATAL_FAILURE(attempt(1, 1s));
  ASSERT_NO_FATAL_FAILURE(attempt(2, 2s));
  ASSERT_NO_FATAL_FAILURE(attempt(3, 4s));
  // Capped at max_backoff; then the receiver asks for 2 s.
  ASSERT_NO_FATAL_FAILURE(attempt(4, 4s, Reply{429, "slow down", {{"Retry-After", "2"}}}));
  ASSERT_NO_FATAL_FAILURE(attempt(5, 2s));
  ASSERT_NO_FATAL_FAILURE(attempt(6, 2s, Reply{503, "", {{"Retry-After", "3600"}}}));
  ASSERT_NO_FATAL_FAILURE(attempt(7, 4s, Reply{}));  // Retry-After capped at max_backoff
  ASSERT_TRUE(eventually([&] { return get("s1.1").state == DeliveryState::kDelivered; },
                         [] { return "not delivered once the receiver accepts"; }));
  EXPECT_EQ(get("s1.1").attempts, 8);
  for (const Received& r : receiver.received()) {
    EXPECT_TRUE(r.signature_ok) << r.signature_error;
    EXPECT_GE(std::stoll(r.timestamp), 1'800'000'000);  // the fake clock's time
  }
}

TEST_F(DelivererTest, ADeliveryPastItsMaxAgeGoesDeadAndTheNextOneIsSent) {
  const core::Timestamp t0 = core::from_unix_millis(1'800'000'000'000);
  core::FakeClock clock(t0);
  Receiver receiver(secrets({"s1"}));
  ASSERT_TRUE(receiver.start().is_ok());
  receiver.stop();  // down: its port refuses connections
  open_store(clock);
  auto options = fast_options();
  options.recheck_interval = 10ms;
  Deliverer d(*store_, clock, options);
  Subscriber s1 = subscriber("s1", receiver.port());
  s1.max_age = 60s;
  ASSERT_TRUE(d.set_subscribers({s1}).is_ok());
  ASSERT_TRUE(d.start().is_ok());
  ASSERT_TRUE(d.publish({alert(1, {"s1"}), alert(2, {"s1"})}, 2).is_ok());
  ASSERT_TRUE(eventually([&] { return get("s1.1").attempts >= 1; },
                         [] { return "no attempt while down"; }));
  clock.advance(61s);
  ASSERT_TRUE(d.publish({alert(3, {"s1"})}, 3).is_ok());
  ASSERT_TRUE(receiver.start().is_ok());
  ASSERT_TRUE(eventually([&] { return get("s1.3").state == DeliveryState::kDelivered; },
                         [&] { return "s1.3 is " + std::string(state_name(get("s1.3").state)); }));
  for (const std::string id : {"s1.1", "s1.2"}) {
    Delivery x = get(id);
    EXPECT_EQ(x.state, DeliveryState::kDead) << id;
    EXPECT_NE(x.dead_reason.find("too old"), std::string::npos) << x.dead_reason;
    EXPECT_NE(x.dead_reason.find("60 s"), std::string::npos) << x.dead_reason;
  }
  EXPECT_EQ(seqs_at(receiver, "s1"), (std::vector<uint64_t>{3}));
  // An operator's retry gives a too-old delivery a new max_age from now.
  ASSERT_TRUE(d.retry("s1.1").is_ok());
  ASSERT_TRUE(eventually([&] { return get("s1.1").state == DeliveryState::kDelivered; },
                         [] { return "s1.1 not delivered after retry"; }));
}

// A self-signed P-256 certificate for 127.0.0.1, valid for a day.
std::pair<std::string, std::string> self_signed() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("webhook test"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "IP:127.0.0.1");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  X509_sign(cert, key, EVP_sha256());
  auto pem = [](auto write) {
    BIO* bio = BIO_new(BIO_s_mem());
    write(bio);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<size_t>(n));
    BIO_free(bio);
    return out;
  };
  std::string key_pem =
      pem([&](BIO* b) { PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
  std::string cert_pem = pem([&](BIO* b) { PEM_write_bio_X509(b, cert); });
  X509_free(cert);
  EVP_PKEY_free(key);
  return {key_pem, cert_pem};
}

TEST_F(DelivererTest, HttpsChecksTheReceiversCertificate) {
  auto [key, cert] = self_signed();
  Receiver receiver(secrets({"s1"}));
  receiver.use_tls(key, cert);
  ASSERT_TRUE(receiver.start().is_ok());
  open_store(system_clock_);
  {
    // Not trusted: the handshake fails and the delivery stays pending.
    Deliverer untrusting(*store_, system_clock_, fast_options());
    ASSERT_TRUE(untrusting.set_subscribers({subscriber("s1", receiver.port(), true)}).is_ok());
    ASSERT_TRUE(untrusting.start().is_ok());
    ASSERT_TRUE(untrusting.publish({alert(1, {"s1"})}, 1).is_ok());
    ASSERT_TRUE(eventually(
        [&] {
          return stats_of(untrusting, "s1").last_error.find("TLS handshake") != std::string::npos;
        },
        [&] { return "last error: " + stats_of(untrusting, "s1").last_error; }));
    EXPECT_EQ(get("s1.1").state, DeliveryState::kPending);
    EXPECT_EQ(receiver.count(), 0u);
  }
  auto options = fast_options();
  options.extra_ca_pem = cert;
  Deliverer trusting(*store_, system_clock_, options);
  ASSERT_TRUE(trusting.set_subscribers({subscriber("s1", receiver.port(), true)}).is_ok());
  ASSERT_TRUE(trusting.start().is_ok());
  ASSERT_TRUE(eventually([&] { return get("s1.1").state == DeliveryState::kDelivered; },
                         [&] { return "last error: " + stats_of(trusting, "s1").last_error; }));
  auto got = receiver.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0].signature_ok) << got[0].signature_error;
}

TEST_F(DelivererTest, RefusesBadSubscribersAndOptionsNamingTheField) {
  open_store(system_clock_);
  Deliverer d(*store_, system_clock_, fast_options());
  auto dup = d.set_subscribers({subscriber("a", 1), subscriber("a", 2)});
  EXPECT_EQ(dup.code(), core::Code::kInvalidArgument);
  EXPECT_EQ(dup.field(), "subscribers[1].id");
  Subscriber bad = subscriber("b", 1);
  bad.url = "http://127.0.0.1:99999/x";
  EXPECT_EQ(d.set_subscribers({subscriber("a", 1), bad}).field(), "subscribers[1].url");
  ASSERT_TRUE(d.stats());
  EXPECT_TRUE(d.stats()->empty());  // nothing changed

  for (auto [mutate, field] :
       std::vector<std::pair<std::function<void(Deliverer::Options&)>, std::string>>{
           {[](auto& o) { o.workers = 0; }, "options.workers"},
           {[](auto& o) { o.first_backoff = 0ms; }, "options.first_backoff"},
           {[](auto& o) { o.max_backoff = 1ms; }, "options.max_backoff"},
           {[](auto& o) { o.request_timeout = 0ms; }, "options.request_timeout"},
           {[](auto& o) { o.max_in_flight = 0; }, "options.max_in_flight"},
           {[](auto& o) { o.extra_ca_pem = "not a certificate"; }, "options.extra_ca_pem"}}) {
    auto o = fast_options();
    mutate(o);
    Deliverer bad_options(*store_, system_clock_, o);
    auto s = bad_options.start();
    EXPECT_EQ(s.code(), core::Code::kInvalidArgument) << field;
    EXPECT_EQ(s.field(), field);
    EXPECT_FALSE(bad_options.running());
  }
  ASSERT_TRUE(d.start().is_ok());
  EXPECT_EQ(d.start().code(), core::Code::kConflict);
}

TEST_F(DelivererTest, AllSubscribersAreServedWithOneRequestInFlightInAll) {
  const std::vector<std::string> subs = {"a", "b", "c", "d"};
  Receiver receiver(secrets({"a", "b", "c", "d"}));
  ASSERT_TRUE(receiver.start().is_ok());
  open_store(system_clock_);
  auto options = fast_options();
  options.max_in_flight = 1;
  options.workers = 3;
  Deliverer d(*store_, system_clock_, options);
  std::vector<Subscriber> set;
  for (const auto& s : subs) set.push_back(subscriber(s, receiver.port()));
  ASSERT_TRUE(d.set_subscribers(set).is_ok());
  ASSERT_TRUE(d.start().is_ok());
  std::vector<Publication> batch;
  for (uint64_t s = 1; s <= 8; ++s) batch.push_back(alert(s, subs));
  ASSERT_TRUE(d.publish(batch, 8).is_ok());
  for (const auto& s : subs)
    ASSERT_TRUE(eventually([&] { return stats_of(d, s).delivered == 8; },
                           [&] { return s + " got " + describe(seqs_at(receiver, s)); }));
  for (const auto& s : subs)
    EXPECT_EQ(seqs_at(receiver, s), (std::vector<uint64_t>{1, 2, 3, 4, 5, 6, 7, 8}));
}

}  // namespace
}  // namespace liandong::webhooks
