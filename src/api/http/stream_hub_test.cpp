#include "api/http/stream_hub.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "api/http/internal/test_client.h"
#include "api/http/router.h"
#include "api/http/server.h"

namespace liandong::api::http {
namespace {

using nlohmann::json;
using testing::HttpClient;
using testing::WsClient;

engine::Event make_event(uint64_t seq, std::string type = "incident.opened", size_t pad = 0) {
  engine::Event e;
  e.seq = seq;
  e.origin = "441200";
  e.jurisdiction = "441200";
  e.type = std::move(type);
  e.data = {{"n", seq}};
  if (pad) e.data["pad"] = std::string(pad, 'x');
  return e;
}

// A journal backed by a vector: append then publish, as the engine does.
class FakeJournal {
 public:
  EventReader reader() {
    return [this](uint64_t after, size_t limit) -> core::Result<std::vector<engine::Event>> {
      std::lock_guard lock(mu_);
      std::vector<engine::Event> out;
      for (size_t i = after; i < events_.size() && out.size() < limit; ++i) out.push_back(events_[i]);
      return out;
    };
  }
  void commit(StreamHub& hub, uint64_t from, uint64_t to, std::string type = "incident.opened", size_t pad = 0) {
    std::vector<engine::Event> batch;
    for (uint64_t s = from; s <= to; ++s) batch.push_back(make_event(s, type, pad));
    {
      std::lock_guard lock(mu_);
      events_.insert(events_.end(), batch.begin(), batch.end());
    }
    hub.publish(batch);
  }

