#include "reports/content.h"

#include <gtest/gtest.h>

namespace liandong::reports {
namespace {

using nlohmann::json;

core::Timestamp at(const char* text) { return core::parse_rfc3339(text).value(); }

// A written incident report with every element stated.
Content complete() {
  Content c;
  c.title = "关于季华路厂房火灾的初报";
  c.time = at("2026-12-02T07:41:00+08:00");
  c.place = "禅城区季华五路 10 号";
  c.source = "119 火警电话 12月2日07时41分接报";
  c.cause_nature = "电气线路故障引发火灾";
  c.course = "07:41 接报\n07:45 消防一站出动";
  c.consequences = {0, 2, 0, 40, 1'200'000};
  c.scope = "厂房二层约 300 平方米";
  c.trend = "火势已控制";
  c.measures = "消防一站 水罐车 出动";
  c.next_steps = "清理现场，调查原因";
  c.reporting_unit = "禅城区应急管理局";
  c.contact = "张三 0757-83000000";
  return c;
}

std::vector<std::string> keys_of(const std::vector<Missing>& m) {
  std::vector<std::string> out;
  for (const auto& x : m) out.push_back(x.element);
  return out;
}

TEST(Elements, OrderKeysAndNames) {
  auto all = all_elements();
  ASSERT_EQ(all.size(), 12u);
  const char* keys[] = {"time",     "place",      "source",         "cause_nature",
                        "course",   "consequences", "scope",        "trend",
                        "measures", "next_steps", "reporting_unit", "contact"};
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(key(all[i]), keys[i]);
    EXPECT_EQ(parse_element(keys[i]), all[i]);
  }
  EXPECT_EQ(name_zh(Element::kSource), "信息来源");
  EXPECT_EQ(name_zh(Element::kContact), "联系人和电话");
  EXPECT_FALSE(parse_element("period").has_value());
}

TEST(ContentJson, RoundTrips) {
  Content c = complete();
  c.body = "正文";
  c.period_from = at("2026-12-01T00:00:00+08:00");
  c.period_to = at("2026-12-02T00:00:00+08:00");
  json j = to_json(c);
  EXPECT_EQ(j["time"], "2026-12-01T23:41:00.000Z");
  EXPECT_EQ(j["consequences"]["direct_loss_yuan"], 1'200'000);
  auto back = content_from_json(j);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(*back, c);
  // Through text too, as the API sees it.
  EXPECT_EQ(content_from_json(json::parse(j.dump())).value(), c);
}

TEST(ContentJson, UnknownsAreNullAndAbsentKeysEmpty) {
  json j = to_json(Content{});
  EXPECT_TRUE(j["time"].is_null());
  EXPECT_TRUE(j["consequences"]["deaths"].is_null());
  EXPECT_EQ(j["place"], "");
  EXPECT_EQ(content_from_json(j).value(), Content{});
  auto partial = content_from_json(json{{"place", "禅城区"}, {"consequences", {{"deaths", 0}}}});
  ASSERT_TRUE(partial.is_ok());
  EXPECT_EQ(partial->place, "禅城区");
  EXPECT_EQ(partial->consequences.deaths, 0);
  EXPECT_FALSE(partial->consequences.injuries.has_value());
  EXPECT_FALSE(partial->time.has_value());
}

void expect_refused(const json& j, const std::string& field, const std::string& words,
                    std::string_view base = "content") {
  auto c = content_from_json(j, base);
  ASSERT_FALSE(c.is_ok()) << j.dump();
  EXPECT_EQ(c.status().code(), core::Code::kInvalidArgument);
  EXPECT_EQ(c.status().field(), field) << c.status().to_string();
  EXPECT_NE(c.status().message().find(words), std::string::npos) << c.status().message();
}

TEST(ContentJson, ErrorsNameThePath) {
  expect_refused(json::array(), "content", "expected an object");
  expect_refused(json{{"plase", "x"}}, "content.plase", "unknown key");
  expect_refused(json{{"place", 3}}, "content.place", "expected a string");
  expect_refused(json{{"consequences", {{"deaths", -1}}}}, "content.consequences.deaths", "negative");
  expect_refused(json{{"consequences", {{"injuries", 2.5}}}}, "content.consequences.injuries",
                 "whole number");
  expect_refused(json{{"consequences", {{"injuries", "2"}}}}, "content.consequences.injuries",
                 "whole number");
  expect_refused(json{{"consequences", {{"dead", 1}}}}, "content.consequences.dead", "unknown figure");
  expect_refused(json{{"consequences", json::array()}}, "content.consequences", "expected an object");
  expect_refused(json{{"consequences", {{"direct_loss_yuan", 18446744073709551615ull}}}},
                 "content.consequences.direct_loss_yuan", "too large");
  expect_refused(json{{"time", "2026-12-02T07:41:00"}}, "content.time", "without offset");
  expect_refused(json{{"period_to", 5}}, "content.period_to", "RFC 3339");
  expect_refused(json{{"body", std::string(kMaxTextBytes + 1, 'x')}}, "content.body", "over the limit");
  expect_refused(json{{"title", nullptr}}, "report.title", "expected a string", "report");
  EXPECT_TRUE(content_from_json(json{{"body", std::string(kMaxTextBytes, 'x')}}).is_ok());
}

TEST(MissingElements, CompleteWrittenReportLacksNothing) {
  for (const char* type : {"initial", "progress", "final", "special"}) {
    EXPECT_TRUE(missing_elements(type, "written", complete()).empty()) << type;
    EXPECT_TRUE(missing_elements(type, "phone", complete()).empty()) << type;
  }
}

TEST(MissingElements, EmptyWrittenReportLacksAllTwelveInOrder) {
  auto m = missing_elements("initial", "written", Content{});
  std::vector<std::string> expected;
  for (Element e : all_elements()) expected.emplace_back(key(e));
  EXPECT_EQ(keys_of(m), expected);
  EXPECT_EQ(m[2].name_zh, "信息来源");
}

TEST(MissingElements, NamesEachMissingElement) {
  for (Element e : all_elements()) {
    Content c = complete();
    switch (e) {
      case Element::kTime: c.time.reset(); break;
      case Element::kPlace: c.place.clear(); break;
      case Element::kSource: c.source = "  "; break;                 // blanks count as missing
      case Element::kCauseNature: c.cause_nature = "\xE3\x80\x80"; break;  // ideographic space
      case Element::kCourse: c.course = "\n\t"; break;
      case Element::kConsequences: c.consequences.missing.reset(); break;
      case Element::kScope: c.scope.clear(); break;
      case Element::kTrend: c.trend.clear(); break;
      case Element::kMeasures: c.measures.clear(); break;
      case Element::kNextSteps: c.next_steps.clear(); break;
      case Element::kReportingUnit: c.reporting_unit.clear(); break;
      case Element::kContact: c.contact.clear(); break;
    }
    auto m = missing_elements("progress", "written", c);
    ASSERT_EQ(m.size(), 1u) << key(e);
    EXPECT_EQ(m[0].element, key(e));
    EXPECT_EQ(m[0].name_zh, name_zh(e));
    EXPECT_FALSE(m[0].why.empty());
  }
}

TEST(MissingElements, ConsequencesNameTheUnstatedFigures) {
  Content c = complete();
  c.consequences.deaths.reset();
  c.consequences.direct_loss_yuan.reset();
  auto m = missing_elements("final", "written", c);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_NE(m[0].why.find("deaths, direct_loss_yuan"), std::string::npos) << m[0].why;
  c.consequences = {0, 0, 0, 0, 0};  // stated as none
  EXPECT_TRUE(missing_elements("final", "written", c).empty());
}

TEST(MissingElements, PhoneReportNeedsSixElements) {
  auto m = missing_elements("initial", "phone", Content{});
  EXPECT_EQ(keys_of(m), (std::vector<std::string>{"time", "place", "source", "consequences",
                                                  "reporting_unit", "contact"}));
  Content c = complete();
  c.cause_nature.clear();
  c.trend.clear();
  c.next_steps.clear();
  EXPECT_TRUE(missing_elements("initial", "phone", c).empty());
}

TEST(MissingElements, DailyAndBulletinNeedPeriodBodyUnitContact) {
  for (const char* type : {"daily", "bulletin"}) {
    EXPECT_EQ(keys_of(missing_elements(type, "written", Content{})),
              (std::vector<std::string>{"period", "body", "reporting_unit", "contact"}));
    Content c;
    c.period_from = at("2026-12-02T00:00:00+08:00");
    c.period_to = at("2026-12-01T00:00:00+08:00");
    c.body = "本日无较大以上突发事件。";
    c.reporting_unit = "禅城区应急管理局";
    c.contact = "值班室 0757-83000000";
    auto m = missing_elements(type, "written", c);
    ASSERT_EQ(keys_of(m), std::vector<std::string>{"period"}) << type;
    EXPECT_NE(m[0].why.find("end after"), std::string::npos);
    c.period_to = c.period_from;
    EXPECT_EQ(missing_elements(type, "written", c).size(), 1u);
    c.period_to = at("2026-12-03T00:00:00+08:00");
    EXPECT_TRUE(missing_elements(type, "written", c).empty()) << type;
    c.body = " ";
    EXPECT_EQ(keys_of(missing_elements(type, "written", c)), std::vector<std::string>{"body"});
  }
}

TEST(MissingElements, UnknownTypeOrChannel) {
  auto m = missing_elements("weekly", "written", complete());
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].element, "type");
  EXPECT_NE(m[0].why.find("weekly"), std::string::npos);
  auto ch = missing_elements("initial", "fax", complete());
  ASSERT_EQ(ch.size(), 1u);
  EXPECT_EQ(ch[0].element, "channel");
}

TEST(ChangedFields, ListsDifferencesInFixedOrder) {
  Content a = complete();
  EXPECT_TRUE(changed_fields(a, a).empty());
  Content b = a;
  b.measures += "\n08:10 医疗救护到场";
  b.consequences.deaths = 1;
  b.time = at("2026-12-02T07:40:00+08:00");
  b.period_to = at("2026-12-03T00:00:00+08:00");
  EXPECT_EQ(changed_fields(a, b),
            (std::vector<std::string>{"time", "consequences.deaths", "measures", "period_to"}));
  Content c = a;
  c.consequences.affected.reset();  // stated → not stated is a change too
  c.title = "关于季华路厂房火灾的续报";
  c.body = "补充";
  EXPECT_EQ(changed_fields(a, c),
            (std::vector<std::string>{"title", "consequences.affected", "body"}));
}

}  // namespace
}  // namespace liandong::reports
