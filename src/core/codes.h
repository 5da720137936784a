// Codes shared by all modules (DESIGN.md, "Codes shared by all modules").
//
// Categories, grades and priorities are fixed by national rules and are enums. Open-ended tables
// (unit types, unit statuses, report types, alarm channels, warning levels) are string codes with
// a default table here; a jurisdiction may extend them through its configuration.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace liandong::core {

enum class Category { kNaturalDisaster, kAccidentDisaster, kPublicHealth, kSocialSafety };
enum class Grade { kI = 1, kII = 2, kIII = 3, kIV = 4 };  // I is the gravest
enum class Priority { kP1 = 1, kP2 = 2, kP3 = 3, kP4 = 4 };  // P1 is the most urgent

std::string_view to_string(Category c);
std::string_view to_string(Grade g);
std::string_view to_string(Priority p);
std::optional<Category> parse_category(std::string_view s);
std::optional<Grade> parse_grade(std::string_view s);
std::optional<Priority> parse_priority(std::string_view s);
// Chinese name of a grade: 特别重大, 重大, 较大, 一般.
std::string_view grade_name_zh(Grade g);

// Default tables of the open-ended codes.
std::span<const std::string_view> default_unit_types();
std::span<const std::string_view> unit_statuses();
std::span<const std::string_view> report_types();
std::span<const std::string_view> warning_levels();
std::span<const std::string_view> alarm_channels();

bool contains(std::span<const std::string_view> table, std::string_view code);

// Whether s is a code: [a-z][a-z0-9_]*, at most `max` characters (kinds, parameters, keys).
bool is_code(std::string_view s, size_t max = 64);

}  // namespace liandong::core
