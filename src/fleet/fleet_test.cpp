// Fleet scenario tests on small hand-drawn road maps: which units a recommendation picks and why
// (road time, not straight line; ties; stale positions; capabilities; a neighbouring county's unit
// with and without a mutual-aid rule; an unreachable incident; no road network), and how position
// fixes are taken (applied, duplicate, out of order, refused).
#include "fleet/fleet.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/ids.h"
#include "routing/ascii_map.h"
#include "routing/ch.h"

namespace liandong::fleet {
namespace {

using routing::testing::AsciiMap;
using routing::testing::draw;

constexpr const char* kNode = "441200";

// a . . . . . b       The river between a–b and c–d has no bridge but b–d: from a to c by road
//             .       is 1200 + 200 + 1200 m, although c lies 200 m from a in a straight line.
// c . . . . . d       (Every character is a 100 m column; roads at 10 m/s.)
//
// x . y               An island road nobody can reach.
AsciiMap river_map() {
  return draw(
      "a . . . . . b\n"
      "            .\n"
      "c . . . . . d\n"
      "\n"
      "x . y\n",
      {{"ab"}, {"bd"}, {"cd"}, {"xy"}});
}

core::LonLat at(const AsciiMap& m, char node) {
  const auto& c = m.graph.coord[m[node]];
  return {c.lon(), c.lat()};
}

struct UnitSpec {
  std::string type = "engine";
  std::string jurisdiction = "441202";
  std::vector<std::string> capabilities = {};
  std::string status = "available";
  std::string station_id = "";
};

class FleetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    map_ = river_map();
    network_.graph = map_.graph;
    network_.ch = routing::build_contraction_hierarchy(network_.graph, {});
    snap_ = std::make_unique<routing::SnapIndex>(network_.graph);
    view_ = std::make_shared<engine::View>();
    view_->node = kNode;
  }

  std::string add_station(const std::string& name, char node) {
    auto s = std::make_shared<engine::Station>();
    s->id = core::format_id(kNode, core::kKindStation, view_->stations.size() + 1);
    s->jurisdiction = "441202";
    s->name = name;
    s->location = at(map_, node);
    view_->stations.push_back(s);
    return s->id;
  }

  std::string add_unit(const std::string& call_sign, UnitSpec spec = {}) {
    auto u = std::make_shared<engine::Unit>();
    u->id = core::format_id(kNode, core::kKindUnit, view_->units.size() + 1);
    u->call_sign = call_sign;
    u->type = spec.type;
    u->jurisdiction = spec.jurisdiction;
    u->capabilities = spec.capabilities;
    u->status = spec.status;
    u->station_id = spec.station_id;
    view_->units.push_back(u);
    return u->id;
  }

  void start(bool with_roads = true) {
    FleetOptions o;
    o.unit_types = {"engine", "ladder", "ambulance"};
    o.mutual_aid = rules_;
    fleet_ = std::make_unique<Fleet>(o, with_roads ? &network_ : nullptr, with_roads ? snap_.get() : nullptr,
                                     store_, clock_);
    ASSERT_TRUE(fleet_->start(view_).is_ok());
  }

  Fix fix_at(const std::string& unit, char node, int seconds_ago = 0) {
    auto p = at(map_, node);
    return Fix{unit, clock_.now() - core::Millis(seconds_ago * 1000), p.lon, p.lat, {}, {}, {}, {}};
  }

  void place(const std::string& unit, char node, int seconds_ago = 0) {
    auto r = fleet_->ingest({fix_at(unit, node, seconds_ago)});
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    ASSERT_EQ((*r)[0].kind, FixOutcome::Kind::kApplied) << (*r)[0].reason;
  }

  Recommendation recommend(char incident, dispatch::Requirement req, std::string jurisdiction = "441202") {
    fleet_->drain();
    RecommendRequest r{"441200-INC-1", jurisdiction, at(map_, incident), std::move(req), true};
    auto rec = fleet_->recommend(r);
    EXPECT_TRUE(rec.is_ok()) << rec.status().to_string();
    return rec.is_ok() ? *rec : Recommendation{};
  }

  static std::vector<std::string> ids(const std::vector<RecommendedUnit>& units) {
    std::vector<std::string> out;
    for (const auto& u : units) out.push_back(u.call_sign);
    return out;
  }

