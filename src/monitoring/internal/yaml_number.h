// Strict decimal numbers from YAML scalars, shared by the limit-table and rule-set parsers.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string_view>

#include "core/status.h"

namespace liandong::monitoring::internal {

// A finite decimal number ("0.005", "5", "1e-4"); "nan", "inf", "", "0x10", "5 mg" are refused
// with "source:line: what: '…' is not a number". Infinite results (1e999) are refused too.
core::Result<double> finite_number(std::string_view source, const YAML::Node& node,
                                   std::string_view what);

// "0.005", "2", "0.0001": the shortest text that reads back as the same double.
std::string format_number(double v);

}  // namespace liandong::monitoring::internal
