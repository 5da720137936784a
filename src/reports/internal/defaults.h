// The default report rules' YAML text, generated at configure time from default_report_rules.yaml
// (see CMakeLists.txt).
#pragma once

#include <string_view>

namespace liandong::reports::internal {

std::string_view default_report_rules_yaml();

}  // namespace liandong::reports::internal