  AsciiMap map_;
  routing::RoadNetwork network_;
  std::unique_ptr<routing::SnapIndex> snap_;
  std::shared_ptr<engine::View> view_;
  core::FakeClock clock_{*core::parse_rfc3339("2026-12-02T08:00:00Z")};
  MemoryPositionStore store_;
  std::vector<dispatch::MutualAidRule> rules_;
  std::unique_ptr<Fleet> fleet_;
};

dispatch::Requirement need(std::vector<dispatch::Slot> slots) { return dispatch::Requirement{std::move(slots)}; }

TEST_F(FleetTest, RoadTimeNotStraightLineDecides) {
  auto near = add_unit("E-across-river");  // at a: 200 m away in a line, 2600 m by road
  auto far = add_unit("E-same-bank");      // at d: 1200 m away in a line and by road
  start();
  place(near, 'a');
  place(far, 'd');
  auto rec = recommend('c', need({{"engine", 1, {}}}));
  ASSERT_EQ(rec.method, "road");
  ASSERT_EQ(rec.slots.size(), 1u);
  ASSERT_EQ(ids(rec.slots[0].units), std::vector<std::string>{"E-same-bank"});
  EXPECT_EQ(*rec.slots[0].units[0].eta_ms, 120000u);  // 1200 m at 10 m/s
  EXPECT_NEAR(rec.slots[0].units[0].straight_m, 1200, 1);
  EXPECT_FALSE(rec.slots[0].units[0].route.empty());
  EXPECT_EQ(*rec.slots[0].units[0].length_m, 1200u);
  ASSERT_EQ(ids(rec.slots[0].alternatives), std::vector<std::string>{"E-across-river"});
  EXPECT_EQ(*rec.slots[0].alternatives[0].eta_ms, 260000u);
  EXPECT_NEAR(rec.slots[0].alternatives[0].straight_m, 200, 1);
  EXPECT_TRUE(rec.slots[0].alternatives[0].route.empty());  // routes only for the chosen
  EXPECT_EQ(rec.total_eta_ms, 120000u);
}

TEST_F(FleetTest, TiesGoToTheLowerUnitIdAndEachUnitFillsOneSlot) {
  auto e1 = add_unit("E1");
  auto e2 = add_unit("E2");
  auto l1 = add_unit("L1", {.type = "ladder"});
  auto a1 = add_unit("A1", {.type = "ambulance"});
  start();
  place(e2, 'd');
  place(e1, 'd');
  place(l1, 'b');
  place(a1, 'a');
  auto rec = recommend('c', need({{"engine", 1, {}}, {"ladder", 1, {}}, {"ambulance", 1, {}}}));
  ASSERT_EQ(rec.slots.size(), 3u);
  EXPECT_EQ(ids(rec.slots[0].units), std::vector<std::string>{"E1"});
  EXPECT_EQ(ids(rec.slots[0].alternatives), std::vector<std::string>{"E2"});
  EXPECT_EQ(ids(rec.slots[1].units), std::vector<std::string>{"L1"});
  EXPECT_EQ(ids(rec.slots[2].units), std::vector<std::string>{"A1"});
  EXPECT_EQ(*rec.slots[1].units[0].eta_ms, 140000u);  // b → d → c
  EXPECT_EQ(*rec.slots[2].units[0].eta_ms, 260000u);  // a → b → d → c
  EXPECT_EQ(rec.total_eta_ms, 120000u + 140000u + 260000u);
}

TEST_F(FleetTest, CapabilityPicksTheFartherUnitThatHasIt) {
  add_unit("E-plain");
  add_unit("E-foam", {.capabilities = {"foam"}});
  start();
  place(core::format_id(kNode, core::kKindUnit, 1), 'd');
  place(core::format_id(kNode, core::kKindUnit, 2), 'a');
  // One engine with foam and one more engine: the foam engine takes the foam slot even though it
  // is farther, and the plain engine the other.
  auto rec = recommend('c', need({{"engine", 1, {}}, {"engine", 1, {"foam"}}}));
  EXPECT_EQ(ids(rec.slots[0].units), std::vector<std::string>{"E-plain"});
  EXPECT_EQ(ids(rec.slots[1].units), std::vector<std::string>{"E-foam"});
  auto only_foam = recommend('c', need({{"engine", 2, {"foam"}}}));
  EXPECT_EQ(ids(only_foam.slots[0].units), std::vector<std::string>{"E-foam"});
  EXPECT_EQ(only_foam.slots[0].unfilled, 1u);
}