 private:
  std::mutex mu_;
  std::vector<engine::Event> events_;
};

class StreamTest : public ::testing::Test {
 protected:
  void start(StreamOptions so = {}) {
    hub_ = std::make_unique<StreamHub>(so, journal_.reader(), registry_);
    server_ = std::make_unique<Server>(ServerOptions{}, router_, hub_.get(), registry_);
    ASSERT_TRUE(server_->start().is_ok());
  }
  void TearDown() override {
    if (server_) server_->stop(std::chrono::seconds(1));
  }
  void wait_subscribers(size_t n) {
    for (int i = 0; i < 5000 && hub_->subscriber_count() != n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_EQ(hub_->subscriber_count(), n);
  }
  static json read_json(WsClient& c) {
    auto f = c.read();
    return f ? json::parse(*f) : json();
  }
  // A round trip through the session: once the error frame for a bad frame is back, every frame
  // sent before it has been handled.
  static void sync(WsClient& c) {
    c.send("{\"type\":\"sync\"}");
    while (true) {
      auto j = read_json(c);
      ASSERT_FALSE(j.is_null());
      if (j["type"] == "error" && j["message"].get<std::string>().find("sync") != std::string::npos) return;
    }
  }

  metrics::Registry registry_;
  Router router_;
  FakeJournal journal_;
  std::unique_ptr<StreamHub> hub_;
  std::unique_ptr<Server> server_;
};

TEST_F(StreamTest, LiveEventsArriveInOrder) {
  start();
  journal_.commit(*hub_, 1, 5);
  WsClient c(server_->port());
  wait_subscribers(1);
  journal_.commit(*hub_, 6, 105);
  for (uint64_t s = 6; s <= 105; ++s) {
    auto j = read_json(c);
    ASSERT_EQ(j["type"], "event");
    ASSERT_EQ(j["event"]["seq"], s);
    ASSERT_EQ(j["event"]["type"], "incident.opened");
  }
}

TEST_F(StreamTest, ResumeWhilePublishingGivesEveryEventOnce) {
  start();
  journal_.commit(*hub_, 1, 1500);
  const uint64_t last = 5000;
  std::thread writer([&] {
    for (uint64_t s = 1501; s <= last; s += 7) journal_.commit(*hub_, s, std::min(last, s + 6));
  });
  WsClient c(server_->port(), "/api/v1/stream?after=400");
  uint64_t expect = 401;
  while (expect <= last) {
    auto j = read_json(c);
    ASSERT_EQ(j["type"], "event") << j.dump();
    ASSERT_EQ(j["event"]["seq"], expect);
    ++expect;
  }
  writer.join();
  journal_.commit(*hub_, last + 1, last + 1);
  EXPECT_EQ(read_json(c)["event"]["seq"], last + 1);
}

TEST_F(StreamTest, AfterBeyondHeadIsCaughtUp) {
  start();
  journal_.commit(*hub_, 1, 10);
  WsClient c(server_->port(), "/api/v1/stream?after=100");
  wait_subscribers(1);
  sync(c);
  journal_.commit(*hub_, 11, 11);
  EXPECT_EQ(read_json(c)["event"]["seq"], 11);
}

TEST_F(StreamTest, BadAfterIs400BeforeUpgrade) {
  start();
  HttpClient c(server_->port());
  c.send_raw(
      "GET /api/v1/stream?after=abc HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  auto r = c.read();
  EXPECT_EQ(r.result_int(), 400);
  EXPECT_EQ(json::parse(r.body())["code"], "invalid_query");
}

TEST_F(StreamTest, SlowClientGetsLaggingWhileFastClientGetsAll) {
  StreamOptions so;
  so.queue_limit = 64;
  start(so);
  WsClient slow(server_->port(), "/api/v1/stream", 4096);
  WsClient fast(server_->port());
  wait_subscribers(2);
  const uint64_t last = 3000;
  // The writer never waits for the slow client; it paces itself on the fast one only so that the
  // fast one (this test's thread) stays within its queue.
  std::mutex mu;
  std::condition_variable cv;
  uint64_t fast_got = 0;
  std::thread writer([&] {
    for (uint64_t s = 1; s <= last; s += 10) {
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return fast_got + 30 >= s; });
      }
      journal_.commit(*hub_, s, s + 9, "incident.opened", 4000);
    }
  });
  for (uint64_t s = 1; s <= last; ++s) {
    auto j = read_json(fast);
    ASSERT_EQ(j["event"]["seq"], s);
    std::lock_guard lock(mu);
    fast_got = s;
    cv.notify_all();
  }
  writer.join();
  uint64_t got = 0;
  while (true) {
    auto j = read_json(slow);
    ASSERT_FALSE(j.is_null());
    if (j["type"] == "lagging") {
      EXPECT_EQ(j["resume_after"], got);
      break;
    }
    ASSERT_EQ(j["event"]["seq"], got + 1);
    got = j["event"]["seq"];
  }
  EXPECT_LT(got, last);
  EXPECT_FALSE(slow.read());
  EXPECT_TRUE(slow.closed_normally());
  EXPECT_NE(registry_.render().find("liandong_stream_lagging_total 1"), std::string::npos);
}

TEST_F(StreamTest, TopicFilteringAndEventsWithoutTopic) {
  start();
  WsClient c(server_->port());
  wait_subscribers(1);
  c.send(R"({"type":"subscribe","topics":["alarms"]})");
  sync(c);
  journal_.commit(*hub_, 1, 1, "incident.opened");
  journal_.commit(*hub_, 2, 2, "mystery.thing");
  journal_.commit(*hub_, 3, 3, "alarm.received");
  auto j = read_json(c);
  EXPECT_EQ(j["event"]["seq"], 3);
  EXPECT_EQ(j["event"]["type"], "alarm.received");
}

TEST_F(StreamTest, VisibilityFilterFromAuthorize) {
  hub_ = nullptr;
  StreamOptions so;
  hub_ = std::make_unique<StreamHub>(so, journal_.reader(), registry_);
  hub_->set_authorize([](const Request& req) -> core::Result<EventFilter> {
    if (req.query_param("deny")) return core::Status(core::Code::kPermissionDenied, "no");
    return EventFilter([](const engine::Event& e) { return e.seq % 2 == 0; });
  });
  server_ = std::make_unique<Server>(ServerOptions{}, router_, hub_.get(), registry_);
  ASSERT_TRUE(server_->start().is_ok());
  WsClient c(server_->port(), "/api/v1/stream?after=0");
  journal_.commit(*hub_, 1, 4);
  EXPECT_EQ(read_json(c)["event"]["seq"], 2);
  EXPECT_EQ(read_json(c)["event"]["seq"], 4);
  EXPECT_THROW(WsClient(server_->port(), "/api/v1/stream?deny=1"), boost::system::system_error);
}

TEST_F(StreamTest, MalformedClientFramesGetErrorFrames) {
  start();
  std::atomic<int> positions{0};
  hub_->set_readings_handler(
      [](const json&, const EventFilter&) -> core::Result<json> { return core::invalid("bad line 3", "lines"); });
  WsClient c(server_->port());
  wait_subscribers(1);
  auto expect_error = [&](const std::string& frame, const std::string& code) {
    c.send(frame);
    auto j = read_json(c);
    EXPECT_EQ(j["type"], "error") << frame;
    EXPECT_EQ(j["code"], code) << frame;
  };
  expect_error("not json", "malformed_json");
  expect_error("[1,2]", "malformed_json");
  expect_error(R"({"type":5})", "invalid_field");
  expect_error(R"({"type":"subscribe","topics":"alarms"})", "invalid_field");
  expect_error(R"({"type":"subscribe","topics":["alarms","nope"]})", "invalid_topic");
  expect_error(R"({"type":"positions","fixes":[]})", "not_implemented");
  expect_error(R"({"type":"readings","lines":"x"})", "invalid_field");
  (void)positions;
  journal_.commit(*hub_, 1, 1);  // still connected, still subscribed to everything
  EXPECT_EQ(read_json(c)["event"]["seq"], 1);
}

TEST_F(StreamTest, TelemetryIsThinnedPerObject) {
  auto now = std::make_shared<std::atomic<int64_t>>(0);
  StreamOptions so;
  so.now = [now] { return std::chrono::steady_clock::time_point(std::chrono::milliseconds(now->load())); };
  start(so);
  WsClient c(server_->port());
  wait_subscribers(1);
  hub_->publish_telemetry("positions", "UNT-1", "441302", {{"lon", 1}});
  hub_->publish_telemetry("positions", "UNT-1", "441302", {{"lon", 2}});  // dropped: within a second
  hub_->publish_telemetry("positions", "UNT-2", "441302", {{"lon", 3}});
  *now += 1000;
  hub_->publish_telemetry("positions", "UNT-1", "441302", {{"lon", 4}});
  for (int lon : {1, 3, 4}) {
    auto j = read_json(c);
    EXPECT_EQ(j["type"], "telemetry");
    EXPECT_EQ(j["topic"], "positions");
    EXPECT_EQ(j["data"]["lon"], lon);
  }
}

TEST_F(StreamTest, StopClosesStreamsWithCloseFrame) {
  start();
  WsClient c(server_->port());
  wait_subscribers(1);
  std::thread stopper([&] { server_->stop(std::chrono::seconds(5)); });
  EXPECT_FALSE(c.read());
  EXPECT_TRUE(c.closed_normally());
  stopper.join();
  EXPECT_EQ(hub_->subscriber_count(), 0u);
}

}  // namespace
}  // namespace liandong::api::http
