#include "monitoring/limits.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace liandong::monitoring {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const ParameterLimit& gb(std::string_view code) {
  const ParameterLimit* p = gb3838_surface_water().find(code);
  EXPECT_NE(p, nullptr) << code;
  static const ParameterLimit kNone;
  return p ? *p : kNone;
}

std::array<std::optional<double>, 5> classes(double a, double b, double c, double d, double e) {
  return {a, b, c, d, e};
}

TEST(Gb3838, ClassIIIValuesTheIssueNames) {
  EXPECT_EQ(gb("cadmium").classes[2], 0.005);
  EXPECT_EQ(gb("arsenic").classes[2], 0.05);
  EXPECT_EQ(gb("lead").classes[2], 0.05);
  EXPECT_EQ(gb("mercury").classes[2], 0.0001);
  EXPECT_EQ(gb("chromium_vi").classes[2], 0.05);
  EXPECT_EQ(gb("thallium").classes[2], 0.0001);
  EXPECT_TRUE(gb("thallium").source_only);
  EXPECT_FALSE(gb("cadmium").source_only);
}

TEST(Gb3838, WholeRowsFromTable1) {
  EXPECT_EQ(gb("cadmium").classes, classes(0.001, 0.005, 0.005, 0.005, 0.01));
  EXPECT_EQ(gb("ammonia_nitrogen").classes, classes(0.15, 0.5, 1.0, 1.5, 2.0));
  EXPECT_EQ(gb("dissolved_oxygen").classes, classes(7.5, 6, 5, 3, 2));
  EXPECT_EQ(gb("dissolved_oxygen").bound, Bound::kLower);
  EXPECT_EQ(gb("ph").bound, Bound::kRange);
  EXPECT_EQ(gb("ph").range_low, 6.0);
  EXPECT_EQ(gb("ph").classes, classes(9, 9, 9, 9, 9));
  EXPECT_EQ(gb("ph").unit, "");
  EXPECT_EQ(gb("mercury").classes, classes(0.00005, 0.00005, 0.0001, 0.001, 0.001));
  EXPECT_EQ(gb("lead").classes, classes(0.01, 0.01, 0.05, 0.05, 0.1));
  EXPECT_EQ(gb("cod").classes, classes(15, 15, 20, 30, 40));
  EXPECT_EQ(gb("permanganate_index").classes, classes(2, 4, 6, 10, 15));
  EXPECT_EQ(gb("total_phosphorus").classes, classes(0.02, 0.1, 0.2, 0.3, 0.4));
  EXPECT_EQ(gb("fecal_coliform").classes, classes(200, 2000, 10000, 20000, 40000));
  EXPECT_EQ(gb("fecal_coliform").unit, "个/L");
  EXPECT_EQ(gb("cyanide").classes, classes(0.005, 0.05, 0.2, 0.2, 0.2));
  EXPECT_EQ(gb("volatile_phenol").classes, classes(0.002, 0.002, 0.005, 0.01, 0.1));
  EXPECT_EQ(gb("cadmium").name_zh, "镉");
  EXPECT_EQ(gb("cadmium").unit, "mg/L");
  EXPECT_EQ(gb3838_surface_water().standard(), "GB 3838-2002");
}

TEST(Gb3838, HasEveryParameterCode) {
  for (const char* code : {"ph",
                           "dissolved_oxygen",
                           "permanganate_index",
                           "cod",
                           "bod5",
                           "ammonia_nitrogen",
                           "total_phosphorus",
                           "total_nitrogen",
                           "copper",
                           "zinc",
                           "fluoride",
                           "selenium",
                           "arsenic",
                           "mercury",
                           "cadmium",
                           "chromium_vi",
                           "lead",
                           "cyanide",
                           "volatile_phenol",
                           "petroleum",
                           "anionic_surfactant",
                           "sulfide",
                           "fecal_coliform",
                           "thallium"})
    EXPECT_NE(gb3838_surface_water().find(code), nullptr) << code;
  EXPECT_EQ(gb3838_surface_water().all().size(), 24u);
  EXPECT_EQ(gb3838_surface_water().find("unobtainium"), nullptr);
}

