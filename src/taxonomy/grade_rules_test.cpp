#include "taxonomy/grade_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "taxonomy/families.h"

namespace liandong::taxonomy {
namespace {

using core::Grade;
using ::testing::HasSubstr;
using ::testing::StartsWith;

struct Case {
  const char* name;
  Figures figures;
  Grade grade;
  const char* criterion;
};

void expect_cases(std::string_view family, std::initializer_list<Case> cases) {
  GradeRules rules = GradeRules::defaults();
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(family) + ": " + c.name);
    GradeProposal p = rules.propose(family, c.figures);
    EXPECT_EQ(p.grade, c.grade);
    EXPECT_EQ(p.criterion, c.criterion);
    EXPECT_EQ(p.family, family);
  }
}

TEST(GradeRules, ProductionSafetyBoundaries) {
  expect_cases(kProductionSafety,
               {
                   {"nothing", {}, Grade::kIV, "below grade III"},
                   {"just below III",
                    {.deaths = 2, .serious_injuries = 9, .direct_loss_yuan = 9'999'999},
                    Grade::kIV,
                    "below grade III"},
                   {"exactly 3 deaths", {.deaths = 3}, Grade::kIII, "deaths >= 3"},
                   {"9 deaths", {.deaths = 9}, Grade::kIII, "deaths >= 3"},
                   {"10 deaths", {.deaths = 10}, Grade::kII, "deaths >= 10"},
                   {"29 deaths", {.deaths = 29}, Grade::kII, "deaths >= 10"},
                   {"30 deaths", {.deaths = 30}, Grade::kI, "deaths >= 30"},
                   {"10 serious", {.serious_injuries = 10}, Grade::kIII, "serious_injuries >= 10"},
                   {"49 serious", {.serious_injuries = 49}, Grade::kIII, "serious_injuries >= 10"},
                   {"50 serious", {.serious_injuries = 50}, Grade::kII, "serious_injuries >= 50"},
                   {"99 serious", {.serious_injuries = 99}, Grade::kII, "serious_injuries >= 50"},
                   {"100 serious", {.serious_injuries = 100}, Grade::kI, "serious_injuries >= 100"},
                   {"10 million",
                    {.direct_loss_yuan = 10'000'000},
                    Grade::kIII,
                    "direct_loss_yuan >= 10000000"},
                   {"50 million - 1",
                    {.direct_loss_yuan = 49'999'999},
                    Grade::kIII,
                    "direct_loss_yuan >= 10000000"},
                   {"50 million",
                    {.direct_loss_yuan = 50'000'000},
                    Grade::kII,
                    "direct_loss_yuan >= 50000000"},
                   {"100 million - 1",
                    {.direct_loss_yuan = 99'999'999},
                    Grade::kII,
                    "direct_loss_yuan >= 50000000"},
                   {"100 million",
                    {.direct_loss_yuan = 100'000'000},
                    Grade::kI,
                    "direct_loss_yuan >= 100000000"},
                   {"graver figure wins",
                    {.deaths = 3, .serious_injuries = 100},
                    Grade::kI,
                    "serious_injuries >= 100"},
                   {"first criterion in order",
                    {.deaths = 30, .serious_injuries = 100},
                    Grade::kI,
                    "deaths >= 30"},
                   {"ungraded figures ignored",
                    {.injuries = 100000, .missing = 1000, .affected = 1000000},
                    Grade::kIV,
                    "below grade III"},
               });
}

