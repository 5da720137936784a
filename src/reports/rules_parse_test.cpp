#include <gtest/gtest.h>

#include <set>

#include "reports/internal/duration.h"
#include "reports/rules.h"
#include "taxonomy/families.h"

namespace liandong::reports {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

TEST(Duration, ParsesWhatPeopleWrite) {
  EXPECT_EQ(internal::parse_duration("30m"), minutes{30});
  EXPECT_EQ(internal::parse_duration("2h"), hours{2});
  EXPECT_EQ(internal::parse_duration("1h30m"), minutes{90});
  EXPECT_EQ(internal::parse_duration("15d"), hours{15 * 24});
  EXPECT_EQ(internal::parse_duration("1d2h3m"), minutes{24 * 60 + 123});
  for (const char* bad : {"", "h", "2", "2 h", "30m2h", "2h2h", "0m", "367d", "-1h", "1.5h", "2H"}) {
    EXPECT_FALSE(internal::parse_duration(bad).has_value()) << bad;
  }
  EXPECT_EQ(internal::format_duration(minutes{90}), "1h30m");
  EXPECT_EQ(internal::format_duration(hours{48}), "2d");
  EXPECT_EQ(internal::parse_time_of_day("08:00"), 480);
  EXPECT_EQ(internal::parse_time_of_day("23:59"), 1439);
  for (const char* bad : {"8:00", "24:00", "08:60", "0800", "08:00:00"}) {
    EXPECT_FALSE(internal::parse_time_of_day(bad).has_value()) << bad;
  }
}

TEST(DefaultRules, ParseAndCoverEveryFamily) {
  const RuleSet& d = default_rules();
  ASSERT_FALSE(d.rules.empty());
  auto again = parse_rules(default_rules_yaml(), "default_report_rules.yaml", false);
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_EQ(again->rules.size(), d.rules.size());
  std::set<std::string> families_with_initial;
  for (const auto& r : d.rules) {
    EXPECT_FALSE(r.basis.empty()) << r.id;
    EXPECT_FALSE(r.local) << r.id;
    EXPECT_NE(r.where.find("default_report_rules.yaml:"), std::string::npos) << r.id;
    if (r.report_type == "initial" && r.trigger == Trigger::kFirstKnowledge) {
      families_with_initial.insert(r.families.begin(), r.families.end());
    }
  }
  EXPECT_EQ(families_with_initial.size(), taxonomy::rule_families().size());
}

constexpr const char* kSample = R"(rules:
  - id: ps_phone
    families: [production_safety, environmental]
    grades: [III, I]
    from: county
    to: city
    type: initial
    channel: phone
    trigger: first_knowledge
    within: 1h30m
    jurisdiction: "440604"
    basis: 佛山市规定
  - id: incident_daily
    families: all
    from: county
    to: city
    type: progress
    trigger: daily
    at: "07:30"
    while_open: false
    jurisdiction: "440600"
    basis: 佛山市规定
)";

TEST(ParseRules, ReadsEveryField) {
  auto set = parse_rules(kSample, "local.yaml", true);
  ASSERT_TRUE(set.is_ok()) << set.status().to_string();
  ASSERT_EQ(set->rules.size(), 2u);
  const Rule& a = set->rules[0];
  EXPECT_EQ(a.id, "ps_phone");
  EXPECT_EQ(a.families, (std::vector<std::string>{"production_safety", "environmental"}));
  EXPECT_EQ(a.grades, (std::vector<core::Grade>{core::Grade::kI, core::Grade::kIII}));
  EXPECT_EQ(a.from, Tier::kCounty);
  EXPECT_EQ(a.to, Tier::kCity);
  EXPECT_EQ(a.report_type, "initial");
  EXPECT_EQ(a.channel, "phone");
  EXPECT_EQ(a.trigger, Trigger::kFirstKnowledge);
  EXPECT_EQ(a.within, minutes{90});
  EXPECT_EQ(a.daily_minute, -1);
  EXPECT_EQ(a.jurisdiction, "440604");
  EXPECT_TRUE(a.local);
  EXPECT_EQ(a.basis, "佛山市规定");
  EXPECT_EQ(a.where, "local.yaml:2");
  const Rule& b = set->rules[1];
  EXPECT_EQ(b.families.size(), 5u);
  EXPECT_TRUE(b.grades.empty());
  EXPECT_EQ(b.channel, "written");
  EXPECT_EQ(b.trigger, Trigger::kDaily);
  EXPECT_EQ(b.daily_minute, 450);
  EXPECT_EQ(b.within, core::Millis{0});
  EXPECT_FALSE(b.while_open);
  EXPECT_EQ(b.where, "local.yaml:13");
}

