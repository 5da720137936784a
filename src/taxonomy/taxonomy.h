// The incident taxonomy: the table of incident types (fire, flood, hazmat_leak, ...), each in its
// national category and grading rule family, with its Chinese and English name and its duplicate-
// compatibility group.
//
// The default table is a YAML text compiled into the library (default_types.yaml), read by the same
// loader as a jurisdiction's extension file, so data and code cannot drift. The YAML format is in
// docs/TAXONOMY.md.
//
// A Taxonomy is an immutable value once built: copyable, and safe to read from many threads.
// Lookups scan the table (a few dozen types); pointers and spans it returns live as long as it
// does.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/codes.h"
#include "core/status.h"

namespace liandong::taxonomy {

// One line of a type's run card: `count` units of `type`, each with all of `capabilities`.
struct ResponseSlot {
  std::string type;
  uint32_t count = 1;
  std::vector<std::string> capabilities;
  bool operator==(const ResponseSlot&) const = default;
};

// A run card as people write it: "2 engine + 1 ladder (aerial_32m) + 1 ambulance" — slots joined
// by '+', each a count, a unit type code and optionally capabilities in parentheses separated by
// commas. invalid_argument saying what is wrong otherwise (count 1..50, codes of a-z 0-9 _).
core::Result<std::vector<ResponseSlot>> parse_response(std::string_view text);
std::string format_response(const std::vector<ResponseSlot>& slots);

struct IncidentType {
  std::string code;         // e.g. "hazmat_leak": [a-z][a-z0-9_]*
  core::Category category;  // national category
  std::string family;       // rule family (families.h) whose grade rules apply
  std::string name_zh;      // e.g. 危险化学品泄漏
  std::string name_en;      // e.g. Hazardous chemical leak
  // Alarms of types in the same non-empty group may be merged as reports of one incident
  // (e.g. fire, hazmat_leak and building_collapse share "fire_rescue"). Empty: only same type.
  std::string group;
  // The default force to send (its run card), used when a dispatcher asks for a recommendation
  // without a requirement and no plan gives one. Empty: none.
  std::vector<ResponseSlot> response;
};

class Taxonomy {
 public:
  // The compiled-in default table (see docs/TAXONOMY.md), built once. Never fails: the defaults
  // are tested. A reference to a static, so `for (auto& t : Taxonomy::defaults().types())` is safe.
  static const Taxonomy& defaults();
  // The YAML text of the defaults, e.g. to show or write out as an example.
  static std::string_view default_yaml();

  // Applies a jurisdiction's extension file to base: a type with a new code is added (all fields
  // but group required); a type with an existing code overrides the fields it gives. On any error
  // returns kInvalidArgument "source:line: what is wrong" (unknown category or family, a duplicate
  // code in the file, a missing or unknown field, malformed YAML); never throws. An empty document
  // changes nothing.
  static core::Result<Taxonomy> load_yaml(std::string_view yaml_text, std::string_view source_name,
                                          const Taxonomy& base);

  // The type with this code, or nullptr.
  const IncidentType* find(std::string_view code) const;
  // All types: the defaults' order, then added types in file order.
  std::span<const IncidentType> types() const { return types_; }
  // True when a and b are the same code, or both are known types in the same non-empty group.
  bool compatible(std::string_view a, std::string_view b) const;

 private:
  std::vector<IncidentType> types_;
};

}  // namespace liandong::taxonomy
