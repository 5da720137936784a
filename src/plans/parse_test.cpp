// parse_plan: the plan file format and every rule of its validator, with the exact diagnostics
// (testdata/*.yaml are the bad files), durations, and hostile input.
#include "plans/parse.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "taxonomy/taxonomy.h"

namespace liandong::plans {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

Known known() {
  Known k;
  for (auto u : core::default_unit_types()) k.unit_types.emplace_back(u);
  for (auto r : core::report_types()) k.report_types.emplace_back(r);
  k.roles = {"call_taker", "dispatcher", "duty_officer", "incident_commander", "supervisor"};
  for (const auto& t : taxonomy::Taxonomy::defaults().types()) k.incident_types.push_back(t.code);
  return k;
}

std::string read_testdata(const std::string& name) {
  std::ifstream in(std::string(LIANDONG_PLAN_TESTDATA) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> texts(const Parsed& p) {
  std::vector<std::string> out;
  for (const Diagnostic& d : p.diagnostics) out.push_back(d.text());
  return out;
}

Parsed parse_file(const std::string& name) {
  return parse_plan(read_testdata(name), name, known());
}
Parsed parse_text(const std::string& text) { return parse_plan(text, "plan.yaml", known()); }

// A valid plan's head, for inline tests that vary one level.
constexpr const char* kHead =
    "key: p\n"
    "title: 预案\n"
    "owner: fire\n"
    "scope: {types: [fire]}\n";

TEST(ParseTest, MinimalPlan) {
  Parsed p = parse_file("minimal.yaml");
  ASSERT_TRUE(p.ok()) << ::testing::PrintToString(texts(p));
  EXPECT_TRUE(p.diagnostics.empty());
  const Plan& plan = *p.plan;
  EXPECT_EQ(plan.key, "minimal");
  EXPECT_EQ(plan.title, "最小预案");
  EXPECT_EQ(plan.owner, "fire");
  EXPECT_THAT(plan.scope.types, ElementsAre("fire"));
  EXPECT_TRUE(plan.scope.categories.empty());
  EXPECT_TRUE(plan.scope.jurisdictions.empty());
  EXPECT_EQ(plan.drill_every_days, 365u);
  EXPECT_EQ(plan.review_every_days, 1095u);
  ASSERT_EQ(plan.levels.size(), 1u);
  const LevelSpec& iv = plan.levels[0];
  EXPECT_EQ(iv.level, Level::kIV);
  EXPECT_THAT(iv.when.grades, ElementsAre(core::Grade::kIV));
  EXPECT_EQ(iv.lead, "fire");
  ASSERT_EQ(iv.tasks.size(), 1u);
  EXPECT_EQ(iv.tasks[0], (TaskSpec{"respond", "fire", "出动", 10min, {}, "duty_officer"}));
  EXPECT_EQ(plan.find_level(Level::kIV), &plan.levels[0]);
  EXPECT_EQ(plan.find_level(Level::kI), nullptr);
}

TEST(ParseTest, EveryFieldIsRead) {
  const std::string text = R"(key: p
title: 预案
owner: fire
drill_every_days: 180
review_every_days: 730
scope:
  categories: [accident_disaster]
  types: [fire, hazmat_leak]
  jurisdictions: ["441300", 441302]
groups:
  medical:
    name: 医疗救护组
    lead: "120"
    members: [health]
    duties: [现场救治, 伤员转运]
levels:
  III:
    when: {grades: [III], thresholds: {deaths: 3, serious_injuries: 10}}
    lead: "119"
    participants: ["120", police]
    tasks:
      attack: {owner: "119", description: 灭火, deadline: 15m}
  I:
    when:
      grades: [I, II]
      thresholds: {deaths: 30}
      warning: orange
    lead: "119"
    command_post: 市应急指挥部现场指挥部
    participants:
      "119": [灭火救援, 人员搜救]
      police: 警戒
      "122": []
    groups: [medical]
    forces:
      - {type: engine, count: 6, capabilities: [foam]}
      - 2 ladder (aerial_32m) + 1 rescue
      - {type: ambulance}
    supplies:
      - {item: 泡沫灭火剂, quantity: 2.5, unit: t, from: "119"}
      - {item: 担架, quantity: 20, unit: 副}
    tasks:
      attack: {owner: "119", description: 灭火, deadline: 10m, role: incident_commander}
      triage: {owner: medical, description: 检伤分类, deadline: 20m, after: attack}
      cordon: {owner: police, description: 警戒, deadline: 1h30m, after: [attack, triage], role: dispatcher}
    notifications:
      - {role: supervisor, agency: emergency_management, channel: phone, message: 启动I级响应}
      - {role: duty_officer}
    reports:
      - {type: initial, to: city, within: 30m}
      - {type: progress, to: province, within: 2h}
)";
  Parsed p = parse_text(text);
  ASSERT_TRUE(p.ok()) << ::testing::PrintToString(texts(p));
  EXPECT_TRUE(p.diagnostics.empty()) << ::testing::PrintToString(texts(p));
  const Plan& plan = *p.plan;
  EXPECT_EQ(plan.drill_every_days, 180u);
  EXPECT_EQ(plan.review_every_days, 730u);
  EXPECT_THAT(plan.scope.categories, ElementsAre(core::Category::kAccidentDisaster));
  EXPECT_THAT(plan.scope.types, ElementsAre("fire", "hazmat_leak"));
  EXPECT_THAT(plan.scope.jurisdictions, ElementsAre("441300", "441302"));
  ASSERT_EQ(plan.groups.size(), 1u);
  EXPECT_EQ(plan.groups[0],
            (Group{"medical", "医疗救护组", "120", {"health"}, {"现场救治", "伤员转运"}}));

  ASSERT_EQ(plan.levels.size(), 2u);  // gravest first, whatever the file's order
  const LevelSpec& i = plan.levels[0];
  EXPECT_EQ(i.level, Level::kI);
  EXPECT_EQ(plan.levels[1].level, Level::kIII);
  EXPECT_THAT(i.when.grades, ElementsAre(core::Grade::kI, core::Grade::kII));
  EXPECT_THAT(i.when.thresholds, ElementsAre(Threshold{taxonomy::Figure::kDeaths, 30}));
  EXPECT_EQ(i.when.warning_level, "orange");
  EXPECT_THAT(plan.levels[1].when.thresholds,
              ElementsAre(Threshold{taxonomy::Figure::kDeaths, 3},
                          Threshold{taxonomy::Figure::kSeriousInjuries, 10}));
  EXPECT_EQ(i.command_post, "市应急指挥部现场指挥部");
  EXPECT_THAT(i.participants, ElementsAre(Participant{"119", {"灭火救援", "人员搜救"}},
                                          Participant{"police", {"警戒"}}, Participant{"122", {}}));
  EXPECT_THAT(plan.levels[1].participants,
              ElementsAre(Participant{"120", {}}, Participant{"police", {}}));
  EXPECT_THAT(i.groups, ElementsAre("medical"));
  EXPECT_THAT(i.forces,
              ElementsAre(Force{"engine", 6, {"foam"}}, Force{"ladder", 2, {"aerial_32m"}},
                          Force{"rescue", 1, {}}, Force{"ambulance", 1, {}}));
  EXPECT_THAT(i.supplies,
              ElementsAre(Supply{"泡沫灭火剂", 2.5, "t", "119"}, Supply{"担架", 20, "副", ""}));
  ASSERT_EQ(i.tasks.size(), 3u);
  EXPECT_EQ(i.tasks[0], (TaskSpec{"attack", "119", "灭火", 10min, {}, "incident_commander"}));
  EXPECT_EQ(i.tasks[1],
            (TaskSpec{"triage", "medical", "检伤分类", 20min, {"attack"}, "duty_officer"}));
  EXPECT_EQ(i.tasks[2],
            (TaskSpec{"cordon", "police", "警戒", 90min, {"attack", "triage"}, "dispatcher"}));
  EXPECT_THAT(i.notifications, ElementsAre(NotificationSpec{"supervisor", "emergency_management",
                                                            "phone", "启动I级响应"},
                                           NotificationSpec{"duty_officer", "", "console", ""}));
  EXPECT_THAT(i.reports, ElementsAre(ReportDue{"initial", "city", 30min},
                                     ReportDue{"progress", "province", 2h}));
}

// ---- each bad file, with its exact diagnostics ----

TEST(ParseTest, UnknownKeyNamesTheAllowedOnesAndGuesses) {
  Parsed p = parse_file("bad_unknown_key.yaml");
  EXPECT_FALSE(p.ok());
  EXPECT_THAT(texts(p),
              ElementsAre("bad_unknown_key.yaml:6: warning: levels.II: no tasks: activating the "
                          "level gives nobody anything to do",
                          "bad_unknown_key.yaml:9: levels.II.taks: unknown key (did you mean "
                          "'tasks'?); expected one of when, lead, command_post, participants, "
                          "groups, forces, supplies, tasks, notifications, reports"));
  EXPECT_EQ(p.errors(), 1u);
}

TEST(ParseTest, MissingRequiredKeys) {
  EXPECT_THAT(
      texts(parse_file("bad_missing.yaml")),
      ElementsAre("bad_missing.yaml:1: missing required key 'title' (e.g. 火灾事故应急预案)",
                  "bad_missing.yaml:6: levels.III: missing required key 'lead' (the lead "
                  "agency kind, e.g. fire or \"119\")",
                  "bad_missing.yaml:8: levels.III.tasks.respond: missing required key "
                  "'deadline' (a duration after activation such as 30m)"));
}

TEST(ParseTest, DuplicateKeysAndRepeatedLevel) {
  EXPECT_THAT(texts(parse_file("bad_duplicate.yaml")),
              ElementsAre("bad_duplicate.yaml:11: levels.II.tasks.respond: duplicate key (first at "
                          "line 10); each task key may appear once in a level",
                          "bad_duplicate.yaml:12: levels.II: duplicate key (first at line 6); each "
                          "level may appear once"));
}

TEST(ParseTest, LevelNamesOtherThanIToIV) {
  EXPECT_THAT(
      texts(parse_file("bad_level_name.yaml")),
      ElementsAre("bad_level_name.yaml:6: levels.V: unknown level; expected I, II, III or IV",
                  "bad_level_name.yaml:8: levels.2: unknown level; expected I, II, III or IV"));
}

TEST(ParseTest, CriteriaGradesFiguresThresholdsWarning) {
  const std::string range =
      " is out of range: must be a whole number of 1 or more (the level applies at that figure or "
      "more)";
  EXPECT_THAT(
      texts(parse_file("bad_criteria.yaml")),
      ElementsAre(
          "bad_criteria.yaml:8: levels.I.when.grades[1]: unknown grade 'V'; expected I, II, III or "
          "IV",
          "bad_criteria.yaml:9: levels.I.when.thresholds.deaths: '-3'" + range,
          "bad_criteria.yaml:9: levels.I.when.thresholds.victims: unknown figure; expected one of "
          "deaths, serious_injuries, injuries, missing, affected, evacuated, direct_loss_yuan",
          "bad_criteria.yaml:9: levels.I.when.thresholds.injuries: '0'" + range,
          "bad_criteria.yaml:9: levels.I.when.thresholds.affected: '99999999999999999999'" + range,
          "bad_criteria.yaml:10: levels.I.when.warning: unknown warning level 'purple'; expected "
          "red, orange, yellow or blue"));
}

TEST(ParseTest, ForceCountsTotalsAndTypes) {
  EXPECT_THAT(
      texts(parse_file("bad_forces.yaml")),
      ElementsAre(
          "bad_forces.yaml:10: levels.I.forces[0].count: '0' is out of range: must be 1 to 50 "
          "(units in one slot)",
          "bad_forces.yaml:10: levels.I.forces: 102 units in all; a level's force may have at most "
          "100 (ask for more through mutual aid)",
          "bad_forces.yaml:11: levels.I.forces[1].count: '51' is out of range: must be 1 to 50 "
          "(units in one slot)",
          "bad_forces.yaml:12: levels.I.forces[2].type: unknown unit type 'tank'; expected one of "
          "engine, ladder, rescue, hazmat, water_tender, ambulance, patrol, traffic, boat, team",
          "bad_forces.yaml:16: levels.I.forces[6]: slot 1 ('0 boat'): the count must be 1 to 50 "
          "(write slots as '2 engine + 1 ladder (aerial_32m)', or a mapping with type, count and "
          "capabilities)"));
}

TEST(ParseTest, TaskDeadlinesDependenciesCyclesAndOwners) {
  EXPECT_THAT(
      texts(parse_file("bad_tasks.yaml")),
      ElementsAre(
          "bad_tasks.yaml:14: levels.I.tasks.a.deadline: '30' is not a duration: write numbers "
          "with units (d, h, m, s), such as 30m, 2h, 1d or 1h30m",
          "bad_tasks.yaml:15: levels.I.tasks.b.deadline: must be longer than 0",
          "bad_tasks.yaml:15: levels.I.tasks.b.after[0]: dependency cycle b → a → b (each waits "
          "for the next)",
          "bad_tasks.yaml:16: levels.I.tasks.c.owner: 'police' takes no part in level I: an owner "
          "must be the level's lead, a participant, a member of a working group the level "
          "activates, or such a group (here: fire, 120)",
          "bad_tasks.yaml:16: levels.I.tasks.c.after[0]: no task 'ghost' at level I",
          "bad_tasks.yaml:17: levels.I.tasks.d.owner: working group 'medical' is not activated at "
          "level I; add it to levels.I.groups",
          "bad_tasks.yaml:17: levels.I.tasks.d.after[0]: dependency cycle d → d (each waits for "
          "the next)",
          "bad_tasks.yaml:22: levels.II.tasks.e.after[0]: 'a' is a task of level I, not of level "
          "II; a task may wait only for tasks of its own level"));
}

TEST(ParseTest, LongerCycleIsNamedInOrder) {
  Parsed p = parse_text(std::string(kHead) + R"(levels:
  II:
    when: {grades: [II]}
    lead: fire
    tasks:
      a: {owner: fire, description: 甲, deadline: 1h, after: [c]}
      b: {owner: fire, description: 乙, deadline: 1h, after: [a]}
      c: {owner: fire, description: 丙, deadline: 1h, after: [b]}
      d: {owner: fire, description: 丁, deadline: 1h, after: [a, c]}
)");
  EXPECT_THAT(texts(p), ElementsAre("plan.yaml:11: levels.II.tasks.b.after[0]: dependency cycle b "
                                    "→ a → c → b (each waits for the next)"));
}

TEST(ParseTest, WorkingGroupsDefinedAndReferenced) {
  EXPECT_THAT(
      texts(parse_file("bad_groups.yaml")),
      ElementsAre("bad_groups.yaml:7: groups.Bad-Key: not a working group key: write a code of "
                  "lower-case letters, digits and _ starting with a letter",
                  "bad_groups.yaml:8: groups.supplies: missing required key 'name' (e.g. 综合组)",
                  "bad_groups.yaml:13: levels.II.groups[1]: working group 'logistics' is not "
                  "defined; defined groups: general, supplies"));
}

TEST(ParseTest, NotificationsAndReports) {
  EXPECT_THAT(
      texts(parse_file("bad_reports.yaml")),
      ElementsAre(
          "bad_reports.yaml:12: levels.II.notifications[0].role: unknown role 'chief'; expected "
          "one of call_taker, dispatcher, duty_officer, incident_commander, supervisor",
          "bad_reports.yaml:13: levels.II.notifications[1]: missing required key 'role' (who is "
          "told, a role such as supervisor)",
          "bad_reports.yaml:13: levels.II.notifications[1].agency: '1' is not an agency kind: "
          "write a code such as fire, police, health, environment, or a service number such as "
          "\"119\"",
          "bad_reports.yaml:15: levels.II.reports[0].to: unknown recipient level 'town'; expected "
          "county, city, province or national",
          "bad_reports.yaml:16: levels.II.reports[1].type: unknown report type 'rumour'; expected "
          "one of initial, progress, final, daily, bulletin, special",
          "bad_reports.yaml:17: levels.II.reports[2]: missing required key 'within' (a duration "
          "after activation such as 1h)",
          "bad_reports.yaml:19: levels.II.reports[4]: a final report to the city level is listed "
          "twice"));
}

TEST(ParseTest, ScopeAndPlanHead) {
  EXPECT_THAT(
      texts(parse_file("bad_scope.yaml")),
      ElementsAre(
          "bad_scope.yaml:1: key: 'Scope' is not a plan key: write a code of lower-case letters, "
          "digits and _ starting with a letter",
          "bad_scope.yaml:3: owner: 'Fire Brigade' is not an agency kind: write a code such as "
          "fire, police, health, environment, or a service number such as \"119\"",
          "bad_scope.yaml:4: drill_every_days: '0' is out of range: must be a whole number of days "
          "from 1 to 3650",
          "bad_scope.yaml:6: scope: names no categories and no types: list at least one category "
          "or incident type",
          "bad_scope.yaml:7: scope.jurisdictions[0]: '4412' is not a jurisdiction code: write its "
          "six digits (GB/T 2260), e.g. \"441200\"",
          "bad_scope.yaml:7: scope.jurisdictions[2]: '441200' is listed twice"));
}

TEST(ParseTest, ScopeCategoriesAndKnownTypes) {
  Parsed p = parse_file("bad_scope_values.yaml");
  ASSERT_EQ(p.diagnostics.size(), 3u);
  EXPECT_EQ(p.diagnostics[0].text(),
            "bad_scope_values.yaml:5: scope.categories[0]: unknown category 'accident'; expected "
            "natural_disaster, accident_disaster, public_health or social_safety");
  EXPECT_EQ(p.diagnostics[1].text(),
            "bad_scope_values.yaml:6: scope.types[1]: unknown incident type 'volcano'; expected "
            "one of flood, rainstorm, typhoon, drought, earthquake, landslide, forest_fire, fire, "
            "gas_explosion, hazmat_leak, building_collapse, traffic_accident, mine_accident, "
            "power_outage, drowning, water_pollution, air_pollution, infectious_disease, "
            "food_poisoning, medical_emergency, public_disorder, mass_gathering, terror_attack, "
            "other");
  EXPECT_EQ(p.diagnostics[2].text(),
            "bad_scope_values.yaml:6: scope.types[2]: 'Fire' is not an incident type code");
}

TEST(ParseTest, SyntaxErrorNamesTheLine) {
  EXPECT_THAT(texts(parse_file("bad_syntax.yaml")),
              ElementsAre("bad_syntax.yaml:5: not valid YAML: end of map flow not found"));
}

TEST(ParseTest, WarningsLeaveThePlanUsable) {
  Parsed p = parse_file("warnings.yaml");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.errors(), 0u);
  EXPECT_THAT(texts(p),
              ElementsAre("warnings.yaml:6: warning: levels.III: no criteria (when: grades, "
                          "thresholds or warning): the level is never selected on its own, only "
                          "activated by hand",
                          "warnings.yaml:9: warning: levels.III.tasks.review.deadline: 8d is "
                          "longer than 7 days; a response task is usually due within hours",
                          "warnings.yaml:10: warning: levels.IV: no tasks: activating the level "
                          "gives nobody anything to do"));
  for (const Diagnostic& d : p.diagnostics) EXPECT_FALSE(d.error);
}

// ---- inline rules ----

TEST(ParseTest, WrongKinds) {
  Parsed p = parse_text(R"(key: [p]
title: {a: b}
owner: fire
scope: [fire]
groups: [g]
levels:
  II:
    when: {grades: {II: yes}}
    lead: fire
    participants: 119
    forces: {type: engine}
    tasks: [a, b]
)");
  EXPECT_THAT(
      texts(p),
      ElementsAre(
          "plan.yaml:1: key: must be text, not a list",
          "plan.yaml:2: title: must be text, not a mapping",
          "plan.yaml:4: scope: must be a mapping (key: value lines), not a list",
          "plan.yaml:5: groups: must be a mapping (key: value lines), not a list",
          "plan.yaml:8: levels.II.when.grades: must be a list, not a mapping",
          "plan.yaml:10: levels.II.participants: must be a mapping (key: value lines), not text",
          "plan.yaml:11: levels.II.forces: must be a list, not a mapping",
          "plan.yaml:12: levels.II.tasks: must be a mapping (key: value lines), not a list"));
}

TEST(ParseTest, NoLevels) {
  EXPECT_THAT(
      texts(parse_text(std::string(kHead) + "levels: {}\n")),
      ElementsAre("plan.yaml:5: levels: at least one level (I, II, III or IV) is required"));
  EXPECT_THAT(texts(parse_text(kHead)),
              ElementsAre("plan.yaml:1: missing required key 'levels' (response levels I to IV)"));
}

TEST(ParseTest, TaskKeyRoleAndEmptyDescription) {
  Parsed p = parse_text(std::string(kHead) + R"(levels:
  IV:
    when: {grades: [IV]}
    lead: fire
    tasks:
      Respond: {owner: fire, description: 出动, deadline: 5m}
      check: {owner: fire, description: "", deadline: 5m, role: chief, after: [respond, Respond]}
)");
  EXPECT_THAT(
      texts(p),
      ElementsAre("plan.yaml:10: levels.IV.tasks.Respond: not a task key: write a code of "
                  "lower-case letters, digits and _ starting with a letter",
                  "plan.yaml:11: levels.IV.tasks.check.description: must not be empty",
                  "plan.yaml:11: levels.IV.tasks.check.after[1]: 'Respond' is not a task key: "
                  "write a code of lower-case letters, digits and _ starting with a letter",
                  "plan.yaml:11: levels.IV.tasks.check.role: unknown role 'chief'; expected one "
                  "of call_taker, dispatcher, duty_officer, incident_commander, supervisor",
                  "plan.yaml:11: levels.IV.tasks.check.after[0]: no task 'respond' at level IV"));
}

TEST(ParseTest, TaskOwnerFromAGroupsMembersAndTheSameTaskAtTwoLevels) {
  Parsed p = parse_text(std::string(kHead) + R"(groups:
  traffic: {name: 交通管制组, lead: "122", members: [police]}
levels:
  I:
    when: {grades: [I]}
    lead: fire
    groups: [traffic]
    tasks:
      close_roads: {owner: police, description: 封路, deadline: 20m}
      divert: {owner: traffic, description: 分流, deadline: 30m}
  II:
    when: {grades: [II]}
    lead: fire
    participants: ["122"]
    tasks:
      close_roads: {owner: "122", description: 封路, deadline: 30m}
)");
  ASSERT_TRUE(p.ok()) << ::testing::PrintToString(texts(p));
  EXPECT_THAT(texts(p),
              ElementsAre("plan.yaml:20: warning: levels.II.tasks.close_roads.owner: task "
                          "'close_roads' is owned by '122' here but by 'police' at level I (line "
                          "13); a task key names the same task at every level"));
}

TEST(ParseTest, UnknownCodesAreCheckedOnlyAgainstNonEmptyLists) {
  const std::string text = std::string(kHead) + R"(levels:
  IV:
    when: {grades: [IV]}
    lead: fire
    forces: [2 drone]
    tasks:
      fly: {owner: fire, description: 航拍, deadline: 5m, role: pilot}
    notifications: [{role: pilot}]
    reports: [{type: photo, to: county, within: 1h}]
)";
  Parsed strict = parse_text(text);
  EXPECT_EQ(strict.errors(), 4u) << ::testing::PrintToString(texts(strict));
  EXPECT_THAT(strict.diagnostics[0].text(),
              HasSubstr("levels.IV.forces[0]: unknown unit type 'drone'; expected one of engine"));
  Parsed open = parse_plan(text, "plan.yaml", Known{});
  ASSERT_TRUE(open.ok()) << ::testing::PrintToString(texts(open));
  EXPECT_EQ(open.plan->levels[0].forces[0], (Force{"drone", 2, {}}));
}

