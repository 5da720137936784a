// The example plans in docs/examples (and the YAML blocks of docs/PLANS.md) parse with no error
// and no warning against the codes the node knows by default, and say what they should.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "access/roles.h"
#include "plans/parse.h"
#include "taxonomy/taxonomy.h"

namespace liandong::plans {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Known default_known() {
  Known k;
  for (auto u : core::default_unit_types()) k.unit_types.emplace_back(u);
  for (auto r : core::report_types()) k.report_types.emplace_back(r);
  for (const auto& role : access::RoleCatalog::defaults().roles()) k.roles.push_back(role.name);
  for (const auto& t : taxonomy::Taxonomy::defaults().types()) k.incident_types.push_back(t.code);
  return k;
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Plan load(const std::string& name) {
  const fs::path file = fs::path(LIANDONG_PLAN_EXAMPLES) / name;
  Parsed p = parse_plan(slurp(file), name, default_known());
  for (const Diagnostic& d : p.diagnostics) ADD_FAILURE() << d.text();
  if (!p.ok()) {
    ADD_FAILURE() << name << " does not parse";
    return {};
  }
  return *p.plan;
}

size_t total_units(const LevelSpec& l) {
  size_t n = 0;
  for (const Force& f : l.forces) n += f.count;
  return n;
}

TEST(ExampleTest, EveryExampleParsesWithoutErrorsOrWarnings) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(LIANDONG_PLAN_EXAMPLES))
    if (entry.path().extension() == ".yaml") names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_THAT(names, ::testing::IsSupersetOf({"epidemic_joint_prevention.yaml", "fire.yaml",
                                              "water_pollution_cross_border.yaml"}));
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    Plan plan = load(name);
    EXPECT_FALSE(plan.levels.empty());
  }
}

TEST(ExampleTest, FirePlan) {
  Plan plan = load("fire.yaml");
  EXPECT_EQ(plan.key, "fire_urban");
  EXPECT_EQ(plan.title, "惠州市火灾事故应急预案");
  EXPECT_THAT(plan.scope.categories, ElementsAre(core::Category::kAccidentDisaster));
  EXPECT_THAT(plan.scope.types, ElementsAre("fire"));
  ASSERT_EQ(plan.levels.size(), 4u);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(static_cast<size_t>(plan.levels[i].level), i + 1);

  const LevelSpec* one = plan.find_level(Level::kI);
  ASSERT_NE(one, nullptr);
  EXPECT_THAT(one->when.grades, ElementsAre(core::Grade::kI));
  EXPECT_THAT(one->forces,
              ElementsAre(Force{"engine", 20, {"foam"}}, Force{"ladder", 6, {"aerial_32m"}},
                          Force{"rescue", 6, {}}, Force{"water_tender", 4, {}},
                          Force{"hazmat", 2, {}}, Force{"ambulance", 12, {}}));
  EXPECT_EQ(total_units(*one), 50u);
  // Graver levels send more.
  for (size_t i = 1; i < plan.levels.size(); ++i)
    EXPECT_GT(total_units(plan.levels[i - 1]), total_units(plan.levels[i]));
  // The compact form at level IV.
  EXPECT_THAT(
      plan.find_level(Level::kIV)->forces,
      ElementsAre(Force{"engine", 2, {}}, Force{"rescue", 1, {}}, Force{"ambulance", 1, {}}));

  // Tasks with dependencies; a lower level's tasks are all kept at the graver ones.
  bool has_after = false;
  for (const TaskSpec& t : one->tasks) has_after = has_after || !t.depends_on.empty();
  EXPECT_TRUE(has_after);
  for (size_t i = 1; i < plan.levels.size(); ++i)
    for (const TaskSpec& lower : plan.levels[i].tasks) {
      auto& graver = plan.levels[i - 1].tasks;
      EXPECT_TRUE(std::any_of(graver.begin(), graver.end(), [&](const TaskSpec& t) {
        return t == lower;
      })) << lower.key;
    }
  const auto& dispatch = plan.levels[3].tasks[0];
  EXPECT_EQ(dispatch.key, "dispatch");
  EXPECT_EQ(dispatch.role, "dispatcher");
  EXPECT_EQ(dispatch.deadline, std::chrono::minutes(3));
}

