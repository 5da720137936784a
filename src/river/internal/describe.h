// How validation messages name a feature and its fields ("feature 3 (reach \"r1\")",
// "features[3].properties.length_m").
#pragma once

#include <string>
#include <string_view>

namespace liandong::river::internal {

inline std::string feature_name(size_t index, std::string_view kind, std::string_view id) {
  std::string s = "feature " + std::to_string(index);
  if (!id.empty()) s += " (" + std::string(kind) + " \"" + std::string(id.substr(0, 128)) + "\")";
  return s;
}

inline std::string property_field(size_t index, std::string_view property) {
  return "features[" + std::to_string(index) + "].properties." + std::string(property);
}

}  // namespace liandong::river::internal
