#include "monitoring/internal/yaml_number.h"

#include <charconv>
#include <cmath>
#include <string>

#include "core/yaml_support.h"

namespace liandong::monitoring::internal {

core::Result<double> finite_number(std::string_view source, const YAML::Node& node,
                                   std::string_view what) {
  auto text = core::yaml::scalar(source, node, what);
  if (!text) return text.status();
  const std::string& s = *text;
  double v = 0;
  const char* first = s.data();
  const char* last = s.data() + s.size();
  if (first != last && *first == '+') ++first;  // from_chars refuses a leading '+'
  auto [end, ec] = std::from_chars(first, last, v, std::chars_format::general);
  if (s.empty() || ec != std::errc() || end != last || !std::isfinite(v))
    return core::yaml::error_at(
        source, node, std::string(what) + ": '" + s + "' is not a number (write e.g. 0.005)");
  return v;
}

std::string format_number(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return "?";
  return std::string(buf, end);
}

}  // namespace liandong::monitoring::internal
