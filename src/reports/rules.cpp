#include "reports/rules.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "core/jurisdiction.h"
#include "reports/internal/defaults.h"
#include "reports/internal/duration.h"

namespace liandong::reports {
namespace {

constexpr std::array<std::string_view, 5> kTriggers = {"first_knowledge", "grade_confirmed",
                                                       "grade_changed", "daily", "closed"};

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool shares_family(const Rule& a, const Rule& b) {
  if (a.office || b.office) return a.office && b.office;
  for (const auto& f : a.families) {
    if (contains(b.families, f)) return true;
  }
  return false;
}

bool same_key(const Rule& a, const Rule& b) {
  return a.from == b.from && a.to == b.to && a.report_type == b.report_type &&
         a.channel == b.channel && a.trigger == b.trigger && shares_family(a, b);
}

std::string describe(const Rule& r) {
  return r.trigger == Trigger::kDaily ? "at " + internal::format_time_of_day(r.daily_minute)
                                      : "within " + internal::format_duration(r.within);
}

bool in_scope(const Rule& r, std::string_view incident) {
  if (r.jurisdiction.empty()) return true;
  auto scope = core::JurisdictionCode::parse(r.jurisdiction);
  auto code = core::JurisdictionCode::parse(incident);
  return scope && code && incident.size() == 6 && code->within(*scope);
}

bool admits(const Rule& r, const Situation& s) {
  if (r.office) return s.family.empty();
  if (s.family.empty() || !contains(r.families, s.family)) return false;
  if (!r.grades.empty() && (!s.grade || std::find(r.grades.begin(), r.grades.end(), *s.grade) == r.grades.end())) {
    return false;
  }
  if (r.trigger == Trigger::kDaily && r.while_open && !s.open) return false;
  return true;
}

}  // namespace

std::string_view to_string(Trigger t) { return kTriggers[static_cast<size_t>(t)]; }

std::optional<Trigger> parse_trigger(std::string_view s) {
  for (size_t i = 0; i < kTriggers.size(); ++i) {
    if (kTriggers[i] == s) return static_cast<Trigger>(i);
  }
  return std::nullopt;
}

std::string_view default_rules_yaml() { return internal::default_report_rules_yaml(); }

const RuleSet& default_rules() {
  // The defaults are tested (rules_test), so a failure here is a build defect: an empty set then.
  static const RuleSet kRules = [] {
    auto parsed = parse_rules(default_rules_yaml(), "default_report_rules.yaml", false);
    return parsed ? std::move(parsed).value() : RuleSet{};
  }();
  return kRules;
}

core::Result<RuleSet> overlay(const RuleSet& base, const RuleSet& local) {
  RuleSet out = base;
  for (const auto& l : local.rules) {
    if (!l.local || l.jurisdiction.empty()) {
      return core::invalid(l.where + ": rule " + l.id +
                           " is not a local rule naming its jurisdiction; read it with parse_rules(..., local = true)");
    }
    for (const auto& b : base.rules) {
      if (!same_key(l, b)) continue;
      bool stricter = l.trigger == Trigger::kDaily ? l.daily_minute <= b.daily_minute : l.within < b.within;
      if (!stricter) {
        return core::invalid(l.where + ": local rule " + l.id + " (" + describe(l) + ") is not stricter than rule " +
                             b.id + " at " + b.where + " (" + describe(b) + ") for the same " +
                             std::string(to_string(l.from)) + " → " + std::string(to_string(l.to)) + " " +
                             l.report_type + " by " + l.channel + " on " + std::string(to_string(l.trigger)) +
                             "; a local rule may only tighten");
      }
    }
    out.rules.push_back(l);
  }
  return out;
}

core::Timestamp next_daily(core::Timestamp after, int minute, std::string_view zone) {
  const auto fallback = after + std::chrono::hours{24};
  if (minute < 0 || minute >= 24 * 60) return fallback;
  const date::time_zone* tz = nullptr;
  try {
    tz = date::locate_zone(std::string(zone));
  } catch (const std::exception&) {
    return fallback;
  }
  auto local = tz->to_local(std::chrono::floor<std::chrono::seconds>(after));
  auto day = std::chrono::floor<date::days>(local);
  // Local days around `after`'s own: one of the first three is strictly after it, whatever the
  // zone's offset changes that day.
  for (int d = -1; d <= 2; ++d) {
    auto lt = date::local_seconds{day + date::days{d}} + std::chrono::minutes{minute};
    auto sys = tz->to_sys(lt, date::choose::earliest);
    core::Timestamp t = std::chrono::time_point_cast<core::Millis>(sys);
    if (t > after) return t;
  }
  return fallback;
}

std::vector<Due> obligations_for(const RuleSet& set, Trigger trigger, const Situation& s, Tier from,
                                 std::string_view from_jurisdiction, core::Timestamp at,
                                 std::string_view zone) {
  std::vector<Due> out;
  auto own = tier_of(from_jurisdiction);
  if (!own || (from != Tier::kUnit && *own != from)) return out;
  const std::string_view incident = s.incident_jurisdiction.empty() ? from_jurisdiction : s.incident_jurisdiction;
  using Key = std::tuple<std::string, std::string, Tier, Tier>;
  std::map<Key, size_t> by_key;
  for (const auto& r : set.rules) {
    if (r.trigger != trigger || r.from != from || !admits(r, s) || !in_scope(r, incident)) continue;
    auto to_code = code_at(from_jurisdiction, r.to);
    if (!to_code) continue;
    Due d;
    d.rule_id = r.id;
    d.report_type = r.report_type;
    d.channel = r.channel;
    d.basis = r.basis;
    d.from = r.from;
    d.to = r.to;
    d.from_jurisdiction = std::string(from_jurisdiction);
    d.to_jurisdiction = std::move(to_code).value();
    d.within = r.within;
    d.daily_minute = r.daily_minute;
    d.due_at = trigger == Trigger::kDaily ? next_daily(at, r.daily_minute, zone) : at + r.within;
    Key key{r.report_type, r.channel, r.from, r.to};
    auto [it, inserted] = by_key.try_emplace(key, out.size());
    if (inserted) {
      out.push_back(std::move(d));
    } else if (d.due_at < out[it->second].due_at) {
      out[it->second] = std::move(d);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Due& a, const Due& b) {
    return std::tie(a.due_at, a.to, a.report_type, a.channel) < std::tie(b.due_at, b.to, b.report_type, b.channel);
  });
  return out;
}

}  // namespace liandong::reports
