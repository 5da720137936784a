// One fact row per incident: what the statistics are computed from.
//
// A Fact is a plain value (copyable, thread-compatible). The node's feeder builds facts from the
// engine's incident records; this module knows nothing of the engine.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace liandong::stats {

struct Fact {                  // one incident
  std::string id;              // "441200-INC-42"
  std::string jurisdiction;    // six digits (county or city code)
  std::string category, type;  // shared codes (natural_disaster… / flood…)
  std::string grade;           // "" (not graded) or "I".."IV" (confirmed, else proposed)
  std::vector<std::string> agencies;  // agency ids involved (units sent), may be empty
  core::Timestamp opened_at{};
  std::optional<core::Timestamp> closed_at;
  bool cancelled = false, exercise = false;  // both excluded from statistics by default
  int64_t deaths = 0, injuries = 0, missing = 0, affected = 0, direct_loss_yuan = 0;
  std::optional<int64_t> dispatch_ms, arrival_ms;  // opened → first unit dispatched / first on scene
  int32_t reports_due = 0, reports_on_time = 0, reports_late = 0;  // obligations settled
  int64_t report_delay_ms = 0;  // sum of delays of the late ones
  bool operator==(const Fact&) const = default;
};

// Checks one fact before it is stored. kInvalidArgument naming the field, prefixed with `where`
// (e.g. "facts[3].deaths"), when: the id is empty or over 128 bytes; the jurisdiction is not a
// six-digit GB/T 2260 code; the category is not one of the four shared ones; the type is not a code
// ([a-z][a-z0-9_]*); the grade is not "", "I", "II", "III" or "IV"; an agency id is empty, over 128
// bytes or holds a control character (or appears twice); a figure, interval or the delay is
// negative or over its limit (people 2·10^9, loss 10^12 yuan, an interval ten years, reports
// 10^6 — far above any incident, low enough that sums cannot overflow); opened_at is not between
// 1900 and 2200; closed_at is before opened_at; reports_on_time + reports_late exceed reports_due.
core::Status validate(const Fact& fact, const std::string& where = "fact");

}  // namespace liandong::stats