TEST(Evaluate, UpperLimitMultipleByHand) {
  // Cadmium 0.012 against class III (0.005): (0.012 - 0.005) / 0.005 = 1.4; above V's 0.01: 劣V.
  auto e = evaluate(gb("cadmium"), 3, 0.012);
  ASSERT_TRUE(e.is_ok()) << e.status().to_string();
  EXPECT_TRUE(e->exceeds);
  EXPECT_EQ(e->standard, 0.005);
  EXPECT_NEAR(e->multiple, 1.4, 1e-12);
  EXPECT_EQ(e->achieved_class, 6);
  // 0.008: (0.008 - 0.005) / 0.005 = 0.6; meets V (0.01).
  e = evaluate(gb("cadmium"), 3, 0.008);
  EXPECT_NEAR(e->multiple, 0.6, 1e-12);
  EXPECT_EQ(e->achieved_class, 5);
  // Ammonia 1.2 against II (0.5): 1.4; meets IV (1.5).
  e = evaluate(gb("ammonia_nitrogen"), 2, 1.2);
  EXPECT_NEAR(e->multiple, 1.4, 1e-12);
  EXPECT_EQ(e->achieved_class, 4);
}

TEST(Evaluate, AtTheLimitDoesNotExceed) {
  auto e = evaluate(gb("mercury"), 3, 0.0001);
  ASSERT_TRUE(e.is_ok());
  EXPECT_FALSE(e->exceeds);
  EXPECT_EQ(e->multiple, 0);
  EXPECT_EQ(e->achieved_class, 3);
  e = evaluate(gb("cadmium"), 3, 0.0005);
  EXPECT_EQ(e->achieved_class, 1);
  EXPECT_EQ(e->multiple, 0);
}

TEST(Evaluate, DissolvedOxygenIsALowerLimit) {
  // DO 3.5 against III (>= 5): (5 - 3.5) / 5 = 0.3; meets IV (>= 3).
  auto e = evaluate(gb("dissolved_oxygen"), 3, 3.5);
  ASSERT_TRUE(e.is_ok());
  EXPECT_TRUE(e->exceeds);
  EXPECT_NEAR(e->multiple, 0.3, 1e-12);
  EXPECT_EQ(e->achieved_class, 4);
  e = evaluate(gb("dissolved_oxygen"), 3, 8);
  EXPECT_FALSE(e->exceeds);
  EXPECT_EQ(e->achieved_class, 1);
  e = evaluate(gb("dissolved_oxygen"), 3, 1);  // below V's 2
  EXPECT_EQ(e->achieved_class, 6);
  EXPECT_NEAR(e->multiple, 0.8, 1e-12);
}

TEST(Evaluate, PhIsARange) {
  // 9.5: above 9 by 0.5 → 0.5 / 9; 5.4: below 6 by 0.6 → 0.6 / 6 = 0.1.
  auto e = evaluate(gb("ph"), 3, 9.5);
  ASSERT_TRUE(e.is_ok());
  EXPECT_TRUE(e->exceeds);
  EXPECT_EQ(e->standard, 9);
  EXPECT_NEAR(e->multiple, 0.5 / 9, 1e-12);
  EXPECT_EQ(e->achieved_class, 6);
  e = evaluate(gb("ph"), 3, 5.4);
  EXPECT_TRUE(e->exceeds);
  EXPECT_EQ(e->standard, 6);
  EXPECT_NEAR(e->multiple, 0.1, 1e-12);
  e = evaluate(gb("ph"), 3, 7.2);
  EXPECT_FALSE(e->exceeds);
  EXPECT_EQ(e->achieved_class, 1);
}