TEST(ParseTest, SuppliesQuantities) {
  Parsed p = parse_text(std::string(kHead) + R"(levels:
  IV:
    when: {grades: [IV]}
    lead: fire
    supplies:
      - {item: 沙袋, quantity: 0, unit: 袋}
      - {item: "", quantity: many, unit: t}
      - {item: 水, quantity: .nan, unit: t, form: depot}
    tasks:
      respond: {owner: fire, description: 出动, deadline: 5m}
)");
  EXPECT_THAT(
      texts(p),
      ElementsAre("plan.yaml:10: levels.IV.supplies[0].quantity: '0': must be a number greater "
                  "than 0, e.g. 20 or 2.5",
                  "plan.yaml:11: levels.IV.supplies[1].item: must not be empty",
                  "plan.yaml:11: levels.IV.supplies[1].quantity: 'many': must be a number greater "
                  "than 0, e.g. 20 or 2.5",
                  "plan.yaml:12: levels.IV.supplies[2].form: unknown key (did you mean 'from'?); "
                  "expected one of item, quantity, unit, from",
                  "plan.yaml:12: levels.IV.supplies[2].quantity: '.nan': must be a number greater "
                  "than 0, e.g. 20 or 2.5"));
}

TEST(ParseTest, ParticipantsAndGroupsListedTwice) {
  Parsed p = parse_text(std::string(kHead) + R"(groups:
  g: {name: 组, lead: fire}
levels:
  IV:
    when: {grades: [IV, IV]}
    lead: fire
    participants: [police, police, "1"]
    groups: [g, g]
    tasks:
      respond: {owner: fire, description: 出动, deadline: 5m, after: [x, x]}
)");
  EXPECT_THAT(
      texts(p),
      ElementsAre("plan.yaml:9: levels.IV.when.grades[1]: grade IV is listed twice",
                  "plan.yaml:11: levels.IV.participants[1]: agency 'police' is listed twice",
                  "plan.yaml:11: levels.IV.participants[2]: '1' is not an agency kind: "
                  "write a code such as fire, police, health, environment, or a service "
                  "number such as \"119\"",
                  "plan.yaml:12: levels.IV.groups[1]: group 'g' is listed twice",
                  "plan.yaml:14: levels.IV.tasks.respond.after[1]: 'x' is listed twice",
                  "plan.yaml:14: levels.IV.tasks.respond.after[0]: no task 'x' at level IV"));
}