TEST(GradeRules, EnvironmentalBoundaries) {
  expect_cases(
      kEnvironmental,
      {
          {"nothing", {}, Grade::kIV, "below grade III"},
          {"just below III",
           {.serious_injuries = 9, .evacuated = 4999, .direct_loss_yuan = 4'999'999},
           Grade::kIV,
           "below grade III"},
          {"1 death", {.deaths = 1}, Grade::kIII, "deaths >= 1"},
          {"2 deaths", {.deaths = 2}, Grade::kIII, "deaths >= 1"},
          {"3 deaths", {.deaths = 3}, Grade::kII, "deaths >= 3"},
          {"9 deaths", {.deaths = 9}, Grade::kII, "deaths >= 3"},
          {"10 deaths", {.deaths = 10}, Grade::kI, "deaths >= 10"},
          {"10 poisoned", {.serious_injuries = 10}, Grade::kIII, "serious_injuries >= 10"},
          {"50 poisoned", {.serious_injuries = 50}, Grade::kII, "serious_injuries >= 50"},
          {"100 poisoned", {.serious_injuries = 100}, Grade::kI, "serious_injuries >= 100"},
          {"5000 evacuated", {.evacuated = 5000}, Grade::kIII, "evacuated >= 5000"},
          {"9999 evacuated", {.evacuated = 9999}, Grade::kIII, "evacuated >= 5000"},
          {"10000 evacuated", {.evacuated = 10000}, Grade::kII, "evacuated >= 10000"},
          {"49999 evacuated", {.evacuated = 49999}, Grade::kII, "evacuated >= 10000"},
          {"50000 evacuated", {.evacuated = 50000}, Grade::kI, "evacuated >= 50000"},
          {"5 million",
           {.direct_loss_yuan = 5'000'000},
           Grade::kIII,
           "direct_loss_yuan >= 5000000"},
          {"20 million",
           {.direct_loss_yuan = 20'000'000},
           Grade::kII,
           "direct_loss_yuan >= 20000000"},
          {"100 million",
           {.direct_loss_yuan = 100'000'000},
           Grade::kI,
           "direct_loss_yuan >= 100000000"},
      });
}

