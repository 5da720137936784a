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

Event sealed(std::string type, nlohmann::json data) {
  Event e;
  e.seq = 7;
  e.origin = "441300";
  e.jurisdiction = "441302";
  e.time = core::from_unix_millis(1'700'000'000'123LL);
  e.type = std::move(type);
  e.data = std::move(data);
  seal(e, kGenesisHash);
  return e;
}

// A slim event answers every question exactly as the whole one: its text, hash, public forms.
void expect_same_forms(const Event& slim_event, const Event& whole) {
  nlohmann::json scratch;
  EXPECT_EQ(full_data(slim_event, scratch), whole.data);
  EXPECT_EQ(slim_event.data_text, whole.data_text);
  EXPECT_EQ(compute_hash(slim_event), whole.hash);
  EXPECT_TRUE(verify_chain(6, kGenesisHash, std::span(&slim_event, 1)).is_ok());
  EXPECT_EQ(canonical_body(slim_event), canonical_body(whole));
  EXPECT_EQ(to_json(slim_event), to_json(whole));
  EXPECT_EQ(to_public_json(slim_event), to_public_json(whole));
  EXPECT_EQ(to_json_text(slim_event), to_json_text(whole));
  EXPECT_EQ(has_personal_data(slim_event), has_personal_data(whole));
}

TEST(Event, SlimDropsTheEmbeddedRecordAndKeepsEveryAnswer) {
  nlohmann::json alarm = {{"id", "441300-ALM-1"},
                          {"description", "仓库起火 \"三楼\""},
                          {"caller", {{"name", "王小明"}, {"number", "13812345678"}}},
                          {"location", {{"lat", 22.6}, {"lon", 113.9}}}};
  auto whole = sealed("alarm.received", {{"alarm", alarm},
                                         {"incident_id", "441300-INC-1"},
                                         {"joined", false},
                                         {"by", "441300-KEY-1"}});
  auto e = whole;
  slim(e);
  EXPECT_TRUE(e.data_slim);
  // What listeners read stays; of the alarm only its caller (has_personal_data answers from it).
  EXPECT_EQ(e.data.at("incident_id"), "441300-INC-1");
  EXPECT_EQ(e.data.at("joined"), false);
  EXPECT_EQ(e.data.at("by"), "441300-KEY-1");
  EXPECT_EQ(e.data.at("alarm"), (nlohmann::json{{"caller", alarm["caller"]}}));
  EXPECT_TRUE(has_personal_data(e));
  expect_same_forms(e, whole);
  EXPECT_NE(to_json_text(e).find("138****5678"), std::string::npos);  // masked, from the whole data
  slim(e);  // twice: nothing more
  expect_same_forms(e, whole);

  // An alarm without a caller loses its record entirely.
  alarm.erase("caller");
  auto no_caller = sealed("alarm.received", {{"alarm", alarm}, {"incident_id", "441300-INC-1"}, {"joined", true}});
  e = no_caller;
  slim(e);
  EXPECT_FALSE(e.data.contains("alarm"));
  EXPECT_FALSE(has_personal_data(e));
  expect_same_forms(e, no_caller);

  auto opened = sealed("incident.opened", {{"incident", {{"id", "441300-INC-1"}, {"title", "火灾"}}},
                                           {"incident_id", "441300-INC-1"}});
  e = opened;
  slim(e);
  EXPECT_EQ(e.data, (nlohmann::json{{"incident_id", "441300-INC-1"}}));
  expect_same_forms(e, opened);
}

TEST(Event, SlimLeavesOtherTypesAndUnsealedEventsAlone) {
  auto updated = sealed("incident.updated", {{"incident_id", "441300-INC-1"}, {"incident", {{"id", "x"}}}});
  auto e = updated;
  slim(e);
  EXPECT_FALSE(e.data_slim);
  EXPECT_EQ(e.data, updated.data);
  Event unsealed;
  unsealed.type = "alarm.received";
  unsealed.data = {{"alarm", {{"id", "441300-ALM-1"}}}};
  slim(unsealed);
  EXPECT_FALSE(unsealed.data_slim);
  EXPECT_TRUE(unsealed.data.contains("alarm"));
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
