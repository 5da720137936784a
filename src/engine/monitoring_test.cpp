// The monitoring commands through Engine::execute over a MemoryJournal: stations checked and
// registered all or nothing, detections moving a station's conditions and raising, raising the level
// of and clearing its warning, a warning's life-cycle with its refusals, opening an incident from a
// warning, the river network, fences and their hits; and the state after a restart (journal replay)
// and through a snapshot equal to the state before.
#include <gtest/gtest.h>

#include "core/ids.h"
#include "engine/engine.h"
#include "engine/state.h"
#include "engine/testing/memory_journal.h"
#include "river/network.h"

namespace liandong::engine {
namespace {

core::Timestamp at(const char* t) { return *core::parse_rfc3339(t, "t"); }

constexpr const char* kRiver = R"({"type":"FeatureCollection","features":[
 {"type":"Feature","geometry":{"type":"LineString","coordinates":[[114.0,23.0],[114.1,23.0]]},
  "properties":{"kind":"reach","id":"r1","length_m":10000,"velocity_mps":0.5,"area_m2":200,"jurisdiction":"441302","downstream":"r2"}},
 {"type":"Feature","geometry":{"type":"LineString","coordinates":[[114.1,23.0],[114.2,23.0]]},
  "properties":{"kind":"reach","id":"r2","length_m":10000,"velocity_mps":1.0,"area_m2":300,"jurisdiction":"441303"}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[114.02,23.0]},
  "properties":{"kind":"section","id":"s1","reach":"r1","offset_m":2000}}]})";

class MonitoringTest : public ::testing::Test {
 protected:
  MonitoringTest() : clock_(at("2026-12-02T00:00:00Z")) {}
  void SetUp() override { start(); }

  void start() {
    e_.reset();
    EngineOptions o;
    o.node = "441300";
    e_ = std::make_unique<Engine>(o, journal_, clock_, taxonomy::Taxonomy::defaults(), taxonomy::GradeRules::defaults());
    ASSERT_TRUE(e_->start().is_ok());
  }

  core::Result<Outcome> run(Command c, Actor a = "analyst-1") { return e_->execute(std::move(c), std::move(a)); }

  MonitoringStation station(const std::string& jurisdiction = "441302") {
    MonitoringStation s;
    s.jurisdiction = jurisdiction;
    s.name = "东江 1 号断面";
    s.kind = "water_quality";
    s.sampling = "automatic";
    s.location = {114.02, 23.0};
    s.parameters = {{"cadmium", "mg/L", 300}, {"ammonia_nitrogen", "mg/L", 300}};
    return s;
  }

  std::string add_station() {
    auto r = run(RegisterMonitoringStations{{station()}});
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? r->body["id"].get<std::string>() : "";
  }

  Detection detection(const std::string& id, const std::string& level, bool firing = true) {
    return Detection{id, "cadmium", "threshold", firing, clock_.now(), 0.012, 1.4, 0.005, level, "镉超标"};
  }

  engine::testing::MemoryJournal journal_;
  core::FakeClock clock_;
  std::unique_ptr<Engine> e_;
};

TEST_F(MonitoringTest, StationsAreCheckedAndRegisteredAllOrNothing) {
  EXPECT_EQ(add_station(), "441300-MON-1");
  MonitoringStation bad = station();
  bad.parameters.push_back({"cadmium", "mg/L", 300});
  auto twice = run(RegisterMonitoringStations{{station(), bad}});
  ASSERT_FALSE(twice.is_ok());
  EXPECT_EQ(twice.status().field(), "stations[1].parameters[2].code");
  EXPECT_EQ(e_->view()->monitoring_stations.size(), 1u) << "nothing of a refused import is registered";
  MonitoringStation outside = station("440100");
  EXPECT_EQ(run(RegisterMonitoringStations{{outside}}).status().field(), "jurisdiction");
  MonitoringStation no_class = station();
  no_class.target_class = 6;
  EXPECT_EQ(run(RegisterMonitoringStations{{no_class}}).status().field(), "target_class");
  MonitoringStation on_river = station();
  on_river.river_site = "s1";
  EXPECT_EQ(run(RegisterMonitoringStations{{on_river}}).status().field(), "river_site") << "no river loaded yet";
  auto net = river::Network::from_geojson(kRiver);
  ASSERT_TRUE(net.is_ok()) << net.status().to_string();
  ASSERT_TRUE(run(LoadRiverNetwork{kRiver, std::make_shared<const river::Network>(std::move(*net))}).is_ok());
  EXPECT_TRUE(run(RegisterMonitoringStations{{on_river}}).is_ok());
  EXPECT_EQ(e_->view()->river->reaches, 2u);
}

