#include "plans/activation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

namespace liandong::plans {
namespace {

using core::Category;
using core::Grade;
using taxonomy::Figure;

TaskSpec task(std::string key, std::vector<std::string> depends_on = {}) {
  TaskSpec t;
  t.key = std::move(key);
  t.owner = "fire";
  t.description = "do " + t.key;
  t.deadline = core::Millis(60'000);
  t.depends_on = std::move(depends_on);
  t.role = "duty_officer";
  return t;
}

LevelSpec level(Level l, std::vector<std::string> task_keys) {
  LevelSpec s;
  s.level = l;
  s.lead = "fire";
  for (auto& k : task_keys) s.tasks.push_back(task(std::move(k)));
  return s;
}

std::vector<std::string> keys(const std::vector<const TaskSpec*>& tasks) {
  std::vector<std::string> out;
  for (const auto* t : tasks) out.push_back(t->key);
  return out;
}

Facts fire_in(std::string jurisdiction) {
  Facts f;
  f.category = Category::kAccidentDisaster;
  f.type = "building_fire";
  f.jurisdiction = std::move(jurisdiction);
  return f;
}

Plan scoped(std::vector<std::string> jurisdictions) {
  Plan p;
  p.key = "fire_general";
  p.title = "Fire";
  p.scope.categories = {Category::kAccidentDisaster};
  p.scope.jurisdictions = std::move(jurisdictions);
  p.levels = {level(Level::kIV, {"a"})};
  return p;
}

// ---- scope ----

TEST(ActivationScope, CategoryAndTypeMustBeListedUnlessNoneAre) {
  Plan p = scoped({});
  EXPECT_TRUE(in_scope(p, fire_in("441202")));
  Facts flood = fire_in("441202");
  flood.category = Category::kNaturalDisaster;
  EXPECT_FALSE(in_scope(p, flood));

  p.scope.types = {"building_fire", "forest_fire"};
  EXPECT_TRUE(in_scope(p, fire_in("441202")));
  Facts chem = fire_in("441202");
  chem.type = "chemical_leak";
  EXPECT_FALSE(in_scope(p, chem));

  p.scope.categories.clear();  // types alone
  flood.type = "forest_fire";
  EXPECT_TRUE(in_scope(p, flood));
  EXPECT_FALSE(in_scope(p, chem));
}

TEST(ActivationScope, AJurisdictionCoversItselfAndWhatLiesBelowIt) {
  EXPECT_TRUE(in_scope(scoped({"441200"}), fire_in("441202")));  // county under its city
  EXPECT_TRUE(in_scope(scoped({"440000"}), fire_in("441202")));  // county under its province
  EXPECT_TRUE(in_scope(scoped({"440000"}), fire_in("441200")));  // city under its province
  EXPECT_TRUE(in_scope(scoped({"441202"}), fire_in("441202")));  // equal code
  EXPECT_TRUE(in_scope(scoped({"441200"}), fire_in("441200")));
  EXPECT_TRUE(in_scope(scoped({"440000"}), fire_in("440000")));
  EXPECT_FALSE(in_scope(scoped({"441300"}), fire_in("441202")));  // another city
  EXPECT_FALSE(in_scope(scoped({"441203"}), fire_in("441202")));  // a sibling county
  EXPECT_FALSE(in_scope(scoped({"450000"}), fire_in("441202")));  // another province
  EXPECT_FALSE(
      in_scope(scoped({"441202"}), fire_in("441200")));  // the city is not below its county
  EXPECT_FALSE(in_scope(scoped({"441200"}), fire_in("440000")));
}

TEST(ActivationScope, PrefectureCitiesWithoutCountiesAndMunicipalities) {
  // Dongguan (441900) is a prefecture-level city without counties.
  EXPECT_TRUE(in_scope(scoped({"441900"}), fire_in("441900")));
  EXPECT_TRUE(in_scope(scoped({"440000"}), fire_in("441900")));
  EXPECT_FALSE(in_scope(scoped({"441200"}), fire_in("441900")));
  // Beijing's districts: 110101 under 110100 (市辖区) and 110000.
  EXPECT_TRUE(in_scope(scoped({"110000"}), fire_in("110101")));
  EXPECT_TRUE(in_scope(scoped({"110100"}), fire_in("110101")));
  EXPECT_FALSE(in_scope(scoped({"120000"}), fire_in("110101")));
}

TEST(ActivationScope, AnyListedJurisdictionWillDoAndAnEmptyListCoversAll) {
  EXPECT_TRUE(in_scope(scoped({"441300", "441200"}), fire_in("441202")));
  EXPECT_TRUE(in_scope(scoped({}), fire_in("530102")));
  EXPECT_TRUE(in_scope(scoped({}), fire_in("")));
}

TEST(ActivationScope, AMalformedIncidentCodeLiesInNoListedJurisdiction) {
  EXPECT_FALSE(in_scope(scoped({"440000"}), fire_in("")));
  EXPECT_FALSE(in_scope(scoped({"440000"}), fire_in("44x202")));
  EXPECT_FALSE(in_scope(scoped({"440000"}), fire_in("4412021")));
}

// ---- level selection ----

// I: grade I or deaths >= 10; II: grade II or deaths >= 3 or injuries >= 20; III: grade III or an
// orange warning; IV: grade IV or a blue warning. Listed out of order on purpose.
Plan graded() {
  Plan p = scoped({});
  LevelSpec i = level(Level::kI, {"a"}), ii = level(Level::kII, {"a"}),
            iii = level(Level::kIII, {"a"}), iv = level(Level::kIV, {"a"});
  i.when.grades = {Grade::kI};
  i.when.thresholds = {{Figure::kDeaths, 10}};
  ii.when.grades = {Grade::kII};
  ii.when.thresholds = {{Figure::kDeaths, 3}, {Figure::kInjuries, 20}};
  iii.when.grades = {Grade::kIII};
  iii.when.warning_level = "orange";
  iv.when.grades = {Grade::kIV};
  iv.when.warning_level = "blue";
  p.levels = {iii, i, iv, ii};
  return p;
}

TEST(ActivationLevel, TheConfirmedGradeSelectsItsLevel) {
  Plan p = graded();
  for (Grade g : {Grade::kI, Grade::kII, Grade::kIII, Grade::kIV}) {
    Facts f = fire_in("441202");
    f.confirmed_grade = g;
    EXPECT_EQ(select_level(p, f), std::optional<Level>(g)) << core::to_string(g);
  }
}

TEST(ActivationLevel, ThresholdsReadNOrMore) {
  Plan p = graded();
  Facts f = fire_in("441202");
  f.figures.deaths = 10;
  EXPECT_EQ(select_level(p, f), Level::kI);
  f.figures.deaths = 9;
  EXPECT_EQ(select_level(p, f), Level::kII);
  f.figures.deaths = 3;
  EXPECT_EQ(select_level(p, f), Level::kII);
  f.figures.deaths = 2;
  EXPECT_EQ(select_level(p, f), std::nullopt);
  f.figures.injuries = 20;  // any threshold will do
  EXPECT_EQ(select_level(p, f), Level::kII);
  f.figures.injuries = 19;
  EXPECT_EQ(select_level(p, f), std::nullopt);
}

TEST(ActivationLevel, TheGravestMatchingLevelWins) {
  Plan p = graded();
  Facts f = fire_in("441202");
  f.confirmed_grade = Grade::kIV;
  f.figures.deaths = 12;
  EXPECT_EQ(select_level(p, f), Level::kI);
  f.figures.deaths = 0;
  f.warning_level = "orange";
  EXPECT_EQ(select_level(p, f), Level::kIII);
}

TEST(ActivationLevel, AWarningAtLeastAsGraveAsTheLevelsApplies) {
  Plan p = graded();
  Facts f = fire_in("441202");
  f.warning_level = "red";
  EXPECT_EQ(select_level(p, f), Level::kIII);  // red is graver than orange
  f.warning_level = "orange";
  EXPECT_EQ(select_level(p, f), Level::kIII);
  f.warning_level = "yellow";
  EXPECT_EQ(select_level(p, f), Level::kIV);  // yellow is graver than blue, not than orange
  f.warning_level = "blue";
  EXPECT_EQ(select_level(p, f), Level::kIV);
  f.warning_level = "";
  EXPECT_EQ(select_level(p, f), std::nullopt);
  f.warning_level = "purple";
  EXPECT_EQ(select_level(p, f), std::nullopt);
}

TEST(ActivationLevel, WithoutAConfirmedGradeOnlyThresholdsAndWarningsCount) {
  Plan p = graded();
  Facts f = fire_in("441202");
  EXPECT_EQ(select_level(p, f), std::nullopt);
  f.figures.deaths = 3;
  EXPECT_EQ(select_level(p, f), Level::kII);
}

TEST(ActivationLevel, ALevelWithoutCriteriaNeverMatches) {
  Plan p = scoped({});
  p.levels = {level(Level::kI, {"a"}), level(Level::kII, {"a"})};
  Facts f = fire_in("441202");
  f.confirmed_grade = Grade::kI;
  f.figures.deaths = 1000;
  f.warning_level = "red";
  EXPECT_EQ(select_level(p, f), std::nullopt);
}

TEST(ActivationLevel, GraverComparesByGravity) {
  EXPECT_TRUE(graver(Level::kI, Level::kII));
  EXPECT_TRUE(graver(Level::kII, Level::kIV));
  EXPECT_FALSE(graver(Level::kIII, Level::kII));
  EXPECT_FALSE(graver(Level::kII, Level::kII));
}

// ---- step ----

// III: a b c; I: a x b y c z (a, b, c common), with notifications, reports and forces.
Plan stepped() {
  Plan p = scoped({});
  LevelSpec i = level(Level::kI, {"a", "x", "b", "y", "c", "z"});
  LevelSpec iii = level(Level::kIII, {"a", "b", "c"});
  iii.notifications = {{"duty_officer", "", "console", ""}};
  i.notifications = {{"supervisor", "", "sms", "level I"}, {"leader", "government", "phone", ""}};
  iii.reports = {{"initial", "county", core::Millis(1'800'000)}};
  i.reports = {{"initial", "county", core::Millis(600'000)},
               {"initial", "city", core::Millis(1'800'000)},
               {"progress", "province", core::Millis(3'600'000)}};
  iii.forces = {{"engine", 2, {}}};
  i.forces = {{"engine", 6, {}}, {"ladder", 2, {"aerial_30m"}}};
  p.levels = {i, iii};
  return p;
}

TEST(ActivationStep, FromNothingBringsTheWholeLevel) {
  Plan p = stepped();
  Step s = step(p, std::nullopt, Level::kIII);
  EXPECT_EQ(keys(s.add_tasks), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(s.stand_down_tasks.empty());
  ASSERT_EQ(s.notify.size(), 1u);
  EXPECT_EQ(s.notify[0]->channel, "console");
  ASSERT_EQ(s.add_reports.size(), 1u);
  EXPECT_EQ(s.add_reports[0]->recipient_level, "county");
  EXPECT_EQ(s.forces, p.levels[1].forces);
  // The pointers are into the plan.
  EXPECT_EQ(s.add_tasks[0], &p.levels[1].tasks[0]);
}

TEST(ActivationStep, EscalatingAddsOnlyWhatIsMissingInPlanOrder) {
  Plan p = stepped();
  Step s = step(p, Level::kIII, Level::kI);
  EXPECT_EQ(keys(s.add_tasks), (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_TRUE(s.stand_down_tasks.empty());
  ASSERT_EQ(s.notify.size(), 2u);  // all of the new level's
  EXPECT_EQ(s.notify[0]->role, "supervisor");
  EXPECT_EQ(s.notify[1]->role, "leader");
  // initial→county was due already; initial→city and progress→province are new.
  ASSERT_EQ(s.add_reports.size(), 2u);
  EXPECT_EQ(s.add_reports[0]->recipient_level, "city");
  EXPECT_EQ(s.add_reports[1]->type, "progress");
  EXPECT_EQ(s.forces, p.levels[0].forces);
}

TEST(ActivationStep, DeEscalatingStandsDownWhatTheLowerLevelLacks) {
  Plan p = stepped();
  Step s = step(p, Level::kI, Level::kIII);
  EXPECT_TRUE(s.add_tasks.empty());
  EXPECT_EQ(s.stand_down_tasks, (std::vector<std::string>{"x", "y", "z"}));
  ASSERT_EQ(s.notify.size(), 1u);
  EXPECT_TRUE(s.add_reports.empty());  // initial→county is in both
  EXPECT_EQ(s.forces, p.levels[1].forces);
}

TEST(ActivationStep, TheSameLevelChangesNoTask) {
  Plan p = stepped();
  Step s = step(p, Level::kI, Level::kI);
  EXPECT_TRUE(s.add_tasks.empty());
  EXPECT_TRUE(s.stand_down_tasks.empty());
  EXPECT_TRUE(s.add_reports.empty());
  EXPECT_EQ(s.notify.size(), 2u);
  EXPECT_EQ(s.forces, p.levels[0].forces);
}

TEST(ActivationStep, ALevelThePlanLacks) {
  Plan p = stepped();
  Step none = step(p, Level::kIII, Level::kII);
  EXPECT_TRUE(none.add_tasks.empty());
  EXPECT_TRUE(none.stand_down_tasks.empty());
  EXPECT_TRUE(none.notify.empty());
  EXPECT_TRUE(none.add_reports.empty());
  EXPECT_TRUE(none.forces.empty());
  // An undefined `from` has nothing to keep: the whole `to` level is added.
  Step fresh = step(p, Level::kII, Level::kIII);
  EXPECT_EQ(keys(fresh.add_tasks), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(fresh.stand_down_tasks.empty());
}

TEST(ActivationStep, TasksMoveWithTheirKeysAcrossRandomPlans) {
  std::mt19937 rng(20261202);
  const std::vector<std::string> pool = {"k0", "k1", "k2", "k3", "k4",
                                         "k5", "k6", "k7", "k8", "k9"};
  const std::vector<Level> all = {Level::kI, Level::kII, Level::kIII, Level::kIV};
  for (int round = 0; round < 300; ++round) {
    Plan p = scoped({});
    p.levels.clear();
    for (Level l : all) {
      if (rng() % 4 == 0) continue;
      std::vector<std::string> ks;
      for (const auto& k : pool)
        if (rng() % 2) ks.push_back(k);
      std::shuffle(ks.begin(), ks.end(), rng);
      p.levels.push_back(level(l, ks));
    }
    for (const auto& to : p.levels) {
      std::vector<std::optional<Level>> froms = {std::nullopt};
      for (const auto& l : p.levels) froms.emplace_back(l.level);
      for (auto from : froms) {
        Step s = step(p, from, to.level);
        std::set<std::string> to_keys, from_keys, added, stood;
        for (const auto& t : to.tasks) to_keys.insert(t.key);
        if (from)
          for (const auto& l : p.levels)
            if (l.level == *from)
              for (const auto& t : l.tasks) from_keys.insert(t.key);
        for (const auto* t : s.add_tasks) added.insert(t->key);
        for (const auto& k : s.stand_down_tasks) stood.insert(k);
        ASSERT_EQ(added.size(), s.add_tasks.size());
        ASSERT_EQ(stood.size(), s.stand_down_tasks.size());
        std::set<std::string> common;
        std::set_intersection(to_keys.begin(), to_keys.end(), from_keys.begin(), from_keys.end(),
                              std::inserter(common, common.end()));
        std::set<std::string> add_or_common = added, down_or_common = stood;
        add_or_common.insert(common.begin(), common.end());
        down_or_common.insert(common.begin(), common.end());
        EXPECT_EQ(add_or_common, to_keys);
        EXPECT_EQ(down_or_common, from_keys);
        for (const auto& k : common) {
          EXPECT_FALSE(added.contains(k));
          EXPECT_FALSE(stood.contains(k));
        }
        // add_tasks in the `to` level's order.
        std::vector<std::string> expected;
        for (const auto& t : to.tasks)
          if (added.contains(t.key)) expected.push_back(t.key);
        EXPECT_EQ(keys(s.add_tasks), expected);
      }
    }
  }
}

// ---- task order ----

LevelSpec with_tasks(std::vector<TaskSpec> tasks) {
  LevelSpec l;
  l.tasks = std::move(tasks);
  return l;
}

TEST(ActivationTaskOrder, WithoutDependenciesThePlansOrderIsKept) {
  EXPECT_EQ(task_order(with_tasks({task("c"), task("a"), task("b")})),
            (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_TRUE(task_order(LevelSpec{}).empty());
}

TEST(ActivationTaskOrder, AChainIsPutInDependencyOrder) {
  auto order = task_order(with_tasks({task("c", {"b"}), task("b", {"a"}), task("a")}));
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(ActivationTaskOrder, ADiamondKeepsThePlansOrderWhereItCan) {
  // d needs b and c, which need a; c is listed before b.
  auto order = task_order(
      with_tasks({task("d", {"b", "c"}), task("c", {"a"}), task("b", {"a"}), task("a")}));
  EXPECT_EQ(order, (std::vector<std::string>{"a", "c", "b", "d"}));
  // Tasks free of the diamond stay where the plan has them.
  order = task_order(with_tasks({task("log"), task("d", {"b", "c"}), task("b", {"a"}),
                                 task("c", {"a"}), task("a"), task("last")}));
  EXPECT_EQ(order, (std::vector<std::string>{"log", "a", "b", "c", "d", "last"}));
}

TEST(ActivationTaskOrder, AnOrderThatAlreadyHoldsIsUnchanged) {
  auto order = task_order(
      with_tasks({task("a"), task("b", {"a"}), task("c", {"a"}), task("d", {"b", "c"})}));
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST(ActivationTaskOrder, ADependencyOutsideTheLevelIsIgnored) {
  auto order = task_order(with_tasks({task("b", {"elsewhere"}), task("a", {"b", "gone"})}));
  EXPECT_EQ(order, (std::vector<std::string>{"b", "a"}));
}

TEST(ActivationTaskOrder, ACycleStillListsEveryTaskOnce) {
  // The validator refuses cycles; task_order must not lose or repeat tasks if one slips through.
  auto order = task_order(with_tasks({task("a", {"b"}), task("b", {"a"}), task("c")}));
  EXPECT_EQ(std::set<std::string>(order.begin(), order.end()),
            (std::set<std::string>{"a", "b", "c"}));
  EXPECT_EQ(order.size(), 3u);
}

TEST(ActivationTaskOrder, RandomDagsComeOutInDependencyOrder) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    const int n = 1 + static_cast<int>(rng() % 12);
    // Dependencies only on tasks created earlier keeps the graph acyclic; the listing is shuffled.
    std::vector<TaskSpec> tasks;
    for (int i = 0; i < n; ++i) {
      std::vector<std::string> deps;
      for (int j = 0; j < i; ++j)
        if (rng() % 4 == 0) deps.push_back("t" + std::to_string(j));
      tasks.push_back(task("t" + std::to_string(i), deps));
    }
    std::shuffle(tasks.begin(), tasks.end(), rng);
    auto order = task_order(with_tasks(tasks));
    ASSERT_EQ(order.size(), tasks.size());
    std::map<std::string, size_t> at;
    for (size_t i = 0; i < order.size(); ++i) at[order[i]] = i;
    ASSERT_EQ(at.size(), tasks.size());
    for (const auto& t : tasks)
      for (const auto& d : t.depends_on) EXPECT_LT(at[d], at[t.key]) << d << " before " << t.key;
  }
}

}  // namespace
}  // namespace liandong::plans
