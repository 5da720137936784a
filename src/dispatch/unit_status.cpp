#include "dispatch/unit_status.h"

#include <algorithm>
#include <initializer_list>

#include "core/codes.h"

namespace liandong::dispatch {
namespace {

bool one_of(std::string_view s, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

}  // namespace

bool is_unit_status(std::string_view status) {
  return core::contains(core::unit_statuses(), status);
}

// The table of unit_status.h; keep the two in step.
bool is_valid_unit_transition(std::string_view from, std::string_view to) {
  if (from == "available") return one_of(to, {"dispatched", "out_of_service"});
  if (from == "dispatched") {
    return one_of(to, {"en_route", "on_scene", "available", "out_of_service"});
  }
  if (from == "en_route") {
    return one_of(to, {"on_scene", "returning", "available", "out_of_service"});
  }
  if (from == "on_scene") {
    return one_of(to, {"transporting", "returning", "available", "out_of_service"});
  }
  if (from == "transporting") return one_of(to, {"at_hospital", "returning", "available"});
  if (from == "at_hospital") return one_of(to, {"returning", "available"});
  if (from == "returning") return one_of(to, {"available", "dispatched", "out_of_service"});
  if (from == "out_of_service") return to == "available";
  return false;
}

bool is_dispatchable(std::string_view status) { return one_of(status, {"available", "returning"}); }

bool is_assigned(std::string_view status) {
  return one_of(status, {"dispatched", "en_route", "on_scene", "transporting", "at_hospital"});
}

Discipline discipline_of(std::string_view unit_type) {
  if (unit_type == "ambulance") return Discipline::kMedical;
  if (one_of(unit_type, {"engine", "ladder", "rescue", "hazmat", "water_tender"})) {
    return Discipline::kFire;
  }
  return Discipline::kOther;
}

std::string_view to_string(Discipline d) {
  switch (d) {
    case Discipline::kMedical:
      return "medical";
    case Discipline::kFire:
      return "fire";
    case Discipline::kOther:
      break;
  }
  return "other";
}

}  // namespace liandong::dispatch
