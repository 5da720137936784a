// Report rules: who reports to whom, of which families and grades, what type of report by which
// channel, within what time of what event; the compiled-in defaults from national regulations, a
// jurisdiction's stricter local rules, and the obligations a trigger creates.
//
// The YAML format, the default rules with the regulation each comes from, and the deadline
// semantics are in docs/REPORTS.md. RuleSet is a plain value: copyable, safe to read from many
// threads; default_rules() is built once and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/codes.h"
#include "core/status.h"
#include "core/time.h"
#include "reports/hierarchy.h"

namespace liandong::reports {

enum class Trigger { kFirstKnowledge, kGradeConfirmed, kGradeChanged, kDaily, kClosed };
// "first_knowledge","grade_confirmed","grade_changed","daily","closed".
std::string_view to_string(Trigger);
std::optional<Trigger> parse_trigger(std::string_view);

struct Rule {
  std::string id;                       // code, unique in its file
  std::vector<std::string> families;    // rule families (taxonomy/families.h); non-empty, empty for office
  std::vector<core::Grade> grades;      // empty = any grade, including not graded yet
  Tier from = Tier::kCounty, to = Tier::kCity;   // `to` above `from`
  std::string report_type;              // core::report_types()
  std::string channel = "written";      // "written" | "phone"
  Trigger trigger = Trigger::kFirstKnowledge;
  core::Millis within{};                // > 0 for every trigger but daily (0 there)
  int daily_minute = -1;                // daily only: minutes after local midnight ("08:00" → 480)
  bool while_open = true;               // daily with families: only while the incident is open
  bool office = false;                  // daily: the duty office's own daily report (no incident)
  std::string jurisdiction;             // "" = everywhere; a local rule's scope (that code and below)
  bool local = false;
  std::string basis;                    // the regulation, e.g. 《生产安全事故报告和调查处理条例》第九条
  std::string where;                    // "report_rules.yaml:12" for messages
};
struct RuleSet { std::vector<Rule> rules; };

// Reads a rule file (format in docs/REPORTS.md). `source` names the file in messages; `local`
// marks every rule as a jurisdiction's own (then each must name a `jurisdiction`). Every error is
// kInvalidArgument naming "source:line" and what is wrong; unknown keys, duplicate keys and
// duplicate ids are refused.
core::Result<RuleSet> parse_rules(std::string_view yaml, std::string_view source, bool local);

// The compiled-in default_report_rules.yaml (parsed once; thread-safe). Never fails: the defaults
// are tested.
const RuleSet& default_rules();
// The YAML text of the defaults, with its comments.
std::string_view default_rules_yaml();

// base + local: a local rule with the same key (a shared family — or both office rules — from, to,
// type, channel, trigger) as a base rule must be stricter (a smaller `within`; for daily an
// earlier-or-equal minute), else kInvalidArgument naming the local rule's line and the base rule
// it loosens (or merely repeats). Every local rule is added after the base rules (also those with new keys). Local
// rules must be marked local and name a `jurisdiction`.
core::Result<RuleSet> overlay(const RuleSet& base, const RuleSet& local);

struct Situation {
  std::string family;                   // the incident type's rule family ("" for office rules)
  std::optional<core::Grade> grade;     // confirmed, else proposed, else nullopt
  std::string incident_jurisdiction;    // six digits ("" for office rules: from_jurisdiction)
  bool open = true;
};

struct Due {
  std::string rule_id, report_type, channel, basis;
  Tier from, to;
  std::string from_jurisdiction, to_jurisdiction;   // six-digit codes (to may be kNationalCode)
  core::Timestamp due_at;
  core::Millis within{};
  int daily_minute = -1;
};

// The obligations that arise when the office `from_jurisdiction` (at tier `from`; for kUnit the
// incident's own code, or the county office receiving for it) meets `trigger` at `at`: every rule
// with that trigger and tier whose families contain the situation's family, whose grades admit its
// grade (an empty list admits all; a non-empty list does not admit nullopt), and whose
// jurisdiction scope (if any) contains the incident's jurisdiction. For rules sharing the key
// (report_type, channel, from, to) the strictest wins (earliest due_at, the first rule on a tie;
// one Due per key). due_at = at + within, or for daily the first instant strictly after `at` at
// daily_minute local time in `zone`. Office daily rules (office: true) are matched with an empty
// family; family daily rules with while_open only while the situation is open.
// Nothing arises when from_jurisdiction is malformed or not at tier `from` (kUnit accepts any
// code) or a rule's `to` cannot be reached from it. Sorted by due_at, then to, type, channel.
std::vector<Due> obligations_for(const RuleSet&, Trigger, const Situation&, Tier from,
                                 std::string_view from_jurisdiction, core::Timestamp at,
                                 std::string_view zone);

// The first instant strictly after `after` that is `minute` minutes past local midnight in `zone`
// (DST-correct via date/tz: a minute that a spring-forward skips is the moment the clocks jump; of
// a repeated one the earlier). An unknown zone (a programming error the caller prevents with
// core::is_known_zone) or a minute outside 0..1439 gives `after + 24h` defensively.
core::Timestamp next_daily(core::Timestamp after, int minute, std::string_view zone);

}  // namespace liandong::reports
