// The default YAML texts, generated at configure time from default_types.yaml and
// default_rules.yaml (see CMakeLists.txt).
#pragma once

#include <string_view>

namespace liandong::taxonomy::internal {

std::string_view default_types_yaml();
std::string_view default_rules_yaml();

}  // namespace liandong::taxonomy::internal
