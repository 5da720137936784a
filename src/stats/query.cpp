#include "stats/query.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "core/codes.h"
#include "core/jurisdiction.h"
#include "core/time.h"

namespace liandong::stats {
namespace {

constexpr std::array<std::pair<Dim, std::string_view>, 8> kDims{{
    {Dim::kYear, "year"},
    {Dim::kMonth, "month"},
    {Dim::kDay, "day"},
    {Dim::kCategory, "category"},
    {Dim::kType, "type"},
    {Dim::kGrade, "grade"},
    {Dim::kJurisdiction, "jurisdiction"},
    {Dim::kAgency, "agency"},
}};

void append_field(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void append_measures(std::string& out, const Row& r) {
  out += fmt::format(",{},{},{},{},{},{},{},{},{},{:.4f},{:.1f},{:.1f},{:.1f},{}", r.incidents,
                     r.deaths, r.injuries, r.missing, r.affected, r.direct_loss_yuan, r.reports_due,
                     r.reports_on_time, r.reports_late, r.on_time_share, r.mean_delay_min,
                     r.mean_dispatch_s, r.mean_arrival_s, r.p90_arrival_s);
}

}  // namespace

std::optional<Dim> parse_dim(std::string_view s) {
  for (const auto& [d, name] : kDims)
    if (name == s) return d;
  return std::nullopt;
}

std::string_view dim_name(Dim d) {
  for (const auto& [dim, name] : kDims)
    if (dim == d) return name;
  return "?";
}

const std::vector<std::string>& measure_columns() {
  static const std::vector<std::string> kColumns{
      "incidents",     "deaths",          "injuries",       "missing",         "affected",
      "direct_loss_yuan", "reports_due",  "reports_on_time", "reports_late",   "on_time_share",
      "mean_delay_min", "mean_dispatch_s", "mean_arrival_s", "p90_arrival_s"};
  return kColumns;
}

core::Status validate(const Query& q) {
  if (q.group_by.size() > 4)
    return core::invalid("at most 4 dimensions to group by, got " +
                             std::to_string(q.group_by.size()),
                         "group_by");
  for (size_t i = 0; i < q.group_by.size(); ++i) {
    if (std::find(q.group_by.begin(), q.group_by.begin() + static_cast<ptrdiff_t>(i),
                  q.group_by[i]) != q.group_by.begin() + static_cast<ptrdiff_t>(i))
      return core::invalid("dimension '" + std::string(dim_name(q.group_by[i])) +
                               "' is given twice",
                           "group_by");
    if (dim_name(q.group_by[i]) == "?")
      return core::invalid("unknown dimension", "group_by");
  }
  if (!core::is_known_zone(q.zone))
    return core::invalid("'" + q.zone.substr(0, 64) + "' is not an IANA time zone (e.g. Asia/Shanghai)",
                         "zone");
  if (!q.jurisdiction.empty() &&
      (q.jurisdiction.size() != 6 || !core::JurisdictionCode::parse(q.jurisdiction)))
    return core::invalid("'" + q.jurisdiction.substr(0, 32) +
                             "' is not a six-digit GB/T 2260 code (e.g. 441200)",
                         "jurisdiction");
  if (!q.jurisdiction_level.empty() && q.jurisdiction_level != "county" &&
      q.jurisdiction_level != "city" && q.jurisdiction_level != "province")
    return core::invalid("'" + q.jurisdiction_level.substr(0, 32) +
                             "' is not a level (county, city, province)",
                         "jurisdiction_level");
  for (const auto& c : q.categories)
    if (!core::parse_category(c))
      return core::invalid("'" + c.substr(0, 32) + "' is not a category (natural_disaster, "
                           "accident_disaster, public_health, social_safety)",
                           "categories");
  for (const auto& t : q.types)
    if (!core::is_code(t))
      return core::invalid("'" + t.substr(0, 32) + "' is not a type code", "types");
  for (const auto& g : q.grades)
    if (!(g.empty() || g == "I" || g == "II" || g == "III" || g == "IV"))
      return core::invalid("'" + g.substr(0, 8) + "' is not a grade (I, II, III, IV, or \"\" for "
                           "not graded)",
                           "grades");
  for (const auto& a : q.agencies)
    if (a.empty()) return core::invalid("an agency id is empty", "agencies");
  if (q.from && q.to && *q.to < *q.from)
    return core::invalid("'to' is before 'from'", "to");
  return core::Status::ok();
}

std::string to_csv(const Result& result) {
  std::string out;
  const size_t dims =
      result.columns.size() - std::min(result.columns.size(), measure_columns().size());
  if (dims == 0) out += "scope,";
  for (size_t i = 0; i < result.columns.size(); ++i) {
    if (i) out += ',';
    append_field(out, result.columns[i]);
  }
  out += "\r\n";
  for (const Row& r : result.rows) {
    for (size_t i = 0; i < r.key.size(); ++i) {
      if (i) out += ',';
      append_field(out, r.key[i]);
    }
    append_measures(out, r);
    out += "\r\n";
  }
  out += "total";
  for (size_t i = 1; i < dims; ++i) out += ',';
  append_measures(out, result.total);
  out += "\r\n";
  return out;
}

}  // namespace liandong::stats
