#include "monitoring/limits.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/yaml_support.h"
#include "monitoring/internal/defaults.h"
#include "monitoring/internal/yaml_number.h"

namespace liandong::monitoring {
namespace {

using core::yaml::error_at;
using internal::format_number;

constexpr const char* kClassNames[] = {"I", "II", "III", "IV", "V"};

core::Result<Bound> parse_bound(std::string_view source, const YAML::Node& node,
                                const std::string& what) {
  auto text = core::yaml::scalar(source, node, what);
  if (!text) return text.status();
  if (*text == "upper") return Bound::kUpper;
  if (*text == "lower") return Bound::kLower;
  if (*text == "range") return Bound::kRange;
  return error_at(source, node,
                  what + ": '" + *text + "' is not a bound (write upper, lower or range)");
}

core::Result<bool> parse_bool(std::string_view source, const YAML::Node& node,
                              const std::string& what) {
  auto text = core::yaml::scalar(source, node, what);
  if (!text) return text.status();
  if (*text == "true") return true;
  if (*text == "false") return false;
  return error_at(source, node, what + ": '" + *text + "' is not true or false");
}

// A limit is a number above 0: the exceedance multiple divides by it.
core::Result<double> parse_limit(std::string_view source, const YAML::Node& node,
                                 const std::string& what) {
  auto v = internal::finite_number(source, node, what);
  if (!v) return v.status();
  if (*v <= 0)
    return error_at(source, node,
                    what + ": " + format_number(*v) + " is not above 0 (a limit must be positive)");
  return *v;
}

core::Status parse_classes(std::string_view source, const YAML::Node& node, const std::string& what,
                           ParameterLimit& out) {
  if (!node.IsSequence() || node.size() != 5)
    return error_at(source, node,
                    what +
                        " must be a list of five limits, classes I to V (~ for a class "
                        "the standard does not define)");
  bool any = false;
  for (size_t i = 0; i < 5; ++i) {
    const YAML::Node& item = node[i];
    if (item.IsNull()) continue;
    auto v = parse_limit(source, item, what + " class " + kClassNames[i]);
    if (!v) return v.status();
    out.classes[i] = *v;
    any = true;
  }
  if (!any) return error_at(source, node, what + " has no limit in any class");
  // A lower class must never be stricter than a better one: upper and range limits must not
  // fall from I to V, lower limits must not rise.
  std::optional<size_t> prev;
  for (size_t i = 0; i < 5; ++i) {
    if (!out.classes[i]) continue;
    if (prev) {
      double a = *out.classes[*prev], b = *out.classes[i];
      bool wrong = out.bound == Bound::kLower ? b > a : b < a;
      if (wrong)
        return error_at(source, node[i],
                        what + ": class " + kClassNames[i] + " limit " + format_number(b) +
                            (out.bound == Bound::kLower ? " is above" : " is below") + " class " +
                            kClassNames[*prev] + "'s " + format_number(a) +
                            "; a worse class must not have a stricter limit");
    }
    prev = i;
  }
  return core::Status::ok();
}

core::Result<ParameterLimit> parse_parameter(std::string_view source, const std::string& code,
                                             const YAML::Node& key_node, const YAML::Node& map) {
  if (!core::yaml::is_code(code))
    return error_at(source, key_node,
                    "parameter '" + code + "' is not a code (lower-case snake_case, e.g. cadmium)");
  ParameterLimit p;
  p.parameter = code;
  // Copies: a YAML::Node is a handle, and the visited ones do not outlive the walk.
  std::optional<YAML::Node> classes;
  std::optional<YAML::Node> low;
  bool has_bound = false;
  auto status = core::yaml::for_each_entry(
      source, map, "parameter " + code,
      [&](const std::string& key, const YAML::Node& kn, const YAML::Node& value) -> core::Status {
        std::string what = code + "." + key;
        if (key == "name_zh" || key == "unit") {
          auto s = core::yaml::scalar(source, value, what);
          if (!s) return s.status();
          (key == "unit" ? p.unit : p.name_zh) = *s;
        } else if (key == "bound") {
          auto b = parse_bound(source, value, what);
          if (!b) return b.status();
          p.bound = *b;
          has_bound = true;
        } else if (key == "classes") {
          classes = value;
        } else if (key == "range_low") {
          low = value;
        } else if (key == "source_only") {
          auto b = parse_bool(source, value, what);
          if (!b) return b.status();
          p.source_only = *b;
        } else {
          return error_at(source, kn,
                          "unknown key '" + key + "' in parameter " + code +
                              " (known: name_zh, unit, bound, classes, range_low, source_only)");
        }
        return core::Status::ok();
      });
  if (!status) return status;
  if (!has_bound) return error_at(source, map, code + ": bound is missing (upper, lower or range)");
  if (!classes) return error_at(source, map, code + ": classes is missing");
  if (p.name_zh.empty()) return error_at(source, map, code + ": name_zh is missing");
  LD_RETURN_IF_ERROR(parse_classes(source, *classes, code + ".classes", p));
  if (p.bound == Bound::kRange) {
    if (!low) return error_at(source, map, code + ": a range needs range_low");
    auto v = parse_limit(source, *low, code + ".range_low");
    if (!v) return v.status();
    for (size_t i = 0; i < 5; ++i)
      if (p.classes[i] && *p.classes[i] <= *v)
        return error_at(source, *low,
                        code + ".range_low " + format_number(*v) + " is not below the high side " +
                            format_number(*p.classes[i]) + " of class " + kClassNames[i]);
    p.range_low = *v;
  } else if (low) {
    return error_at(source, *low, code + ".range_low is only for bound: range");
  }
  return p;
}

}  // namespace

std::string_view name(Bound b) {
  switch (b) {
    case Bound::kUpper:
      return "upper";
    case Bound::kLower:
      return "lower";
    case Bound::kRange:
      return "range";
  }
  return "";
}

core::Result<LimitTable> LimitTable::parse_yaml(std::string_view text, std::string_view source) {
  auto doc = core::yaml::parse(text, source);
  if (!doc) return doc.status();
  LimitTable table;
  bool has_parameters = false;
  auto status = core::yaml::for_each_entry(
      source, *doc, "the limit table",
      [&](const std::string& key, const YAML::Node& kn, const YAML::Node& value) -> core::Status {
        if (key == "standard") {
          auto s = core::yaml::scalar(source, value, "standard");
          if (!s) return s.status();
          table.standard_ = *s;
          return core::Status::ok();
        }
        if (key != "parameters")
          return error_at(source, kn,
                          "unknown key '" + key +
                              "' in the limit table (known: standard, "
                              "parameters)");
        has_parameters = true;
        return core::yaml::for_each_entry(source, value, "parameters",
                                          [&](const std::string& code, const YAML::Node& code_node,
                                              const YAML::Node& body) -> core::Status {
                                            auto p = parse_parameter(source, code, code_node, body);
                                            if (!p) return p.status();
                                            table.limits_.push_back(std::move(p).value());
                                            return core::Status::ok();
                                          });
      });
  if (!status) return status;
  if (!has_parameters || table.limits_.empty())
    return error_at(source, *doc, "the limit table has no parameters");
  return table;
}

const ParameterLimit* LimitTable::find(std::string_view parameter) const {
  for (const ParameterLimit& p : limits_)
    if (p.parameter == parameter) return &p;
  return nullptr;
}

std::string_view gb3838_surface_water_yaml() { return internal::gb3838_2002_yaml(); }

const LimitTable& gb3838_surface_water() {
  static const LimitTable kTable = [] {
    auto loaded = LimitTable::parse_yaml(internal::gb3838_2002_yaml(), "gb3838_2002.yaml");
    if (!loaded) {  // a build defect, caught by monitoring_test
      std::fprintf(stderr, "liandong: bad built-in GB 3838 table: %s\n",
                   loaded.status().message().c_str());
      std::abort();
    }
    return std::move(loaded).value();
  }();
  return kTable;
}

double exceedance_multiple(double c, double s) {
  if (!std::isfinite(c) || !std::isfinite(s) || s <= 0) return std::nan("");
  return (c - s) / s;
}

namespace {

bool meets(const ParameterLimit& p, double limit, double value) {
  switch (p.bound) {
    case Bound::kUpper:
      return value <= limit;
    case Bound::kLower:
      return value >= limit;
    case Bound::kRange:
      return value <= limit && (!p.range_low || value >= *p.range_low);
  }
  return false;
}

}  // namespace

core::Result<Evaluation> evaluate(const ParameterLimit& p, int target_class, double value) {
  if (target_class < 1 || target_class > 5)
    return core::invalid("target class " + std::to_string(target_class) +
                             " is not a class of the standard (1..5 for I..V)",
                         "target_class");
  if (!std::isfinite(value))
    return core::invalid(p.parameter + ": the value is not a finite number", "value");
  const std::optional<double>& s = p.classes[target_class - 1];
  if (!s)
    return core::invalid(
        p.parameter + " has no class " + kClassNames[target_class - 1] + " limit in the table",
        "target_class");
  Evaluation e;
  e.standard = *s;
  e.achieved_class = 6;
  for (int i = 0; i < 5; ++i) {
    if (p.classes[i] && meets(p, *p.classes[i], value)) {
      e.achieved_class = i + 1;
      break;
    }
  }
  double multiple = 0;
  if (p.bound == Bound::kUpper || (p.bound == Bound::kRange && value > *s)) {
    e.exceeds = value > *s;
    if (e.exceeds) multiple = (value - *s) / *s;
  } else if (p.bound == Bound::kLower) {
    e.exceeds = value < *s;
    if (e.exceeds) multiple = (*s - value) / *s;
  } else if (p.range_low && value < *p.range_low) {  // range, below the low side
    e.exceeds = true;
    e.standard = *p.range_low;
    multiple = (*p.range_low - value) / *p.range_low;
  }
  if (!std::isfinite(multiple))
    return core::invalid(
        p.parameter + ": value " + format_number(value) + " is too large to evaluate", "value");
  e.multiple = multiple;
  return e;
}

}  // namespace liandong::monitoring
