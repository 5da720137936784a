#include "taxonomy/grade_rules.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "taxonomy/families.h"
#include "taxonomy/internal/defaults.h"
#include "core/yaml_support.h"

namespace liandong::taxonomy {
namespace {

using core::yaml::error_at;

constexpr std::array<std::string_view, 7> kFigureNames = {
    "deaths",   "serious_injuries", "injuries",        "missing",
    "affected", "evacuated",        "direct_loss_yuan"};
constexpr std::array<std::string_view, 7> kFigureNamesZh = {
    "死亡", "重伤", "受伤", "失踪", "受影响", "紧急转移安置", "直接经济损失"};
constexpr std::string_view kFigureList =
    "deaths, serious_injuries, injuries, missing, affected, evacuated, direct_loss_yuan";

constexpr std::string_view kGradeZhLabel[] = {"特别重大（I 级）", "重大（II 级）", "较大（III 级）",
                                              "一般（IV 级）"};

std::string_view grade_label_zh(core::Grade g) { return kGradeZhLabel[static_cast<int>(g) - 1]; }
core::Grade grade_at(size_t index) { return static_cast<core::Grade>(index + 1); }

// 100000000 -> "1 亿", 50000 -> "5 万", 1234 -> "1234": the way the regulations write amounts.
std::string amount_zh(int64_t n) {
  if (n >= 100000000 && n % 100000000 == 0) return std::to_string(n / 100000000) + " 亿";
  if (n >= 10000 && n % 10000 == 0) return std::to_string(n / 10000) + " 万";
  return std::to_string(n);
}

// "死亡 30 人", "直接经济损失 1 亿元".
std::string figure_zh(Figure f, int64_t n) {
  std::string out(kFigureNamesZh[static_cast<int>(f)]);
  std::string amount = amount_zh(n);
  bool plain = amount.back() >= '0' && amount.back() <= '9';
  out += " " + amount + (plain ? " " : "") + (f == Figure::kDirectLossYuan ? "元" : "人");
  return out;
}

std::string family_label_zh(std::string_view family) {
  std::string_view zh = family_name_zh(family);
  return zh.empty() ? std::string(family) : std::string(zh);
}

bool written_in(const Criterion& c, std::string_view source) {
  return c.origin.size() > source.size() && c.origin.compare(0, source.size(), source) == 0 &&
         c.origin[source.size()] == ':';
}

// Each figure's threshold must fall strictly from grade I to III, or the lesser grade's criterion
// could never be the one that matches. Reports at the criterion written in this source if any.
core::Status check_monotone(std::string_view source, const FamilyRules& fam) {
  for (size_t g = 0; g < fam.grades.size(); ++g) {
    for (size_t h = g + 1; h < fam.grades.size(); ++h) {
      for (const Criterion& graver : fam.grades[g]) {
        for (const Criterion& lesser : fam.grades[h]) {
          if (graver.figure != lesser.figure || graver.threshold > lesser.threshold) continue;
          std::string gl(core::to_string(grade_at(g))), ll(core::to_string(grade_at(h)));
          if (!written_in(graver, source) && written_in(lesser, source))
            return core::invalid(lesser.origin + ": " + fam.family + " criterion '" +
                                 lesser.text() + "' of grade " + ll + " is not below grade " + gl +
                                 "'s '" + graver.text() + "' (" + graver.origin +
                                 "); thresholds must fall from grade I to III");
          return core::invalid(graver.origin + ": " + fam.family + " criterion '" + graver.text() +
                               "' of grade " + gl + " is not above grade " + ll + "'s '" +
                               lesser.text() + "' (" + lesser.origin +
                               "); thresholds must fall from grade I to III");
        }
      }
    }
  }
  return core::Status::ok();
}

core::Result<std::vector<Criterion>> read_criteria(std::string_view source, const YAML::Node& node,
                                                   std::string_view family,
                                                   std::string_view grade) {
  std::vector<Criterion> out;
  if (node.IsNull()) return out;
  std::string what = std::string(family) + " grade " + std::string(grade);
  LD_RETURN_IF_ERROR(core::yaml::for_each_entry(
      source, node, what,
      [&](const std::string& key, const YAML::Node& key_node,
          const YAML::Node& value) -> core::Status {
        auto figure = parse_figure(key);
        if (!figure)
          return error_at(source, key_node,
                          "unknown figure '" + key + "' in " + what + " (expected " +
                              std::string(kFigureList) + ")");
        auto threshold = core::yaml::whole_number(source, value, "criterion '" + key + " >= ...'");
        if (!threshold) return threshold.status();
        Criterion c{*figure, *threshold, core::yaml::where(source, key_node.Mark())};
        if (c.threshold < 0)
          return error_at(source, value,
                          "criterion '" + c.text() + "': threshold must be 0 or more");
        out.push_back(std::move(c));
        return core::Status::ok();
      }));
  return out;
}

core::Status read_family(std::string_view source, const YAML::Node& node, FamilyRules& fam) {
  if (node.IsNull()) return core::Status::ok();
  return core::yaml::for_each_entry(
      source, node, "family " + fam.family,
      [&](const std::string& key, const YAML::Node& key_node,
          const YAML::Node& value) -> core::Status {
        if (key == "source") {
          auto text = core::yaml::scalar(source, value, "'source'");
          if (!text) return text.status();
          fam.source = *text;
          return core::Status::ok();
        }
        if (key != "grades")
          return error_at(
              source, key_node,
              "unknown field '" + key + "' in family " + fam.family + " (expected source, grades)");
        if (value.IsNull()) return core::Status::ok();
        return core::yaml::for_each_entry(
            source, value, fam.family + " grades",
            [&](const std::string& grade, const YAML::Node& grade_node,
                const YAML::Node& criteria) -> core::Status {
              auto g = core::parse_grade(grade);
              if (g == core::Grade::kIV)
                return error_at(source, grade_node,
                                "grade IV takes no criteria: it is proposed when no criterion of "
                                "grades I-III holds");
              if (!g)
                return error_at(source, grade_node,
                                "unknown grade '" + grade + "' (expected I, II or III)");
              auto list = read_criteria(source, criteria, fam.family, grade);
              if (!list) return list.status();
              fam.grades[static_cast<int>(*g) - 1] = std::move(list).value();
              return core::Status::ok();
            });
      });
}

core::Status load(std::string_view text, std::string_view source,
                  std::vector<FamilyRules>& families, bool need_families) {
  auto doc = core::yaml::parse(text, source);
  if (!doc) return doc.status();
  const YAML::Node& root = *doc;
  if (root.IsNull()) {
    if (need_families) return core::invalid(std::string(source) + ": no 'families' in the rules");
    return core::Status::ok();
  }
  bool seen = false;
  LD_RETURN_IF_ERROR(core::yaml::for_each_entry(
      source, root, "the top level",
      [&](const std::string& key, const YAML::Node& key_node,
          const YAML::Node& value) -> core::Status {
        if (key != "families")
          return error_at(source, key_node, "unknown field '" + key + "' (expected families)");
        seen = true;
        if (value.IsNull()) return core::Status::ok();
        return core::yaml::for_each_entry(
            source, value, "families",
            [&](const std::string& family, const YAML::Node& family_node,
                const YAML::Node& body) -> core::Status {
              if (!is_rule_family(family))
                return error_at(source, family_node,
                                "unknown family '" + family + "' (expected " +
                                    std::string(rule_family_list()) + ")");
              auto it = std::find_if(families.begin(), families.end(),
                                     [&](const FamilyRules& f) { return f.family == family; });
              if (it == families.end()) {
                families.push_back(FamilyRules{family, {}, {}});
                it = families.end() - 1;
              }
              return read_family(source, body, *it);
            });
      }));
  if (!seen && need_families)
    return core::invalid(std::string(source) + ": no 'families' in the rules");
  for (const FamilyRules& fam : families) LD_RETURN_IF_ERROR(check_monotone(source, fam));
  return core::Status::ok();
}

}  // namespace

std::string_view to_string(Figure f) { return kFigureNames[static_cast<int>(f)]; }

std::optional<Figure> parse_figure(std::string_view s) {
  auto it = std::find(kFigureNames.begin(), kFigureNames.end(), s);
  if (it == kFigureNames.end()) return std::nullopt;
  return static_cast<Figure>(it - kFigureNames.begin());
}

int64_t value_of(const Figures& x, Figure f) {
  switch (f) {
    case Figure::kDeaths:
      return x.deaths;
    case Figure::kSeriousInjuries:
      return x.serious_injuries;
    case Figure::kInjuries:
      return x.injuries;
    case Figure::kMissing:
      return x.missing;
    case Figure::kAffected:
      return x.affected;
    case Figure::kEvacuated:
      return x.evacuated;
    case Figure::kDirectLossYuan:
      return x.direct_loss_yuan;
  }
  return 0;
}

std::string Criterion::text() const {
  return std::string(to_string(figure)) + " >= " + std::to_string(threshold);
}

std::string Criterion::text_zh() const { return figure_zh(figure, threshold) + "以上"; }

const GradeRules& GradeRules::defaults() {
  static const GradeRules kDefaults = [] {
    auto loaded = load_yaml(internal::default_rules_yaml(), "default_rules.yaml");
    if (!loaded) {  // a build defect, caught by taxonomy_test
      std::fprintf(stderr, "liandong: bad default grade rules: %s\n",
                   loaded.status().message().c_str());
      std::abort();
    }
    return std::move(loaded).value();
  }();
  return kDefaults;
}

std::string_view GradeRules::default_yaml() { return internal::default_rules_yaml(); }

core::Result<GradeRules> GradeRules::load_yaml(std::string_view text,
                                               std::string_view source_name) {
  GradeRules out;
  try {
    LD_RETURN_IF_ERROR(load(text, source_name, out.families_, /*need_families=*/true));
  } catch (const YAML::Exception& e) {
    return core::invalid(core::yaml::where(source_name, e.mark) + ": " + e.msg);
  } catch (const std::exception& e) {
    return core::invalid(std::string(source_name) + ": " + e.what());
  }
  return out;
}

core::Result<GradeRules> GradeRules::load_yaml(std::string_view text, std::string_view source_name,
                                               const GradeRules& base) {
  GradeRules out = base;
  try {
    LD_RETURN_IF_ERROR(load(text, source_name, out.families_, /*need_families=*/false));
  } catch (const YAML::Exception& e) {
    return core::invalid(core::yaml::where(source_name, e.mark) + ": " + e.msg);
  } catch (const std::exception& e) {
    return core::invalid(std::string(source_name) + ": " + e.what());
  }
  return out;
}

const FamilyRules* GradeRules::find(std::string_view family) const {
  for (const FamilyRules& f : families_)
    if (f.family == family) return &f;
  return nullptr;
}

GradeProposal GradeRules::propose(std::string_view family, const Figures& figures) const {
  GradeProposal p{core::Grade::kIV, std::string(family), {}, {}, {}};
  const FamilyRules* rules = find(family);
  bool any = rules && std::any_of(rules->grades.begin(), rules->grades.end(),
                                  [](const auto& list) { return !list.empty(); });
  if (!any) {
    p.criterion = "no rule applies";
    p.reason_en = "no grade rules for family '" + p.family +
                  "'; grade IV is proposed for a person to confirm";
    p.reason_zh = "无适用的分级规则（" + p.family + "），建议为一般（IV 级），请人工确认";
    return p;
  }
  for (size_t g = 0; g < rules->grades.size(); ++g) {
    for (const Criterion& c : rules->grades[g]) {
      int64_t value = value_of(figures, c.figure);
      if (value < c.threshold) continue;
      p.grade = grade_at(g);
      p.criterion = c.text();
      p.reason_en = std::string(to_string(c.figure)) + " " + std::to_string(value) +
                    " meets the grade " + std::string(core::to_string(p.grade)) + " (" +
                    std::string(core::grade_name_zh(p.grade)) + ") criterion of " + p.family +
                    ": " + c.text();
      p.reason_zh = figure_zh(c.figure, value) + "，达到" + family_label_zh(family) +
                    std::string(grade_label_zh(p.grade)) + "标准：" + c.text_zh();
      return p;
    }
  }
  p.criterion = "below grade III";
  p.reason_en = "no grade I-III criterion of " + p.family + " holds; grade IV (一般) is proposed";
  p.reason_zh =
      "未达到" + family_label_zh(family) + "较大（III 级）及以上标准，建议为一般（IV 级）";
  return p;
}

std::string GradeRules::to_yaml() const {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "families" << YAML::Value << YAML::BeginMap;
  for (const FamilyRules& fam : families_) {
    out << YAML::Key << fam.family << YAML::Value << YAML::BeginMap;
    if (!fam.source.empty()) out << YAML::Key << "source" << YAML::Value << fam.source;
    out << YAML::Key << "grades" << YAML::Value << YAML::BeginMap;
    for (size_t g = 0; g < fam.grades.size(); ++g) {
      out << YAML::Key << std::string(core::to_string(grade_at(g))) << YAML::Value;
      if (fam.grades[g].empty()) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const Criterion& c : fam.grades[g])
        out << YAML::Key << std::string(to_string(c.figure)) << YAML::Value << c.threshold;
      out << YAML::EndMap;
    }
    out << YAML::EndMap << YAML::EndMap;
  }
  out << YAML::EndMap << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace liandong::taxonomy
