// Test helpers: a fact with defaults, and times written as RFC 3339.
#pragma once

#include <string>

#include "core/time.h"
#include "stats/fact.h"

namespace liandong::stats::testing {

inline core::Timestamp at(const std::string& rfc3339) { return *core::parse_rfc3339(rfc3339); }

// An incident in 441202 (accident_disaster / fire), not graded, opened at `opened`.
inline Fact fact(const std::string& id, const std::string& opened = "2026-11-10T10:00:00+08:00") {
  Fact f;
  f.id = id;
  f.jurisdiction = "441202";
  f.category = "accident_disaster";
  f.type = "fire";
  f.opened_at = at(opened);
  return f;
}

}  // namespace liandong::stats::testing
