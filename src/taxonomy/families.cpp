#include "taxonomy/families.h"

#include <algorithm>
#include <array>

namespace liandong::taxonomy {
namespace {

constexpr std::array<std::string_view, 5> kFamilies = {
    kProductionSafety, kEnvironmental, kPublicHealth, kNaturalDisaster, kSocialSafety};
constexpr std::array<std::string_view, 5> kFamiliesZh = {
    "生产安全事故", "突发环境事件", "突发公共卫生事件", "自然灾害", "社会安全事件"};

}  // namespace

std::span<const std::string_view> rule_families() { return kFamilies; }

bool is_rule_family(std::string_view family) {
  return std::find(kFamilies.begin(), kFamilies.end(), family) != kFamilies.end();
}

std::string_view rule_family_list() {
  return "production_safety, environmental, public_health, natural_disaster, social_safety";
}

std::string_view family_name_zh(std::string_view family) {
  auto it = std::find(kFamilies.begin(), kFamilies.end(), family);
  return it == kFamilies.end() ? std::string_view{} : kFamiliesZh[it - kFamilies.begin()];
}

}  // namespace liandong::taxonomy