TEST_F(MonitoringTest, DetectionsMoveConditionsAndWarnings) {
  std::string id = add_station();
  ASSERT_TRUE(run(RecordDetections{{detection(id, "blue")}}, "system").is_ok());
  const View& v1 = *e_->view();
  ASSERT_EQ(v1.warnings.size(), 1u);
  EXPECT_EQ(v1.warnings[0].level, "blue");
  EXPECT_EQ(v1.warnings[0].type, "water_pollution");
  EXPECT_EQ(v1.find_monitoring_station(id)->level(), "blue");
  // Up to orange: the same warning, its level raised and its text the reading that raised it.
  Detection orange = detection(id, "orange");
  orange.reason = "镉 0.025 mg/L，超标 4 倍";
  ASSERT_TRUE(run(RecordDetections{{orange}}, "system").is_ok());
  auto v2 = e_->view();
  ASSERT_EQ(v2->warnings.size(), 1u);
  EXPECT_EQ(v2->warnings[0].level, "orange");
  EXPECT_EQ(v2->warnings[0].description, "镉 0.025 mg/L，超标 4 倍");
  // Down to yellow: the station shows yellow, the warning keeps orange (a person lowers it).
  ASSERT_TRUE(run(RecordDetections{{detection(id, "yellow")}}, "system").is_ok());
  auto v3 = e_->view();
  EXPECT_EQ(v3->warnings[0].level, "orange");
  EXPECT_EQ(v3->find_monitoring_station(id)->level(), "yellow");
  // Cleared: no condition, the warning's condition cleared, still open.
  ASSERT_TRUE(run(RecordDetections{{detection(id, "", false)}}, "system").is_ok());
  auto v4 = e_->view();
  EXPECT_TRUE(v4->find_monitoring_station(id)->conditions.empty());
  EXPECT_FALSE(v4->warnings[0].condition_active);
  EXPECT_EQ(v4->warnings[0].status, "raised");
  EXPECT_EQ(v4->warnings[0].steps.back().action, "cleared");
  // Firing again re-arms the open warning rather than raising a second one.
  ASSERT_TRUE(run(RecordDetections{{detection(id, "blue")}}, "system").is_ok());
  EXPECT_EQ(e_->view()->warnings.size(), 1u);
  EXPECT_TRUE(e_->view()->warnings[0].condition_active);
  // A parameter the station no longer measures is skipped and said so; the others are recorded.
  Detection gone = detection(id, "blue");
  gone.parameter = "lead";
  auto mixed = run(RecordDetections{{detection(id, "red"), gone}}, "system");
  ASSERT_TRUE(mixed.is_ok()) << mixed.status().to_string();
  EXPECT_EQ(mixed->body["recorded"], 1);
  EXPECT_EQ(mixed->body["skipped"][0]["index"], 1);
  EXPECT_EQ(e_->view()->warnings[0].level, "red");
  // A malformed detection refuses the batch: nothing changes.
  Detection bad = detection(id, "purple");
  EXPECT_EQ(run(RecordDetections{{detection(id, ""), bad}}, "system").status().field(), "detections[1].level");
  EXPECT_EQ(e_->view()->find_monitoring_station(id)->level(), "red");
}

TEST_F(MonitoringTest, AWarningsLifeCycleAndItsIncident) {
  RaiseWarning raise;
  raise.level = "orange";
  raise.title = "东江镉超标";
  raise.location = core::LonLat{114.4, 23.1};
  raise.type = "water_pollution";
  auto r = run(raise);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  std::string id = r->body["id"];
  EXPECT_EQ(id, "441300-WRN-1");
  EXPECT_EQ(r->body["source"], "manual");
  RaiseWarning no_level = raise;
  no_level.level = "purple";
  EXPECT_EQ(run(no_level).status().field(), "level");

  EXPECT_TRUE(run(ChangeWarning{id, "confirm", "", "", "复核"}).is_ok());
  EXPECT_EQ(run(ChangeWarning{id, "confirm", "", "", ""}).status().code(), core::Code::kConflict);
  EXPECT_EQ(run(ChangeWarning{id, "update", "", "", ""}).status().field(), "level");
  // Orange and red go out as CAP alerts a second person approves, not by a plain issue.
  auto orange = run(ChangeWarning{id, "issue", "", "", ""});
  EXPECT_EQ(orange.status().code(), core::Code::kConflict);
  EXPECT_NE(orange.status().message().find("POST /api/v1/alerts"), std::string::npos) << orange.status().message();
  EXPECT_TRUE(run(ChangeWarning{id, "update", "yellow", "", "降级"}).is_ok());
  EXPECT_TRUE(run(ChangeWarning{id, "issue", "", "", ""}).is_ok());
  EXPECT_EQ(run(ChangeWarning{id, "publish", "", "", ""}).status().field(), "action");

  auto linked = run(LinkWarning{id, ""}, "duty-1");
  ASSERT_TRUE(linked.is_ok()) << linked.status().to_string();
  std::string incident = linked->body["incident_id"];
  const Incident* inc = e_->view()->find_incident(incident);
  ASSERT_NE(inc, nullptr);
  EXPECT_EQ(inc->type, "water_pollution");
  EXPECT_EQ(run(LinkWarning{id, incident}).status().code(), core::Code::kConflict) << "already linked";

  EXPECT_TRUE(run(ChangeWarning{id, "lift", "", "", "解除"}).is_ok());
  EXPECT_EQ(run(ChangeWarning{id, "update", "blue", "", ""}).status().code(), core::Code::kConflict);
  const Warning& w = *e_->view()->find_warning(id);
  std::vector<std::string> actions;
  for (const auto& s : w.steps) actions.push_back(s.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"raised", "confirmed", "updated", "issued", "linked", "lifted"}));
  EXPECT_EQ(w.level, "yellow");
  EXPECT_EQ(w.steps[1].by, "analyst-1");
}

