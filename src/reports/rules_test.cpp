#include "reports/rules.h"

#include <gtest/gtest.h>

namespace liandong::reports {
namespace {

using core::Grade;
using std::chrono::hours;
using std::chrono::minutes;

constexpr const char* kZone = "Asia/Shanghai";
// Foshan: province 440000, city 440600, counties 440604 (禅城) and 440605 (南海).
constexpr const char* kCounty = "440604";
constexpr const char* kCity = "440600";
constexpr const char* kProvince = "440000";

core::Timestamp at(const char* text) { return core::parse_rfc3339(text).value(); }
const core::Timestamp kT0 = at("2026-12-02T09:17:00+08:00");

Situation incident(const char* family, std::optional<Grade> grade, std::string where = kCounty) {
  return {family, grade, std::move(where), true};
}

std::vector<Due> owed(Trigger trigger, const Situation& s, Tier from, const char* office,
                      const RuleSet& rules = default_rules(), core::Timestamp t = kT0) {
  return obligations_for(rules, trigger, s, from, office, t, kZone);
}

void expect_one(const std::vector<Due>& dues, const std::string& type, Tier to, const std::string& to_code,
                core::Millis within, const std::string& rule_id = "") {
  ASSERT_EQ(dues.size(), 1u);
  const Due& d = dues[0];
  EXPECT_EQ(d.report_type, type);
  EXPECT_EQ(d.channel, "written");
  EXPECT_EQ(d.to, to);
  EXPECT_EQ(d.to_jurisdiction, to_code);
  EXPECT_EQ(d.within, within);
  EXPECT_EQ(d.due_at, kT0 + within);
  EXPECT_FALSE(d.basis.empty());
  if (!rule_id.empty()) {
    EXPECT_EQ(d.rule_id, rule_id);
  }
}

TEST(DefaultObligations, ProductionSafety) {
  auto unit = owed(Trigger::kFirstKnowledge, incident("production_safety", std::nullopt), Tier::kUnit, kCounty);
  expect_one(unit, "initial", Tier::kCounty, kCounty, hours{1}, "ps_unit_county");
  EXPECT_NE(unit[0].basis.find("第九条"), std::string::npos);
  EXPECT_EQ(unit[0].from, Tier::kUnit);
  EXPECT_EQ(unit[0].from_jurisdiction, kCounty);
  // Any grade, and not graded yet, goes from the county to the city within 2 hours.
  for (std::optional<Grade> g : {std::optional<Grade>{}, std::optional<Grade>{Grade::kIV}, std::optional<Grade>{Grade::kI}}) {
    expect_one(owed(Trigger::kFirstKnowledge, incident("production_safety", g), Tier::kCounty, kCounty),
               "initial", Tier::kCity, kCity, hours{2}, "ps_county_city");
  }
  // I–III to the province, I–II to the nation.
  expect_one(owed(Trigger::kFirstKnowledge, incident("production_safety", Grade::kIII), Tier::kCity, kCity),
             "initial", Tier::kProvince, kProvince, hours{2}, "ps_city_province");
  EXPECT_TRUE(owed(Trigger::kFirstKnowledge, incident("production_safety", Grade::kIV), Tier::kCity, kCity).empty());
  EXPECT_TRUE(owed(Trigger::kFirstKnowledge, incident("production_safety", std::nullopt), Tier::kCity, kCity).empty());
  expect_one(owed(Trigger::kFirstKnowledge, incident("production_safety", Grade::kII), Tier::kProvince, kProvince),
             "initial", Tier::kNational, "000000", hours{2}, "ps_province_national");
  EXPECT_TRUE(owed(Trigger::kFirstKnowledge, incident("production_safety", Grade::kIII), Tier::kProvince, kProvince).empty());
  // A grade confirmed later reaches the tiers the first knowledge could not.
  expect_one(owed(Trigger::kGradeConfirmed, incident("production_safety", Grade::kIII), Tier::kCity, kCity),
             "initial", Tier::kProvince, kProvince, hours{2}, "ps_city_province_confirmed");
  EXPECT_TRUE(owed(Trigger::kGradeConfirmed, incident("production_safety", Grade::kIV), Tier::kCity, kCity).empty());
  // No final report rule: the regulation gives no time limit for one.
  EXPECT_TRUE(owed(Trigger::kClosed, incident("production_safety", Grade::kIV), Tier::kCounty, kCounty).empty());
}

TEST(DefaultObligations, PublicHealth) {
  auto s = incident("public_health", std::nullopt);
  expect_one(owed(Trigger::kFirstKnowledge, s, Tier::kUnit, kCounty), "initial", Tier::kCounty, kCounty, hours{2});
  expect_one(owed(Trigger::kFirstKnowledge, s, Tier::kCounty, kCounty), "initial", Tier::kCity, kCity, hours{2});
  expect_one(owed(Trigger::kFirstKnowledge, s, Tier::kCity, kCity), "initial", Tier::kProvince, kProvince, hours{2});
  auto national = owed(Trigger::kFirstKnowledge, s, Tier::kProvince, kProvince);
  expect_one(national, "initial", Tier::kNational, "000000", hours{1}, "ph_province_national");
  EXPECT_NE(national[0].basis.find("第十九条"), std::string::npos);
}

TEST(DefaultObligations, EnvironmentalByGrade) {
  // Grade unknown at first knowledge: the county owes the city within 4 hours.
  expect_one(owed(Trigger::kFirstKnowledge, incident("environmental", std::nullopt), Tier::kCounty, kCounty),
             "initial", Tier::kCity, kCity, hours{4}, "env_county_city");
  expect_one(owed(Trigger::kFirstKnowledge, incident("environmental", Grade::kIV), Tier::kCounty, kCounty),
             "initial", Tier::kCity, kCity, hours{4});
  // I and II: 2 hours, one obligation for the key (the stricter of the 4 h and 2 h rules).
  expect_one(owed(Trigger::kFirstKnowledge, incident("environmental", Grade::kII), Tier::kCounty, kCounty),
             "initial", Tier::kCity, kCity, hours{2}, "env_county_city_major");
  expect_one(owed(Trigger::kGradeConfirmed, incident("environmental", Grade::kI), Tier::kCounty, kCounty),
             "initial", Tier::kCity, kCity, hours{2}, "env_county_city_major_confirmed");
  EXPECT_TRUE(owed(Trigger::kGradeConfirmed, incident("environmental", Grade::kIV), Tier::kCounty, kCounty).empty());
  // III up to the province within 4 hours, IV stays with the city; I and II on to the nation.
  expect_one(owed(Trigger::kFirstKnowledge, incident("environmental", Grade::kIII), Tier::kCity, kCity),
             "initial", Tier::kProvince, kProvince, hours{4});
  expect_one(owed(Trigger::kGradeConfirmed, incident("environmental", Grade::kIII), Tier::kCity, kCity),
             "initial", Tier::kProvince, kProvince, hours{4});
  EXPECT_TRUE(owed(Trigger::kFirstKnowledge, incident("environmental", Grade::kIV), Tier::kCity, kCity).empty());
  expect_one(owed(Trigger::kFirstKnowledge, incident("environmental", Grade::kI), Tier::kCity, kCity),
             "initial", Tier::kProvince, kProvince, hours{2});
  expect_one(owed(Trigger::kGradeConfirmed, incident("environmental", Grade::kII), Tier::kProvince, kProvince),
             "initial", Tier::kNational, "000000", hours{2});
  EXPECT_TRUE(owed(Trigger::kFirstKnowledge, incident("environmental", Grade::kIII), Tier::kProvince, kProvince).empty());
}

TEST(DefaultObligations, NaturalDisasterAndSocialSafety) {
  for (const char* family : {"natural_disaster", "social_safety"}) {
    expect_one(owed(Trigger::kFirstKnowledge, incident(family, std::nullopt), Tier::kCounty, kCounty),
               "initial", Tier::kCity, kCity, hours{2});
    expect_one(owed(Trigger::kFirstKnowledge, incident(family, Grade::kIII), Tier::kCity, kCity),
               "initial", Tier::kProvince, kProvince, hours{2});
    EXPECT_TRUE(owed(Trigger::kFirstKnowledge, incident(family, Grade::kIV), Tier::kCity, kCity).empty());
    expect_one(owed(Trigger::kGradeConfirmed, incident(family, Grade::kII), Tier::kProvince, kProvince),
               "initial", Tier::kNational, "000000", hours{2}, "ns_province_national_confirmed");
    // Raised to II: the nation now hears of it (besides the progress report to it).
    auto raised = owed(Trigger::kGradeChanged, incident(family, Grade::kII), Tier::kProvince, kProvince);
    ASSERT_EQ(raised.size(), 2u);
    EXPECT_EQ(raised[1].rule_id, "ns_province_national_regraded");
    EXPECT_EQ(raised[1].to_jurisdiction, "000000");
    EXPECT_TRUE(owed(Trigger::kFirstKnowledge, incident(family, Grade::kIII), Tier::kProvince, kProvince).empty());
    // No unit rule for these families.
    EXPECT_TRUE(owed(Trigger::kFirstKnowledge, incident(family, std::nullopt), Tier::kUnit, kCounty).empty());
  }
}

TEST(DefaultObligations, GradeChangeAsksProgressAtEveryTier) {
  for (const char* family : {"production_safety", "environmental", "public_health", "natural_disaster",
                             "social_safety"}) {
    expect_one(owed(Trigger::kGradeChanged, incident(family, Grade::kIV), Tier::kCounty, kCounty), "progress",
               Tier::kCity, kCity, hours{1}, "progress_county_city");
    expect_one(owed(Trigger::kGradeChanged, incident(family, Grade::kIV), Tier::kCity, kCity), "progress",
               Tier::kProvince, kProvince, hours{1});
  }
  // Raised to II at the city: the progress report (1 h) and the province's initial (2 h), sorted by due.
  auto dues = owed(Trigger::kGradeChanged, incident("production_safety", Grade::kII), Tier::kCity, kCity);
  ASSERT_EQ(dues.size(), 2u);
  EXPECT_EQ(dues[0].report_type, "progress");
  EXPECT_EQ(dues[0].due_at, kT0 + hours{1});
  EXPECT_EQ(dues[1].report_type, "initial");
  EXPECT_EQ(dues[1].rule_id, "ps_city_province_regraded");
  EXPECT_EQ(dues[1].due_at, kT0 + hours{2});
}

TEST(DefaultObligations, DailyReportAtEightBeijingTime) {
  Situation office{"", std::nullopt, "", true};
  auto before = owed(Trigger::kDaily, office, Tier::kCounty, kCounty, default_rules(),
                     at("2026-12-02T07:59:00+08:00"));
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].report_type, "daily");
  EXPECT_EQ(before[0].to_jurisdiction, kCity);
  EXPECT_EQ(before[0].daily_minute, 480);
  EXPECT_EQ(before[0].due_at, at("2026-12-02T08:00:00+08:00"));
  auto exactly = owed(Trigger::kDaily, office, Tier::kCounty, kCounty, default_rules(),
                      at("2026-12-02T08:00:00+08:00"));
  ASSERT_EQ(exactly.size(), 1u);
  EXPECT_EQ(exactly[0].due_at, at("2026-12-03T08:00:00+08:00"));
  auto city = owed(Trigger::kDaily, office, Tier::kCity, kCity, default_rules(), at("2026-12-02T07:59:59.999+08:00"));
  ASSERT_EQ(city.size(), 1u);
  EXPECT_EQ(city[0].to_jurisdiction, kProvince);
  EXPECT_EQ(city[0].due_at, at("2026-12-02T08:00:00+08:00"));
  // The office's daily report is not an incident's, and the province has no daily rule.
  EXPECT_TRUE(owed(Trigger::kDaily, incident("production_safety", Grade::kIV), Tier::kCounty, kCounty).empty());
  EXPECT_TRUE(owed(Trigger::kDaily, office, Tier::kProvince, kProvince).empty());
  // Nor does an office situation match incident rules.
  EXPECT_TRUE(owed(Trigger::kFirstKnowledge, office, Tier::kCounty, kCounty).empty());
}