TEST(ParseTest, AnchorsAliasesAndMergeKeys) {
  Parsed p = parse_text(std::string(kHead) + R"(levels:
  IV:
    when: {grades: [IV]}
    lead: fire
    tasks: &iv_tasks
      respond: &respond {owner: fire, description: 出动, deadline: 10m, role: dispatcher}
  III:
    when: {grades: [III]}
    lead: fire
    tasks:
      <<: *iv_tasks
      attack:
        <<: *respond
        description: 灭火
        after: [respond]
      respond: {<<: *respond, deadline: 5m}
)");
  ASSERT_TRUE(p.ok()) << ::testing::PrintToString(texts(p));
  const LevelSpec& iii = *p.plan->find_level(Level::kIII);
  ASSERT_EQ(iii.tasks.size(), 2u);
  EXPECT_EQ(iii.tasks[0], (TaskSpec{"attack", "fire", "灭火", 10min, {"respond"}, "dispatcher"}));
  EXPECT_EQ(iii.tasks[1], (TaskSpec{"respond", "fire", "出动", 5min, {}, "dispatcher"}));
  EXPECT_EQ(p.plan->find_level(Level::kIV)->tasks[0].deadline, 10min);

  EXPECT_THAT(texts(parse_text(std::string(kHead) + "levels: {IV: {<<: [1], lead: fire}}\n")),
              ::testing::Contains("plan.yaml:5: levels.IV.<<: a merge (<<) takes a mapping or a "
                                  "list of mappings, not text"));
}