TEST_F(MonitoringTest, FenceHitsRaiseOneWarningPerObject) {
  auto obj = run(RegisterTrackedObject{{"", "441302", "hazmat_vehicle", "粤L·12345", ""}});
  ASSERT_TRUE(obj.is_ok()) << obj.status().to_string();
  FenceRecord f;
  f.jurisdiction = "441302";
  f.name = "水源保护区";
  f.kind = "water_source_protection";
  f.area = {{"type", "Polygon"}, {"coordinates", {{{114.0, 23.0}, {114.1, 23.0}, {114.1, 23.1}, {114.0, 23.0}}}}};
  FenceRecord no_rule = f;
  EXPECT_EQ(run(CreateFence{no_rule}).status().field(), "rules");
  f.on_enter = true;
  f.warning_level = "orange";
  auto fence = run(CreateFence{f});
  ASSERT_TRUE(fence.is_ok()) << fence.status().to_string();
  std::string fid = fence->body["id"], oid = obj->body["id"];
  FenceHit hit{fid, oid, "enter", clock_.now(), 0, {114.05, 23.02}};
  ASSERT_TRUE(run(RecordFenceHits{{hit, hit}}, "system").is_ok());
  auto v = e_->view();
  EXPECT_EQ(v->find_fence(fid)->hits, 2u);
  ASSERT_EQ(v->warnings.size(), 1u) << "one open warning per fence and object";
  EXPECT_EQ(v->warnings[0].source, "geofence");
  EXPECT_EQ(v->warnings[0].level, "orange");
  FenceHit bad = hit;
  bad.kind = "teleport";
  EXPECT_EQ(run(RecordFenceHits{{bad}}, "system").status().field(), "hits[0].kind");
  EXPECT_TRUE(run(UpdateFence{fid, false, std::nullopt}).is_ok());
  EXPECT_FALSE(e_->view()->find_fence(fid)->active);
}

TEST_F(MonitoringTest, TheStateSurvivesARestartAndASnapshot) {
  auto net = river::Network::from_geojson(kRiver);
  ASSERT_TRUE(net.is_ok());
  ASSERT_TRUE(run(LoadRiverNetwork{kRiver, std::make_shared<const river::Network>(std::move(*net))}).is_ok());
  std::string id = add_station();
  ASSERT_TRUE(run(RecordDetections{{detection(id, "yellow")}}, "system").is_ok());
  ASSERT_TRUE(run(ChangeWarning{"441300-WRN-1", "confirm", "", "", ""}).is_ok());
  ASSERT_TRUE(run(RegisterTrackedObject{{"", "441302", "vessel", "粤惠州货 1234", ""}}).is_ok());
  FenceRecord f;
  f.jurisdiction = "441302";
  f.name = "禁航区";
  f.kind = "restricted_zone";
  f.area = {{"type", "Polygon"}, {"coordinates", {{{114.0, 23.0}, {114.1, 23.0}, {114.1, 23.1}, {114.0, 23.0}}}}};
  f.dwell_s = 600;
  ASSERT_TRUE(run(CreateFence{f}).is_ok());
  std::string before = serialize_view(*e_->view());

  e_->stop();
  start();  // from the snapshot taken at stop
  EXPECT_EQ(serialize_view(*e_->view()), before);
  auto loaded = State::load(before, "441300");
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  EXPECT_EQ(loaded->serialize(), before);
  EXPECT_EQ(loaded->view().river->network->reaches().size(), 2u);
  EXPECT_EQ(loaded->view().find_monitoring_station(id)->level(), "yellow");
  EXPECT_EQ(loaded->view().stations_seq, e_->view()->stations_seq);
}

}  // namespace
}  // namespace liandong::engine
