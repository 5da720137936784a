#include "dispatch/intervals.h"

#include <gtest/gtest.h>

namespace liandong::dispatch {
namespace {

using core::Millis;
using std::chrono::seconds;

const core::Timestamp kT0 = core::from_unix_millis(1'796'000'000'000);

core::Timestamp at(int s) { return kT0 + seconds(s); }

UnitTimes unit(std::string id, std::string type, std::string agency, int dispatched,
               std::optional<int> en_route, std::optional<int> on_scene, bool recalled = false) {
  UnitTimes u;
  u.unit_id = std::move(id);
  u.unit_type = std::move(type);
  u.agency_id = std::move(agency);
  u.dispatched_at = at(dispatched);
  if (en_route) u.en_route_at = at(*en_route);
  if (on_scene) u.on_scene_at = at(*on_scene);
  u.recalled = recalled;
  return u;
}

TEST(Intervals, OneIncident) {
  IncidentTimes inc;
  inc.received_at = at(0);
  inc.units = {
      unit("L1", "ladder", "fire", 30, 60, std::nullopt, /*recalled=*/true),
      unit("A1", "ambulance", "ems", 40, 90, 400),
      unit("E1", "engine", "fire", 50, 110, 350),
  };
  const IncidentIntervals r = intervals(inc);
  EXPECT_EQ(r.call_processing, Millis(30000));  // the recalled ladder was dispatched first
  EXPECT_EQ(r.turnout_first, Millis(50000));    // A1: dispatched first of the rest
  EXPECT_EQ(r.travel_first, Millis(240000));    // E1: on scene first
  EXPECT_EQ(r.travel_first_engine, Millis(240000));
  EXPECT_EQ(r.total, Millis(350000));
  ASSERT_EQ(r.units.size(), 3u);
  EXPECT_EQ(r.units[0], (UnitIntervals{"L1", "ladder", "fire", Millis(30000), Millis(30000),
                                       std::nullopt, std::nullopt, true}));
  EXPECT_EQ(r.units[1], (UnitIntervals{"A1", "ambulance", "ems", Millis(40000), Millis(50000),
                                       Millis(310000), Millis(400000), false}));
  EXPECT_EQ(r.units[2].turnout, Millis(60000));
  EXPECT_EQ(r.units[2].travel, Millis(240000));
}

TEST(Intervals, FirstEngineIsNotTheFirstArrival) {
  IncidentTimes inc;
  inc.received_at = at(0);
  inc.units = {
      unit("E2", "engine", "fire", 60, 100, 700),  // far engine
      unit("R1", "rescue", "fire", 60, 70, 200),   // arrives first
      unit("E1", "engine", "fire", 60, 120, 500),  // first engine on scene
  };
  const IncidentIntervals r = intervals(inc);
  EXPECT_EQ(r.travel_first, Millis(130000));
  EXPECT_EQ(r.travel_first_engine, Millis(380000));
  EXPECT_EQ(r.total, Millis(200000));
  EXPECT_EQ(r.turnout_first, Millis(60000));  // all dispatched at 60: E1 (< E2 < R1) by id
}

TEST(Intervals, TiesGoToTheLowerUnitId) {
  IncidentTimes inc;
  inc.received_at = at(0);
  inc.units = {unit("B", "engine", "f", 10, 70, 300), unit("A", "engine", "f", 10, 40, 300)};
  const IncidentIntervals r = intervals(inc);
  EXPECT_EQ(r.turnout_first, Millis(30000));         // A
  EXPECT_EQ(r.travel_first_engine, Millis(260000));  // A
}

TEST(Intervals, MissingTimes) {
  IncidentTimes inc;
  inc.received_at = at(0);
  // Arrived without reporting en route: no turnout or travel, but it ends the total.
  inc.units = {unit("E1", "engine", "f", 20, std::nullopt, 200),
               unit("E2", "engine", "f", 25, 50, std::nullopt)};
  const IncidentIntervals r = intervals(inc);
  EXPECT_EQ(r.call_processing, Millis(20000));
  EXPECT_EQ(r.turnout_first, Millis(25000));  // E1 has none: E2
  EXPECT_EQ(r.travel_first, std::nullopt);
  EXPECT_EQ(r.travel_first_engine, std::nullopt);
  EXPECT_EQ(r.total, Millis(200000));
}

TEST(Intervals, NoUnitsOrOnlyRecalled) {
  IncidentTimes inc;
  inc.received_at = at(0);
  EXPECT_EQ(intervals(inc), IncidentIntervals{});
  inc.units = {unit("E1", "engine", "f", 45, 80, 300, /*recalled=*/true)};
  const IncidentIntervals r = intervals(inc);
  EXPECT_EQ(r.call_processing, Millis(45000));
  EXPECT_EQ(r.turnout_first, std::nullopt);
  EXPECT_EQ(r.travel_first, std::nullopt);
  EXPECT_EQ(r.travel_first_engine, std::nullopt);
  EXPECT_EQ(r.total, std::nullopt);
  EXPECT_EQ(r.units[0].travel, Millis(220000));  // its own figures stay
}

TEST(Intervals, BackwardsTimesAreNotMeasured) {
  IncidentTimes inc;
  inc.received_at = at(100);
  inc.units = {unit("E1", "engine", "f", 90, 80, 300),     // dispatched before the call, en
                                                           // route before its dispatch
               unit("E2", "engine", "f", 120, 150, 140)};  // on scene before en route
  const IncidentIntervals r = intervals(inc);
  EXPECT_EQ(r.units[0].dispatch, std::nullopt);
  EXPECT_EQ(r.units[0].turnout, std::nullopt);
  EXPECT_EQ(r.units[0].travel, Millis(220000));
  EXPECT_EQ(r.units[0].arrival, Millis(200000));
  EXPECT_EQ(r.units[1].travel, std::nullopt);
  EXPECT_EQ(r.units[1].arrival, Millis(40000));
  EXPECT_EQ(r.call_processing, Millis(20000));  // E2: E1's dispatch is unmeasured
  EXPECT_EQ(r.turnout_first, Millis(30000));
  EXPECT_EQ(r.travel_first, Millis(220000));  // E1 is the only one with a travel
  EXPECT_EQ(r.total, Millis(40000));          // E2 arrived first
}

TEST(Intervals, FirstOfASubsetIsTheSameComputation) {
  IncidentTimes inc;
  inc.received_at = at(0);
  inc.units = {unit("A1", "ambulance", "ems", 40, 90, 400),
               unit("E1", "engine", "fire", 50, 110, 350)};
  const IncidentIntervals all = intervals(inc);
  EXPECT_EQ(first_of(all.units), all);
  const IncidentIntervals ems = first_of({all.units[0]});
  EXPECT_EQ(ems.call_processing, Millis(40000));
  EXPECT_EQ(ems.total, Millis(400000));
  EXPECT_EQ(ems.travel_first_engine, std::nullopt);
}

}  // namespace
}  // namespace liandong::dispatch