TEST(Obligations, OfficeMustBeAtTheTierAsked) {
  EXPECT_TRUE(owed(Trigger::kFirstKnowledge, incident("production_safety", std::nullopt), Tier::kCounty, kCity).empty());
  EXPECT_TRUE(owed(Trigger::kFirstKnowledge, incident("production_safety", std::nullopt), Tier::kCounty, "44060").empty());
  // A unit in a code without a county (a city-level code) has no county to report to.
  EXPECT_TRUE(owed(Trigger::kFirstKnowledge, incident("production_safety", std::nullopt, kCity), Tier::kUnit, kCity).empty());
}

TEST(NextDaily, ZoneAwareAndStrictlyAfter) {
  EXPECT_EQ(next_daily(at("2026-12-02T07:59:00+08:00"), 480, kZone), at("2026-12-02T08:00:00+08:00"));
  EXPECT_EQ(next_daily(at("2026-12-02T08:00:00+08:00"), 480, kZone), at("2026-12-03T08:00:00+08:00"));
  EXPECT_EQ(next_daily(at("2026-12-02T08:00:00.001+08:00"), 480, kZone), at("2026-12-03T08:00:00+08:00"));
  // 23:30 UTC on the 1st is 07:30 on the 2nd in Beijing: the same local morning.
  EXPECT_EQ(next_daily(at("2026-12-01T23:30:00Z"), 480, kZone), at("2026-12-02T00:00:00Z"));
  EXPECT_EQ(next_daily(at("2026-12-31T23:59:00+08:00"), 0, kZone), at("2027-01-01T00:00:00+08:00"));
  // Across a daylight-saving change: New York springs forward on 2026-03-08 at 02:00.
  EXPECT_EQ(next_daily(at("2026-03-07T09:00:00-05:00"), 480, "America/New_York"),
            at("2026-03-08T08:00:00-04:00"));
  // 02:30 does not exist that day: the moment the clocks jump (03:00 EDT).
  EXPECT_EQ(next_daily(at("2026-03-08T00:00:00-05:00"), 150, "America/New_York"),
            at("2026-03-08T03:00:00-04:00"));
  // 01:30 happens twice on 2026-11-01: the earlier.
  EXPECT_EQ(next_daily(at("2026-11-01T00:00:00-04:00"), 90, "America/New_York"),
            at("2026-11-01T01:30:00-04:00"));
  // Defensive answers.
  EXPECT_EQ(next_daily(kT0, 480, "Mars/Olympus"), kT0 + hours{24});
  EXPECT_EQ(next_daily(kT0, 1440, kZone), kT0 + hours{24});
  EXPECT_EQ(next_daily(kT0, -1, kZone), kT0 + hours{24});
}

