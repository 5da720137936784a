#include "dispatch/mutual_aid.h"

#include <algorithm>
#include <set>

#include "core/jurisdiction.h"

namespace liandong::dispatch {

namespace {

bool within(std::string_view a, std::string_view b) {
  auto ja = core::JurisdictionCode::parse(a);
  auto jb = core::JurisdictionCode::parse(b);
  return ja && jb && ja->within(*jb);
}

}  // namespace

bool is_own_area(std::string_view unit_jurisdiction, std::string_view incident_jurisdiction) {
  return within(incident_jurisdiction, unit_jurisdiction) || within(unit_jurisdiction, incident_jurisdiction);
}

const MutualAidRule* find_rule(std::span<const MutualAidRule> rules, std::string_view unit_jurisdiction,
                               std::string_view unit_type, std::string_view incident_jurisdiction) {
  for (const auto& r : rules) {
    if (!r.unit_types.empty() &&
        std::find(r.unit_types.begin(), r.unit_types.end(), unit_type) == r.unit_types.end())
      continue;
    if (within(unit_jurisdiction, r.from) && within(incident_jurisdiction, r.to)) return &r;
  }
  return nullptr;
}

core::Status check(std::span<const MutualAidRule> rules) {
  std::set<std::string> names;
  for (size_t i = 0; i < rules.size(); ++i) {
    const auto& r = rules[i];
    std::string at = "mutual_aid[" + std::to_string(i) + "]";
    if (r.name.empty()) return core::invalid(at + " has no name", at + ".name");
    at += " (" + r.name + ")";
    if (!names.insert(r.name).second) return core::invalid(at + ": the name is used twice", at + ".name");
    for (const auto* f : {&r.from, &r.to}) {
      const char* field = f == &r.from ? "from" : "to";
      auto j = core::JurisdictionCode::parse(*f);
      if (!j || j->str() != *f)
        return core::invalid(at + ": " + field + " must be a six-digit GB/T 2260 code, not '" + *f + "'",
                             at + "." + field);
    }
    if (r.from == r.to) return core::invalid(at + ": from and to are the same jurisdiction", at + ".from");
    for (const auto& t : r.unit_types)
      if (t.empty()) return core::invalid(at + ": an empty unit type", at + ".unit_types");
  }
  return core::Status::ok();
}

}  // namespace liandong::dispatch
