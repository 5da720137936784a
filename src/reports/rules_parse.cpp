// The report rule file reader (format in docs/REPORTS.md).
#include <algorithm>
#include <optional>
#include <set>

#include "core/jurisdiction.h"
#include "core/yaml_support.h"
#include "reports/internal/duration.h"
#include "reports/rules.h"
#include "taxonomy/families.h"

namespace liandong::reports {
namespace {

namespace y = core::yaml;

struct RuleReader {
  std::string_view source;
  bool local;

  core::Status error(const YAML::Node& node, const std::string& what) const {
    return y::error_at(source, node, what);
  }

  core::Result<std::string> text(const YAML::Node& node, const std::string& what) const {
    return y::scalar(source, node, what);
  }

  core::Result<bool> flag(const YAML::Node& node, const std::string& what) const {
    auto s = text(node, what);
    if (!s) return s.status();
    if (*s == "true") return true;
    if (*s == "false") return false;
    return error(node, what + " must be true or false, not '" + s->substr(0, 32) + "'");
  }

  // A sequence of plain values, or a single plain value.
  core::Result<std::vector<std::pair<std::string, YAML::Node>>> list(const YAML::Node& node,
                                                                     const std::string& what) const {
    std::vector<std::pair<std::string, YAML::Node>> out;
    if (node.IsScalar()) {
      out.emplace_back(node.Scalar(), node);
      return out;
    }
    if (!node.IsSequence()) return error(node, what + " must be a list, e.g. [a, b]");
    for (const auto& item : node) {
      auto s = text(item, "an item of " + what);
      if (!s) return s.status();
      out.emplace_back(*s, item);
    }
    return out;
  }

  core::Status families(const YAML::Node& node, Rule& r) const {
    auto items = list(node, "families");
    if (!items) return items.status();
    for (const auto& item : *items) {
      const std::string& name = item.first;
      if (name == "all") {
        if (items->size() != 1) return error(item.second, "'all' stands alone in families");
        for (auto f : taxonomy::rule_families()) r.families.emplace_back(f);
        continue;
      }
      if (!taxonomy::is_rule_family(name)) {
        return error(item.second, "unknown rule family '" + name.substr(0, 64) + "' (known: " +
                                      std::string(taxonomy::rule_family_list()) + ", or all)");
      }
      if (std::find(r.families.begin(), r.families.end(), name) != r.families.end()) {
        return error(item.second, "family '" + name + "' appears twice");
      }
      r.families.push_back(name);
    }
    if (r.families.empty()) return error(node, "families must name at least one family");
    return core::Status::ok();
  }

  core::Status grades(const YAML::Node& node, Rule& r) const {
    auto items = list(node, "grades");
    if (!items) return items.status();
    for (const auto& item : *items) {
      auto g = core::parse_grade(item.first);
      if (!g) return error(item.second, "unknown grade '" + item.first.substr(0, 16) + "' (I, II, III or IV)");
      if (std::find(r.grades.begin(), r.grades.end(), *g) != r.grades.end()) {
        return error(item.second, "grade " + item.first + " appears twice");
      }
      r.grades.push_back(*g);
    }
    if (r.grades.empty()) return error(node, "grades must name at least one grade, or be left out for any");
    std::sort(r.grades.begin(), r.grades.end());
    return core::Status::ok();
  }

  core::Status tier(const YAML::Node& node, const std::string& what, Tier& out) const {
    auto s = text(node, what);
    if (!s) return s.status();
    auto t = parse_tier(*s);
    if (!t) {
      return error(node, what + " '" + s->substr(0, 32) +
                             "' is not a tier (unit, county, city, province, national)");
    }
    out = *t;
    return core::Status::ok();
  }

