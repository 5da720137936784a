#include "engine/record_text.h"

#include "engine/json_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace liandong::engine {
namespace {

using nlohmann::json;

// The text must be the journal form's compact dump byte for byte (what json_text and nlohmann's
// dump give for to_journal_json), and read back to the same record.
void expect_same_alarm(const Alarm& a) {
  std::string text;
  append_journal_text(text, a);
  json tree = to_journal_json(a);
  ASSERT_EQ(text, json_text(tree));
  ASSERT_EQ(text, tree.dump(-1, ' ', false, json::error_handler_t::replace));
  json parsed = json::parse(text, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << text;
  auto back = alarm_from_json(parsed);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(to_json(*back), to_json(a));
}

void expect_same_incident(const Incident& i) {
  for (bool timeline : {false, true}) {
    std::string text;
    append_journal_text(text, i, timeline);
    json tree = to_journal_json(i, timeline);
    ASSERT_EQ(text, json_text(tree));
    ASSERT_EQ(text, tree.dump(-1, ' ', false, json::error_handler_t::replace));
    json parsed = json::parse(text, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << text;
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

// Generated records: every optional member present or not, strings that need escaping or are not
// UTF-8, coordinates from random bits (so every spelling of a double nlohmann has).
class RecordGen {
 public:
  explicit RecordGen(uint32_t seed) : rng_(seed) {}

  Alarm alarm() {
    Alarm a = bare_alarm();
    a.id = text(), a.jurisdiction = text(), a.channel = text(), a.type = text(), a.by = text();
    a.reported_at = core::from_unix_millis(static_cast<int64_t>(pick(4'000'000'000'000)));
    a.received_at = core::from_unix_millis(static_cast<int64_t>(pick(4'000'000'000'000)));
    if (pick(2)) a.caller = Caller{text(), text()};
    if (pick(2)) a.location = core::LonLat{real(), real()};
    a.address = maybe_text(), a.description = maybe_text(), a.nuisance_reason = maybe_text();
    a.idempotency_key = maybe_text(), a.incident_id = maybe_text(), a.first_incident_id = text();
    if (pick(2)) a.figures = figures();
    a.first_joined = pick(2) == 1;
    a.category = static_cast<core::Category>(pick(4));
    return a;
  }

  Incident incident() {
    Incident i = bare_incident();
    i.id = text(), i.jurisdiction = text(), i.status = text(), i.type = text(), i.title = text();
    i.priority = static_cast<core::Priority>(1 + pick(4));
    i.description = maybe_text(), i.address = maybe_text(), i.merged_into = maybe_text();
    if (pick(2)) i.location = core::LonLat{real(), real()};
    if (pick(2)) i.figures = figures();
    if (pick(3) == 0) i.proposed_grade = static_cast<core::Grade>(1 + pick(4));
    if (pick(3) == 0) i.confirmed_grade = static_cast<core::Grade>(1 + pick(4));
    for (size_t k = pick(3); k > 0; --k)
      i.grade_history.push_back({text(), static_cast<core::Grade>(1 + pick(4)), text(), time(), text(), text()});
    i.alarm_ids.clear();
    for (size_t k = pick(4); k > 0; --k) i.alarm_ids.push_back(text());
    i.opened_at = time(), i.updated_at = time(), i.last_alarm_at = time();
    if (pick(3) == 0) i.closed_at = time();
    i.exercise = pick(4) == 0;
    for (size_t k = pick(3); k > 0; --k) {
      Assignment as;
      as.unit_id = text(), as.call_sign = text(), as.unit_type = text(), as.agency_id = text();
      as.dispatched_at = time();
      if (pick(2)) as.eta_s = static_cast<uint32_t>(pick(100000));
      i.assignments.push_back(as);
    }
    for (size_t k = pick(4); k > 0; --k) i.timeline.push_back({pick(1'000'000), time(), text(), text(), text()});
    return i;
  }

 private:
  std::string text() {
    static const std::vector<std::string> pieces = {"a", " ", "\"", "\\", "\n", std::string(1, '\0'), "\x1f", "\x7f",
                                                    "惠", "城区", "\xf0\x9f\x9a\x92", "\xff", "\xc0\xaf", "\xe4\xb8",
                                                    "441300-ALM-", "plain words "};
    std::string s;
    for (size_t k = pick(8); k > 0; --k) s += pieces[pick(pieces.size())];
    return s;
  }
  std::string maybe_text() { return pick(2) ? text() : std::string(); }
  double real() {
    switch (pick(4)) {
      case 0: return static_cast<double>(static_cast<int>(pick(361)) - 180);  // integral
      case 1: return std::uniform_real_distribution<double>(-180, 180)(rng_);
      case 2: return pick(2) ? -0.0 : 1e-310;
      default: {
        uint64_t bits = (static_cast<uint64_t>(rng_()) << 32) | rng_();
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return std::isfinite(d) ? d : 0.5;
      }
    }
  }
  Figures figures() {
    auto n = [&] { return static_cast<int64_t>(pick(1'000'000)); };
    return {n(), n(), n(), n(), n(), n(), static_cast<int64_t>(pick(4'000'000'000'000))};
  }
  core::Timestamp time() { return core::from_unix_millis(static_cast<int64_t>(pick(4'000'000'000'000))); }
  uint64_t pick(uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng_); }
  std::mt19937_64 rng_;
};

TEST(RecordText, IsTheJournalFormsDumpForGeneratedRecords) {
  RecordGen gen(20261203);
  for (int k = 0; k < 2000; ++k) {
    Alarm a = gen.alarm();
    std::string text;
    append_journal_text(text, a);
    // Against nlohmann's own dump too: json_text spells doubles with the same append_json_number.
    json tree = to_journal_json(a);
    ASSERT_EQ(text, json_text(tree)) << "alarm " << k;
    ASSERT_EQ(text, tree.dump(-1, ' ', false, json::error_handler_t::replace)) << "alarm " << k;
    Incident i = gen.incident();
    for (bool timeline : {false, true}) {
      text.clear();
      append_journal_text(text, i, timeline);
      tree = to_journal_json(i, timeline);
      ASSERT_EQ(text, json_text(tree)) << "incident " << k;
      ASSERT_EQ(text, tree.dump(-1, ' ', false, json::error_handler_t::replace)) << "incident " << k;
    }
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