constexpr const char* kLocal = R"(rules:
  - id: chancheng_ps_written
    families: [production_safety]
    from: county
    to: city
    type: initial
    trigger: first_knowledge
    within: 1h
    jurisdiction: "440604"
    basis: 禅城区规定
  - id: chancheng_ps_phone
    families: [production_safety]
    from: county
    to: city
    type: initial
    channel: phone
    trigger: first_knowledge
    within: 30m
    jurisdiction: "440604"
    basis: 禅城区规定
  - id: foshan_daily
    office: true
    from: county
    to: city
    type: daily
    trigger: daily
    at: "07:30"
    jurisdiction: "440600"
    basis: 佛山市规定
)";

TEST(Overlay, StricterLocalRulesWinInTheirJurisdiction) {
  auto local = parse_rules(kLocal, "chancheng.yaml", true);
  ASSERT_TRUE(local.is_ok()) << local.status().to_string();
  auto rules = overlay(default_rules(), *local);
  ASSERT_TRUE(rules.is_ok()) << rules.status().to_string();
  EXPECT_EQ(rules->rules.size(), default_rules().rules.size() + 3);

  auto dues = owed(Trigger::kFirstKnowledge, incident("production_safety", Grade::kIV), Tier::kCounty, kCounty, *rules);
  ASSERT_EQ(dues.size(), 2u);
  EXPECT_EQ(dues[0].channel, "phone");
  EXPECT_EQ(dues[0].rule_id, "chancheng_ps_phone");
  EXPECT_EQ(dues[0].due_at, kT0 + minutes{30});
  EXPECT_EQ(dues[1].channel, "written");
  EXPECT_EQ(dues[1].rule_id, "chancheng_ps_written");
  EXPECT_EQ(dues[1].due_at, kT0 + hours{1});
  EXPECT_EQ(dues[1].basis, "禅城区规定");

  // Next door in 南海 (440605) the national rule still holds.
  auto nanhai = owed(Trigger::kFirstKnowledge, incident("production_safety", Grade::kIV, "440605"), Tier::kCounty,
                     "440605", *rules);
  expect_one(nanhai, "initial", Tier::kCity, kCity, hours{2}, "ps_county_city");
  // Other families are untouched.
  expect_one(owed(Trigger::kFirstKnowledge, incident("environmental", std::nullopt), Tier::kCounty, kCounty, *rules),
             "initial", Tier::kCity, kCity, hours{4});

  // The city's daily report at 07:30 reaches every county below the city.
  Situation office{"", std::nullopt, "", true};
  for (const char* county : {"440604", "440605"}) {
    auto daily = owed(Trigger::kDaily, office, Tier::kCounty, county, *rules, at("2026-12-02T07:00:00+08:00"));
    ASSERT_EQ(daily.size(), 1u);
    EXPECT_EQ(daily[0].rule_id, "foshan_daily");
    EXPECT_EQ(daily[0].due_at, at("2026-12-02T07:30:00+08:00"));
  }
}