TEST(Evaluate, HostileInputIsRefused) {
  EXPECT_FALSE(evaluate(gb("cadmium"), 0, 0.001).is_ok());
  EXPECT_FALSE(evaluate(gb("cadmium"), 6, 0.001).is_ok());
  auto e = evaluate(gb("cadmium"), 3, std::nan(""));
  ASSERT_FALSE(e.is_ok());
  EXPECT_EQ(e.status().field(), "value");
  EXPECT_FALSE(evaluate(gb("cadmium"), 3, std::numeric_limits<double>::infinity()).is_ok());
  EXPECT_FALSE(evaluate(gb("cadmium"), 3, -std::numeric_limits<double>::infinity()).is_ok());
  // 1e308 / 0.0001 overflows the multiple.
  e = evaluate(gb("thallium"), 3, 1e308);
  ASSERT_FALSE(e.is_ok());
  EXPECT_THAT(e.status().message(), HasSubstr("too large"));
  ParameterLimit partial = gb("cadmium");
  partial.classes[0].reset();
  e = evaluate(partial, 1, 0.001);
  ASSERT_FALSE(e.is_ok());
  EXPECT_THAT(e.status().message(), HasSubstr("no class I limit"));
  // A class not defined is skipped when finding the class achieved.
  EXPECT_EQ(evaluate(partial, 3, 0.0005)->achieved_class, 2);
}

TEST(ExceedanceMultiple, Formula) {
  EXPECT_NEAR(exceedance_multiple(0.012, 0.005), 1.4, 1e-12);
  EXPECT_NEAR(exceedance_multiple(0.004, 0.005), -0.2, 1e-12);
  EXPECT_TRUE(std::isnan(exceedance_multiple(1, 0)));
  EXPECT_TRUE(std::isnan(exceedance_multiple(1, -1)));
  EXPECT_TRUE(std::isnan(exceedance_multiple(std::nan(""), 1)));
  EXPECT_TRUE(std::isnan(exceedance_multiple(1, std::numeric_limits<double>::infinity())));
}

// Parsing: each error names the file, the line and what is wrong.
std::string parse_error(const std::string& text) {
  auto t = LimitTable::parse_yaml(text, "t.yaml");
  EXPECT_FALSE(t.is_ok()) << text;
  return t.is_ok() ? "" : t.status().message();
}

constexpr const char* kHead =
    "standard: test\n"     // 1
    "parameters:\n"        // 2
    "  cadmium:\n"         // 3
    "    name_zh: 镉\n"    // 4
    "    unit: mg/L\n"     // 5
    "    bound: upper\n";  // 6

TEST(LimitTableParse, GoodMinimalTable) {
  auto t = LimitTable::parse_yaml(std::string(kHead) + "    classes: [0.001, ~, 0.005, ~, 0.01]\n",
                                  "t.yaml");
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  const ParameterLimit* p = t->find("cadmium");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->classes,
            (std::array<std::optional<double>, 5>{0.001, std::nullopt, 0.005, std::nullopt, 0.01}));
  EXPECT_EQ(t->standard(), "test");
}

