#include "core/jurisdiction.h"

namespace liandong::core {

Result<JurisdictionCode> JurisdictionCode::parse(std::string_view s, std::string_view field) {
  std::string c(s);
  if (c.size() == 2) c += "0000";
  else if (c.size() == 4) c += "00";
  bool ok = c.size() == 6;
  for (char ch : c) ok = ok && ch >= '0' && ch <= '9';
  if (!ok || c.substr(0, 2) == "00") {
    return invalid("'" + std::string(s.substr(0, 32)) +
                       "' is not a GB/T 2260 code (six digits, e.g. 441200)",
                   std::string(field));
  }
  return JurisdictionCode(std::move(c));
}

Level JurisdictionCode::level() const {
  if (code_.compare(2, 4, "0000") == 0) return Level::kProvince;
  if (code_.compare(4, 2, "00") == 0) return Level::kCity;
  return Level::kCounty;
}

JurisdictionCode JurisdictionCode::province() const { return JurisdictionCode(code_.substr(0, 2) + "0000"); }

JurisdictionCode JurisdictionCode::city() const {
  if (level() == Level::kProvince) return *this;
  return JurisdictionCode(code_.substr(0, 4) + "00");
}

JurisdictionCode JurisdictionCode::parent() const {
  switch (level()) {
    case Level::kProvince: return *this;
    case Level::kCity: return province();
    case Level::kCounty: return city();
  }
  return *this;
}

bool JurisdictionCode::within(const JurisdictionCode& a) const {
  switch (a.level()) {
    case Level::kProvince: return code_.compare(0, 2, a.code_, 0, 2) == 0;
    case Level::kCity: return code_.compare(0, 4, a.code_, 0, 4) == 0;
    case Level::kCounty: return code_ == a.code_;
  }
  return false;
}

}  // namespace liandong::core
