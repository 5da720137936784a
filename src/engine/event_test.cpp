#include "engine/event.h"

#include <gtest/gtest.h>

namespace liandong::engine {
namespace {

std::vector<Event> chain(int n) {
  std::vector<Event> out;
  std::string prev = kGenesisHash;
  for (int i = 1; i <= n; ++i) {
    Event e;
    e.seq = i;
    e.origin = "441200";
    e.jurisdiction = "441202";
    e.time = core::from_unix_millis(1'700'000'000'000LL + i);
    e.type = "incident.updated";
    e.data = {{"incident_id", "441200-INC-1"}, {"n", i}, {"text", "中文"}};
    seal(e, prev);
    prev = e.hash;
    out.push_back(e);
  }
  return out;
}

TEST(Event, ChainVerifiesAndDetectsTampering) {
  auto evs = chain(5);
  EXPECT_TRUE(verify_chain(0, kGenesisHash, evs).is_ok());
  auto tampered = evs;
  tampered[2].data["n"] = 99;
  auto st = verify_chain(0, kGenesisHash, tampered);
  EXPECT_EQ(st.code(), core::Code::kDataLoss);
  EXPECT_NE(st.message().find("3"), std::string::npos);
  auto gap = evs;
  gap.erase(gap.begin() + 1);
  EXPECT_FALSE(verify_chain(0, kGenesisHash, gap).is_ok());
  auto relinked = evs;
  relinked[3].prev_hash = relinked[1].hash;
  relinked[3].hash = compute_hash(relinked[3]);
  EXPECT_FALSE(verify_chain(0, kGenesisHash, relinked).is_ok());
}

TEST(Event, JsonRoundTripKeepsHash) {
  auto evs = chain(2);
  auto back = event_from_json(to_json(evs[1]));
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(compute_hash(*back), evs[1].hash);
  EXPECT_FALSE(event_from_json(nlohmann::json::array()).is_ok());
  auto j = to_json(evs[0]);
  j.erase("seq");
  EXPECT_EQ(event_from_json(j).status().field(), "seq");
}

TEST(Event, CanonicalBodyIsTheSortedCompactDumpAndSealKeepsDataText) {
  auto evs = chain(1);
  nlohmann::json body = {{"data", evs[0].data}, {"jurisdiction", evs[0].jurisdiction}, {"origin", evs[0].origin},
                         {"seq", evs[0].seq},   {"time", core::format_utc(evs[0].time)}, {"type", evs[0].type}};
  EXPECT_EQ(canonical_body(evs[0]), body.dump());
  EXPECT_EQ(evs[0].data_text, evs[0].data.dump());
  EXPECT_EQ(compute_hash(evs[0]), evs[0].hash);
  EXPECT_EQ(to_json_text(evs[0]), to_json(evs[0]).dump());
  auto changed = evs[0];
  changed.data["n"] = 42;  // a changed `data` is caught even with a stale data_text
  EXPECT_NE(compute_hash(changed), changed.hash);
}

TEST(Event, Topics) {
  EXPECT_EQ(topic_of("incident.opened"), "incidents");
  EXPECT_EQ(topic_of("alarm.received"), "alarms");
  EXPECT_EQ(topic_of("unit.registered"), "units");
  EXPECT_EQ(topic_of("warning.raised"), "warnings");
  EXPECT_EQ(topic_of("monitor.detector_fired"), "readings");
  EXPECT_EQ(topic_of("fence.hit"), "readings");
  EXPECT_EQ(topic_of("river.network_loaded"), "readings");
  // The pseudo-event the stream's filter judges readings telemetry by.
  EXPECT_EQ(topic_of("readings.telemetry"), "readings");
  EXPECT_EQ(topic_of("mystery.thing"), "");
}

}  // namespace
}  // namespace liandong::engine
