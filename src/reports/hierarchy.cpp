#include "reports/hierarchy.h"

#include <array>

#include "core/jurisdiction.h"

namespace liandong::reports {
namespace {

constexpr std::array<std::string_view, 5> kTierNames = {"unit", "county", "city", "province",
                                                        "national"};

Tier tier_of_level(core::Level level) {
  switch (level) {
    case core::Level::kProvince: return Tier::kProvince;
    case core::Level::kCity: return Tier::kCity;
    case core::Level::kCounty: return Tier::kCounty;
  }
  return Tier::kCounty;
}

}  // namespace

std::string_view to_string(Tier t) { return kTierNames[static_cast<size_t>(t)]; }

std::optional<Tier> parse_tier(std::string_view s) {
  for (size_t i = 0; i < kTierNames.size(); ++i) {
    if (kTierNames[i] == s) return static_cast<Tier>(i);
  }
  return std::nullopt;
}

core::Result<Tier> tier_of(std::string_view code) {
  if (code == kNationalCode) return Tier::kNational;
  // Only the six-digit form: the short forms JurisdictionCode accepts are for imported tables.
  if (code.size() != 6) {
    return core::invalid("'" + std::string(code.substr(0, 32)) +
                             "' is not a six-digit GB/T 2260 code (e.g. 441200) nor " +
                             std::string(kNationalCode),
                         "jurisdiction");
  }
  auto parsed = core::JurisdictionCode::parse(code);
  if (!parsed) return parsed.status();
  return tier_of_level(parsed->level());
}

core::Result<std::string> code_at(std::string_view code, Tier tier) {
  auto own = tier_of(code);
  if (!own) return own.status();
  if (tier == Tier::kUnit) return std::string(code);
  if (tier == Tier::kNational) return std::string(kNationalCode);
  if (*own > tier) {
    return core::invalid("jurisdiction " + std::string(code) + " is a " +
                             std::string(to_string(*own)) + ", above the " +
                             std::string(to_string(tier)) + " asked for",
                         "jurisdiction");
  }
  auto parsed = core::JurisdictionCode::parse(code).value();
  switch (tier) {
    case Tier::kProvince: return parsed.province().str();
    case Tier::kCity: return parsed.city().str();
    default: return parsed.str();  // kCounty: only a county is at or below a county
  }
}

std::optional<Tier> next_up(Tier t) {
  if (t == Tier::kNational) return std::nullopt;
  return static_cast<Tier>(static_cast<int>(t) + 1);
}

}  // namespace liandong::reports
