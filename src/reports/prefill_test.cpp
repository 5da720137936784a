#include "reports/prefill.h"

#include <gtest/gtest.h>

namespace liandong::reports {
namespace {

core::Timestamp at(const char* text) { return core::parse_rfc3339(text).value(); }

IncidentFacts fire() {
  IncidentFacts f;
  f.id = "440604-INC-7";
  f.title = "季华路厂房火灾";
  f.type = "building_fire";
  f.type_name_zh = "建筑火灾";
  f.category = "accident_disaster";
  f.grade = "IV";
  f.address = "季华五路 10 号";
  f.jurisdiction_name = "禅城区";
  f.opened_at = at("2026-12-02T07:43:00+08:00");
  f.first_channel = "119";
  f.first_reported_at = at("2026-12-01T23:41:30Z");  // 07:41:30 in Beijing
  f.figures.deaths = 1;
  f.figures.serious_injuries = 1;
  f.figures.injuries = 2;
  f.figures.affected = 40;
  f.figures.direct_loss_yuan = 1'200'000;
  f.figures_known = true;
  f.timeline = {{at("2026-12-02T07:41:30+08:00"), "接报：厂房二层起火"},
                {at("2026-12-02T07:55:00+08:00"), "消防一站到场"},
                {at("2026-12-03T00:10:00+08:00"), "明火扑灭"}};
  f.dispatches = {{at("2026-12-02T07:45:00+08:00"), "消防一站 水罐车 出动"}};
  f.tasks = {{at("2026-12-02T08:00:00+08:00"), "疏散周边群众：进行中"}};
  f.warnings = {{at("2026-12-02T06:00:00+08:00"), "大风蓝色预警"}};
  return f;
}

TEST(Prefill, FillsWhatTheRecordHolds) {
  Content c = prefill("initial", fire(), "Asia/Shanghai", "禅城区应急管理局", "张三 0757-83000000");
  EXPECT_EQ(c.title, "关于季华路厂房火灾的初报");
  EXPECT_EQ(c.time, at("2026-12-02T07:41:30+08:00"));
  EXPECT_EQ(c.place, "禅城区季华五路 10 号");
  EXPECT_EQ(c.source, "119 火警电话 12月2日07时41分接报");
  EXPECT_EQ(c.course, "07:41 接报：厂房二层起火\n07:55 消防一站到场\n12月3日 00:10 明火扑灭");
  EXPECT_EQ(c.consequences.deaths, 1);
  EXPECT_EQ(c.consequences.injuries, 3);  // injuries + serious injuries
  EXPECT_EQ(c.consequences.missing, 0);
  EXPECT_EQ(c.consequences.affected, 40);
  EXPECT_EQ(c.consequences.direct_loss_yuan, 1'200'000);
  EXPECT_EQ(c.measures, "07:45 消防一站 水罐车 出动\n08:00 疏散周边群众：进行中");
  EXPECT_EQ(c.scope, "06:00 大风蓝色预警");
  EXPECT_EQ(c.reporting_unit, "禅城区应急管理局");
  EXPECT_EQ(c.contact, "张三 0757-83000000");
  // What only a person knows is left for a person.
  EXPECT_TRUE(c.cause_nature.empty());
  EXPECT_TRUE(c.trend.empty());
  EXPECT_TRUE(c.next_steps.empty());
  std::vector<std::string> missing;
  for (const auto& m : missing_elements("initial", "written", c)) missing.push_back(m.element);
  EXPECT_EQ(missing, (std::vector<std::string>{"cause_nature", "trend", "next_steps"}));
  EXPECT_TRUE(missing_elements("initial", "phone", c).empty());
}

TEST(Prefill, NeverInventsFacts) {
  IncidentFacts f;
  f.title = "不明气体泄漏";
  f.jurisdiction_name = "禅城区";
  f.opened_at = at("2026-12-02T10:00:00+08:00");
  f.figures.deaths = 3;  // figures not known: ignored
  Content c = prefill("progress", f, "Asia/Shanghai", "", "");
  EXPECT_EQ(c.title, "关于不明气体泄漏的续报");
  EXPECT_EQ(c.time, f.opened_at);
  EXPECT_TRUE(c.place.empty());
  EXPECT_TRUE(c.source.empty());
  EXPECT_TRUE(c.course.empty());
  EXPECT_EQ(c.consequences, Consequences{});
  EXPECT_TRUE(c.measures.empty());
  EXPECT_TRUE(c.scope.empty());
  std::vector<std::string> missing;
  for (const auto& m : missing_elements("progress", "written", c)) missing.push_back(m.element);
  EXPECT_EQ(missing, (std::vector<std::string>{"place", "source", "cause_nature", "course",
                                               "consequences", "scope", "trend", "measures",
                                               "next_steps", "reporting_unit", "contact"}));
}

TEST(Prefill, PlaceFromLocationOrAddressNamingTheJurisdiction) {
  IncidentFacts f = fire();
  f.address.clear();
  f.location = core::LonLat{113.1225, 23.0213};
  EXPECT_EQ(prefill("final", f, "Asia/Shanghai", "", "").place, "禅城区（113.122500,23.021300）");
  f.address = "佛山市禅城区季华五路 10 号";
  EXPECT_EQ(prefill("final", f, "Asia/Shanghai", "", "").place, "佛山市禅城区季华五路 10 号");
  f.jurisdiction_name.clear();
  f.address = "季华五路 10 号";
  EXPECT_EQ(prefill("final", f, "Asia/Shanghai", "", "").place, "季华五路 10 号");
}

TEST(Prefill, TitlesAndChannels) {
  IncidentFacts f = fire();
  EXPECT_EQ(prefill("final", f, "Asia/Shanghai", "", "").title, "关于季华路厂房火灾的终报");
  EXPECT_EQ(prefill("special", f, "Asia/Shanghai", "", "").title, "关于季华路厂房火灾的专报");
  f.first_channel = "110";
  EXPECT_EQ(prefill("initial", f, "Asia/Shanghai", "", "").source, "110 报警电话 12月2日07时41分接报");
  f.first_channel = "sensor";
  EXPECT_EQ(prefill("initial", f, "Asia/Shanghai", "", "").source, "监测设备告警 12月2日07时41分接报");
}

TEST(Prefill, TimesFollowTheZone) {
  IncidentFacts f = fire();
  Content utc = prefill("initial", f, "UTC", "", "");
  EXPECT_EQ(utc.source, "119 火警电话 12月1日23时41分接报");
  EXPECT_EQ(utc.course.substr(0, 6), "23:41 ");
}

}  // namespace
}  // namespace liandong::reports
