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

}  // namespace
}  // namespace liandong::engine
