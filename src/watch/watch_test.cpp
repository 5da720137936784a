// The watch with a real engine (in-memory journal), the in-memory reading store and a fake clock:
// readings are stored and refused per reading, detectors raise and clear warnings through the
// engine, persistence and hysteresis hold at a limit, silence fires the missing-data detector, and
// fixes of tracked objects hit fences.
#include "watch/watch.h"

#include <gtest/gtest.h>

#include <future>

#include "core/ids.h"
#include "engine/testing/memory_journal.h"

namespace liandong::watch {
namespace {

constexpr const char* kNode = "441300";

core::Timestamp t0() { return *core::parse_rfc3339("2026-12-02T00:00:00Z", "t"); }

class WatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_.set(t0());
    engine::EngineOptions o;
    o.node = kNode;
    engine_ = std::make_unique<engine::Engine>(o, journal_, clock_, taxonomy::Taxonomy::defaults(),
                                               taxonomy::GradeRules::defaults());
    ASSERT_TRUE(engine_->start().is_ok());
    WatchOptions w;
    w.silence_every = core::Millis(0);  // every loop: the fake clock decides
    watch_ = std::make_unique<Watch>(*engine_, store_, clock_, w);
    watch_->start();
  }
  void TearDown() override {
    watch_->stop();
    engine_->stop();
  }

  std::string add_station(const std::string& kind, std::vector<engine::StationParameter> params, bool counts = false) {
    engine::MonitoringStation s;
    s.jurisdiction = "441302";
    s.name = "东江 " + std::to_string(++stations_) + " 号断面";
    s.kind = kind;
    s.sampling = "automatic";
    s.location = {114.4, 23.1};
    s.target_class = 3;
    s.counts = counts;
    s.parameters = std::move(params);
    auto r = engine_->execute(engine::RegisterMonitoringStations{{s}}, "test");
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r->body.at("id");
  }

  IngestAnswer ingest(std::vector<readings::Reading> rs) {
    std::promise<core::Result<IngestAnswer>> p;
    watch_->ingest(std::move(rs), [&](core::Result<IngestAnswer> a) { p.set_value(std::move(a)); });
    auto a = p.get_future().get();
    EXPECT_TRUE(a.is_ok()) << a.status().to_string();
    // The detections were submitted before the answer; a no-op command after them waits for them.
    (void)engine_->execute(engine::FireTimers{}, "test");
    return a.is_ok() ? *a : IngestAnswer{};
  }

  readings::Reading reading(const std::string& station, const std::string& parameter, int minute, double value) {
    return readings::Reading{station, parameter, t0() + core::Millis(int64_t{minute} * 60000), value,
                             readings::Quality::kOk};
  }

  std::vector<engine::Warning> warnings() {
    auto v = engine_->view();
    std::vector<engine::Warning> out;
    for (size_t i = 0; i < v->warnings.size(); ++i) out.push_back(v->warnings[i]);
    return out;
  }

  engine::testing::MemoryJournal journal_;
  readings::MemoryReadingStore store_;
  core::FakeClock clock_{t0()};
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<Watch> watch_;
  int stations_ = 0;
};

TEST_F(WatchTest, ReadingsAreStoredAndRefusedOneByOne) {
  std::string id = add_station("water_quality", {{"cadmium", "mg/L", 300}});
  auto a = ingest({reading(id, "cadmium", 0, 0.001), reading("441300-MON-99", "cadmium", 0, 0.001),
                   reading(id, "lead", 0, 0.01), reading(id, "cadmium", 5, 0.002)});
  EXPECT_EQ(a.accepted, 2u);
  ASSERT_EQ(a.refused.size(), 2u);
  EXPECT_EQ(a.refused[0].index, 1u);
  EXPECT_EQ(a.refused[0].field, "station");
  EXPECT_EQ(a.refused[1].index, 2u);
  EXPECT_EQ(a.refused[1].field, "parameter");
  auto series = store_.find_series(id, "cadmium");
  ASSERT_TRUE(series.is_ok() && series->has_value());
  auto rows = store_.range(**series, 0, readings::kEndTimeMs, 100);
  ASSERT_TRUE(rows.is_ok());
  EXPECT_EQ(rows->size(), 2u);
  // A duplicate is accepted again (idempotent) and not stored twice.
  EXPECT_EQ(ingest({reading(id, "cadmium", 0, 0.001)}).accepted, 1u);
  EXPECT_EQ(store_.range(**series, 0, readings::kEndTimeMs, 100)->size(), 2u);
}