TEST(LimitTableParse, ErrorsNameTheLine) {
  EXPECT_THAT(parse_error(std::string(kHead) + "    classes: [0.001, 0.005, 0.004, 0.005, 0.01]\n"),
              StartsWith("t.yaml:7: cadmium.classes: class III limit 0.004 is below class II's "
                         "0.005"));
  EXPECT_THAT(
      parse_error(std::string(kHead) + "    classes: [0.001, -0.005, 0.005, 0.005, 0.01]\n"),
      StartsWith("t.yaml:7: cadmium.classes class II: -0.005 is not above 0"));
  EXPECT_THAT(parse_error(std::string(kHead) + "    classes: [.nan, 0.005, 0.005, 0.005, 0.01]\n"),
              StartsWith("t.yaml:7: cadmium.classes class I: '.nan' is not a number"));
  EXPECT_THAT(parse_error(std::string(kHead) + "    classes: [nan, 0.005, 0.005, 0.005, 0.01]\n"),
              HasSubstr("'nan' is not a number"));
  EXPECT_THAT(parse_error(std::string(kHead) + "    classes: [1e999, 0.005, 0.005, 0.005, 0.01]\n"),
              HasSubstr("'1e999' is not a number"));
  EXPECT_THAT(parse_error(std::string(kHead) + "    classes: [0.001, 0.005]\n"),
              StartsWith("t.yaml:7: cadmium.classes must be a list of five limits"));
  EXPECT_THAT(parse_error(std::string(kHead) + "    classes: [~, ~, ~, ~, ~]\n"),
              StartsWith("t.yaml:7: cadmium.classes has no limit in any class"));
  EXPECT_THAT(parse_error(std::string(kHead) + "    colour: red\n    classes: [1, 1, 1, 1, 1]\n"),
              StartsWith("t.yaml:7: unknown key 'colour' in parameter cadmium"));
  EXPECT_THAT(parse_error(std::string(kHead) + "    bound: lower\n    classes: [1, 1, 1, 1, 1]\n"),
              StartsWith("t.yaml:7: 'bound' appears twice"));
  EXPECT_THAT(
      parse_error(std::string(kHead) +
                  "    classes: [1, 1, 1, 1, 1]\n"
                  "  cadmium:\n    name_zh: 镉\n    bound: upper\n    classes: [1,1,1,1,1]\n"),
      StartsWith("t.yaml:8: 'cadmium' appears twice in parameters"));
  EXPECT_THAT(parse_error("parameters:\n  Cadmium:\n    bound: upper\n"),
              StartsWith("t.yaml:2: parameter 'Cadmium' is not a code"));
  EXPECT_THAT(parse_error("parameters:\n  cd:\n    name_zh: 镉\n    bound: sideways\n"),
              StartsWith("t.yaml:4: cd.bound: 'sideways' is not a bound"));
  EXPECT_THAT(parse_error("parameters:\n  cd:\n    name_zh: 镉\n    classes: [1, 1, 1, 1, 1]\n"),
              HasSubstr("cd: bound is missing"));
  EXPECT_THAT(parse_error("paramters: {}\n"), StartsWith("t.yaml:1: unknown key 'paramters'"));
  EXPECT_THAT(parse_error(""), HasSubstr("must be a mapping"));
  EXPECT_THAT(parse_error("parameters: {}\n"), HasSubstr("no parameters"));
  EXPECT_THAT(parse_error("parameters: [\n"), HasSubstr("not valid YAML"));
}

TEST(LimitTableParse, LowerAndRangeChecks) {
  // A lower limit must not rise from I to V.
  EXPECT_THAT(parse_error("parameters:\n  do:\n    name_zh: 溶解氧\n    bound: lower\n"
                          "    classes: [7.5, 6, 5, 6, 2]\n"),
              StartsWith("t.yaml:5: do.classes: class IV limit 6 is above class III's 5"));
  EXPECT_THAT(parse_error("parameters:\n  ph:\n    name_zh: pH\n    bound: range\n"
                          "    classes: [9, 9, 9, 9, 9]\n"),
              HasSubstr("ph: a range needs range_low"));
  EXPECT_THAT(parse_error("parameters:\n  ph:\n    name_zh: pH\n    bound: range\n"
                          "    range_low: 9\n    classes: [9, 9, 9, 9, 9]\n"),
              StartsWith("t.yaml:5: ph.range_low 9 is not below the high side 9 of class I"));
  EXPECT_THAT(parse_error("parameters:\n  cd:\n    name_zh: 镉\n    bound: upper\n"
                          "    range_low: 1\n    classes: [9, 9, 9, 9, 9]\n"),
              StartsWith("t.yaml:5: cd.range_low is only for bound: range"));
  EXPECT_THAT(parse_error("parameters:\n  cd:\n    name_zh: 镉\n    bound: upper\n"
                          "    source_only: maybe\n    classes: [9, 9, 9, 9, 9]\n"),
              StartsWith("t.yaml:5: cd.source_only: 'maybe' is not true or false"));
}

TEST(LimitTableParse, BuiltInTextRoundTrips) {
  auto t = LimitTable::parse_yaml(gb3838_surface_water_yaml(), "gb3838_2002.yaml");
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_EQ(t->all().size(), gb3838_surface_water().all().size());
}

}  // namespace
}  // namespace liandong::monitoring
