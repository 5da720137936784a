#include "plans/plan_json.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <string>
#include <vector>

namespace liandong::plans {
namespace {

using nlohmann::json;
using taxonomy::Figure;

Plan rich_plan() {
  Plan p;
  p.key = "hazmat_leak";
  p.title = "危险化学品泄漏事故应急预案";
  p.owner = "emergency";
  p.drill_every_days = 180;
  p.review_every_days = 730;
  p.scope.categories = {core::Category::kAccidentDisaster, core::Category::kPublicHealth};
  p.scope.types = {"chemical_leak", "gas_leak"};
  p.scope.jurisdictions = {"441200", "441900"};
  p.groups = {{"general", "综合组", "emergency", {"police", "health"}, {"协调", "信息汇总"}},
              {"supply", "物资保障组", "commerce", {}, {}}};

  LevelSpec ii;
  ii.level = Level::kII;
  ii.when.grades = {core::Grade::kI, core::Grade::kII};
  ii.when.thresholds = {
      {Figure::kDeaths, 3}, {Figure::kEvacuated, 1000}, {Figure::kDirectLossYuan, 50'000'000}};
  ii.when.warning_level = "orange";
  ii.lead = "emergency";
  ii.command_post = "市应急指挥中心";
  ii.participants = {{"fire", {"堵漏", "洗消"}}, {"environment", {}}};
  ii.groups = {"general", "supply"};
  ii.forces = {{"hazmat", 2, {"leak_seal", "decon"}}, {"engine", 4, {}}};
  ii.supplies = {{"活性炭", 2.5, "t", "depot_north"}, {"防化服", 40, "套", ""}};
  ii.tasks = {{"cordon", "police", "划定警戒区", core::Millis(900'000), {}, "duty_officer"},
              {"seal", "fire", "堵漏", core::Millis(3'600'000), {"cordon"}, "commander"},
              {"monitor",
               "environment",
               "环境监测",
               core::Millis(1'800'000),
               {"cordon", "seal"},
               "duty_officer"}};
  ii.notifications = {{"supervisor", "", "console", ""},
                      {"leader", "government", "sms", "二级响应已启动"}};
  ii.reports = {{"initial", "city", core::Millis(1'800'000)},
                {"progress", "province", core::Millis(7'200'000)}};

  LevelSpec iv;
  iv.level = Level::kIV;
  iv.when.warning_level = "blue";
  iv.lead = "environment";
  iv.tasks = {{"monitor", "environment", "环境监测", core::Millis(3'600'000), {}, "duty_officer"}};
  p.levels = {ii, iv};
  return p;
}

TEST(PlanJson, ARichPlanComesBackEqual) {
  Plan p = rich_plan();
  auto back = plan_from_json(to_json(p));
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(*back, p);
  // Through text as well (the journal and the API carry text).
  auto reparsed = plan_from_json(json::parse(to_json(p).dump()));
  ASSERT_TRUE(reparsed.is_ok()) << reparsed.status().to_string();
  EXPECT_EQ(*reparsed, p);
}

TEST(PlanJson, TheFormIsTheDocumentedOne) {
  json j = to_json(rich_plan());
  EXPECT_EQ(j["key"], "hazmat_leak");
  EXPECT_EQ(j["drill_every_days"], 180);
  EXPECT_EQ(j["scope"]["categories"], json({"accident_disaster", "public_health"}));
  EXPECT_EQ(j["groups"][0]["members"], json({"police", "health"}));
  const json& ii = j["levels"][0];
  EXPECT_EQ(ii["level"], "II");
  EXPECT_EQ(ii["when"]["grades"], json({"I", "II"}));
  EXPECT_EQ(ii["when"]["thresholds"],
            json({{"deaths", 3}, {"evacuated", 1000}, {"direct_loss_yuan", 50'000'000}}));
  EXPECT_EQ(ii["when"]["warning_level"], "orange");
  EXPECT_EQ(ii["participants"][0], json({{"agency", "fire"}, {"duties", {"堵漏", "洗消"}}}));
  EXPECT_EQ(ii["forces"][0],
            json({{"type", "hazmat"}, {"count", 2}, {"capabilities", {"leak_seal", "decon"}}}));
  EXPECT_EQ(ii["supplies"][0]["quantity"], 2.5);
  EXPECT_EQ(ii["tasks"][1], json({{"key", "seal"},
                                  {"owner", "fire"},
                                  {"description", "堵漏"},
                                  {"deadline_s", 3600},
                                  {"depends_on", {"cordon"}},
                                  {"role", "commander"}}));
  EXPECT_EQ(ii["notifications"][1]["message"], "二级响应已启动");
  EXPECT_EQ(ii["reports"][0],
            json({{"type", "initial"}, {"recipient_level", "city"}, {"deadline_s", 1800}}));
  EXPECT_EQ(j["levels"][1]["when"]["thresholds"], json::object());
}

TEST(PlanJson, AbsentOptionalFieldsTakeTheModelsDefaults) {
  auto p = plan_from_json(
      json::parse(R"({"key": "k", "levels": [{"level": "IV", "tasks": [{"key": "t"}]}]})"));
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  EXPECT_EQ(p->drill_every_days, 365u);
  EXPECT_EQ(p->review_every_days, 1095u);
  EXPECT_TRUE(p->scope.categories.empty());
  ASSERT_EQ(p->levels.size(), 1u);
  EXPECT_EQ(p->levels[0].level, Level::kIV);
  ASSERT_EQ(p->levels[0].tasks.size(), 1u);
  EXPECT_EQ(p->levels[0].tasks[0].role, "duty_officer");
  EXPECT_EQ(p->levels[0].tasks[0].deadline, core::Millis(0));
}

TEST(PlanJson, ThresholdsComeBackInTheFiguresOrder) {
  // A JSON object has no order; the figures' own order is the one kept.
  auto p = plan_from_json(json::parse(
      R"({"key": "k", "levels": [{"level": "III", "when": {"thresholds": {"injuries": 20, "deaths": 3}}}]})"));
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  EXPECT_EQ(p->levels[0].when.thresholds,
            (std::vector<Threshold>{{Figure::kDeaths, 3}, {Figure::kInjuries, 20}}));
}

// One malformed field: the JSON pointer to change (or remove), and the field the error must name.
struct Bad {
  std::string pointer;
  json value;  // discarded when `remove`
  std::string field;
  bool remove = false;
};

std::vector<Bad> bad_fields() {
  return {
      {"/key", 5, "key"},
      {"/key", nullptr, "key", true},
      {"/title", nullptr, "title"},
      {"/owner", json::array(), "owner"},
      {"/drill_every_days", -1, "drill_every_days"},
      {"/drill_every_days", 1.5, "drill_every_days"},
      {"/drill_every_days", "365", "drill_every_days"},
      {"/drill_every_days", 4294967296ull, "drill_every_days"},
      {"/review_every_days", true, "review_every_days"},
      {"/titel", "x", "titel"},
      {"/scope", json::array(), "scope"},
      {"/scope/categories", "fire", "scope.categories"},
      {"/scope/categories/1", "fire", "scope.categories[1]"},
      {"/scope/categories/0", 0, "scope.categories[0]"},
      {"/scope/types/0", 1, "scope.types[0]"},
      {"/scope/jurisdictions", json::object(), "scope.jurisdictions"},
      {"/scope/region", "south", "scope.region"},
      {"/groups", json::object(), "groups"},
      {"/groups/1", "supply", "groups[1]"},
      {"/groups/0/key", nullptr, "groups[0].key", true},
      {"/groups/0/name", 1, "groups[0].name"},
      {"/groups/0/members/1", 3, "groups[0].members[1]"},
      {"/groups/0/duties", "协调", "groups[0].duties"},
      {"/levels", nullptr, "levels", true},
      {"/levels", json::object(), "levels"},
      {"/levels/0", "II", "levels[0]"},
      {"/levels/1/level", nullptr, "levels[1].level", true},
      {"/levels/1/level", "V", "levels[1].level"},
      {"/levels/1/level", 2, "levels[1].level"},
      {"/levels/0/when", json::array(), "levels[0].when"},
      {"/levels/0/when/grades", "II", "levels[0].when.grades"},
      {"/levels/0/when/grades/1", "V", "levels[0].when.grades[1]"},
      {"/levels/0/when/thresholds", json::array(), "levels[0].when.thresholds"},
      {"/levels/0/when/thresholds/deaths", "3", "levels[0].when.thresholds.deaths"},
      {"/levels/0/when/thresholds/deaths", 2.5, "levels[0].when.thresholds.deaths"},
      {"/levels/0/when/thresholds/deaths", 18446744073709551615ull,
       "levels[0].when.thresholds.deaths"},
      {"/levels/0/when/thresholds/fatalities", 3, "levels[0].when.thresholds.fatalities"},
      {"/levels/0/when/warning_level", 1, "levels[0].when.warning_level"},
      {"/levels/0/when/warning", "red", "levels[0].when.warning"},
      {"/levels/0/lead", 1, "levels[0].lead"},
      {"/levels/0/command_post", json::array(), "levels[0].command_post"},
      {"/levels/0/participants", "fire", "levels[0].participants"},
      {"/levels/0/participants/0", "fire", "levels[0].participants[0]"},
      {"/levels/0/participants/0/duties/1", 1, "levels[0].participants[0].duties[1]"},
      {"/levels/0/participants/1/agency", false, "levels[0].participants[1].agency"},
      {"/levels/0/groups/0", 1, "levels[0].groups[0]"},
      {"/levels/0/forces/0/count", -1, "levels[0].forces[0].count"},
      {"/levels/0/forces/0/count", "2", "levels[0].forces[0].count"},
      {"/levels/0/forces/1/count", 4294967296ull, "levels[0].forces[1].count"},
      {"/levels/0/forces/0/type", nullptr, "levels[0].forces[0].type"},
      {"/levels/0/forces/0/capabilities", "foam", "levels[0].forces[0].capabilities"},
      {"/levels/0/forces/0/crew", 4, "levels[0].forces[0].crew"},
      {"/levels/0/supplies/0/quantity", "10", "levels[0].supplies[0].quantity"},
      {"/levels/0/supplies/1/unit", 1, "levels[0].supplies[1].unit"},
      {"/levels/0/supplies/1/from", json::object(), "levels[0].supplies[1].from"},
      {"/levels/0/tasks", json::object(), "levels[0].tasks"},
      {"/levels/0/tasks/0/key", nullptr, "levels[0].tasks[0].key", true},
      {"/levels/0/tasks/0/deadline_s", 1.5, "levels[0].tasks[0].deadline_s"},
      {"/levels/0/tasks/0/deadline_s", -60, "levels[0].tasks[0].deadline_s"},
      {"/levels/0/tasks/0/deadline_s", "15m", "levels[0].tasks[0].deadline_s"},
      {"/levels/0/tasks/2/deadline_s", 10'000'000'000'000'000ull, "levels[0].tasks[2].deadline_s"},
      {"/levels/0/tasks/1/depends_on", "cordon", "levels[0].tasks[1].depends_on"},
      {"/levels/0/tasks/2/depends_on/1", 7, "levels[0].tasks[2].depends_on[1]"},
      {"/levels/0/tasks/1/role", nullptr, "levels[0].tasks[1].role"},
      {"/levels/0/tasks/1/deadline", 3600, "levels[0].tasks[1].deadline"},
      {"/levels/0/notifications/1/channel", 1, "levels[0].notifications[1].channel"},
      {"/levels/0/notifications/0", json::array(), "levels[0].notifications[0]"},
      {"/levels/0/reports/0/deadline_s", "1h", "levels[0].reports[0].deadline_s"},
      {"/levels/0/reports/1/recipient_level", 2, "levels[0].reports[1].recipient_level"},
      {"/levels/0/reports/1/to", "city", "levels[0].reports[1].to"},
      {"/levels/1/tasks/0/owner", 1, "levels[1].tasks[0].owner"},
  };
}

TEST(PlanJson, EachMalformedFieldIsNamed) {
  const json good = to_json(rich_plan());
  for (const auto& bad : bad_fields()) {
    json j = good;
    json::json_pointer ptr(bad.pointer);
    if (bad.remove) {
      ASSERT_TRUE(j.contains(ptr)) << bad.pointer;
      j[ptr.parent_pointer()].erase(ptr.back());
    } else {
      j[ptr] = bad.value;
    }
    core::Result<Plan> r = core::internal_error("not run");
    ASSERT_NO_THROW(r = plan_from_json(j)) << bad.pointer;
    ASSERT_FALSE(r.is_ok()) << bad.pointer;
    EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument) << bad.pointer;
    EXPECT_EQ(r.status().field(), bad.field) << bad.pointer << ": " << r.status().to_string();
    EXPECT_FALSE(r.status().message().empty());
  }
}

TEST(PlanJson, MessagesSayWhatIsAllowed) {
  json j = to_json(rich_plan());
  j["levels"][0]["tasks"][0]["deadline"] = 900;
  auto r = plan_from_json(j);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().to_string(),
            "invalid_argument: unknown field; the fields here are key, owner, description, "
            "deadline_s, depends_on, role (field levels[0].tasks[0].deadline)");
  j = to_json(rich_plan());
  j["levels"][0]["tasks"][0]["deadline_s"] = -1;
  r = plan_from_json(j);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().message(), "must be a whole number of seconds from 0 to 9223372036854775");
}

TEST(PlanJson, ANonObjectIsRefused) {
  for (const json& j : {json(nullptr), json(1), json("plan"), json::array(), json(true)}) {
    auto r = plan_from_json(j);
    ASSERT_FALSE(r.is_ok()) << j.dump();
    EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument);
  }
}

// ---- never throws ----

json random_value(std::mt19937& rng, int depth);

const std::vector<std::string>& field_names() {
  static const std::vector<std::string> kNames = {"key",
                                                  "title",
                                                  "owner",
                                                  "drill_every_days",
                                                  "review_every_days",
                                                  "scope",
                                                  "categories",
                                                  "types",
                                                  "groups",
                                                  "levels",
                                                  "level",
                                                  "when",
                                                  "grades",
                                                  "thresholds",
                                                  "deaths",
                                                  "warning_level",
                                                  "lead",
                                                  "participants",
                                                  "agency",
                                                  "duties",
                                                  "forces",
                                                  "type",
                                                  "count",
                                                  "capabilities",
                                                  "supplies",
                                                  "quantity",
                                                  "tasks",
                                                  "deadline_s",
                                                  "depends_on",
                                                  "role",
                                                  "notifications",
                                                  "reports",
                                                  "recipient_level",
                                                  "x"};
  return kNames;
}

json random_scalar(std::mt19937& rng) {
  switch (rng() % 10) {
    case 0:
      return nullptr;
    case 1:
      return rng() % 2 == 0;
    case 2:
      return static_cast<int64_t>(rng()) - (1ll << 31);
    case 3:
      return static_cast<uint64_t>(rng()) << 33;
    case 4:
      return std::numeric_limits<int64_t>::min();
    case 5:
      return static_cast<double>(rng()) / 7.0;
    case 6:
      return "II";
    case 7:
      return "accident_disaster";
    case 8:
      return "";
    default:
      return field_names()[rng() % field_names().size()];
  }
}

json random_value(std::mt19937& rng, int depth) {
  unsigned kind = depth <= 0 ? 0 : rng() % 3;
  if (kind == 0) return random_scalar(rng);
  if (kind == 1) {
    json a = json::array();
    for (unsigned i = rng() % 4; i > 0; --i) a.push_back(random_value(rng, depth - 1));
    return a;
  }
  json o = json::object();
  for (unsigned i = rng() % 5; i > 0; --i)
    o[field_names()[rng() % field_names().size()]] = random_value(rng, depth - 1);
  return o;
}

// Every JSON pointer to a value inside j.
void pointers(const json& j, const json::json_pointer& at, std::vector<json::json_pointer>& out) {
  out.push_back(at);
  if (j.is_object())
    for (const auto& [k, v] : j.items()) pointers(v, at / k, out);
  else if (j.is_array())
    for (size_t i = 0; i < j.size(); ++i) pointers(j[i], at / i, out);
}

void expect_graceful(const json& j) {
  core::Result<Plan> r = core::internal_error("not run");
  ASSERT_NO_THROW(r = plan_from_json(j)) << j.dump();
  if (!r.is_ok()) {
    EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument) << r.status().to_string();
    return;
  }
  auto again = plan_from_json(to_json(*r));  // whatever was accepted comes back the same
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_EQ(*again, *r);
}

TEST(PlanJson, ArbitraryJsonNeverThrows) {
  std::mt19937 rng(1202);
  for (int i = 0; i < 2000; ++i) expect_graceful(random_value(rng, 5));
}

TEST(PlanJson, AValidPlanWithOneValueReplacedNeverThrows) {
  std::mt19937 rng(31);
  const json good = to_json(rich_plan());
  std::vector<json::json_pointer> all;
  pointers(good, json::json_pointer(), all);
  for (const auto& ptr : all) {
    for (int k = 0; k < 8; ++k) {
      json j = good;
      j[ptr] = random_value(rng, 2);
      expect_graceful(j);
    }
  }
}

}  // namespace
}  // namespace liandong::plans
