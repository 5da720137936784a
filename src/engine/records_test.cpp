#include "engine/records.h"

#include <gtest/gtest.h>

namespace liandong::engine {
namespace {

TEST(Records, StatusTransitions) {
  EXPECT_TRUE(is_valid_transition("reported", "verified"));
  EXPECT_TRUE(is_valid_transition("reported", "responding"));
  EXPECT_TRUE(is_valid_transition("contained", "closed"));
  EXPECT_TRUE(is_valid_transition("responding", "cancelled"));
  EXPECT_FALSE(is_valid_transition("responding", "verified"));
  EXPECT_FALSE(is_valid_transition("closed", "cancelled"));
  EXPECT_FALSE(is_valid_transition("cancelled", "reported"));
  EXPECT_FALSE(is_valid_transition("reported", "reported"));
  EXPECT_FALSE(is_valid_transition("reported", "archived"));
}

TEST(Records, FiguresAreCheckedFieldByField) {
  auto ok = figures_from_json({{"deaths", 2}, {"direct_loss_yuan", 5000000}}, "figures");
  ASSERT_TRUE(ok.is_ok());
  EXPECT_EQ(ok->deaths, 2);
  EXPECT_EQ(figures_from_json({{"deaths", -1}}, "figures").status().field(), "figures.deaths");
  EXPECT_EQ(figures_from_json({{"deaths", 1.5}}, "figures").status().field(), "figures.deaths");
  EXPECT_EQ(figures_from_json({{"dead", 1}}, "figures").status().field(), "figures.dead");
  EXPECT_FALSE(figures_from_json(nlohmann::json::array(), "figures").is_ok());
}

TEST(Records, IncidentRoundTrip) {
  Incident i;
  i.id = "441200-INC-3";
  i.jurisdiction = "441202";
  i.type = "fire";
  i.category = core::Category::kAccidentDisaster;
  i.location = core::LonLat{113.1, 23.2};
  i.proposed_grade = core::Grade::kIV;
  i.grade_history.push_back({"proposed", core::Grade::kIV, "rules", core::from_unix_millis(1000), "r", "c"});
  i.timeline.push_back({7, core::from_unix_millis(2000), "incident.opened", "x", "opened"});
  i.alarm_ids = {"441200-ALM-1"};
  auto j = to_json(i, true);
  auto back = incident_from_json(j);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(to_json(*back, true), j);
  j["priority"] = "P9";
  EXPECT_FALSE(incident_from_json(j).is_ok());
}

// The journal's form leaves defaults and derived members out and reads back to the same record:
// checked through the full form (to_json), which shows every member, for a bare record and for
// one with every optional member set.
TEST(Records, JournalFormsReadBackToTheSameRecords) {
  Alarm bare;
  bare.id = "441200-ALM-9";
  bare.jurisdiction = "441202";
  bare.channel = "110";
  bare.reported_at = core::from_unix_millis(1795000000000);
  bare.received_at = core::from_unix_millis(1795000000500);
  bare.category = core::Category::kAccidentDisaster;
  bare.type = "fire";
  bare.address = "端州路 1 号";
  bare.incident_id = bare.first_incident_id = "441200-INC-4";
  Alarm full = bare;
  full.caller = Caller{"王小明", "13812345678"};
  full.location = core::LonLat{112.46, 23.05};
  full.description = "smoke";
  full.figures.injuries = 2;
  full.figures.direct_loss_yuan = 10;
  full.first_joined = true;
  full.nuisance_reason = "misdialled";
  full.idempotency_key = "k-1";
  full.by = "441200-PER-1";
  for (const Alarm& a : {bare, full}) {
    auto j = to_journal_json(a);
    for (const char* derived : {"located", "status"}) EXPECT_FALSE(j.contains(derived)) << derived;
    auto back = alarm_from_json(j);
    ASSERT_TRUE(back.is_ok()) << back.status().to_string();
    EXPECT_EQ(to_json(*back), to_json(a));
    EXPECT_EQ(to_journal_json(*back), j);
  }
  auto slim = to_journal_json(bare);
  for (const char* absent : {"caller", "location", "description", "figures", "first_joined", "nuisance_reason"})
    EXPECT_FALSE(slim.contains(absent)) << absent;
  EXPECT_LT(slim.dump().size() * 3, to_json(bare).dump().size() * 2);

  Incident inc;
  inc.id = "441200-INC-4";
  inc.jurisdiction = "441202";
  inc.status = kStatusReported;
  inc.type = "fire";
  inc.category = core::Category::kAccidentDisaster;
  inc.priority = core::Priority::kP3;
  inc.title = "火灾";
  inc.alarm_ids = {"441200-ALM-9"};
  inc.opened_at = inc.updated_at = inc.last_alarm_at = core::from_unix_millis(1795000000500);
  Incident rich = inc;
  rich.description = "smoke";
  rich.address = "端州路 1 号";
  rich.location = core::LonLat{112.46, 23.05};
  rich.figures.deaths = 1;
  rich.confirmed_grade = core::Grade::kIII;
  rich.grade_history.push_back({"confirmed", core::Grade::kIII, "441200-PER-1", core::from_unix_millis(1000), "r", ""});
  rich.closed_at = core::from_unix_millis(1795000009000);
  rich.merged_into = "441200-INC-2";
  rich.exercise = true;
  rich.timeline.push_back({7, core::from_unix_millis(2000), "incident.opened", "x", "opened"});
  Incident graded = inc;
  graded.proposed_grade = core::Grade::kIV;  // a proposal alone keeps the grade member
  for (const Incident& i : {inc, rich, graded}) {
    auto j = to_journal_json(i, true);
    for (const char* derived : {"located", "alarm_count"}) EXPECT_FALSE(j.contains(derived)) << derived;
    auto back = incident_from_json(j);
    ASSERT_TRUE(back.is_ok()) << back.status().to_string();
    EXPECT_EQ(to_json(*back, true), to_json(i, true));
    EXPECT_EQ(to_journal_json(*back, true), j);
  }
  auto bare_incident = to_journal_json(inc, false);
  for (const char* absent : {"description", "location", "address", "figures", "grade", "closed_at", "merged_into",
                             "assignments", "exercise"})
    EXPECT_FALSE(bare_incident.contains(absent)) << absent;
  // A record written before the journal's form existed (every member present) still reads.
  auto old = incident_from_json(to_json(rich, true));
  ASSERT_TRUE(old.is_ok());
  EXPECT_EQ(to_json(*old, true), to_json(rich, true));
}

}  // namespace
}  // namespace liandong::engine