void expect_overlay_refused(const std::string& rule, const std::string& base_rule, int line = 2) {
  auto local = parse_rules("rules:\n" + rule, "local.yaml", true);
  ASSERT_TRUE(local.is_ok()) << local.status().to_string();
  auto rules = overlay(default_rules(), *local);
  ASSERT_FALSE(rules.is_ok());
  EXPECT_EQ(rules.status().code(), core::Code::kInvalidArgument);
  const std::string& msg = rules.status().message();
  EXPECT_EQ(msg.rfind("local.yaml:" + std::to_string(line) + ": ", 0), 0u) << msg;
  EXPECT_NE(msg.find("rule " + base_rule + " at default_report_rules.yaml:"), std::string::npos) << msg;
}

TEST(Overlay, LooserLocalRulesAreRefused) {
  const std::string looser =
      "  - id: slow\n    families: [production_safety, public_health]\n    from: county\n    to: city\n"
      "    type: initial\n    trigger: first_knowledge\n    within: 3h\n    jurisdiction: \"440604\"\n"
      "    basis: x\n";
  expect_overlay_refused(looser, "ps_county_city");
  // The same limit is not stricter either.
  std::string same = looser;
  same.replace(same.find("3h"), 2, "2h");
  expect_overlay_refused(same, "ps_county_city");
  // A later daily hour loosens; an earlier or equal one is fine.
  const std::string daily =
      "  - id: late\n    office: true\n    from: city\n    to: province\n    type: daily\n"
      "    trigger: daily\n    at: \"09:00\"\n    jurisdiction: \"440600\"\n    basis: x\n";
  expect_overlay_refused(daily, "daily_city_province");
  std::string equal = daily;
  equal.replace(equal.find("09:00"), 5, "08:00");
  auto ok = parse_rules("rules:\n" + equal, "local.yaml", true);
  ASSERT_TRUE(ok.is_ok());
  EXPECT_TRUE(overlay(default_rules(), *ok).is_ok());
  // A rule read as a base rule is not a local one.
  auto base = parse_rules("rules:\n" + looser, "local.yaml", false);
  ASSERT_TRUE(base.is_ok());
  auto refused = overlay(default_rules(), *base);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.status().message().find("local.yaml:2: rule slow is not a local rule"), std::string::npos)
      << refused.status().message();
}