  core::Result<Rule> rule(const YAML::Node& node) const {
    Rule r;
    r.local = local;
    r.where = y::where(source, node.Mark());
    std::set<std::string> seen;
    std::optional<YAML::Node> within_node, at_node, families_node, while_open_node;
    LD_RETURN_IF_ERROR(y::for_each_entry(
        source, node, "a rule",
        [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& v) -> core::Status {
          seen.insert(key);
          if (key == "id") {
            auto s = text(v, "id");
            if (!s) return s.status();
            if (!y::is_code(*s)) {
              return error(v, "id '" + s->substr(0, 64) + "' must be a code: a-z, 0-9 and _, starting with a letter");
            }
            r.id = *s;
          } else if (key == "families") {
            families_node.emplace(v);
            return families(v, r);
          } else if (key == "grades") {
            return grades(v, r);
          } else if (key == "from") {
            return tier(v, "from", r.from);
          } else if (key == "to") {
            return tier(v, "to", r.to);
          } else if (key == "type") {
            auto s = text(v, "type");
            if (!s) return s.status();
            if (!core::contains(core::report_types(), *s)) {
              return error(v, "unknown report type '" + s->substr(0, 32) +
                                  "' (initial, progress, final, daily, bulletin, special)");
            }
            r.report_type = *s;
          } else if (key == "channel") {
            auto s = text(v, "channel");
            if (!s) return s.status();
            if (*s != "written" && *s != "phone") {
              return error(v, "channel '" + s->substr(0, 32) + "' must be written or phone");
            }
            r.channel = *s;
          } else if (key == "trigger") {
            auto s = text(v, "trigger");
            if (!s) return s.status();
            auto t = parse_trigger(*s);
            if (!t) {
              return error(v, "unknown trigger '" + s->substr(0, 32) +
                                  "' (first_knowledge, grade_confirmed, grade_changed, daily, closed)");
            }
            r.trigger = *t;
          } else if (key == "within") {
            auto s = text(v, "within");
            if (!s) return s.status();
            auto d = internal::parse_duration(*s);
            if (!d) {
              return error(v, "within '" + s->substr(0, 32) +
                                  "' is not a duration such as 30m, 2h, 1h30m or 15d (more than 0, at most 366d)");
            }
            r.within = *d;
            within_node.emplace(v);
          } else if (key == "at") {
            auto s = text(v, "at");
            if (!s) return s.status();
            auto m = internal::parse_time_of_day(*s);
            if (!m) return error(v, "at '" + s->substr(0, 32) + "' is not a local time of day HH:MM (quote it: \"08:00\")");
            r.daily_minute = *m;
            at_node.emplace(v);
          } else if (key == "while_open") {
            auto b = flag(v, "while_open");
            if (!b) return b.status();
            r.while_open = *b;
            while_open_node.emplace(v);
          } else if (key == "office") {
            auto b = flag(v, "office");
            if (!b) return b.status();
            r.office = *b;
          } else if (key == "jurisdiction") {
            auto s = text(v, "jurisdiction");
            if (!s) return s.status();
            auto code = core::JurisdictionCode::parse(*s);
            if (!code || s->size() != 6) {
              return error(v, "jurisdiction '" + s->substr(0, 32) + "' is not a six-digit GB/T 2260 code (e.g. 441200)");
            }
            r.jurisdiction = *s;
          } else if (key == "basis") {
            auto s = text(v, "basis");
            if (!s) return s.status();
            r.basis = *s;
          } else {
            return error(key_node, "unknown key '" + key.substr(0, 64) +
                                       "' in a rule (id, families, grades, from, to, type, channel, "
                                       "trigger, within, at, while_open, office, jurisdiction, basis)");
          }
          return core::Status::ok();
        }));
    for (const char* required : {"id", "from", "to", "type", "trigger", "basis"}) {
      if (!seen.count(required)) return error(node, std::string("the rule lacks '") + required + "'");
    }
    const std::string name = "rule " + r.id + ": ";
    if (r.basis.find_first_not_of(" \t") == std::string::npos) return error(node, name + "basis is empty");
    if (r.to <= r.from) {
      return error(node, name + "'to' (" + std::string(to_string(r.to)) + ") must be above 'from' (" +
                             std::string(to_string(r.from)) + ")");
    }
    if (r.trigger == Trigger::kDaily) {
      if (r.daily_minute < 0) return error(node, name + "a daily rule needs at: \"HH:MM\" (local time)");
      if (within_node) return error(*within_node, name + "a daily rule has 'at', not 'within'");
    } else {
      if (!within_node) return error(node, name + "the rule needs within: (e.g. 2h)");
      if (at_node) return error(*at_node, name + "'at' is for daily rules only");
      if (while_open_node) return error(*while_open_node, name + "'while_open' is for daily rules only");
      if (r.office) return error(node, name + "office: true is for daily rules only");
    }
    if (r.office) {
      if (families_node) return error(*families_node, name + "an office rule has no families (it concerns no incident)");
      if (while_open_node) return error(*while_open_node, name + "an office rule has no incident to be open");
      if (!r.grades.empty()) return error(node, name + "an office rule has no grades");
    } else if (r.families.empty()) {
      return error(node, name + "the rule lacks 'families' (or office: true for a daily rule)");
    }
    if (local && r.jurisdiction.empty()) {
      return error(node, name + "a local rule must name its jurisdiction (the code it applies in and below)");
    }
    return r;
  }
};

}  // namespace

core::Result<RuleSet> parse_rules(std::string_view text, std::string_view source, bool local) {
  auto doc = y::parse(text, source);
  if (!doc) return doc.status();
  RuleSet set;
  if (doc->IsNull()) return y::error_at(source, *doc, "the file is empty; it needs rules: [...]");
  std::optional<YAML::Node> rules;
  LD_RETURN_IF_ERROR(y::for_each_entry(
      source, *doc, "the file", [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& v) {
        if (key != "rules") return y::error_at(source, key_node, "unknown key '" + key.substr(0, 64) + "' (rules)");
        rules.emplace(v);
        return core::Status::ok();
      }));
  if (!rules) return y::error_at(source, *doc, "the file lacks 'rules'");
  if (rules->IsNull()) return set;
  if (!rules->IsSequence()) return y::error_at(source, *rules, "rules must be a list of rules (- id: ...)");
  RuleReader reader{source, local};
  std::set<std::string> ids;
  for (const auto& node : *rules) {
    auto r = reader.rule(node);
    if (!r) return r.status();
    if (!ids.insert(r->id).second) return y::error_at(source, node, "rule id '" + r->id + "' appears twice");
    set.rules.push_back(std::move(r).value());
  }
  return set;
}

}  // namespace liandong::reports