TEST(GradeRules, NaturalDisasterBoundaries) {
  expect_cases(
      kNaturalDisaster,
      {
          {"nothing", {}, Grade::kIV, "below grade III"},
          {"just below III",
           {.deaths = 49, .missing = 49, .evacuated = 299'999},
           Grade::kIV,
           "below grade III"},
          {"50 deaths", {.deaths = 50}, Grade::kIII, "deaths >= 50"},
          {"50 missing", {.missing = 50}, Grade::kIII, "missing >= 50"},
          {"100 deaths", {.deaths = 100}, Grade::kII, "deaths >= 100"},
          {"199 deaths", {.deaths = 199}, Grade::kII, "deaths >= 100"},
          {"200 deaths", {.deaths = 200}, Grade::kI, "deaths >= 200"},
          {"200 missing", {.missing = 200}, Grade::kI, "missing >= 200"},
          // Deaths and missing are separate criteria, not summed (see default_rules.yaml).
          {"150 dead 60 missing", {.deaths = 150, .missing = 60}, Grade::kII, "deaths >= 100"},
          {"300k evacuated", {.evacuated = 300'000}, Grade::kIII, "evacuated >= 300000"},
          {"800k evacuated", {.evacuated = 800'000}, Grade::kII, "evacuated >= 800000"},
          {"1m - 1 evacuated", {.evacuated = 999'999}, Grade::kII, "evacuated >= 800000"},
          {"1m evacuated", {.evacuated = 1'000'000}, Grade::kI, "evacuated >= 1000000"},
          {"loss alone", {.direct_loss_yuan = 10'000'000'000}, Grade::kIV, "below grade III"},
      });
}

TEST(GradeRules, PublicHealthBoundaries) {
  expect_cases(kPublicHealth, {
                                  {"nothing", {}, Grade::kIV, "below grade III"},
                                  {"99 cases", {.affected = 99}, Grade::kIV, "below grade III"},
                                  {"100 cases", {.affected = 100}, Grade::kIII, "affected >= 100"},
                                  {"1 death", {.deaths = 1}, Grade::kIII, "deaths >= 1"},
                                  {"9 deaths", {.deaths = 9}, Grade::kIII, "deaths >= 1"},
                                  {"10 deaths", {.deaths = 10}, Grade::kII, "deaths >= 10"},
                                  {"500 cases", {.affected = 500}, Grade::kII, "affected >= 500"},
                                  {"999 cases", {.affected = 999}, Grade::kII, "affected >= 500"},
                                  {"1000 cases", {.affected = 1000}, Grade::kI, "affected >= 1000"},
                                  {"49 deaths", {.deaths = 49}, Grade::kII, "deaths >= 10"},
                                  {"50 deaths", {.deaths = 50}, Grade::kI, "deaths >= 50"},
                              });
}

TEST(GradeRules, SocialSafetyBoundaries) {
  expect_cases(kSocialSafety,
               {
                   {"nothing", {}, Grade::kIV, "below grade III"},
                   {"9 serious", {.serious_injuries = 9}, Grade::kIV, "below grade III"},
                   {"1 death", {.deaths = 1}, Grade::kIII, "deaths >= 1"},
                   {"10 serious", {.serious_injuries = 10}, Grade::kIII, "serious_injuries >= 10"},
                   {"2 deaths", {.deaths = 2}, Grade::kIII, "deaths >= 1"},
                   {"3 deaths", {.deaths = 3}, Grade::kII, "deaths >= 3"},
                   {"30 serious", {.serious_injuries = 30}, Grade::kII, "serious_injuries >= 30"},
                   {"9 deaths", {.deaths = 9}, Grade::kII, "deaths >= 3"},
                   {"10 deaths", {.deaths = 10}, Grade::kI, "deaths >= 10"},
                   {"50 serious", {.serious_injuries = 50}, Grade::kI, "serious_injuries >= 50"},
               });
}

TEST(GradeRules, UnknownFamilyProposesIvWithNoRule) {
  GradeProposal p = GradeRules::defaults().propose("piracy", {.deaths = 1000});
  EXPECT_EQ(p.grade, Grade::kIV);
  EXPECT_EQ(p.family, "piracy");
  EXPECT_EQ(p.criterion, "no rule applies");
  EXPECT_THAT(p.reason_en, HasSubstr("piracy"));
  EXPECT_THAT(p.reason_zh, HasSubstr("人工确认"));
}

TEST(GradeRules, ReasonsNameFigureAndCriterion) {
  GradeRules rules = GradeRules::defaults();
  GradeProposal p = rules.propose(kProductionSafety, {.deaths = 35});
  EXPECT_EQ(p.reason_en,
            "deaths 35 meets the grade I (特别重大) criterion of production_safety: deaths >= 30");
  EXPECT_EQ(p.reason_zh, "死亡 35 人，达到生产安全事故特别重大（I 级）标准：死亡 30 人以上");
  p = rules.propose(kProductionSafety, {.direct_loss_yuan = 120'000'000});
  EXPECT_EQ(
      p.reason_zh,
      "直接经济损失 12000 万元，达到生产安全事故特别重大（I 级）标准：直接经济损失 1 亿元以上");
  p = rules.propose(kEnvironmental, {});
  EXPECT_THAT(p.reason_en, HasSubstr("no grade I-III criterion of environmental"));
  EXPECT_EQ(p.reason_zh, "未达到突发环境事件较大（III 级）及以上标准，建议为一般（IV 级）");
}

TEST(GradeRules, DefaultsCarrySources) {
  GradeRules rules = GradeRules::defaults();
  ASSERT_EQ(rules.families().size(), rule_families().size());
  for (std::string_view family : rule_families()) {
    SCOPED_TRACE(family);
    const FamilyRules* f = rules.find(family);
    ASSERT_NE(f, nullptr);
    EXPECT_FALSE(f->source.empty());
    for (const auto& grade : f->grades) EXPECT_FALSE(grade.empty());
  }
  EXPECT_THAT(rules.find(kProductionSafety)->source, HasSubstr("生产安全事故报告和调查处理条例"));
  EXPECT_THAT(rules.find(kProductionSafety)->grades[0][0].origin,
              StartsWith("default_rules.yaml:"));
  EXPECT_THAT(std::string(GradeRules::default_yaml()), HasSubstr("国家突发环境事件应急预案"));
}

TEST(GradeRules, ToYamlRoundTrips) {
  GradeRules rules = GradeRules::defaults();
  std::string text = rules.to_yaml();
  auto again = GradeRules::load_yaml(text, "round.yaml");
  ASSERT_TRUE(again) << again.status().to_string() << "\n" << text;
  ASSERT_EQ(again->families().size(), rules.families().size());
  for (size_t i = 0; i < rules.families().size(); ++i) {
    const FamilyRules& a = rules.families()[i];
    const FamilyRules& b = again->families()[i];
    EXPECT_EQ(a.family, b.family);
    EXPECT_EQ(a.source, b.source);
    for (size_t g = 0; g < 3; ++g) {
      ASSERT_EQ(a.grades[g].size(), b.grades[g].size());
      for (size_t k = 0; k < a.grades[g].size(); ++k)
        EXPECT_EQ(a.grades[g][k].text(), b.grades[g][k].text());
    }
  }
}

TEST(GradeRules, StandaloneFileOmitsFamilies) {
  auto rules = GradeRules::load_yaml(
      "families:\n  social_safety:\n    grades:\n      I: {deaths: 5}\n      II:\n", "s.yaml");
  ASSERT_TRUE(rules) << rules.status().to_string();
  EXPECT_EQ(rules->propose(kSocialSafety, {.deaths = 5}).grade, Grade::kI);
  EXPECT_EQ(rules->propose(kSocialSafety, {.deaths = 4}).criterion, "below grade III");
  EXPECT_EQ(rules->propose(kProductionSafety, {.deaths = 100}).criterion, "no rule applies");
}

TEST(GradeRules, ExtensionTightensAThreshold) {
  // A county grades chemical accidents more strictly: II from 5 deaths, III from 1.
  constexpr std::string_view kExtension = R"(
families:
  production_safety:
    source: 某县补充规定
    grades:
      II:
        deaths: 5
        serious_injuries: 50
      III:
        deaths: 1
)";
  auto rules = GradeRules::load_yaml(kExtension, "county_rules.yaml", GradeRules::defaults());
  ASSERT_TRUE(rules) << rules.status().to_string();
  EXPECT_EQ(rules->propose(kProductionSafety, {.deaths = 5}).grade, Grade::kII);
  EXPECT_EQ(rules->propose(kProductionSafety, {.deaths = 1}).criterion, "deaths >= 1");
  EXPECT_EQ(rules->propose(kProductionSafety, {.deaths = 30}).grade, Grade::kI);  // I kept
  // II's loss criterion was replaced with the grade; III's too.
  EXPECT_EQ(rules->propose(kProductionSafety, {.direct_loss_yuan = 60'000'000}).grade, Grade::kIV);
  EXPECT_EQ(rules->find(kProductionSafety)->source, "某县补充规定");
  EXPECT_THAT(rules->find(kProductionSafety)->grades[1][0].origin,
              StartsWith("county_rules.yaml:"));
  // Other families unchanged; the base is a value.
  EXPECT_EQ(rules->propose(kEnvironmental, {.deaths = 1}).grade, Grade::kIII);
  EXPECT_EQ(GradeRules::defaults().propose(kProductionSafety, {.deaths = 5}).grade, Grade::kIII);
}

TEST(GradeRules, ExtensionBreakingOrderNamesTheExtensionLine) {
  // II at 40 deaths would sit above the default I at 30.
  auto rules = GradeRules::load_yaml(
      "families:\n  production_safety:\n    grades:\n"
      "      II:\n        deaths: 40\n",
      "county_rules.yaml", GradeRules::defaults());
  ASSERT_FALSE(rules);
  EXPECT_THAT(rules.status().message(), StartsWith("county_rules.yaml:5: "));
  EXPECT_THAT(rules.status().message(), HasSubstr("'deaths >= 40' of grade II is not below"));
  EXPECT_THAT(rules.status().message(), HasSubstr("default_rules.yaml:"));
}

struct ErrorCase {
  const char* name;
  const char* yaml;
  int line;
  const char* message;
};

class GradeRuleErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(GradeRuleErrors, NameTheSourceLineAndProblem) {
  const ErrorCase& c = GetParam();
  auto rules = GradeRules::load_yaml(c.yaml, "rules.yaml");
  ASSERT_FALSE(rules);
  EXPECT_EQ(rules.status().code(), core::Code::kInvalidArgument);
  EXPECT_THAT(rules.status().message(), StartsWith("rules.yaml:" + std::to_string(c.line) + ": "));
  EXPECT_THAT(rules.status().message(), HasSubstr(c.message));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, GradeRuleErrors,
    ::testing::Values(
        ErrorCase{"NegativeThreshold",
                  "families:\n  production_safety:\n    grades:\n      I:\n        deaths: -3\n", 5,
                  "criterion 'deaths >= -3': threshold must be 0 or more"},
        ErrorCase{"UnknownFigure",
                  "families:\n  production_safety:\n    grades:\n      I:\n        deths: 30\n", 5,
                  "unknown figure 'deths'"},
        ErrorCase{"UnknownGrade",
                  "families:\n  production_safety:\n    grades:\n      V:\n        deaths: 1\n", 4,
                  "unknown grade 'V'"},
        ErrorCase{"GradeIvHasNoCriteria",
                  "families:\n  production_safety:\n    grades:\n      IV:\n        deaths: 1\n", 4,
                  "grade IV takes no criteria"},
        ErrorCase{"UnknownFamily", "families:\n  piracy:\n    grades:\n      I: {deaths: 1}\n", 2,
                  "unknown family 'piracy'"},
        ErrorCase{"NotMonotone",
                  "families:\n  social_safety:\n    grades:\n      I:\n        deaths: 2\n"
                  "      II:\n        deaths: 3\n",
                  5,
                  "'deaths >= 2' of grade I is not above grade II's 'deaths >= 3' (rules.yaml:7)"},
        ErrorCase{"EqualThresholds",
                  "families:\n  social_safety:\n    grades:\n      I: {deaths: 3}\n"
                  "      III: {deaths: 3}\n",
                  4, "is not above grade III's"},
        ErrorCase{"NotANumber",
                  "families:\n  social_safety:\n    grades:\n      I: {deaths: many}\n", 4,
                  "'many' is not a whole number"},
        ErrorCase{"Fraction", "families:\n  social_safety:\n    grades:\n      I: {deaths: 2.5}\n",
                  4, "'2.5' is not a whole number"},
        ErrorCase{"ListInsteadOfNumber",
                  "families:\n  social_safety:\n    grades:\n      I: {deaths: [1, 2]}\n", 4,
                  "must be a plain value"},
        ErrorCase{"DuplicateFigure",
                  "families:\n  social_safety:\n    grades:\n      I:\n        deaths: 10\n"
                  "        deaths: 20\n",
                  6, "'deaths' appears twice"},
        ErrorCase{"DuplicateFamily",
                  "families:\n  social_safety: {}\n  environmental: {}\n  social_safety: {}\n", 4,
                  "'social_safety' appears twice"},
        ErrorCase{"UnknownFamilyField",
                  "families:\n  social_safety:\n    thresholds:\n      I: {deaths: 1}\n", 3,
                  "unknown field 'thresholds'"},
        ErrorCase{"UnknownTopLevel", "version: 1\nfamilies: {}\n", 1, "unknown field 'version'"},
        ErrorCase{"GradesNotAMap", "families:\n  social_safety:\n    grades: [I, II]\n", 3,
                  "must be a mapping"},
        ErrorCase{"Garbage", "families:\n  social_safety: {grades: [\n", 3, "not valid YAML"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(GradeRules, GarbageIsAnErrorNotAnException) {
  for (std::string_view text :
       {"", "just words", "- a\n- b\n", "{{{{", "families: [1, 2]", "\"unterminated",
        "families:\n  social_safety: &a\n    grades: *a\n", "\xff\xfe\x00garbage"}) {
    SCOPED_TRACE(text);
    auto rules = GradeRules::load_yaml(text, "junk.yaml");
    ASSERT_FALSE(rules);
    EXPECT_EQ(rules.status().code(), core::Code::kInvalidArgument);
    EXPECT_THAT(rules.status().message(), StartsWith("junk.yaml"));
  }
}

TEST(GradeRules, FigureNamesRoundTrip) {
  for (auto f : {Figure::kDeaths, Figure::kSeriousInjuries, Figure::kInjuries, Figure::kMissing,
                 Figure::kAffected, Figure::kEvacuated, Figure::kDirectLossYuan})
    EXPECT_EQ(parse_figure(to_string(f)), f);
  EXPECT_FALSE(parse_figure("wounded").has_value());
  Figures x{.deaths = 1,
            .serious_injuries = 2,
            .injuries = 3,
            .missing = 4,
            .affected = 5,
            .evacuated = 6,
            .direct_loss_yuan = 7};
  EXPECT_EQ(value_of(x, Figure::kEvacuated), 6);
  EXPECT_EQ(value_of(x, Figure::kDirectLossYuan), 7);
}

}  // namespace
}  // namespace liandong::taxonomy
