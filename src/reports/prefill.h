// A report draft's content pre-filled from an incident's record. It copies what the record holds
// and leaves the rest empty for a person (missing_elements then names it): it never invents facts.
//
// Pure function over values: thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/geo.h"
#include "core/time.h"
#include "reports/content.h"
#include "taxonomy/grade_rules.h"

namespace liandong::reports {

struct FactLine { core::Timestamp at; std::string text; };

struct IncidentFacts {
  std::string id, title, type, type_name_zh, category, grade /* "" or I..IV */, address;
  std::optional<core::LonLat> location;
  std::string jurisdiction_name;         // e.g. 禅城区
  core::Timestamp opened_at{};
  std::string first_channel;             // alarm channel of the first alarm: "110","119",... or ""
  std::optional<core::Timestamp> first_reported_at;
  taxonomy::Figures figures;             // src/taxonomy/grade_rules.h
  bool figures_known = false;            // false: leave consequences unstated
  std::vector<FactLine> timeline;        // the incident's timeline, oldest first
  std::vector<FactLine> dispatches;      // units sent/arrived ("消防一站 水罐车 出动")
  std::vector<FactLine> tasks;           // plan tasks and their state
  std::vector<FactLine> warnings;        // warnings in force in the area
};

// A draft's content from the record:
// - time = first_reported_at or opened_at;
// - place = the address, or "lon,lat" (six decimals) when only located, preceded by the
//   jurisdiction name unless the address already names it; empty when neither is known;
// - source = the first alarm's channel in words with the local time it came in
//   ("110 报警电话 12月2日07时59分接报"); empty when the channel is unknown;
// - course = the timeline as "HH:MM text" lines in `zone` (a line on another local day than the
//   first reads "M月D日 HH:MM text");
// - consequences from figures when figures_known (injuries = injuries + serious_injuries), else
//   all unstated;
// - measures = dispatch lines then task lines, the same way; scope = warning lines when any;
// - cause_nature, trend, next_steps left empty for a person; reporting_unit and contact as given;
// - title "关于{title}的{初报|续报|终报|专报|日报|简报}" ("关于{title}的报告" for another type).
// An unknown zone (the caller checks core::is_known_zone) formats times in UTC.
Content prefill(std::string_view report_type, const IncidentFacts&, std::string_view zone,
                std::string_view reporting_unit, std::string_view contact);

// Words drafts and documents share: 初报, 续报, 终报, 专报, 日报, 简报 ("报告" for another type); and
// "2026年12月2日", the local day of `t` in `zone` (UTC when the zone is unknown).
std::string_view type_name_zh(std::string_view report_type);
std::string date_zh(core::Timestamp t, std::string_view zone);

}  // namespace liandong::reports
