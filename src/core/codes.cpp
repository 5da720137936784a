#include "core/codes.h"

#include <algorithm>
#include <array>

namespace liandong::core {
namespace {

constexpr std::array<std::string_view, 4> kCategories = {"natural_disaster", "accident_disaster",
                                                         "public_health", "social_safety"};
constexpr std::array<std::string_view, 4> kGrades = {"I", "II", "III", "IV"};
constexpr std::array<std::string_view, 4> kGradesZh = {"特别重大", "重大", "较大", "一般"};
constexpr std::array<std::string_view, 4> kPriorities = {"P1", "P2", "P3", "P4"};
constexpr std::array<std::string_view, 10> kUnitTypes = {
    "engine", "ladder", "rescue", "hazmat", "water_tender", "ambulance", "patrol", "traffic", "boat", "team"};
constexpr std::array<std::string_view, 8> kUnitStatuses = {
    "available", "dispatched", "en_route", "on_scene", "transporting", "at_hospital", "returning",
    "out_of_service"};
constexpr std::array<std::string_view, 6> kReportTypes = {"initial", "progress", "final",
                                                          "daily",   "bulletin", "special"};
constexpr std::array<std::string_view, 4> kWarningLevels = {"red", "orange", "yellow", "blue"};
constexpr std::array<std::string_view, 8> kChannels = {"110",    "119",     "120",    "122",
                                                       "12345", "sensor", "linkage", "manual"};

template <typename E, size_t N>
std::optional<E> find(const std::array<std::string_view, N>& table, std::string_view s, int base) {
  auto it = std::find(table.begin(), table.end(), s);
  if (it == table.end()) return std::nullopt;
  return static_cast<E>(static_cast<int>(it - table.begin()) + base);
}

}  // namespace

std::string_view to_string(Category c) { return kCategories[static_cast<int>(c)]; }
std::string_view to_string(Grade g) { return kGrades[static_cast<int>(g) - 1]; }
std::string_view to_string(Priority p) { return kPriorities[static_cast<int>(p) - 1]; }
std::string_view grade_name_zh(Grade g) { return kGradesZh[static_cast<int>(g) - 1]; }

std::optional<Category> parse_category(std::string_view s) { return find<Category>(kCategories, s, 0); }
std::optional<Grade> parse_grade(std::string_view s) { return find<Grade>(kGrades, s, 1); }
std::optional<Priority> parse_priority(std::string_view s) { return find<Priority>(kPriorities, s, 1); }

std::span<const std::string_view> default_unit_types() { return kUnitTypes; }
std::span<const std::string_view> unit_statuses() { return kUnitStatuses; }
std::span<const std::string_view> report_types() { return kReportTypes; }
std::span<const std::string_view> warning_levels() { return kWarningLevels; }
std::span<const std::string_view> alarm_channels() { return kChannels; }

bool contains(std::span<const std::string_view> table, std::string_view code) {
  return std::find(table.begin(), table.end(), code) != table.end();
}

bool is_code(std::string_view s, size_t max) {
  if (s.empty() || s.size() > max || s[0] < 'a' || s[0] > 'z') return false;
  for (char ch : s)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
  return true;
}

}  // namespace liandong::core