TEST_F(FleetTest, StalePositionIsUsedAndFlagged) {
  auto fresh = add_unit("E-fresh");
  auto stale = add_unit("E-stale");
  start();
  place(fresh, 'a');
  place(stale, 'd', 600);  // ten minutes old: stale after two
  auto rec = recommend('c', need({{"engine", 2, {}}}));
  ASSERT_EQ(ids(rec.slots[0].units), (std::vector<std::string>{"E-stale", "E-fresh"}));
  EXPECT_TRUE(rec.slots[0].units[0].position.stale);
  EXPECT_EQ(rec.slots[0].units[0].position.source, UnitPosition::Source::kFix);
  EXPECT_FALSE(rec.slots[0].units[1].position.stale);
}

TEST_F(FleetTest, UnitWithoutFixStandsAtItsStation) {
  auto station = add_station("惠城消防站", 'd');
  add_unit("E-home", {.station_id = station});
  add_unit("E-nowhere");
  start();
  auto rec = recommend('c', need({{"engine", 2, {}}}));
  ASSERT_EQ(ids(rec.slots[0].units), std::vector<std::string>{"E-home"});
  EXPECT_EQ(rec.slots[0].units[0].position.source, UnitPosition::Source::kStation);
  EXPECT_TRUE(rec.slots[0].units[0].position.stale);
  EXPECT_EQ(rec.slots[0].unfilled, 1u);
  EXPECT_NE(rec.notice.find("1 available unit"), std::string::npos) << rec.notice;
  auto pos = fleet_->position(core::format_id(kNode, core::kKindUnit, 2));
  ASSERT_TRUE(pos);
  EXPECT_EQ(pos->source, UnitPosition::Source::kNone);
}

TEST_F(FleetTest, NeighbouringCountyOnlyUnderAMutualAidRule) {
  auto own = add_unit("E-own");
  auto neighbour = add_unit("E-neighbour", {.jurisdiction = "441203"});
  auto city = add_unit("E-city", {.jurisdiction = "441200"});
  start();
  place(own, 'a');
  place(neighbour, 'd');
  place(city, 'b');
  auto rec = recommend('c', need({{"engine", 3, {}}}));
  EXPECT_EQ(ids(rec.slots[0].units), (std::vector<std::string>{"E-city", "E-own"}));
  EXPECT_EQ(rec.slots[0].unfilled, 1u);
  for (const auto& u : rec.slots[0].units) EXPECT_TRUE(u.mutual_aid_rule.empty());

  fleet_->stop();
  rules_ = {{"惠阳支援惠城", "441203", "441202", {"engine"}}};
  start();  // the units stand at their stored fixes
  auto with_rule = recommend('c', need({{"engine", 3, {}}}));
  ASSERT_EQ(ids(with_rule.slots[0].units), (std::vector<std::string>{"E-neighbour", "E-city", "E-own"}));
  EXPECT_EQ(with_rule.slots[0].units[0].mutual_aid_rule, "惠阳支援惠城");
  // The rule is for engines only, and only towards 441202.
  auto elsewhere = recommend('c', need({{"engine", 3, {}}}), "441204");
  EXPECT_EQ(ids(elsewhere.slots[0].units), std::vector<std::string>{"E-city"});
}

TEST_F(FleetTest, UnreachableIncidentLeavesSlotsUnfilledAndSaysSo) {
  auto e = add_unit("E1");
  start();
  place(e, 'a');
  auto rec = recommend('x', need({{"engine", 1, {}}}));
  EXPECT_EQ(rec.method, "road");
  EXPECT_TRUE(rec.slots[0].units.empty());
  EXPECT_EQ(rec.slots[0].unfilled, 1u);
  EXPECT_NE(rec.notice.find("reach"), std::string::npos) << rec.notice;
}

