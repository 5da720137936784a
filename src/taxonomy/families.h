// The rule families: the sets of grading rules that incident types belong to (DESIGN.md,
// "Grading"). The list is fixed by national regulations, so adding a family is a code change here;
// types (taxonomy.h) and rule files (grade_rules.h) must name one of these.
// Plain functions over static tables: thread-safe.
#pragma once

#include <span>
#include <string_view>

namespace liandong::taxonomy {

inline constexpr std::string_view kProductionSafety = "production_safety";
inline constexpr std::string_view kEnvironmental = "environmental";
inline constexpr std::string_view kPublicHealth = "public_health";
inline constexpr std::string_view kNaturalDisaster = "natural_disaster";
inline constexpr std::string_view kSocialSafety = "social_safety";

// The five families, in the order above.
std::span<const std::string_view> rule_families();
bool is_rule_family(std::string_view family);
// "production_safety, environmental, ..." for error messages.
std::string_view rule_family_list();
// Chinese name of a family, e.g. 生产安全事故; empty for an unknown family.
std::string_view family_name_zh(std::string_view family);

}  // namespace liandong::taxonomy