TEST(ExampleTest, CrossBorderWaterPollutionPlan) {
  Plan plan = load("water_pollution_cross_border.yaml");
  EXPECT_EQ(plan.owner, "environment");
  EXPECT_THAT(plan.scope.types, ElementsAre("water_pollution"));
  ASSERT_EQ(plan.levels.size(), 4u);
  std::vector<std::string> warnings;
  for (const LevelSpec& l : plan.levels) {
    EXPECT_EQ(l.lead, "environment");
    warnings.push_back(l.when.warning_level);
  }
  EXPECT_THAT(warnings, ElementsAre("red", "orange", "yellow", "blue"));
  const LevelSpec& iii = *plan.find_level(Level::kIII);
  auto task = [&](std::string_view key) -> const TaskSpec* {
    for (const TaskSpec& t : iii.tasks)
      if (t.key == key) return &t;
    return nullptr;
  };
  ASSERT_NE(task("sampling"), nullptr);
  EXPECT_THAT(task("sampling")->description, HasSubstr("每2小时"));
  EXPECT_EQ(task("sampling")->deadline, std::chrono::hours(2));
  EXPECT_EQ(task("sampling")->role, "monitoring_analyst");
  ASSERT_NE(task("notify_downstream"), nullptr);
  EXPECT_THAT(task("notify_downstream")->description, HasSubstr("下游"));
  ASSERT_NE(task("protect_intakes"), nullptr);
  EXPECT_THAT(task("protect_intakes")->description, HasSubstr("取水口"));
  EXPECT_THAT(task("protect_intakes")->depends_on, ElementsAre("sampling"));
  bool daily = false;
  for (const ReportDue& r : iii.reports) daily = daily || r.type == "daily";
  EXPECT_TRUE(daily);
}

TEST(ExampleTest, EpidemicPlanGivesTasksToWorkingGroups) {
  Plan plan = load("epidemic_joint_prevention.yaml");
  EXPECT_THAT(plan.scope.categories, ElementsAre(core::Category::kPublicHealth));
  ASSERT_GE(plan.groups.size(), 4u);
  std::set<std::string> names, keys;
  for (const Group& g : plan.groups) {
    names.insert(g.name);
    keys.insert(g.key);
    EXPECT_FALSE(g.duties.empty()) << g.key;
  }
  for (const char* n :
       {"综合组", "防控随访组", "集中隔离管控组", "医疗救治组", "物资保障组", "宣传组"})
    EXPECT_TRUE(names.contains(n)) << n;
  for (const LevelSpec& l : plan.levels) {
    EXPECT_FALSE(l.groups.empty());
    for (const TaskSpec& t : l.tasks)
      EXPECT_TRUE(keys.contains(t.owner)) << t.key << " " << t.owner;
  }
  EXPECT_EQ(plan.find_level(Level::kII)->groups.size(), plan.groups.size());
}

// The YAML blocks of docs/PLANS.md that are whole plans (they start with "key:") are valid too.
TEST(ExampleTest, PlansDocBlocksParse) {
  const std::string doc = slurp(fs::path(LIANDONG_PLAN_EXAMPLES) / ".." / "PLANS.md");
  ASSERT_FALSE(doc.empty());
  int checked = 0;
  for (size_t at = doc.find("```yaml\n"); at != std::string::npos;
       at = doc.find("```yaml\n", at + 1)) {
    const size_t start = at + 8;
    const size_t end = doc.find("```", start);
    ASSERT_NE(end, std::string::npos);
    const std::string block = doc.substr(start, end - start);
    if (block.rfind("key:", 0) != 0) continue;
    Parsed p = parse_plan(block, "PLANS.md block", default_known());
    for (const Diagnostic& d : p.diagnostics) ADD_FAILURE() << d.text();
    ++checked;
  }
  EXPECT_GE(checked, 1);
}

}  // namespace
}  // namespace liandong::plans