TEST_F(FleetTest, WithoutRoadsFallsBackToStraightLineWithoutTimes) {
  auto near = add_unit("E-across-river");
  auto far = add_unit("E-same-bank");
  start(/*with_roads=*/false);
  place(near, 'a');
  place(far, 'd');
  auto rec = recommend('c', need({{"engine", 1, {}}}));
  EXPECT_EQ(rec.method, "straight_line");
  EXPECT_NE(rec.notice.find("no road network"), std::string::npos);
  ASSERT_EQ(ids(rec.slots[0].units), std::vector<std::string>{"E-across-river"});
  EXPECT_FALSE(rec.slots[0].units[0].eta_ms.has_value());
  EXPECT_NEAR(rec.slots[0].units[0].straight_m, 200, 1);
  EXPECT_EQ(rec.total_eta_ms, 0u);
}

TEST_F(FleetTest, IncidentFarFromAnyRoadFallsBackAndSaysWhy) {
  auto e = add_unit("E1");
  start();
  place(e, 'a');
  RecommendRequest r{"441200-INC-1", "441202", {114.60, 23.30}, need({{"engine", 1, {}}}), true};
  fleet_->drain();
  auto rec = fleet_->recommend(r);
  ASSERT_TRUE(rec.is_ok());
  EXPECT_EQ(rec->method, "straight_line");
  EXPECT_NE(rec->notice.find("could not be placed on the road network"), std::string::npos) << rec->notice;
}

TEST_F(FleetTest, DispatchedUnitLeavesTheIndexAndComesBackWhenAvailable) {
  auto e1 = add_unit("E1");
  auto e2 = add_unit("E2");
  start();
  place(e1, 'd');
  place(e2, 'a');
  auto busy = std::make_shared<engine::View>(*view_);
  auto u = std::make_shared<engine::Unit>(busy->units[0]);
  u->status = "dispatched";
  busy->units.set(0, u);
  engine::Event ev;
  ev.type = "unit.dispatched";
  ev.data = {{"unit_id", e1}};
  fleet_->on_committed(std::span(&ev, 1), busy);
  EXPECT_EQ(ids(recommend('c', need({{"engine", 1, {}}})).slots[0].units), std::vector<std::string>{"E2"});

  auto back = std::make_shared<engine::View>(*busy);
  auto r = std::make_shared<engine::Unit>(back->units[0]);
  r->status = "returning";  // a returning unit may be sent again
  back->units.set(0, r);
  ev.type = "unit.status_changed";
  fleet_->on_committed(std::span(&ev, 1), back);
  EXPECT_EQ(ids(recommend('c', need({{"engine", 1, {}}})).slots[0].units), std::vector<std::string>{"E1"});
}

TEST_F(FleetTest, MovingUnitIsRecommendedFromWhereItIsNow) {
  auto e1 = add_unit("E1");
  auto e2 = add_unit("E2");
  start();
  place(e1, 'a', 30);
  place(e2, 'b', 30);
  EXPECT_EQ(ids(recommend('c', need({{"engine", 1, {}}})).slots[0].units), std::vector<std::string>{"E2"});
  place(e1, 'd');  // E1 drove round to d
  EXPECT_EQ(ids(recommend('c', need({{"engine", 1, {}}})).slots[0].units), std::vector<std::string>{"E1"});
  EXPECT_LE(fleet_->stats().max_apply_lag_us, 100000u);
}

TEST_F(FleetTest, SmallMovesAlongTheRoadKeepTheIndexButNotTheEta) {
  auto e1 = add_unit("E1");
  start();
  place(e1, 'a', 20);
  // 10 m east of a, on the same road: one second of travel, within the index's drift.
  auto p = at(map_, 'a');
  double east = 10.0 / (111195.08 * std::cos(p.lat * M_PI / 180));
  auto r = fleet_->ingest({Fix{e1, clock_.now() - core::Millis(10000), p.lon + east, p.lat, {}, {}, {}, {}}});
  ASSERT_TRUE(r.is_ok());
  ASSERT_EQ((*r)[0].kind, FixOutcome::Kind::kApplied);
  auto rec = recommend('c', need({{"engine", 1, {}}}));
  ASSERT_EQ(rec.slots[0].units.size(), 1u);
  EXPECT_EQ(*rec.slots[0].units[0].eta_ms, 259000u);  // the route from where it is, not the index's 260 s
  EXPECT_EQ(rec.total_eta_ms, 259000u);
}