TEST(ParseTest, SeveralErrorsInOneFileAreAllReported) {
  Parsed p = parse_text(R"(key: Bad Key
title: ""
owner: fire
scope: {categories: [weather], jurisdictions: ["44"]}
levels:
  I:
    when: {grades: [0]}
    lead: fire
    forces: [{type: engine, count: 60}]
    tasks:
      a: {owner: fire, description: 甲, deadline: soon}
    reports: [{type: initial, to: village, within: 0s}]
  VI: {}
)");
  EXPECT_EQ(p.errors(), 10u) << ::testing::PrintToString(texts(p));
  EXPECT_FALSE(p.ok());
  // In line order.
  for (size_t i = 1; i < p.diagnostics.size(); ++i)
    EXPECT_LE(p.diagnostics[i - 1].line, p.diagnostics[i].line);
}

TEST(ParseTest, DiagnosticText) {
  EXPECT_EQ((Diagnostic{"f.yaml", 3, "levels.I", "bad", true}).text(), "f.yaml:3: levels.I: bad");
  EXPECT_EQ((Diagnostic{"f.yaml", 3, "levels.I", "odd", false}).text(),
            "f.yaml:3: warning: levels.I: odd");
  EXPECT_EQ((Diagnostic{"f.yaml", 0, "", "whole", true}).text(), "f.yaml: whole");
}

