// The GB/T 35965.1 identifier: format and parse (Beijing time, no tz database), bad forms refused
// with a reason, and a Chinese-language alert carrying one round-trips through the writer and
// reader with its +08:00 times intact.
#include "alerts/national_id.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "alerts/internal/samples.h"
#include "alerts/internal/test_support.h"
#include "alerts/reader.h"
#include "alerts/writer.h"

namespace liandong::alerts {
namespace {

using ::testing::HasSubstr;

core::Timestamp utc(const char* text) { return core::parse_rfc3339(text).value(); }

TEST(NationalId, FormatsInBeijingTime) {
  NationalId id{"441300", "41600000", utc("2026-11-29T05:05:00.789Z"), 0};
  ASSERT_TRUE(check_national_id(id).is_ok());
  EXPECT_EQ(format_national_id(id), "44130041600000_20261129130500_0");
  // 16:30 UTC is the next day in Beijing.
  id.entry = utc("2026-12-31T16:30:07Z");
  id.sequence = 9;
  EXPECT_EQ(format_national_id(id), "44130041600000_20270101003007_9");
  EXPECT_EQ(format_national_id(id).size(), 31u);
}

TEST(NationalId, ParsesBackToTheSecond) {
  auto id = parse_national_id("44130041600000_20261129130500_3");
  ASSERT_TRUE(id) << id.status().message();
  EXPECT_EQ(id->division, "441300");
  EXPECT_EQ(id->body, "41600000");
  EXPECT_EQ(id->entry, utc("2026-11-29T05:05:00Z"));
  EXPECT_EQ(id->sequence, 3);
  EXPECT_EQ(format_national_id(*id), "44130041600000_20261129130500_3");
  // Leap day, and a Beijing midnight that is the previous day in UTC.
  auto leap = parse_national_id("11000041600000_20280229000000_0");
  ASSERT_TRUE(leap);
  EXPECT_EQ(leap->entry, utc("2028-02-28T16:00:00Z"));
}

TEST(NationalId, RefusesBadFormsWithAReason) {
  struct Case {
    const char* text;
    const char* why;
  } cases[] = {
      {"44130041600000_20261129130500", "not 31"},
      {"44130041600000_20261129130500_10", "not 31"},
      {"44130041600000-20261129130500-0", "'_' must separate"},
      {"4413004160000X_20261129130500_0", "14 digits"},
      {"00000041600000_20261129130500_0", "not a division code"},
      {"44130041600000_2026112913050X_0", "entry time YYYYMMDDhhmmss"},
      {"44130041600000_20261129130500_x", "sequence N"},
      {"44130041600000_20260230130500_0", "20260230 does not exist"},
      {"44130041600000_20261129240000_0", "240000 does not exist"},
      {"44130041600000_20261129126000_0", "126000 does not exist"},
  };
  for (const auto& c : cases) {
    auto id = parse_national_id(c.text);
    EXPECT_FALSE(id) << c.text;
    if (!id) {
      EXPECT_THAT(id.status().message(), HasSubstr(c.why)) << c.text;
    }
  }
}

TEST(NationalId, CheckNamesTheBadField) {
  const NationalId good{"441300", "41600000", utc("2026-11-29T05:05:00Z"), 0};
  NationalId id = good;
  id.division = "4413";
  EXPECT_EQ(check_national_id(id).field(), "division");
  id = good;
  id.body = "416000";
  EXPECT_EQ(check_national_id(id).field(), "body");
  id = good;
  id.sequence = 10;
  EXPECT_EQ(check_national_id(id).field(), "sequence");
  id = good;
  id.entry = utc("0999-06-01T00:00:00Z");
  EXPECT_EQ(check_national_id(id).field(), "entry");
  EXPECT_FALSE(parse_national_id(format_national_id(id)));
}

TEST(BeijingTime, IsUtcPlusEight) {
  EXPECT_EQ(beijing_time(utc("2026-11-29T05:05:00.999Z")), "2026-11-29T13:05:00+08:00");
  EXPECT_EQ(beijing_time(utc("2026-06-30T20:00:00Z")), "2026-07-01T04:00:00+08:00");
  EXPECT_EQ(beijing_time(utc("1969-12-31T23:59:59.500Z")), "1970-01-01T07:59:59+08:00");
  auto back = cap_time(beijing_time(utc("2026-11-29T05:05:00Z")));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, utc("2026-11-29T05:05:00Z"));
}

// An alert built in code as the issuing path builds it: national identifier, +08:00 times,
// Chinese text; written, valid against the CAP 1.2 XSD (xmllint), read back equal.
TEST(ChineseAlert, RoundTripsWithTheNationalIdentifier) {
  const core::Timestamp entered = utc("2026-11-29T05:05:00Z");
  const NationalId id{"441302", "41600000", entered, 1};
  Alert a;
  a.identifier = format_national_id(id);
  a.sender = "44130241600000";
  a.sent = beijing_time(entered);
  a.status = "Actual";
  a.msg_type = "Cancel";
  a.scope = "Public";
  a.references.push_back(
      {a.sender, "44130241600000_20261129120000_0", "2026-11-29T12:00:00+08:00"});
  Info info;
  info.language = "zh-CN";
  info.categories = {"Env"};
  info.event = "突发水污染";
  info.urgency = "Past";
  info.severity = "Moderate";
  info.certainty = "Observed";
  info.effective = beijing_time(entered);
  info.expires = beijing_time(entered + std::chrono::hours(24));
  info.sender_name = "惠州市生态环境局惠城分局";
  info.headline = "解除西枝江镉超标黄色预警";
  info.description = "西枝江江北断面镉浓度已连续6小时低于Ⅲ类标准限值（0.005 mg/L）。\n特此解除。";
  info.parameters = {{"预警级别", "黄色"}, {"监测断面", "江北 <取水口>"}};
  Area area;
  area.area_desc = "惠城区江北街道";
  area.polygons.push_back({{{23.09, 114.40}, {23.11, 114.40}, {23.11, 114.43}, {23.09, 114.40}}});
  area.geocodes = {{"GB/T 2260", "441302"}};
  info.areas.push_back(area);
  a.infos.push_back(info);

  ASSERT_TRUE(validate(a).issues.empty()) << validate(a).to_string();
  const std::string xml = write_cap(a);
  EXPECT_THAT(xml, HasSubstr("<identifier>44130241600000_20261129130500_1</identifier>"));
  EXPECT_THAT(xml, HasSubstr("<sent>2026-11-29T13:05:00+08:00</sent>"));
  EXPECT_THAT(xml, HasSubstr("<expires>2026-11-30T13:05:00+08:00</expires>"));
  EXPECT_THAT(xml, HasSubstr("<headline>解除西枝江镉超标黄色预警</headline>"));
  EXPECT_THAT(xml, HasSubstr("江北 &lt;取水口&gt;"));
  fixtures::TempDir tmp("chinese");
  fixtures::spit(tmp.path() / "alert.xml", xml);
  const fixtures::ProcessRun lint = fixtures::xmllint_cap12({tmp.path() / "alert.xml"}, tmp.path());
  EXPECT_EQ(lint.code, 0) << lint.out << xml;
  const ReadOutcome back = read_cap(xml);
  ASSERT_TRUE(back.accepted()) << back.report.to_string();
  EXPECT_TRUE(back.report.issues.empty()) << back.report.to_string();
  EXPECT_EQ(*back.alert, a);
  auto parsed = parse_national_id(back.alert->identifier);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, id);
  EXPECT_EQ(*cap_time(back.alert->sent), entered);
}

TEST(ChineseAlert, TheSampleRoundTripsAndIsAFixedPoint) {
  const ReadOutcome in = read_cap(samples::kChineseAlert);
  ASSERT_TRUE(in.accepted());
  const std::string once = write_cap(*in.alert);
  const ReadOutcome again = read_cap(once);
  ASSERT_TRUE(again.accepted());
  EXPECT_EQ(*again.alert, *in.alert);
  EXPECT_EQ(write_cap(*again.alert), once);
  EXPECT_TRUE(parse_national_id(in.alert->identifier));
  fixtures::TempDir tmp("sample");
  fixtures::spit(tmp.path() / "sample.xml", once);
  const fixtures::ProcessRun lint =
      fixtures::xmllint_cap12({tmp.path() / "sample.xml"}, tmp.path());
  EXPECT_EQ(lint.code, 0) << lint.out << once;
}

}  // namespace
}  // namespace liandong::alerts