TEST_F(FleetTest, FixesAreAppliedDeduplicatedOrderedOrRefused) {
  auto e1 = add_unit("E1");
  start();
  auto now = clock_.now();
  auto p = at(map_, 'a');
  std::vector<Fix> batch = {
      {e1, now - core::Millis(10000), p.lon, p.lat, 30.0, 90.0, 5.0, {}},
      {e1, now - core::Millis(10000), p.lon, p.lat, {}, {}, {}, {}},          // same time: duplicate
      {e1, now - core::Millis(20000), p.lon, p.lat, {}, {}, {}, {}},          // older: history only
      {"441200-UNT-9", now, p.lon, p.lat, {}, {}, {}, {}},                    // no such unit
      {"441299-UNT-1", now, p.lon, p.lat, {}, {}, {}, {}},                    // another node's
      {e1, now + core::Millis(3600 * 1000), p.lon, p.lat, {}, {}, {}, {}},    // an hour ahead
      {e1, now - core::Millis(3 * 86400 * 1000LL), p.lon, p.lat, {}, {}, {}, {}},  // three days old
      {e1, now, 200.0, p.lat, {}, {}, {}, {}},                                 // longitude
      {e1, now, p.lon, p.lat, -5.0, {}, {}, {}},                               // speed
  };
  auto r = fleet_->ingest(batch);
  ASSERT_TRUE(r.is_ok());
  using K = FixOutcome::Kind;
  std::vector<K> kinds;
  for (const auto& o : *r) kinds.push_back(o.kind);
  EXPECT_EQ(kinds, (std::vector<K>{K::kApplied, K::kDuplicate, K::kOutOfOrder, K::kRejected, K::kRejected,
                                   K::kRejected, K::kRejected, K::kRejected, K::kRejected}));
  EXPECT_EQ((*r)[3].field, "object_id");
  EXPECT_EQ((*r)[5].field, "time");
  EXPECT_NE((*r)[5].reason.find("ahead"), std::string::npos);
  EXPECT_NE((*r)[6].reason.find("old"), std::string::npos);
  EXPECT_EQ((*r)[7].field, "lon");
  EXPECT_EQ((*r)[8].field, "speed_kmh");
  fleet_->drain();
  auto pos = fleet_->position(e1);
  ASSERT_TRUE(pos);
  EXPECT_EQ(pos->fix_time, now - core::Millis(10000));
  EXPECT_EQ(pos->speed_kmh, 30.0);
  EXPECT_TRUE(pos->on_road);
  fleet_->stop();  // flushes to the store
  auto hist = store_.history(e1, now - core::Millis(60000), now, 10);
  ASSERT_TRUE(hist.is_ok());
  EXPECT_EQ(hist->size(), 2u);  // the applied and the older one
  auto stats = fleet_->stats();
  EXPECT_EQ(stats.fixes_applied, 1u);
  EXPECT_EQ(stats.fixes_duplicate, 1u);
  EXPECT_EQ(stats.fixes_out_of_order, 1u);
  EXPECT_EQ(stats.fixes_rejected, 6u);
  EXPECT_EQ(stats.fixes_stored, 2u);
}

TEST_F(FleetTest, RestartPlacesUnitsAtTheirStoredFixes) {
  auto e1 = add_unit("E1");
  start();
  place(e1, 'd');
  fleet_->stop();
  fleet_.reset();
  start();
  auto pos = fleet_->position(e1);
  ASSERT_TRUE(pos);
  EXPECT_EQ(pos->source, UnitPosition::Source::kFix);
  EXPECT_EQ(ids(recommend('c', need({{"engine", 1, {}}})).slots[0].units), std::vector<std::string>{"E1"});
  // The same fix sent again after the restart is a duplicate.
  auto again = fleet_->ingest({fix_at(e1, 'd')});
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ((*again)[0].kind, FixOutcome::Kind::kDuplicate);
}

TEST_F(FleetTest, BadRequirementIsRefusedWithTheField) {
  add_unit("E1");
  start();
  RecommendRequest r{"441200-INC-1", "441202", at(map_, 'c'), need({{"submarine", 1, {}}}), true};
  auto rec = fleet_->recommend(r);
  ASSERT_FALSE(rec.is_ok());
  EXPECT_EQ(rec.status().field(), "slots[0].type");
  r.requirement = need({});
  EXPECT_FALSE(fleet_->recommend(r).is_ok());
}

}  // namespace
}  // namespace liandong::fleet
