#include "app/stats_feeder.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "engine/testing/memory_journal.h"

namespace liandong::app {
namespace {

namespace fs = std::filesystem;

core::Timestamp at(const char* s) { return *core::parse_rfc3339(s); }

// A real engine (memory journal, fake clock) and a real stats file, the feeder between them as
// the node wires it.
class StatsFeederTest : public ::testing::Test {
 protected:
  StatsFeederTest() : clock_(at("2026-11-29T05:00:00Z")) {
    dir_ = fs::temp_directory_path() / ("liandong-stats-feeder-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~StatsFeederTest() override {
    if (feeder_) feeder_->stop();
    if (engine_) engine_->stop();
    fs::remove_all(dir_);
  }

  void start() {
    auto store = stats::FactStore::open((dir_ / "stats.db").string());
    ASSERT_TRUE(store.is_ok()) << store.status().to_string();
    store_ = std::move(*store);
    engine::EngineOptions o;
    o.node = "441200";
    o.report_duties = false;
    engine_ = std::make_unique<engine::Engine>(o, journal_, clock_, taxonomy::Taxonomy::defaults(),
                                               taxonomy::GradeRules::defaults());
    feeder_ = std::make_unique<StatsFeeder>(*store_, *engine_);
    engine_->set_listener([f = feeder_.get()](std::span<const engine::Event> events) { f->on_events(events); });
    ASSERT_TRUE(engine_->start().is_ok());
    ASSERT_TRUE(feeder_->start().is_ok());
  }

  engine::ReportAlarm fire(int n, bool same_place = false) {
    engine::ReportAlarm a;
    a.channel = "119";
    a.reported_at = at("2026-11-29T12:59:00+08:00");
    // ~1 km apart (no joins), or on the first one's place (a join).
    a.location = core::LonLat{113.30 + (same_place ? 0 : 0.01 * n), 23.10};
    a.type = "fire";
    return a;
  }

  // Waits (at most 5 s) until the stats file's cursor reaches the engine's seq; its incident count.
  int64_t caught_up() {
    uint64_t seq = engine_->view()->seq;
    for (int i = 0; i < 500 && store_->cursor() < seq; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_GE(store_->cursor(), seq);
    auto r = store_->query(stats::Query{});
    EXPECT_TRUE(r.is_ok());
    return r.is_ok() ? r->total.incidents : -1;
  }

  fs::path dir_;
  engine::testing::MemoryJournal journal_;
  core::FakeClock clock_;
  std::unique_ptr<stats::FactStore> store_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<StatsFeeder> feeder_;
};

// The feeder is not woken while it paces between writes: what commits meanwhile must still be
// written when the pause ends, not only at the next commit.
TEST_F(StatsFeederTest, WhatCommitsWhileTheFeederPacesIsWrittenWhenThePauseEnds) {
  start();
  ASSERT_TRUE(engine_->execute(fire(0), "t").is_ok());
  EXPECT_EQ(caught_up(), 1);
  // Right after a write the feeder pauses: these land inside its pause, and nothing follows them.
  for (int n = 1; n <= 5; ++n) ASSERT_TRUE(engine_->execute(fire(n), "t").is_ok());
  EXPECT_EQ(caught_up(), 6);
}

// Many events on one incident make one fact; a burst of new incidents makes one fact each.
TEST_F(StatsFeederTest, RepeatsMakeOneFactAndEveryIncidentIsCounted) {
  start();
  for (int n = 0; n < 30; ++n) ASSERT_TRUE(engine_->execute(fire(0, true), "t").is_ok());  // one incident, 30 alarms
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c)
    clients.emplace_back([&, c] {
      for (int n = 1; n <= 250; ++n) EXPECT_TRUE(engine_->execute(fire(c * 1000 + n), "t").is_ok());
    });
  for (auto& t : clients) t.join();
  EXPECT_EQ(caught_up(), 1001);
  EXPECT_EQ(engine_->view()->incidents.size(), 1001u);
}

// Stopping writes what is still pending, even while the feeder paces.
TEST_F(StatsFeederTest, StopWritesWhatIsPending) {
  start();
  ASSERT_TRUE(engine_->execute(fire(0), "t").is_ok());
  EXPECT_EQ(caught_up(), 1);
  for (int n = 1; n <= 3; ++n) ASSERT_TRUE(engine_->execute(fire(n), "t").is_ok());
  feeder_->stop();
  EXPECT_EQ(store_->cursor(), engine_->view()->seq);
  auto r = store_->query(stats::Query{});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->total.incidents, 4);
}

}  // namespace
}  // namespace liandong::app
