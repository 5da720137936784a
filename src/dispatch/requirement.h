// A force requirement: what a plan says to send, e.g. "2 engine + 1 ladder (aerial_32m) +
// 1 ambulance". Each slot asks for `count` units of one type that have every listed capability.
//
// check() validates a requirement built from untrusted input; the other functions assume nothing
// about validity. Plain values and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace liandong::dispatch {

inline constexpr uint32_t kMaxSlotCount = 50;    // units in one slot
inline constexpr uint32_t kMaxTotalCount = 100;  // units in one requirement
inline constexpr size_t kMaxSlots = 64;          // slots in one requirement (assign.h's bit mask)

struct Slot {
  std::string type;                       // a unit type code, e.g. "engine"
  uint32_t count = 1;                     // 1..kMaxSlotCount
  std::vector<std::string> capabilities;  // all required; none empty, no duplicates
  bool operator==(const Slot&) const = default;
};

struct Requirement {
  std::vector<Slot> slots;
  bool operator==(const Requirement&) const = default;
};

// Ok, or invalid_argument whose field names the first fault ("slots", "slots[1].type",
// "slots[1].count", "slots[1].capabilities[0]") and whose message says what is allowed, e.g.
// "slots[1].count must be 1..50". Faults: no slots; more than kMaxSlots; an empty type; a count of
// 0 or over kMaxSlotCount; counts adding up to more than kMaxTotalCount; an empty or repeated
// capability within a slot. Unit types are not checked against a table (jurisdictions add types).
core::Status check(const Requirement& requirement);

// "2 engine + 1 ladder (aerial_32m) + 1 ambulance"; several capabilities read
// "1 engine (foam, pump_4000)". Slots in their order; "" for no slots.
std::string describe(const Requirement& requirement);

// True when a unit of `unit_type` with `unit_capabilities` may fill `slot`: the same type and
// every capability of the slot among the unit's (exact, case-sensitive matches).
bool qualifies(const Slot& slot, std::string_view unit_type,
               std::span<const std::string> unit_capabilities);

}  // namespace liandong::dispatch
