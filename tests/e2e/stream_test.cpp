// The live stream resumes without gap or duplicate: a client reads part of the journal, goes
// away while more alarms are reported, reconnects with after=S and must receive exactly S+1..head
// in order, the hash chain unbroken across the reconnect, then live events. (The stream is the
// harness's supervisor key's: everything after the harness's own setup events is visible to it.)
#include "harness.h"

namespace liandong::e2e {
namespace {

using nlohmann::json;

// Reads events until `last_seq`, checking that they follow `prev` (seq + 1, prev_hash = hash).
// Returns the last event read (or `prev` when none).
json read_through(StreamClient& ws, json prev, uint64_t last_seq, std::vector<json>* out = nullptr) {
  while (prev["seq"].get<uint64_t>() < last_seq) {
    json e = next_event(ws);
    if (e.is_null()) {
      ADD_FAILURE() << "stream stopped after seq " << prev["seq"] << ", expected up to " << last_seq;
      return prev;
    }
    EXPECT_EQ(e["seq"].get<uint64_t>(), prev["seq"].get<uint64_t>() + 1) << "gap or duplicate: " << e.dump();
    if (prev.contains("hash")) {
      EXPECT_EQ(e["prev_hash"], prev["hash"]) << "hash chain broken at seq " << e["seq"];
    }
    EXPECT_FALSE(e["hash"].get<std::string>().empty());
    if (out) out->push_back(e);
    prev = e;
  }
  return prev;
}

void report(HttpConnection& http, const std::string& what, int n) {
  for (int i = 0; i < n; ++i) {
    auto r = http.post("/api/v1/alarms", alarm_json(what + " " + std::to_string(i), 113.0 + i * 0.01, 22.5));
    ASSERT_EQ(r.status, 201) << r.describe();
  }
}

class StreamTest : public E2eTest {
 protected:
  std::unique_ptr<StreamClient> open_stream(uint16_t port, uint64_t after) {
    auto s = std::make_unique<StreamClient>(port, "/api/v1/stream?after=" + std::to_string(after), auth());
    EXPECT_TRUE(s->open()) << s->error() << " " << s->refused_body();
    return s;
  }
};

TEST_F(StreamTest, ReconnectWithAfterResumesWithoutGapOrDuplicate) {
  auto node = start();
  HttpConnection http(node.port, auth());
  const json origin = {{"seq", setup_seq_}};

  auto first = open_stream(node.port, setup_seq_);
  report(http, "before", 20);
  const uint64_t head1 = health_seq(http);
  ASSERT_GE(head1, setup_seq_ + 40);
  // Read part of it, then go away with the rest unread.
  const uint64_t s = head1 - 11;
  json at_s = read_through(*first, origin, s);
  ASSERT_EQ(at_s["seq"], s);
  first.reset();

  report(http, "while away", 30);
  const uint64_t head2 = health_seq(http);

  auto again_ptr = open_stream(node.port, s);
  StreamClient& again = *again_ptr;
  std::vector<json> replayed;
  json last = read_through(again, at_s, head2, &replayed);
  ASSERT_EQ(replayed.size(), head2 - s);
  EXPECT_EQ(replayed.front()["seq"], s + 1);
  size_t away = 0;
  for (const auto& e : replayed)
    if (e["type"] == "alarm.received" && e["data"]["alarm"]["description"].get<std::string>().starts_with("while away"))
      ++away;
  EXPECT_EQ(away, 30u);

  // Then live events, continuing the same chain.
  report(http, "live", 5);
  const uint64_t head3 = health_seq(http);
  last = read_through(again, last, head3);
  EXPECT_EQ(last["seq"], head3);
  // Nothing between the head and the next commit: one more alarm, and its first event is next.
  report(http, "after", 1);
  json next = next_event(again);
  ASSERT_TRUE(next.is_object());
  EXPECT_EQ(next["seq"], head3 + 1);
  EXPECT_EQ(next["prev_hash"], last["hash"]);
}

TEST_F(StreamTest, AfterTheHeadGivesOnlyLiveEvents) {
  auto node = start();
  HttpConnection http(node.port, auth());
  report(http, "old", 3);
  const uint64_t head = health_seq(http);
  auto ws_ptr = open_stream(node.port, head);
  StreamClient& ws = *ws_ptr;
  report(http, "new", 2);
  json e = next_event(ws);
  ASSERT_TRUE(e.is_object());
  EXPECT_EQ(e["seq"], head + 1);
  read_through(ws, e, health_seq(http));
}

}  // namespace
}  // namespace liandong::e2e