TEST_F(WatchTest, CadmiumAboveClassThreeRaisesAWarningAfterPersistence) {
  std::string id = add_station("water_quality", {{"cadmium", "mg/L", 300}});
  ingest({reading(id, "cadmium", 0, 0.003)});
  EXPECT_TRUE(warnings().empty());
  // 0.012 mg/L against class III 0.005: (0.012 − 0.005)/0.005 = 1.4 — one reading is not enough.
  ingest({reading(id, "cadmium", 5, 0.012)});
  EXPECT_TRUE(warnings().empty());
  ingest({reading(id, "cadmium", 10, 0.012)});
  auto ws = warnings();
  ASSERT_EQ(ws.size(), 1u);
  EXPECT_EQ(ws[0].source, "detector");
  EXPECT_EQ(ws[0].station_id, id);
  EXPECT_EQ(ws[0].parameter, "cadmium");
  EXPECT_EQ(ws[0].type, "water_pollution");
  EXPECT_EQ(ws[0].status, "raised");
  EXPECT_NE(ws[0].level, "");
  EXPECT_TRUE(ws[0].condition_active);
  const auto* st = engine_->view()->find_monitoring_station(id);
  ASSERT_NE(st, nullptr);
  EXPECT_EQ(st->level(), ws[0].level);
  // Back under the limit for two readings: the condition clears, the warning stays for a person.
  ingest({reading(id, "cadmium", 15, 0.001), reading(id, "cadmium", 20, 0.001)});
  ws = warnings();
  ASSERT_EQ(ws.size(), 1u);
  EXPECT_FALSE(ws[0].condition_active);
  EXPECT_EQ(ws[0].status, "raised");
  EXPECT_EQ(engine_->view()->find_monitoring_station(id)->level(), "");
}

TEST_F(WatchTest, AValueHoveringAtTheLimitDoesNotFlap) {
  std::string id = add_station("water_quality", {{"cadmium", "mg/L", 300}});
  std::vector<readings::Reading> rs;
  for (int i = 0; i < 40; ++i) rs.push_back(reading(id, "cadmium", i * 5, i % 2 ? 0.0051 : 0.0049));
  ingest(rs);
  auto ws = warnings();
  ASSERT_LE(ws.size(), 1u);
  size_t steps = ws.empty() ? 0 : ws[0].steps.size();
  EXPECT_LE(steps, 2u) << "the warning went up and down with the value";
  // Nor is the journal written a reading: the station's registration and at most two changes.
  EXPECT_LE(engine_->view()->seq, 4u);
}

TEST_F(WatchTest, OutOfOrderReadingsAreStoredInTimeOrder) {
  std::string id = add_station("water_quality", {{"cadmium", "mg/L", 300}});
  ingest({reading(id, "cadmium", 10, 0.003), reading(id, "cadmium", 0, 0.001), reading(id, "cadmium", 5, 0.002)});
  auto series = store_.find_series(id, "cadmium");
  auto rows = store_.range(**series, 0, readings::kEndTimeMs, 100);
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_DOUBLE_EQ((*rows)[0].first, 0.001);
  EXPECT_DOUBLE_EQ((*rows)[2].first, 0.003);
}

TEST_F(WatchTest, ASilentStationFiresMissingData) {
  std::string id = add_station("water_quality", {{"cadmium", "mg/L", 300}});
  ingest({reading(id, "cadmium", 0, 0.001)});
  // 5-minute data, silent for an hour: more than 3 × the interval.
  clock_.set(t0() + core::Millis(60 * 60000));
  for (int i = 0; i < 50 && engine_->view()->find_monitoring_station(id)->conditions.empty(); ++i) {
    ingest({});  // wakes the worker, which checks silence after each batch
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const auto* st = engine_->view()->find_monitoring_station(id);
  ASSERT_FALSE(st->conditions.empty());
  EXPECT_EQ(st->conditions[0].detector, "missing");
}

TEST_F(WatchTest, AHazmatTruckEnteringAProtectedZoneRaisesAWarning) {
  engine::TrackedObject o{"", "441302", "hazmat_vehicle", "粤L·12345", "惠州危化运输"};
  auto obj = engine_->execute(engine::RegisterTrackedObject{o}, "test");
  ASSERT_TRUE(obj.is_ok()) << obj.status().to_string();
  engine::FenceRecord f;
  f.jurisdiction = "441302";
  f.name = "东江饮用水源一级保护区";
  f.kind = "water_source_protection";
  f.area = {{"type", "Polygon"},
            {"coordinates", {{{114.40, 23.10}, {114.42, 23.10}, {114.42, 23.12}, {114.40, 23.12}, {114.40, 23.10}}}}};
  f.on_enter = true;
  f.warning_level = "orange";
  auto fence = engine_->execute(engine::CreateFence{f}, "test");
  ASSERT_TRUE(fence.is_ok()) << fence.status().to_string();
  std::string object_id = obj->body.at("id");

  std::promise<core::Result<TrackAnswer>> p;
  watch_->track({{object_id, t0(), {114.38, 23.11}, 40.0},
                 {object_id, t0() + core::Millis(60000), {114.41, 23.11}, 40.0},
                 {"441300-TRK-9", t0(), {114.41, 23.11}, std::nullopt}},
                [&](core::Result<TrackAnswer> a) { p.set_value(std::move(a)); });
  auto a = p.get_future().get();
  ASSERT_TRUE(a.is_ok());
  EXPECT_EQ(a->accepted, 2u);
  ASSERT_EQ(a->refused.size(), 1u);
  EXPECT_EQ(a->refused[0].index, 2u);
  (void)engine_->execute(engine::FireTimers{}, "test");
  auto ws = warnings();
  ASSERT_EQ(ws.size(), 1u);
  EXPECT_EQ(ws[0].source, "geofence");
  EXPECT_EQ(ws[0].level, "orange");
  EXPECT_EQ(ws[0].object_id, object_id);
  EXPECT_EQ(engine_->view()->find_fence(fence->body.at("id").get<std::string>())->hits, 1u);
}

}  // namespace
}  // namespace liandong::watch
