// YAML helpers shared by every loader of files people write (types, rules, roles, plans): parsing without exceptions, error
// messages that name "source:line", strict whole numbers, and mapping walks that refuse
// duplicate keys (yaml-cpp 0.7 keeps both silently).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace liandong::core::yaml {

// "rules.yaml:12" (1-based line), or just "rules.yaml" when the mark is unknown.
std::string where(std::string_view source, const YAML::Mark& mark);
// kInvalidArgument "rules.yaml:12: what".
core::Status error_at(std::string_view source, const YAML::Node& node, std::string_view what);

// Parses one YAML document; a syntax error becomes kInvalidArgument naming the line.
core::Result<YAML::Node> parse(std::string_view text, std::string_view source);

// The scalar as a string; error if the node is not a scalar.
core::Result<std::string> scalar(std::string_view source, const YAML::Node& node,
                                 std::string_view what);
// A whole number written in decimal ("30", "-3"); error otherwise.
core::Result<int64_t> whole_number(std::string_view source, const YAML::Node& node,
                                   std::string_view what);

// Calls visit(key, key_node, value) for each entry of a mapping in document order. Errors if the
// node is not a mapping, a key is not a scalar or a key repeats; stops at the first error visit
// returns.
core::Status for_each_entry(
    std::string_view source, const YAML::Node& map, std::string_view what,
    const std::function<core::Status(const std::string& key, const YAML::Node& key_node,
                                     const YAML::Node& value)>& visit);

// Whether s is a code: [a-z][a-z0-9_]*, at most 64 characters (core::is_code).
bool is_code(std::string_view s);

}  // namespace liandong::core::yaml
