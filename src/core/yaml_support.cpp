#include "core/yaml_support.h"

#include "core/codes.h"

#include <charconv>
#include <set>

namespace liandong::core::yaml {

std::string where(std::string_view source, const YAML::Mark& mark) {
  std::string out(source);
  if (!mark.is_null()) out += ":" + std::to_string(mark.line + 1);
  return out;
}

core::Status error_at(std::string_view source, const YAML::Node& node, std::string_view what) {
  return core::invalid(where(source, node.Mark()) + ": " + std::string(what));
}

core::Result<YAML::Node> parse(std::string_view text, std::string_view source) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return core::invalid(where(source, e.mark) + ": not valid YAML: " + e.msg);
  }
}

core::Result<std::string> scalar(std::string_view source, const YAML::Node& node,
                                 std::string_view what) {
  if (!node.IsScalar()) return error_at(source, node, std::string(what) + " must be a plain value");
  return node.Scalar();
}

core::Result<int64_t> whole_number(std::string_view source, const YAML::Node& node,
                                   std::string_view what) {
  auto text = scalar(source, node, what);
  if (!text) return text.status();
  const std::string& s = *text;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size())
    return error_at(source, node,
                    std::string(what) + ": '" + s + "' is not a whole number (write digits only)");
  return value;
}

core::Status for_each_entry(
    std::string_view source, const YAML::Node& map, std::string_view what,
    const std::function<core::Status(const std::string& key, const YAML::Node& key_node,
                                     const YAML::Node& value)>& visit) {
  if (!map.IsMap()) return error_at(source, map, std::string(what) + " must be a mapping");
  std::set<std::string> seen;
  for (const auto& entry : map) {
    const YAML::Node& key_node = entry.first;
    if (!key_node.IsScalar())
      return error_at(source, key_node, "a key in " + std::string(what) + " must be a plain value");
    const std::string& key = key_node.Scalar();
    if (!seen.insert(key).second)
      return error_at(source, key_node, "'" + key + "' appears twice in " + std::string(what));
    LD_RETURN_IF_ERROR(visit(key, key_node, entry.second));
  }
  return core::Status::ok();
}

bool is_code(std::string_view s) { return core::is_code(s); }

}  // namespace liandong::core::yaml
