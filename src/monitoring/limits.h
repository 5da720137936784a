// Limit tables for water-quality parameters as data, and the evaluation of a value against them.
//
// A LimitTable holds, per parameter, the limits of classes I–V (GB 3838-2002 and the like). The
// default table, gb3838_surface_water(), is GB 3838-2002 Table 1 (basic items, river values) plus
// thallium from Table 3; it is src/monitoring/gb3838_2002.yaml compiled in and read by the same
// parser as a jurisdiction's own file. Format and evaluation rules: docs/MONITORING.md.
//
// All types are plain values, thread-compatible; gb3838_surface_water() is safe to call from any
// thread (built once).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace liandong::monitoring {

// How a parameter's limit is read: most are upper limits (≤ S), dissolved oxygen is a lower limit
// (≥ S), pH a range (range_low ≤ C ≤ high).
enum class Bound { kUpper, kLower, kRange };

// "upper", "lower", "range".
std::string_view name(Bound b);

struct ParameterLimit {
  std::string parameter;  // snake_case code, e.g. "cadmium"
  std::string name_zh;    // e.g. "镉"
  std::string unit;       // "mg/L", "个/L"; empty for pH
  Bound bound = Bound::kUpper;
  // Limits of classes I..V (index 0..4). A class the standard does not define is empty. For
  // kRange these are the high side of the range.
  std::array<std::optional<double>, 5> classes;
  std::optional<double> range_low;  // kRange only: the low side, the same for every class
  bool source_only = false;  // applies only to drinking-water source stations (e.g. thallium)
};

class LimitTable {
 public:
  // Parses the YAML format of docs/MONITORING.md. `source` names the text in messages. On any
  // problem returns kInvalidArgument "source:line: what" — unknown or repeated keys, a parameter
  // code that is not snake_case, classes not a list of five, a limit that is negative, zero, NaN,
  // infinite or not a number, limits that tighten from class I to V, a range whose low side is
  // not below its high side, no limit at all.
  static core::Result<LimitTable> parse_yaml(std::string_view text, std::string_view source);

  // The parameter with this code, or nullptr. The pointer lives as long as the table.
  const ParameterLimit* find(std::string_view parameter) const;
  // Every parameter in file order.
  const std::vector<ParameterLimit>& all() const { return limits_; }
  // The `standard` line of the file (e.g. "GB 3838-2002"), possibly empty.
  const std::string& standard() const { return standard_; }

 private:
  std::string standard_;
  std::vector<ParameterLimit> limits_;
};

// GB 3838-2002 surface water (地表水环境质量标准), compiled in. Never fails (a broken built-in
// file aborts at first use and is caught by monitoring_test).
const LimitTable& gb3838_surface_water();
// The YAML text of that table (to show or to start a jurisdiction's own file from).
std::string_view gb3838_surface_water_yaml();

struct Evaluation {
  bool exceeds = false;
  double standard = 0;  // S: the target class's limit (for kRange the side exceeded, else high)
  double multiple = 0;  // (C − S)/S for upper limits, (S − C)/S for lower; 0 when not exceeding
  int achieved_class = 0;  // 1..5 the best class whose limit the value meets; 6 = worse than V
};

// Evaluates `value` against the limit of `target_class` (1..5 = I..V). Returns kInvalidArgument
// when target_class is outside 1..5, the parameter has no limit for that class, the value is NaN
// or infinite, or the multiple overflows (an absurdly large value).
core::Result<Evaluation> evaluate(const ParameterLimit& limit, int target_class, double value);

// (c − s)/s, the exceedance multiple of the national evaluation method (超标倍数). NaN when s is
// not a finite number above 0 or c is not finite.
double exceedance_multiple(double c, double s);

}  // namespace liandong::monitoring
