#include "engine/engine.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <set>
#include <thread>

#include "engine/state.h"
#include "engine/testing/memory_journal.h"

namespace liandong::engine {
namespace {

using nlohmann::json;

core::Timestamp at(const char* s) { return *core::parse_rfc3339(s); }

class EngineTest : public ::testing::Test {
 protected:
  EngineTest() : clock_(at("2026-11-29T05:00:00Z")) {}

  std::unique_ptr<Engine> make(EngineOptions o = {}) {
    o.node = "441200";
    o.report_duties = false;  // the journal holds exactly what these tests make (reports: report_test.cpp)
    return std::make_unique<Engine>(o, journal_, clock_, taxonomy::Taxonomy::defaults(),
                                    taxonomy::GradeRules::defaults());
  }

  ReportAlarm fire_at(double lon, double lat, const char* when = "2026-11-29T12:59:00+08:00") {
    ReportAlarm a;
    a.channel = "119";
    a.reported_at = at(when);
    a.location = core::LonLat{lon, lat};
    a.type = "fire";
    a.description = "smoke on the third floor";
    return a;
  }

  testing::MemoryJournal journal_;
  core::FakeClock clock_;
};

TEST_F(EngineTest, AlarmOpensIncidentWithProposedGrade) {
  auto e = make();
  ASSERT_TRUE(e->start().is_ok());
  auto a = fire_at(113.30, 23.10);
  a.figures.deaths = 3;
  auto r = e->execute(a, "tester");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_TRUE(r->created);
  EXPECT_EQ(r->body["alarm_id"], "441200-ALM-1");
  EXPECT_EQ(r->body["incident_id"], "441200-INC-1");
  EXPECT_EQ(r->body["joined"], false);
  auto v = e->view();
  const Incident* inc = v->find_incident("441200-INC-1");
  ASSERT_NE(inc, nullptr);
  EXPECT_EQ(inc->status, "reported");
  EXPECT_EQ(inc->category, core::Category::kAccidentDisaster);
  ASSERT_TRUE(inc->proposed_grade.has_value());
  EXPECT_EQ(*inc->proposed_grade, core::Grade::kIII);  // 3 deaths: grade III in production safety
  EXPECT_FALSE(inc->confirmed_grade.has_value());
  EXPECT_EQ(inc->priority, core::Priority::kP1);
  // alarm.received, incident.opened, incident.grade_proposed — one commit.
  EXPECT_EQ(journal_.size(), 3u);
  EXPECT_EQ(v->seq, 3u);
}

TEST_F(EngineTest, NearbyCompatibleAlarmJoinsButFarOrLateOrOtherTypeDoesNot) {
  auto e = make();
  ASSERT_TRUE(e->start().is_ok());
  ASSERT_TRUE(e->execute(fire_at(113.30, 23.10), "t").is_ok());
  auto near = e->execute(fire_at(113.301, 23.101), "t");  // ~150 m
  ASSERT_TRUE(near.is_ok());
  EXPECT_EQ(near->body["joined"], true);
  EXPECT_EQ(near->body["incident_id"], "441200-INC-1");
  auto far = e->execute(fire_at(113.32, 23.10), "t");  // ~2 km
  EXPECT_EQ(far->body["joined"], false);
  auto late = e->execute(fire_at(113.30, 23.10, "2026-11-29T12:00:00+08:00"), "t");
  EXPECT_EQ(late->body["joined"], false);
  auto flood = fire_at(113.30, 23.10);
  flood.type = "public_disorder";
  auto other = e->execute(flood, "t");
  EXPECT_EQ(other->body["joined"], false);
  EXPECT_EQ(e->view()->find_incident("441200-INC-1")->alarm_ids.size(), 2u);
}

// The duplicate search keeps each incident's place and latest alarm time beside it (state.h): both
// must follow the incident as alarms join it and it ends.
TEST_F(EngineTest, TheJoinWindowFollowsTheIncidentsLatestAlarmAndEndsWithIt) {
  auto e = make();
  ASSERT_TRUE(e->start().is_ok());
  ASSERT_TRUE(e->execute(fire_at(113.30, 23.10, "2026-11-29T12:00:00+08:00"), "t").is_ok());
  auto second = e->execute(fire_at(113.30, 23.10, "2026-11-29T12:25:00+08:00"), "t");
  EXPECT_EQ(second->body["joined"], true);
  // 50 minutes after the first alarm, 25 after the latest: within the 30-minute window of the latest.
  auto third = e->execute(fire_at(113.301, 23.10, "2026-11-29T12:50:00+08:00"), "t");
  EXPECT_EQ(third->body["joined"], true);
  EXPECT_EQ(third->body["incident_id"], "441200-INC-1");
  ASSERT_TRUE(e->execute(ChangeStatus{"441200-INC-1", "cancelled", "false alarm"}, "t").is_ok());
  auto after = e->execute(fire_at(113.30, 23.10, "2026-11-29T12:55:00+08:00"), "t");
  EXPECT_EQ(after->body["joined"], false);
  EXPECT_EQ(after->body["incident_id"], "441200-INC-2");
}

TEST_F(EngineTest, AddressOnlyAlarmIsUnlocatedAndJoinsSameAddress) {
  auto e = make();
  ASSERT_TRUE(e->start().is_ok());
  ReportAlarm a = fire_at(0, 0);
  a.location.reset();
  a.address = "天河路 100 号";
  auto r1 = e->execute(a, "t");
  ASSERT_TRUE(r1.is_ok());
  a.address = "天河路100号";
  auto r2 = e->execute(a, "t");
  ASSERT_TRUE(r2.is_ok());
  EXPECT_EQ(r2->body["joined"], true);
  const Incident* inc = e->view()->find_incident("441200-INC-1");
  EXPECT_FALSE(inc->location.has_value());
  auto loc = e->execute(LocateAlarm{"441200-ALM-1", {113.3, 23.1}}, "t");
  ASSERT_TRUE(loc.is_ok()) << loc.status().to_string();
  EXPECT_TRUE(e->view()->find_incident("441200-INC-1")->location.has_value());
  EXPECT_EQ(e->execute(LocateAlarm{"441200-ALM-1", {113.3, 23.1}}, "t").status().code(), core::Code::kConflict);
}

TEST_F(EngineTest, IdempotencyKeyReturnsFirstAnswer) {
  auto e = make();
  ASSERT_TRUE(e->start().is_ok());
  auto a = fire_at(113.30, 23.10);
  a.idempotency_key = "k-1";
  auto r1 = e->execute(a, "t");
  auto r2 = e->execute(a, "t");
  ASSERT_TRUE(r1.is_ok() && r2.is_ok());
  EXPECT_EQ(r1->body, r2->body);
  EXPECT_TRUE(r1->created);
  EXPECT_FALSE(r2->created);
  EXPECT_EQ(e->view()->alarms.size(), 1u);
}

TEST_F(EngineTest, ValidationErrorsNameTheField) {
  auto e = make();
  ASSERT_TRUE(e->start().is_ok());
  auto a = fire_at(113.3, 23.1);
  a.type = "alien_invasion";
  EXPECT_EQ(e->execute(a, "t").status().field(), "type");
  a = fire_at(113.3, 23.1);
  a.channel = "911";
  EXPECT_EQ(e->execute(a, "t").status().field(), "channel");
  a = fire_at(113.3, 23.1);
  a.jurisdiction = "110000";
  EXPECT_EQ(e->execute(a, "t").status().field(), "jurisdiction");
  a = fire_at(113.3, 23.1);
  a.location.reset();
  EXPECT_EQ(e->execute(a, "t").status().field(), "location");
  a = fire_at(113.3, 23.1, "2026-11-30T12:00:00+08:00");
  EXPECT_EQ(e->execute(a, "t").status().field(), "reported_at");
  a = fire_at(113.3, 23.1);
  a.category = core::Category::kPublicHealth;
  EXPECT_EQ(e->execute(a, "t").status().field(), "category");
  EXPECT_EQ(journal_.size(), 0u);  // nothing half-written
}

TEST_F(EngineTest, StatusLifeCycleRefusesInvalidTransitions) {
  auto e = make();
  ASSERT_TRUE(e->start().is_ok());
  ASSERT_TRUE(e->execute(fire_at(113.3, 23.1), "t").is_ok());
  const std::string id = "441200-INC-1";
  EXPECT_TRUE(e->execute(ChangeStatus{id, "responding", ""}, "t").is_ok());
  EXPECT_EQ(e->execute(ChangeStatus{id, "verified", ""}, "t").status().code(), core::Code::kConflict);
  EXPECT_EQ(e->execute(ChangeStatus{id, "bogus", ""}, "t").status().code(), core::Code::kInvalidArgument);
  EXPECT_TRUE(e->execute(ChangeStatus{id, "closed", "done"}, "t").is_ok());
  EXPECT_EQ(e->execute(ChangeStatus{id, "cancelled", ""}, "t").status().code(), core::Code::kConflict);
  EXPECT_TRUE(e->view()->find_incident(id)->closed_at.has_value());
  EXPECT_EQ(e->execute(ChangeStatus{"441200-INC-9", "closed", ""}, "t").status().code(), core::Code::kNotFound);
  // A closed incident is no longer a duplicate target.
  EXPECT_EQ(e->execute(fire_at(113.3, 23.1), "t")->body["joined"], false);
}

TEST_F(EngineTest, GradeConfirmationKeepsHistoryAndNeedsReasonToDiffer) {
  auto e = make();
  ASSERT_TRUE(e->start().is_ok());
  ASSERT_TRUE(e->execute(fire_at(113.3, 23.1), "t").is_ok());
  const std::string id = "441200-INC-1";
  auto bad = e->execute(ConfirmGrade{id, core::Grade::kII, ""}, "duty");
  EXPECT_EQ(bad.status().field(), "reason");
  ASSERT_TRUE(e->execute(ConfirmGrade{id, core::Grade::kIV, ""}, "duty").is_ok());
  ASSERT_TRUE(e->execute(ConfirmGrade{id, core::Grade::kII, "chemical plant nearby"}, "leader").is_ok());
  const Incident* inc = e->view()->find_incident(id);
  ASSERT_EQ(inc->grade_history.size(), 3u);
  EXPECT_EQ(inc->grade_history[0].kind, "proposed");
  EXPECT_EQ(inc->grade_history[2].by, "leader");
  EXPECT_EQ(inc->grade_history[2].reason, "chemical plant nearby");
  EXPECT_EQ(*inc->confirmed_grade, core::Grade::kII);
  // New figures re-run the proposal; the confirmed grade stays until confirmed again.
  json figures = {{"deaths", 31}};
  ASSERT_TRUE(e->execute(UpdateIncident{id, {{"figures", figures}}}, "t").is_ok());
  inc = e->view()->find_incident(id);
  EXPECT_EQ(*inc->proposed_grade, core::Grade::kI);
  EXPECT_EQ(*inc->confirmed_grade, core::Grade::kII);
}

TEST_F(EngineTest, NuisanceSplitAndMerge) {
  auto e = make();
  ASSERT_TRUE(e->start().is_ok());
  ASSERT_TRUE(e->execute(fire_at(113.3, 23.1), "t").is_ok());      // ALM-1 → INC-1
  ASSERT_TRUE(e->execute(fire_at(113.3001, 23.1), "t").is_ok());   // ALM-2 joins INC-1
  ASSERT_TRUE(e->execute(fire_at(113.5, 23.1), "t").is_ok());      // ALM-3 → INC-2
  auto split = e->execute(SplitAlarm{"441200-ALM-2"}, "t");
  ASSERT_TRUE(split.is_ok()) << split.status().to_string();
  EXPECT_EQ(split->body["incident_id"], "441200-INC-3");
  EXPECT_EQ(e->execute(SplitAlarm{"441200-ALM-1"}, "t").status().code(), core::Code::kConflict);
  auto merged = e->execute(MergeIncidents{"441200-INC-1", "441200-INC-3"}, "t");
  ASSERT_TRUE(merged.is_ok());
  auto v = e->view();
  EXPECT_EQ(v->find_incident("441200-INC-1")->alarm_ids.size(), 2u);
  EXPECT_EQ(v->find_incident("441200-INC-3")->status, "cancelled");
  EXPECT_EQ(v->find_incident("441200-INC-3")->merged_into, "441200-INC-1");
  EXPECT_EQ(v->find_alarm("441200-ALM-2")->incident_id, "441200-INC-1");
  // A nuisance call that alone opened an incident cancels it.
  ASSERT_TRUE(e->execute(MarkNuisance{"441200-ALM-3", "malicious"}, "t").is_ok());
  v = e->view();
  EXPECT_EQ(v->find_incident("441200-INC-2")->status, "cancelled");
  EXPECT_EQ(v->find_alarm("441200-ALM-3")->nuisance_reason, "malicious");
  EXPECT_EQ(e->execute(MarkNuisance{"441200-ALM-3", "silent"}, "t").status().code(), core::Code::kConflict);
  EXPECT_EQ(e->execute(MarkNuisance{"441200-ALM-1", "rude"}, "t").status().field(), "reason");
}

TEST_F(EngineTest, FailedCommitIsNotAcknowledgedAndLeavesNoTrace) {
  auto e = make();
  ASSERT_TRUE(e->start().is_ok());
  ASSERT_TRUE(e->execute(fire_at(113.3, 23.1), "t").is_ok());
  auto before = serialize_view(*e->view());
  journal_.fail_appends_from(1);
  auto r = e->execute(fire_at(113.6, 23.1), "t");
  EXPECT_EQ(r.status().code(), core::Code::kUnavailable);
  EXPECT_EQ(serialize_view(*e->view()), before);
  journal_.heal();
  auto again = e->execute(fire_at(113.6, 23.1), "t");
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(again->body["incident_id"], "441200-INC-2");  // no id was burnt by the failed commit
}

TEST_F(EngineTest, AFailedAppendRefusesTheBatchesRunAfterItAndTheStateIsRebuiltFromTheJournal) {
  auto e = make();
  std::mutex mu;
  std::vector<uint64_t> heard;
  e->set_listener([&](std::span<const Event> evs) {
    std::lock_guard lk(mu);
    for (const auto& ev : evs) heard.push_back(ev.seq);
  });
  ASSERT_TRUE(e->start().is_ok());
  // A slow disk: the writer runs batches while earlier ones wait for the committer, so the failing
  // third append has batches behind it whose effects are already in the writer's state.
  journal_.set_append_delay(std::chrono::milliseconds(3));
  journal_.fail_append_once(3);
  constexpr int kN = 600;
  std::set<std::string> acknowledged;
  int refused = 0, answered = 0;
  std::string other_error;
  std::promise<void> all;
  for (int i = 0; i < kN; ++i) {
    e->submit(fire_at(113.0 + i * 0.01, 23.1), "t", [&](core::Result<Outcome> r) {
      std::lock_guard lk(mu);
      if (r.is_ok()) acknowledged.insert(r->body["alarm_id"].get<std::string>());
      else if (r.status().code() == core::Code::kUnavailable) ++refused;
      else if (other_error.empty()) other_error = r.status().to_string();
      if (++answered == kN) all.set_value();
    });
    // A steady stream rather than one burst, so that there are many batches.
    if (i % 10 == 9) std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  all.get_future().wait();
  EXPECT_TRUE(other_error.empty()) << other_error;
  EXPECT_GT(refused, 0);
  EXPECT_EQ(acknowledged.size() + refused, static_cast<size_t>(kN));

  // Exactly the acknowledged alarms are in the journal, each once; the listener heard exactly the
  // journal, in order; and the live state is the journal's (a fresh engine replaying it agrees).
  std::multiset<std::string> journaled;
  for (const auto& ev : journal_.events())
    if (ev.type == "alarm.received") journaled.insert(ev.data["alarm"]["id"].get<std::string>());
  EXPECT_EQ(journaled, std::multiset<std::string>(acknowledged.begin(), acknowledged.end()));
  {
    std::lock_guard lk(mu);
    ASSERT_EQ(heard.size(), journal_.size());
    for (size_t i = 0; i < heard.size(); ++i) ASSERT_EQ(heard[i], i + 1);
  }
  auto live = serialize_view(*e->view());
  EXPECT_EQ(e->view()->seq, journal_.size());
  // The node goes on: the next alarm takes the next id.
  journal_.set_append_delay(std::chrono::milliseconds(0));
  auto next = e->execute(fire_at(112.0, 23.1), "t");
  ASSERT_TRUE(next.is_ok()) << next.status().to_string();
  EXPECT_EQ(next->body["alarm_id"], "441200-ALM-" + std::to_string(acknowledged.size() + 1));
  live = serialize_view(*e->view());
  e->stop();
  journal_.drop_snapshot();
  auto replayed = make();
  ASSERT_TRUE(replayed->start().is_ok());
  EXPECT_EQ(serialize_view(*replayed->view()), live);
}

// The engine's live events are slim (event.h): an alarm with a caller, new and joining, and its
// incident must answer every question — hash, chain, public JSON, the stream's masked text — as the
// whole events a store gives back.
TEST_F(EngineTest, LiveEventsAreSlimAndAnswerAsTheJournalsWholeEvents) {
  auto e = make();
  std::mutex mu;
  std::vector<Event> live;
  e->set_listener([&](std::span<const Event> evs) {
    std::lock_guard lk(mu);
    live.insert(live.end(), evs.begin(), evs.end());
  });
  ASSERT_TRUE(e->start().is_ok());
  auto first = fire_at(113.30, 23.10);
  first.caller = Caller{"王小明", "13812345678"};
  first.description = "仓库起火 \"三楼\"";
  auto again = fire_at(113.30, 23.10);  // same place and type: joins the incident
  again.caller = Caller{"李四", "13987654321"};
  ASSERT_TRUE(e->execute(first, "tester").is_ok());
  auto joined = e->execute(again, "tester");
  ASSERT_TRUE(joined.is_ok());
  EXPECT_EQ(joined->body["joined"], true);
  e->stop();

  auto stored = journal_.events();
  std::lock_guard lk(mu);
  ASSERT_EQ(live.size(), stored.size());
  EXPECT_TRUE(verify_chain(0, kGenesisHash, live).is_ok());
  int slim_alarms = 0, slim_incidents = 0;
  for (size_t i = 0; i < live.size(); ++i) {
    const Event& l = live[i];
    const Event& s = stored[i];
    SCOPED_TRACE(l.type + " seq " + std::to_string(l.seq));
    EXPECT_FALSE(s.data_slim);
    if (l.type == "alarm.received") {
      ++slim_alarms;
      EXPECT_TRUE(l.data_slim);
      ASSERT_TRUE(l.data.contains("alarm"));  // the caller stays in the tree...
      EXPECT_FALSE(l.data.at("alarm").contains("description"));  // ...the rest is dropped from it...
      EXPECT_TRUE(s.data.at("alarm").contains("description"));   // ...and kept in the journal
      EXPECT_TRUE(has_personal_data(l));
      auto text = to_json_text(l);
      EXPECT_EQ(text.find("13812345678"), std::string::npos);
      EXPECT_EQ(text.find("13987654321"), std::string::npos);
      EXPECT_TRUE(text.find("138****5678") != std::string::npos || text.find("139****4321") != std::string::npos);
      EXPECT_NE(text.find(s.data.at("alarm").at("description").dump()), std::string::npos);  // the whole record
    }
    if (l.type == "incident.opened") {
      ++slim_incidents;
      EXPECT_TRUE(l.data_slim);
      EXPECT_FALSE(l.data.contains("incident"));
      EXPECT_EQ(l.data.at("incident_id"), s.data.at("incident").at("id"));
    }
    json scratch;
    EXPECT_EQ(full_data(l, scratch), s.data);
    EXPECT_EQ(l.data_text, s.data_text);
    EXPECT_EQ(compute_hash(l), s.hash);
    EXPECT_EQ(l.hash, s.hash);
    EXPECT_EQ(to_json(l), to_json(s));
    EXPECT_EQ(to_public_json(l), to_public_json(s));
    EXPECT_EQ(to_json_text(l), to_json_text(s));
  }
  EXPECT_EQ(slim_alarms, 2);
  EXPECT_EQ(slim_incidents, 1);
}

TEST_F(EngineTest, ConcurrentSubmitsAreGroupCommittedInOrder) {
  auto e = make();
  std::vector<uint64_t> seen;
  e->set_listener([&](std::span<const Event> evs) {
    for (const auto& ev : evs) seen.push_back(ev.seq);
  });
  ASSERT_TRUE(e->start().is_ok());
  constexpr int kN = 2000;
  std::atomic<int> answered{0}, ok{0};
  std::promise<void> all;
  std::mutex mu;
  std::string first_error;
  for (int i = 0; i < kN; ++i)
    e->submit(fire_at(113.0 + i * 0.01, 23.1), "t", [&](core::Result<Outcome> r) {
      if (r.is_ok()) ok.fetch_add(1);
      else {
        std::lock_guard lk(mu);
        if (first_error.empty()) first_error = r.status().to_string();
      }
      if (answered.fetch_add(1) + 1 == kN) all.set_value();
    });
  all.get_future().wait();
  EXPECT_EQ(ok.load(), kN) << first_error;
  e->stop();
  EXPECT_LT(journal_.appends(), kN);  // batched
  ASSERT_EQ(seen.size(), journal_.size());
  for (size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i], i + 1);
}

TEST_F(EngineTest, RecoveryFromSnapshotPlusJournalEqualsStateBeforeRestart) {
  EngineOptions o;
  o.snapshot_every = 50;
  std::string before;
  {
    auto e = make(o);
    ASSERT_TRUE(e->start().is_ok());
    for (int i = 0; i < 120; ++i) {
      auto a = fire_at(113.0 + (i % 40) * 0.05, 23.1, i % 2 ? "2026-11-29T12:59:00+08:00" : "2026-11-29T12:40:00+08:00");
      a.figures.injuries = i % 7;
      ASSERT_TRUE(e->execute(a, "t").is_ok());
      if (i == 10) {
        ASSERT_TRUE(e->execute(ChangeStatus{"441200-INC-1", "verified", ""}, "t").is_ok());
      }
      if (i == 60) {
        ASSERT_TRUE(e->execute(ConfirmGrade{"441200-INC-2", core::Grade::kIII, "escalated"}, "t").is_ok());
      }
    }
    before = serialize_view(*e->view());
    // Leave without the final snapshot: simulate a crash by keeping only periodic snapshots. They
    // are serialised and stored off the writer at a low priority: on a loaded machine the first
    // may still be on its way.
    for (int i = 0; i < 2000 && journal_.snapshots_saved() == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_GE(journal_.snapshots_saved(), 1);
  }
  for (bool with_snapshot : {true, false}) {
    if (!with_snapshot) journal_.drop_snapshot();
    auto e = make(o);
    ASSERT_TRUE(e->start().is_ok());
    EXPECT_EQ(serialize_view(*e->view()), before) << "with_snapshot=" << with_snapshot;
    e->stop();
  }
}

TEST_F(EngineTest, RefusesWhenStopped) {
  auto e = make();
  ASSERT_TRUE(e->start().is_ok());
  e->stop();
  EXPECT_EQ(e->execute(fire_at(113.3, 23.1), "t").status().code(), core::Code::kUnavailable);
}

}  // namespace
}  // namespace liandong::engine
