#include "monitoring/internal/reason.h"

#include <cmath>
#include <cstdio>

#include "monitoring/internal/yaml_number.h"

namespace liandong::monitoring::internal {
namespace {

constexpr const char* kClassNames[] = {"I", "II", "III", "IV", "V"};

std::string with_unit(double v, const SeriesLabel& label) {
  std::string s = format_number(v);
  if (!label.unit.empty()) s += " " + label.unit;
  return s;
}

std::string limit_name(const SeriesLabel& label) {
  if (label.target_class >= 1 && label.target_class <= 5)
    return std::string(kClassNames[label.target_class - 1]) + " 类限值";
  return "限值";
}

}  // namespace

std::string two_decimals(double v) {
  if (!std::isfinite(v)) return format_number(v);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s(buf);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

std::string reason_zh(DetectorKind k, bool firing, const SeriesLabel& label, double value,
                      double score, double limit) {
  const std::string what = label.name_zh.empty() ? "数值" : label.name_zh;
  switch (k) {
    case DetectorKind::kThreshold:
      if (firing)
        return what + " " + with_unit(value, label) + "，超标 " + two_decimals(score) + " 倍（" +
               limit_name(label) + " " + with_unit(limit, label) + "）";
      return what + " " + with_unit(value, label) + "，回到" + limit_name(label) + " " +
             with_unit(limit, label) + " 以内";
    case DetectorKind::kRate: {
      std::string unit = label.unit.empty() ? "/h" : " " + label.unit + "/h";
      if (firing)
        return what + " 变化速率 " + two_decimals(score) + unit + "，超过 " + format_number(limit) +
               unit;
      return what + " 变化速率恢复正常";
    }
    case DetectorKind::kFlatLine:
      if (firing) return what + " 连续 " + format_number(score) + " 个读数不变，疑似仪器故障";
      return what + " 读数恢复变化";
    case DetectorKind::kMissing:
      if (firing)
        return what + " 已 " + two_decimals(score) + " 个预期间隔未收到数据（允许 " +
               format_number(limit) + " 个）";
      return what + " 恢复收到数据";
    case DetectorKind::kEarsC1:
    case DetectorKind::kEarsC2:
    case DetectorKind::kEarsC3:
    case DetectorKind::kCusum: {
      std::string method = k == DetectorKind::kCusum    ? "CUSUM"
                           : k == DetectorKind::kEarsC1 ? "EARS C1"
                           : k == DetectorKind::kEarsC2 ? "EARS C2"
                                                        : "EARS C3";
      if (firing)
        return what + " " + format_number(value) + "，" + method + " 统计量 " +
               two_decimals(score) + " 超过 " + format_number(limit) + "，疑似异常增多";
      return what + " " + method + " 恢复正常";
    }
  }
  return what;
}

}  // namespace liandong::monitoring::internal