// ---- durations ----

TEST(ParseDurationTest, ParsesTheWrittenForms) {
  EXPECT_EQ(parse_duration("90s"), core::Millis(90'000));
  EXPECT_EQ(parse_duration("30m"), core::Millis(30 * 60'000));
  EXPECT_EQ(parse_duration("2h"), core::Millis(2 * 3'600'000));
  EXPECT_EQ(parse_duration("1d"), core::Millis(86'400'000));
  EXPECT_EQ(parse_duration("1h30m"), core::Millis(5'400'000));
  EXPECT_EQ(parse_duration("1d2h3m4s5ms"), core::Millis(86'400'000 + 7'200'000 + 180'000 + 4'005));
  EXPECT_EQ(parse_duration("500ms"), core::Millis(500));
  EXPECT_EQ(parse_duration("90m"), core::Millis(90 * 60'000));  // not normalised, still valid
  EXPECT_EQ(parse_duration("0m"), core::Millis(0));
  EXPECT_EQ(parse_duration("999999999d"), core::Millis(int64_t{999'999'999} * 86'400'000));
}

TEST(ParseDurationTest, RefusesMalformed) {
  for (const char* bad :
       {"",     "30",   "m",    "30 m", " 30m", "30m ", "1.5h",        "-5m", "+5m",   "30M",
        "1m1h", "1h1h", "1s1m", "5mm",  "2w",   "1hm",  "1000000000s", "h1",  "1d 2h", "ms"})
    EXPECT_EQ(parse_duration(bad), std::nullopt) << bad;
}

TEST(ParseDurationTest, FormatsTheShortestForm) {
  EXPECT_EQ(format_duration(core::Millis(5'400'000)), "1h30m");
  EXPECT_EQ(format_duration(core::Millis(0)), "0s");
  EXPECT_EQ(format_duration(core::Millis(90'000)), "1m30s");
  EXPECT_EQ(format_duration(std::chrono::days(2)), "2d");
  EXPECT_EQ(format_duration(core::Millis(1'500)), "1s500ms");
  EXPECT_EQ(format_duration(-std::chrono::hours(1)), "-1h");
}

TEST(ParseDurationTest, RoundTrips) {
  for (int64_t ms :
       {int64_t{1}, int64_t{999}, int64_t{1000}, int64_t{59'999}, int64_t{60'000},
        int64_t{3'599'000}, int64_t{3'600'000}, int64_t{5'400'000}, int64_t{86'399'999},
        int64_t{86'400'000}, int64_t{7 * 86'400'000LL + 1}, int64_t{123'456'789'012}}) {
    const std::string text = format_duration(core::Millis(ms));
    EXPECT_EQ(parse_duration(text), core::Millis(ms)) << text;
  }
  for (const char* text : {"30m", "2h", "1d", "1h30m", "1d2h3m4s5ms", "7d", "15m"})
    EXPECT_EQ(format_duration(*parse_duration(text)), text);
  EXPECT_EQ(format_duration(*parse_duration("90m")), "1h30m");
}

// ---- hostile input: errors, never a crash or a hang ----

TEST(ParseHostileTest, EmptyAndNotAMapping) {
  EXPECT_THAT(texts(parse_text("")),
              ElementsAre("plan.yaml: the document is empty; a plan is a mapping with key, title, "
                          "owner, scope and levels"));
  EXPECT_FALSE(parse_text("# only a comment\n\n").ok());
  EXPECT_FALSE(parse_text("~\n").ok());
  EXPECT_THAT(texts(parse_text("- a\n- b\n")),
              ElementsAre("plan.yaml:1: the document must be a mapping with key, title, owner, "
                          "scope and levels, not a list"));
  EXPECT_THAT(texts(parse_text("just text\n")),
              ElementsAre("plan.yaml:1: the document must be a mapping with key, title, owner, "
                          "scope and levels, not text"));
}

TEST(ParseHostileTest, BinaryGarbage) {
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    std::string bytes(1 + rng() % 4000, '\0');
    for (char& ch : bytes) ch = static_cast<char>(rng() & 0xff);
    Parsed p = parse_plan(bytes, "garbage.bin", known());
    EXPECT_FALSE(p.ok());
    EXPECT_GE(p.errors(), 1u);
  }
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  EXPECT_FALSE(parse_plan(all, "bytes.bin", known()).ok());
}

TEST(ParseHostileTest, ControlCharactersInKeysAreShownSafely) {
  Parsed p = parse_text(std::string(kHead) + "levels: {IV: {lead: fire}}\nx\x01\x1b[31my: 1\n");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(texts(p).back(), HasSubstr("x??[31my: unknown key"));
}

TEST(ParseHostileTest, DeepNesting) {
  for (const std::string& text : {std::string(100'000, '['), std::string(50'000, '{'), [] {
                                    std::string s;
                                    for (int i = 0; i < 3000; ++i) s += "- ";
                                    return s + "x\n";
                                  }()}) {
    Parsed p = parse_text(text);
    EXPECT_FALSE(p.ok());
    EXPECT_GE(p.errors(), 1u);
  }
  EXPECT_THAT(texts(parse_text(std::string(5000, '[') + std::string(5000, ']'))),
              ElementsAre(HasSubstr("the document is nested too deeply")));
}

TEST(ParseHostileTest, TooLarge) {
  std::string big = "title: " + std::string(2 << 20, 'x') + "\n";
  EXPECT_THAT(texts(parse_text(big)),
              ElementsAre("plan.yaml: the document is larger than 1 MiB (2097160 bytes); a plan "
                          "file must be smaller"));
}

TEST(ParseHostileTest, HugeNumbersAndLongText) {
  Parsed p = parse_text(std::string(kHead) +
                        "drill_every_days: 1e999\nreview_every_days: "
                        "99999999999999999999999999\nlevels:\n  IV:\n    lead: fire\n    forces: "
                        "[{type: engine, count: 18446744073709551617}]\n    tasks:\n      " +
                        std::string(300, 'a') + ": {owner: fire, description: x, deadline: " +
                        std::string(200, '9') + "m}\n");
  EXPECT_FALSE(p.ok());
  EXPECT_EQ(p.errors(), 5u) << ::testing::PrintToString(texts(p));
  for (const Diagnostic& d : p.diagnostics) EXPECT_LT(d.text().size(), 400u) << d.text();
}

TEST(ParseHostileTest, AliasesCannotMultiplyTheWork) {
  std::string text = "x: &a [";
  for (int i = 0; i < 400; ++i) text += (i ? ",k" : "k") + std::to_string(i);
  text += "]\n" + std::string(kHead) + "levels:\n  I:\n    lead: fire\n    tasks:\n";
  for (int i = 0; i < 400; ++i)
    text += "      t" + std::to_string(i) +
            ": {owner: fire, description: d, deadline: 1m, after: *a}\n";
  Parsed p = parse_text(text);
  EXPECT_FALSE(p.ok());
  EXPECT_THAT(texts(p), ::testing::Contains(HasSubstr("the plan is too large to check: more than "
                                                      "20000 values")));
}

TEST(ParseHostileTest, LongListsAndManyProblems) {
  std::string list = "[";
  for (int i = 0; i < 600; ++i) list += (i ? ",\"44\"" : "\"44\"");
  list += "]";
  EXPECT_THAT(texts(parse_text("key: p\nscope: {jurisdictions: " + list + "}\n")),
              ::testing::Contains("plan.yaml:2: scope.jurisdictions: 600 items; at most 500 are "
                                  "allowed here"));
  std::string many;
  for (int i = 0; i < 300; ++i) many += "k" + std::to_string(i) + ": 1\n";
  Parsed p = parse_text(many);
  EXPECT_EQ(p.diagnostics.size(), 201u);
  EXPECT_EQ(p.diagnostics.back().text(),
            "plan.yaml: too many problems: only the first 200 are listed");
  EXPECT_EQ(p.errors(), 201u);  // those listed
}

TEST(ParseHostileTest, MergeCycles) {
  Parsed p = parse_text(
      "key: k\ntitle: t\nowner: fire\nscope: &s\n  types: [fire]\n  <<: [*s, *s]\nlevels: &l\n  "
      "IV: {lead: fire}\n  <<: *l\n");
  EXPECT_THAT(texts(p),
              ElementsAre("plan.yaml:6: scope.<<: a merge (<<) of a mapping into itself",
                          "plan.yaml:6: scope.<<: a merge (<<) of a mapping into itself",
                          HasSubstr("warning: levels.IV: no criteria"),
                          HasSubstr("warning: levels.IV: no tasks"),
                          "plan.yaml:9: levels.<<: a merge (<<) of a mapping into itself"));
  // A wide, deep chain of merges is stopped by the work limit.
  std::string text = "a0: &a0 {x: 1, y: 2}\n";
  for (int i = 1; i <= 12; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " {<<: [" + prev + ", " + prev +
            ", " + prev + ", " + prev + "], z: 3}\n";
  }
  text += "levels: {<<: *a12}\n";
  EXPECT_THAT(texts(parse_text(text)),
              ::testing::Contains(::testing::AnyOf(HasSubstr("too large to check"),
                                                   HasSubstr("nested too deeply"))));
}

TEST(ParseHostileTest, SecondDocumentAndNulBytes) {
  EXPECT_THAT(
      texts(parse_text(std::string(kHead) + "levels: {IV: {lead: fire}}\n---\nkey: q\n")),
      ::testing::Contains("plan.yaml:6: a second YAML document; a plan file holds one plan"));
  EXPECT_FALSE(parse_text(std::string("key: a\0b\n", 9) + kHead).ok());
}

// yaml-cpp 0.7's LoadAll yields empty documents forever on a stray flow comma (found by the
// fuzzer: the process grew until it was killed); the documents are now counted with a bound.
TEST(ParseHostileTest, StrayFlowCommaEnds) {
  for (const char* text : {",", ",\n", "  ,", "key: a\n,\n", ",eyA l\xff\xff\xff\x03"}) {
    Parsed p = parse_text(text);
    EXPECT_FALSE(p.ok()) << text;
    EXPECT_GE(p.errors(), 1u) << text;
  }
  EXPECT_THAT(texts(parse_text(",")),
              ::testing::Contains(HasSubstr("the document is empty")));
}

}  // namespace
}  // namespace liandong::plans
