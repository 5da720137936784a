// Grade rules: from an incident's figures, each rule family PROPOSES a grade I–IV (DESIGN.md,
// "Grading"); a person confirms it.
//
// For each of grades I, II and III a family has criteria "figure >= N" (inclusive). The first
// grade, I first, any of whose criteria holds is proposed, naming the criterion that matched; when
// none holds, IV ("below grade III"). Within a grade, criteria are tried in the order written.
//
// The default rules are a YAML text compiled into the library (default_rules.yaml), read by the
// same loader as a jurisdiction's rule file. The format is in docs/TAXONOMY.md.
//
// GradeRules is an immutable value once built: copyable, and safe to read from many threads.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/codes.h"
#include "core/status.h"

namespace liandong::taxonomy {

// An incident's figures. Counts of people, except direct_loss_yuan. affected counts cases for
// public-health incidents; evacuated counts people evacuated or relocated (紧急转移安置).
struct Figures {
  int64_t deaths = 0, serious_injuries = 0, injuries = 0, missing = 0, affected = 0, evacuated = 0,
          direct_loss_yuan = 0;
  bool operator==(const Figures&) const = default;  // Figures{} : none known
};

enum class Figure {
  kDeaths,
  kSeriousInjuries,
  kInjuries,
  kMissing,
  kAffected,
  kEvacuated,
  kDirectLossYuan
};

// "deaths", "serious_injuries", ... — the names used in YAML and in criteria.
std::string_view to_string(Figure f);
std::optional<Figure> parse_figure(std::string_view s);
int64_t value_of(const Figures& figures, Figure f);

struct Criterion {
  Figure figure;
  int64_t threshold;            // holds when the figure is threshold or more
  std::string origin;           // where it was written, e.g. "rules.yaml:12"
  std::string text() const;     // "deaths >= 30"
  std::string text_zh() const;  // "死亡 30 人以上", "直接经济损失 1 亿元以上"
};

struct FamilyRules {
  std::string family;                            // one of rule_families()
  std::string source;                            // the regulation the thresholds come from
  std::array<std::vector<Criterion>, 3> grades;  // [0] grade I, [1] II, [2] III
};

struct GradeProposal {
  core::Grade grade;
  std::string family;
  std::string criterion;  // "deaths >= 30"; "below grade III"; "no rule applies"
  std::string reason_zh;
  std::string reason_en;
};

class GradeRules {
 public:
  // The compiled-in defaults (see docs/TAXONOMY.md), built once. Never fails: the defaults are
  // tested. A reference to a static, so `for (auto& f : GradeRules::defaults().families())` is
  // safe.
  static const GradeRules& defaults();
  // The YAML text of the defaults, with its source citations as comments.
  static std::string_view default_yaml();

  // Reads a complete rule set. Families not in the file have no rules (they propose IV).
  // On error returns kInvalidArgument "source:line: what is wrong" — malformed YAML, an unknown
  // family, grade or figure, a negative or non-integer threshold, a figure whose threshold does not
  // fall strictly from grade I to III, a repeated key; never throws.
  static core::Result<GradeRules> load_yaml(std::string_view text, std::string_view source_name);
  // Applies a jurisdiction's rule file to base: each grade a family lists replaces that family's
  // criteria for that grade ("II: {}" removes them); grades not listed are kept; a family's source
  // is replaced if given. The merged rules are checked as above.
  static core::Result<GradeRules> load_yaml(std::string_view text, std::string_view source_name,
                                            const GradeRules& base);

  // Proposes a grade for an incident of this family. An unknown family, or one without rules,
  // proposes IV with criterion "no rule applies".
  GradeProposal propose(std::string_view family, const Figures& figures) const;

  // The rules of a family, or nullptr.
  const FamilyRules* find(std::string_view family) const;
  std::span<const FamilyRules> families() const { return families_; }

  // The rules in the YAML format load_yaml reads (without comments); load_yaml(to_yaml()) gives
  // the same proposals.
  std::string to_yaml() const;

 private:
  std::vector<FamilyRules> families_;
};

}  // namespace liandong::taxonomy
