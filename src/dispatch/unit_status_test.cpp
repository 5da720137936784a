#include "dispatch/unit_status.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

#include "core/codes.h"

namespace liandong::dispatch {
namespace {

TEST(UnitStatus, KnowsTheSharedTable) {
  for (std::string_view s : core::unit_statuses()) EXPECT_TRUE(is_unit_status(s)) << s;
  EXPECT_FALSE(is_unit_status(""));
  EXPECT_FALSE(is_unit_status("Available"));
  EXPECT_FALSE(is_unit_status("busy"));
}

TEST(UnitStatus, TransitionsAreExactlyTheTable) {
  const std::set<std::pair<std::string, std::string>> table = {
      {"available", "dispatched"},     {"available", "out_of_service"},
      {"dispatched", "en_route"},      {"dispatched", "on_scene"},
      {"dispatched", "available"},     {"dispatched", "out_of_service"},
      {"en_route", "on_scene"},        {"en_route", "returning"},
      {"en_route", "available"},       {"en_route", "out_of_service"},
      {"on_scene", "transporting"},    {"on_scene", "returning"},
      {"on_scene", "available"},       {"on_scene", "out_of_service"},
      {"transporting", "at_hospital"}, {"transporting", "returning"},
      {"transporting", "available"},   {"at_hospital", "returning"},
      {"at_hospital", "available"},    {"returning", "available"},
      {"returning", "dispatched"},     {"returning", "out_of_service"},
      {"out_of_service", "available"},
  };
  for (std::string_view from : core::unit_statuses()) {
    for (std::string_view to : core::unit_statuses()) {
      const bool expected = table.count({std::string(from), std::string(to)}) > 0;
      EXPECT_EQ(is_valid_unit_transition(from, to), expected) << from << " -> " << to;
    }
  }
}

TEST(UnitStatus, SelfAndUnknownAreNotTransitions) {
  for (std::string_view s : core::unit_statuses()) {
    EXPECT_FALSE(is_valid_unit_transition(s, s)) << s;
  }
  EXPECT_FALSE(is_valid_unit_transition("available", "busy"));
  EXPECT_FALSE(is_valid_unit_transition("busy", "available"));
  EXPECT_FALSE(is_valid_unit_transition("", ""));
}

TEST(UnitStatus, EveryStatusCanGetBackToAvailable) {
  // A unit never gets stuck: from every status, available is reachable.
  for (std::string_view start : core::unit_statuses()) {
    std::set<std::string_view> seen = {start};
    std::vector<std::string_view> todo = {start};
    while (!todo.empty()) {
      const std::string_view s = todo.back();
      todo.pop_back();
      for (std::string_view t : core::unit_statuses()) {
        if (is_valid_unit_transition(s, t) && seen.insert(t).second) todo.push_back(t);
      }
    }
    EXPECT_TRUE(seen.count("available")) << start;
  }
}

TEST(UnitStatus, DispatchableAndAssigned) {
  const std::set<std::string_view> dispatchable = {"available", "returning"};
  const std::set<std::string_view> assigned = {"dispatched", "en_route", "on_scene", "transporting",
                                               "at_hospital"};
  for (std::string_view s : core::unit_statuses()) {
    EXPECT_EQ(is_dispatchable(s), dispatchable.count(s) > 0) << s;
    EXPECT_EQ(is_assigned(s), assigned.count(s) > 0) << s;
    EXPECT_FALSE(is_dispatchable(s) && is_assigned(s)) << s;
  }
  EXPECT_FALSE(is_dispatchable("out_of_service"));
  EXPECT_FALSE(is_assigned("out_of_service"));
  EXPECT_FALSE(is_dispatchable("busy"));
  EXPECT_FALSE(is_assigned("busy"));
}

TEST(UnitStatus, Discipline) {
  EXPECT_EQ(discipline_of("ambulance"), Discipline::kMedical);
  for (std::string_view t : {"engine", "ladder", "rescue", "hazmat", "water_tender"}) {
    EXPECT_EQ(discipline_of(t), Discipline::kFire) << t;
  }
  for (std::string_view t : {"patrol", "traffic", "boat", "team", "drone", ""}) {
    EXPECT_EQ(discipline_of(t), Discipline::kOther) << t;
  }
  EXPECT_EQ(to_string(Discipline::kMedical), "medical");
  EXPECT_EQ(to_string(Discipline::kFire), "fire");
  EXPECT_EQ(to_string(Discipline::kOther), "other");
}

}  // namespace
}  // namespace liandong::dispatch
