// The built-in YAML texts, generated at configure time from gb3838_2002.yaml and
// default_warning_rules.yaml (see CMakeLists.txt).
#pragma once

#include <string_view>

namespace liandong::monitoring::internal {

std::string_view gb3838_2002_yaml();
std::string_view default_warning_rules_yaml();

}  // namespace liandong::monitoring::internal
