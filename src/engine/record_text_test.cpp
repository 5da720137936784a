#include "engine/record_text.h"

#include "engine/json_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace liandong::engine {
namespace {

using nlohmann::json;

// What the text parses to must be the journal form's object, and read back to the same record.
void expect_same_alarm(const Alarm& a) {
  std::string text;
  append_journal_text(text, a);
  json parsed = json::parse(text, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << text;
  EXPECT_EQ(parsed, to_journal_json(a)) << text;
  auto back = alarm_from_json(parsed);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(to_json(*back), to_json(a));
}

void expect_same_incident(const Incident& i) {
  for (bool timeline : {false, true}) {
    std::string text;
    append_journal_text(text, i, timeline);
    json parsed = json::parse(text, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << text;
    EXPECT_EQ(parsed, to_journal_json(i, timeline)) << text;
    auto back = incident_from_json(parsed);
    ASSERT_TRUE(back.is_ok()) << back.status().to_string();
    EXPECT_EQ(to_json(*back, timeline), to_json(i, timeline));
  }
}

Alarm bare_alarm() {
  Alarm a;
  a.id = "441300-ALM-1";
  a.jurisdiction = "441302";
  a.channel = "119";
  a.reported_at = core::from_unix_millis(1795000000000);
  a.received_at = core::from_unix_millis(1795000000123);
  a.category = core::Category::kAccidentDisaster;
  a.type = "fire";
  a.address = "惠城区 江北 1 号";
  a.incident_id = a.first_incident_id = "441300-INC-1";
  return a;
}

Incident bare_incident() {
  Incident i;
  i.id = "441300-INC-1";
  i.jurisdiction = "441302";
  i.status = kStatusReported;
  i.category = core::Category::kAccidentDisaster;
  i.type = "fire";
  i.priority = core::Priority::kP2;
  i.title = "火灾 · 惠城区";
  i.alarm_ids = {"441300-ALM-1"};
  i.opened_at = i.updated_at = i.last_alarm_at = core::from_unix_millis(1795000000123);
  return i;
}

TEST(RecordText, AlarmsFromBareToFull) {
  Alarm a = bare_alarm();
  expect_same_alarm(a);
  a.incident_id.clear();  // null
  expect_same_alarm(a);
  a = bare_alarm();
  a.caller = Caller{"王小明", "13812345678"};
  a.location = core::LonLat{114.41623456789012, 23.1};
  a.description = "three floors; \"smoke\" \\ visible\nfrom the road\t\x01";
  a.figures = {1, 2, 3, 4, 5, 6, 7};
  a.first_joined = true;
  a.nuisance_reason = "silent";
  a.idempotency_key = "k-1";
  a.by = "441300-KEY-1";
  expect_same_alarm(a);
  a.location = core::LonLat{-179.99999999999997, -0.1};
  a.figures.direct_loss_yuan = 1'000'000'000'000'000LL;
  expect_same_alarm(a);
}

TEST(RecordText, IncidentsFromBareToFull) {
  Incident i = bare_incident();
  expect_same_incident(i);
  i.proposed_grade = core::Grade::kIV;
  expect_same_incident(i);
  i.description = "描述 with \"quotes\"";
  i.location = core::LonLat{114.4, 23.08};
  i.address = "江北";
  i.figures.deaths = 3;
  i.confirmed_grade = core::Grade::kIII;
  i.grade_history.push_back({"proposed", core::Grade::kIV, "rules", core::from_unix_millis(1000), "未达到", "below"});
  i.grade_history.push_back({"confirmed", core::Grade::kIII, "441300-PER-2", core::from_unix_millis(2000), "", ""});
  i.closed_at = core::from_unix_millis(1795000900000);
  i.merged_into = "441300-INC-7";
  i.exercise = true;
  i.alarm_ids.push_back("441300-ALM-2");
  Assignment as;
  as.unit_id = "441300-UNT-1";
  as.call_sign = "惠城消防 1";
  as.unit_type = "fire_engine";
  as.agency_id = "441300-AGY-1";
  as.dispatched_at = core::from_unix_millis(1795000000500);
  as.eta_s = 300;
  i.assignments.push_back(as);
  i.timeline.push_back({1, core::from_unix_millis(1795000000123), "incident.opened", "441300-KEY-1", "opened"});
  i.timeline.push_back({2, core::from_unix_millis(1795000000124), "incident.grade_proposed", "", "grade IV"});
  expect_same_incident(i);
}

TEST(RecordText, StringsAreEscapedAndInvalidUtf8IsReplacedAsNlohmannDoes) {
  for (std::string s : {std::string(""), std::string("plain"), std::string("中文 text"),
                        std::string("q\"b\\s/\b\f\n\r\t"), std::string("\x1f ctl"), std::string("bad \xff\xfe utf-8"),
                        std::string("overlong \xc0\xaf"), std::string("surrogate \xed\xa0\x80"),
                        std::string("cut \xe4\xb8"), std::string("emoji \xf0\x9f\x9a\x92"),
                        std::string("above \xf4\x90\x80\x80"),
                        // Longer than a word, with what needs a look past the first eight bytes.
                        std::string("441300-ALM-1234567 and more plain text, forty+"),
                        std::string("0123456789abcdefg\"quoted\" at seventeen"),
                        std::string("0123456789abcdefghijklmnopqrstu\x02vw control at thirty-one"),
                        std::string("0123456789abcdefghijklmnopqrstuvwxy 惠城区 at twenty-five"),
                        std::string("0123456789abcdefghijklmnopqrstuvwx\\ backslash"),
                        std::string("0123456789abcdefghijklmnopqrstuvwxy\xe4\xb8 cut late")}) {
    std::string text;
    append_json_string(text, s);
    EXPECT_EQ(text, json(s).dump(-1, ' ', false, json::error_handler_t::replace)) << s;
  }
}

TEST(RecordText, NumbersThatAreNotFiniteAreNull) {
  Alarm a = bare_alarm();
  a.location = core::LonLat{std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()};
  std::string text;
  append_journal_text(text, a);
  json parsed = json::parse(text);
  EXPECT_TRUE(parsed["location"]["lon"].is_null());
  EXPECT_TRUE(parsed["location"]["lat"].is_null());
}

}  // namespace
}  // namespace liandong::engine
