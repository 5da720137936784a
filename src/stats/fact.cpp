#include "stats/fact.h"

#include <algorithm>

#include "core/codes.h"
#include "core/jurisdiction.h"

namespace liandong::stats {
namespace {

bool valid_grade(std::string_view g) {
  return g.empty() || g == "I" || g == "II" || g == "III" || g == "IV";
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

}  // namespace

core::Status validate(const Fact& f, const std::string& where) {
  auto field = [&](const char* name) { return where + "." + name; };
  if (f.id.empty() || f.id.size() > 128 || has_control(f.id))
    return core::invalid("an incident id must be 1 to 128 bytes without control characters",
                         field("id"));
  if (f.jurisdiction.size() != 6 || !core::JurisdictionCode::parse(f.jurisdiction))
    return core::invalid("'" + f.jurisdiction.substr(0, 32) +
                             "' is not a six-digit GB/T 2260 code (e.g. 441202)",
                         field("jurisdiction"));
  if (!core::parse_category(f.category))
    return core::invalid("'" + f.category.substr(0, 32) +
                             "' is not a category (natural_disaster, accident_disaster, "
                             "public_health, social_safety)",
                         field("category"));
  if (!core::is_code(f.type))
    return core::invalid("'" + f.type.substr(0, 32) + "' is not a type code ([a-z][a-z0-9_]*)",
                         field("type"));
  if (!valid_grade(f.grade))
    return core::invalid("'" + f.grade.substr(0, 8) + "' is not a grade (\"\", I, II, III, IV)",
                         field("grade"));
  for (size_t i = 0; i < f.agencies.size(); ++i) {
    const std::string& a = f.agencies[i];
    const std::string af = where + ".agencies[" + std::to_string(i) + "]";
    if (a.empty() || a.size() > 128 || has_control(a))
      return core::invalid("an agency id must be 1 to 128 bytes without control characters", af);
    if (std::find(f.agencies.begin(), f.agencies.begin() + static_cast<ptrdiff_t>(i), a) !=
        f.agencies.begin() + static_cast<ptrdiff_t>(i))
      return core::invalid("agency '" + a.substr(0, 32) + "' is listed twice", af);
  }
  // 1900-01-01 … 2200-01-01 UTC: day buckets are tables over the data's span, which a stray
  // year 30000 would blow up.
  const int64_t opened = core::to_unix_millis(f.opened_at);
  if (opened < -2'208'988'800'000 || opened >= 7'258'118'400'000)
    return core::invalid("must lie between 1900 and 2200", field("opened_at"));
  if (f.closed_at && *f.closed_at < f.opened_at)
    return core::invalid("closed before it was opened", field("closed_at"));
  // Upper bounds far above any real incident, so that sums over millions of facts cannot
  // overflow (loss: 10^12 yuan × 9 million facts still fits in int64).
  constexpr int64_t kPeople = 2'000'000'000, kYuan = 1'000'000'000'000,
                    kInterval = 10LL * 366 * 86'400'000, kReports = 1'000'000;
  struct Figure {
    const char* name;
    int64_t value, max;
  };
  const Figure figures[] = {
      {"deaths", f.deaths, kPeople},
      {"injuries", f.injuries, kPeople},
      {"missing", f.missing, kPeople},
      {"affected", f.affected, kPeople},
      {"direct_loss_yuan", f.direct_loss_yuan, kYuan},
      {"dispatch_ms", f.dispatch_ms.value_or(0), kInterval},
      {"arrival_ms", f.arrival_ms.value_or(0), kInterval},
      {"reports_due", f.reports_due, kReports},
      {"reports_on_time", f.reports_on_time, kReports},
      {"reports_late", f.reports_late, kReports},
      {"report_delay_ms", f.report_delay_ms, kInterval * 100},
  };
  for (const auto& fig : figures) {
    if (fig.value < 0) return core::invalid("must not be negative", field(fig.name));
    if (fig.value > fig.max)
      return core::invalid(std::to_string(fig.value) + " is over the limit " +
                               std::to_string(fig.max),
                           field(fig.name));
  }
  if (int64_t{f.reports_on_time} + f.reports_late > f.reports_due)
    return core::invalid("reports on time plus late (" +
                             std::to_string(int64_t{f.reports_on_time} + f.reports_late) +
                             ") exceed the reports due (" + std::to_string(f.reports_due) + ")",
                         field("reports_due"));
  return core::Status::ok();
}

}  // namespace liandong::stats