TEST(Overlay, NewKeysAreAdded) {
  // A final report the national rules do not ask for.
  auto local = parse_rules(
      "rules:\n  - id: final\n    families: all\n    from: county\n    to: city\n    type: final\n"
      "    trigger: closed\n    within: 15d\n    jurisdiction: \"440600\"\n    basis: 佛山市规定\n",
      "local.yaml", true);
  ASSERT_TRUE(local.is_ok()) << local.status().to_string();
  auto rules = overlay(default_rules(), *local);
  ASSERT_TRUE(rules.is_ok());
  auto dues = owed(Trigger::kClosed, incident("social_safety", Grade::kIV), Tier::kCounty, kCounty, *rules);
  expect_one(dues, "final", Tier::kCity, kCity, hours{15 * 24}, "final");
  EXPECT_TRUE(owed(Trigger::kClosed, incident("social_safety", Grade::kIV, "441802"), Tier::kCounty, "441802", *rules)
                  .empty());
}

TEST(Obligations, FamilyDailyRulesOnlyWhileOpen) {
  auto set = parse_rules(
      "rules:\n  - id: d\n    families: [environmental]\n    from: county\n    to: city\n    type: progress\n"
      "    trigger: daily\n    at: \"16:00\"\n    basis: x\n",
      "r.yaml", false);
  ASSERT_TRUE(set.is_ok()) << set.status().to_string();
  auto open = incident("environmental", std::nullopt);
  auto dues = owed(Trigger::kDaily, open, Tier::kCounty, kCounty, *set);
  ASSERT_EQ(dues.size(), 1u);
  EXPECT_EQ(dues[0].due_at, at("2026-12-02T16:00:00+08:00"));
  open.open = false;
  EXPECT_TRUE(owed(Trigger::kDaily, open, Tier::kCounty, kCounty, *set).empty());
}

}  // namespace
}  // namespace liandong::reports
