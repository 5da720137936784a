// What a report says: the twelve required elements of an incident report (time, place, source,
// cause and nature, course, consequences, scope, trend, measures, next steps, reporting unit,
// contact), the free text of a daily report or bulletin and its period; the check of what a report
// still lacks before it may be submitted, and the difference between two versions.
//
// Plain values and functions: thread-safe, no state. docs/REPORTS.md lists the elements and the
// JSON form.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace liandong::reports {

enum class Element { kTime, kPlace, kSource, kCauseNature, kCourse, kConsequences, kScope, kTrend,
                     kMeasures, kNextSteps, kReportingUnit, kContact };

// The twelve, in the order above.
std::span<const Element> all_elements();
// "time","place","source","cause_nature","course","consequences","scope","trend","measures",
// "next_steps","reporting_unit","contact".
std::string_view key(Element);
// 时间 地点 信息来源 起因和性质 基本经过 伤亡和损失 影响范围 发展趋势 已采取的措施 下一步工作 报告单位
// 联系人和电话.
std::string_view name_zh(Element);
std::optional<Element> parse_element(std::string_view key);

inline constexpr size_t kMaxTextBytes = 20'000;  // any one text of a report

struct Consequences {   // nullopt = not stated yet; 0 = stated as none
  std::optional<int64_t> deaths, injuries, missing, affected, direct_loss_yuan;
  bool operator==(const Consequences&) const = default;
};

struct Content {
  std::string title;
  std::optional<core::Timestamp> time;  // when it happened
  std::string place, source, cause_nature, course;
  Consequences consequences;
  std::string scope, trend, measures, next_steps, reporting_unit, contact;
  std::string body;                                        // free text (daily, bulletin, special, extra)
  std::optional<core::Timestamp> period_from, period_to;   // daily report and bulletin
  bool operator==(const Content&) const = default;
};

// JSON: {"title","time" (RFC 3339 UTC via core::format_utc, null when unknown),"place",...,
// "consequences":{"deaths":N|null,...},"body","period_from","period_to"}. Every key is written.
nlohmann::json to_json(const Content&);
// Reads what to_json writes; absent keys = empty/nullopt, and null is accepted where nullopt is
// possible (times, figures). Refuses (kInvalidArgument) a non-object, unknown keys, wrong types,
// negative or non-whole figures, texts over kMaxTextBytes, times without offset; the error's field
// is the JSON path ("content.consequences.deaths", with `field` as the first part).
core::Result<Content> content_from_json(const nlohmann::json&, std::string_view field = "content");

// One thing a report still lacks. element = an Element's key, or "period", "body", "type",
// "channel"; name_zh its Chinese name; why what is wrong, in English ("not stated", ...).
struct Missing { std::string element; std::string name_zh; std::string why; };

// What a report of this type and channel still lacks before it may be submitted, in element order.
// initial/progress/final/special, written: all 12 elements (time set; consequences = all five
// figures stated; a text that is empty or only blanks, ASCII or the ideographic space U+3000,
// counts as missing); channel "phone": time, place, source, consequences, reporting_unit, contact.
// daily/bulletin (any channel): period (both ends set, from < to), body, reporting_unit, contact.
// Unknown type → one Missing with element "type"; an incident report of an unknown channel → one
// Missing with element "channel".
std::vector<Missing> missing_elements(std::string_view report_type, std::string_view channel,
                                      const Content&);

// For a correction: the fields that differ, as JSON paths without the "content." prefix, in the
// fixed order title, time, place, source, cause_nature, course, consequences.deaths,
// consequences.injuries, consequences.missing, consequences.affected,
// consequences.direct_loss_yuan, scope, trend, measures, next_steps, reporting_unit, contact, body,
// period_from, period_to.
std::vector<std::string> changed_fields(const Content& before, const Content& after);

}  // namespace liandong::reports
