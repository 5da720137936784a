#include "dispatch/requirement.h"

#include <algorithm>
#include <set>

namespace liandong::dispatch {
namespace {

std::string slot_field(size_t i, std::string_view member) {
  return "slots[" + std::to_string(i) + "]." + std::string(member);
}

}  // namespace

core::Status check(const Requirement& r) {
  if (r.slots.empty()) return core::invalid("slots must not be empty", "slots");
  if (r.slots.size() > kMaxSlots) {
    return core::invalid("slots must be at most " + std::to_string(kMaxSlots) + " (got " +
                             std::to_string(r.slots.size()) + ")",
                         "slots");
  }
  uint64_t total = 0;
  for (size_t i = 0; i < r.slots.size(); ++i) {
    const Slot& s = r.slots[i];
    if (s.type.empty()) {
      const std::string f = slot_field(i, "type");
      return core::invalid(f + " must not be empty", f);
    }
    if (s.count == 0 || s.count > kMaxSlotCount) {
      const std::string f = slot_field(i, "count");
      return core::invalid(f + " must be 1.." + std::to_string(kMaxSlotCount), f);
    }
    total += s.count;
    std::set<std::string_view> seen;
    for (size_t c = 0; c < s.capabilities.size(); ++c) {
      const std::string f = slot_field(i, "capabilities[" + std::to_string(c) + "]");
      if (s.capabilities[c].empty()) return core::invalid(f + " must not be empty", f);
      if (!seen.insert(s.capabilities[c]).second) {
        return core::invalid(f + " repeats \"" + s.capabilities[c] + "\"", f);
      }
    }
  }
  if (total > kMaxTotalCount) {
    return core::invalid("the slots' counts add up to " + std::to_string(total) + ", more than " +
                             std::to_string(kMaxTotalCount),
                         "slots");
  }
  return core::Status::ok();
}

std::string describe(const Requirement& r) {
  std::string out;
  for (const Slot& s : r.slots) {
    if (!out.empty()) out += " + ";
    out += std::to_string(s.count) + " " + s.type;
    if (!s.capabilities.empty()) {
      out += " (";
      for (size_t c = 0; c < s.capabilities.size(); ++c) {
        if (c > 0) out += ", ";
        out += s.capabilities[c];
      }
      out += ")";
    }
  }
  return out;
}

bool qualifies(const Slot& slot, std::string_view unit_type,
               std::span<const std::string> unit_capabilities) {
  if (slot.type != unit_type) return false;
  return std::all_of(slot.capabilities.begin(), slot.capabilities.end(), [&](const std::string& c) {
    return std::find(unit_capabilities.begin(), unit_capabilities.end(), c) !=
           unit_capabilities.end();
  });
}

}  // namespace liandong::dispatch
