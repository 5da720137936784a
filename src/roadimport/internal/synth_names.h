// Chinese names for the synthetic city: street bases from two syllable tables, numerals, and the
// fixed lists of districts and landmarks. Pure functions of their arguments.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace liandong::roadimport::internal {

// A two-character base name ("文明", "麦地"); distinct for distinct `index` below
// base_name_count(), then repeated with a prefix ("新文明", "东文明" ...).
std::string base_name(uint64_t index);
uint64_t base_name_count();

// 1 → "一", 12 → "十二", 40 → "四十", 123 → "123".
std::string chinese_number(uint32_t n);

struct Landmark {
  std::string_view name;
  std::string_view type;  // OSM-like amenity value: hospital, school, fire_station ...
};
const std::vector<Landmark>& landmarks();
// District (街道) names, for the districts laid over the city.
const std::vector<std::string_view>& district_names();

}  // namespace liandong::roadimport::internal
