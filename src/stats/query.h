// Statistics queries over the facts: filters, up to four grouping dimensions, and the measures of
// each group (counts, casualties, losses, report timeliness, response intervals); CSV export.
//
// Query, Row and Result are plain values. The query is run by FactStore::query (fact_store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace liandong::stats {

enum class Dim { kYear, kMonth, kDay, kCategory, kType, kGrade, kJurisdiction, kAgency };

// "year", "month", "day", "category", "type", "grade", "jurisdiction", "agency"; nullopt otherwise.
std::optional<Dim> parse_dim(std::string_view s);
std::string_view dim_name(Dim d);

struct Query {
  std::optional<core::Timestamp> from, to;  // opened_at in [from, to)
  std::vector<Dim> group_by;                // 0..4 dims, no repeats
  std::string zone = "Asia/Shanghai";       // IANA zone of the year/month/day buckets
  // "" = all; else that code and below (GB/T 2260 prefix rule: 440000 ⊃ 441200 ⊃ 441202).
  std::string jurisdiction;
  // For Dim::kJurisdiction: "" or "county" (codes as stored), "city" or "province" (rolled up).
  std::string jurisdiction_level;
  // Filters, empty = all. grades: "I".."IV", and "" for incidents not graded. agencies: an
  // incident passes when one of its agencies is listed; grouped by agency, only the listed
  // agencies make groups.
  std::vector<std::string> categories, types, grades, agencies;
  bool include_exercises = false;
  bool include_cancelled = false;
};

struct Row {
  // One value per group_by dim: "2026", "2026-11", "2026-11-30" (in the zone), "natural_disaster",
  // "flood", "" for ungraded, "441202", an agency id or "" for incidents without agencies.
  std::vector<std::string> key;
  int64_t incidents = 0, deaths = 0, injuries = 0, missing = 0, affected = 0, direct_loss_yuan = 0;
  int64_t reports_due = 0, reports_on_time = 0, reports_late = 0;
  double on_time_share = 0;   // reports_on_time / reports_due (0 when none due)
  double mean_delay_min = 0;  // mean delay of the late reports, minutes (0 when none late)
  double mean_dispatch_s = 0, mean_arrival_s = 0;  // over the incidents that have them
  int64_t p90_arrival_s = 0;  // 90th percentile, nearest rank, of arrival (ms rounded to s); 0 if none
  bool operator==(const Row&) const = default;
};

// rows sorted by key (byte order of the strings, dim by dim); none when group_by is empty. total covers every incident that
// passed the filters once, whatever the grouping (so grouped by agency, the rows may add up to more
// than the total). columns: the group_by dims' names, then the measures' names as to_csv writes them.
struct Result {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  Row total;
};

// Checks a query. kInvalidArgument naming the field ("group_by", "zone", "jurisdiction",
// "jurisdiction_level", "categories", "types", "grades", "agencies", "to") when it is wrong.
core::Status validate(const Query& q);

// The measure columns after the dims, in order.
const std::vector<std::string>& measure_columns();

// CSV (RFC 4180: comma separated, CRLF line ends, fields with , " CR or LF quoted with "" doubled),
// UTF-8 without BOM: the header (result.columns), one line per row, then a line "total" (in the
// first column, the other dim columns empty; with no dims the header starts with a column "scope"
// holding "total"). Shares with 4 decimals, means with 1 decimal.
std::string to_csv(const Result& result);

}  // namespace liandong::stats