// The rule text is placed at line 3 of the file; `line` is the line the error must name.
void expect_error(const std::string& rule, int line, const std::string& words, bool local = false) {
  std::string text = "# test\nrules:\n" + rule;
  auto set = parse_rules(text, "r.yaml", local);
  ASSERT_FALSE(set.is_ok()) << rule;
  EXPECT_EQ(set.status().code(), core::Code::kInvalidArgument);
  const std::string& msg = set.status().message();
  EXPECT_EQ(msg.rfind("r.yaml:" + std::to_string(line) + ": ", 0), 0u) << msg;
  EXPECT_NE(msg.find(words), std::string::npos) << msg;
}

const std::string kGood =
    "  - id: x\n"              // line 3
    "    families: [production_safety]\n"
    "    from: county\n"       // 5
    "    to: city\n"
    "    type: initial\n"      // 7
    "    trigger: first_knowledge\n"
    "    within: 2h\n"         // 9
    "    basis: b\n";

std::string with(const std::string& from, const std::string& to) {
  std::string s = kGood;
  auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return s.replace(pos, from.size(), to);
}

TEST(ParseRules, ErrorsNameTheLine) {
  ASSERT_TRUE(parse_rules("rules:\n" + kGood, "r.yaml", false).is_ok());
  expect_error(with("    within: 2h\n", "    within: 2 hours\n"), 9, "is not a duration");
  expect_error(with("    within: 2h\n", "    withn: 2h\n"), 9, "unknown key 'withn'");
  expect_error(with("    within: 2h\n", ""), 3, "needs within");
  expect_error(with("[production_safety]", "[production_safty]"), 4, "unknown rule family");
  expect_error(with("[production_safety]", "[]"), 4, "at least one family");
  expect_error(with("    to: city\n", "    to: county\n"), 3, "must be above 'from'");
  expect_error(with("    to: city\n", "    to: town\n"), 6, "is not a tier");
  expect_error(with("type: initial", "type: weekly"), 7, "unknown report type");
  expect_error(with("trigger: first_knowledge", "trigger: hourly"), 8, "unknown trigger");
  expect_error(with("    basis: b\n", ""), 3, "lacks 'basis'");
  expect_error(with("    basis: b\n", "    basis: b\n    channel: fax\n"), 11, "written or phone");
  expect_error(with("    basis: b\n", "    basis: b\n    grades: [II, V]\n"), 11, "unknown grade 'V'");
  expect_error(with("    basis: b\n", "    basis: b\n    at: \"08:00\"\n"), 11, "for daily rules only");
  expect_error(with("    basis: b\n", "    basis: b\n    from: city\n"), 11, "appears twice");
  expect_error(with("trigger: first_knowledge", "trigger: daily"), 3, "needs at:");
  expect_error(kGood + kGood, 11, "rule id 'x' appears twice");
  expect_error(kGood, 3, "must name its jurisdiction", /*local=*/true);
  expect_error(with("    basis: b\n", "    basis: b\n    jurisdiction: \"4406\"\n"), 11,
               "six-digit");
  expect_error(
      "  - id: d\n    office: true\n    families: [production_safety]\n    from: county\n"
      "    to: city\n    type: daily\n    trigger: daily\n    at: \"08:00\"\n    basis: b\n",
      5, "office rule has no families");
  expect_error("  - id: [x]\n", 3, "must be a plain value");
  expect_error("  - id: Bad-Id\n", 3, "must be a code");
}

TEST(ParseRules, FileShapeErrors) {
  auto unknown = parse_rules("rules: []\nextra: 1\n", "r.yaml", false);
  ASSERT_FALSE(unknown.is_ok());
  EXPECT_EQ(unknown.status().message().rfind("r.yaml:2: unknown key 'extra'", 0), 0u)
      << unknown.status().message();
  auto syntax = parse_rules("rules:\n  - id: [x\n", "r.yaml", false);
  ASSERT_FALSE(syntax.is_ok());
  EXPECT_NE(syntax.status().message().find("not valid YAML"), std::string::npos);
  EXPECT_EQ(syntax.status().message().rfind("r.yaml:", 0), 0u);
  EXPECT_FALSE(parse_rules("", "r.yaml", false).is_ok());
  EXPECT_FALSE(parse_rules("rules: 3\n", "r.yaml", false).is_ok());
  EXPECT_FALSE(parse_rules("other: []\n", "r.yaml", false).is_ok());
  auto empty = parse_rules("rules: []\n", "r.yaml", true);
  ASSERT_TRUE(empty.is_ok());
  EXPECT_TRUE(empty->rules.empty());
}

}  // namespace
}  // namespace liandong::reports
