// The demo's monitoring, so that a newcomer sees warnings raise themselves.
//
// seed_monitoring() loads the example river network (docs/examples/river_dongjiang.geojson, a
// synthetic 东江/西枝江) and registers, through the engine's commands as "demo":
//   - water-quality stations at the network's sections and borders (target class III; cadmium,
//     ammonia_nitrogen, dissolved_oxygen, ph every 300 s), and one at 惠州 江北水厂取水口, a
//     drinking-water source that also measures thallium;
//   - two hydrology and two weather stations, and two syndromic stations (daily symptom_count);
//   - two hazardous-goods trucks and a water-source protection fence around the intake (orange
//     warning on entering).
// Nothing is registered when the store already has monitoring stations (a restarted demo).
//
// MonitoringTrickle then acts, in real time on the node's clock:
//   - every `every` (5 s) each water-quality, hydrology and weather station gets one plausible
//     value per parameter through Watch::ingest (a slow wave plus noise, far inside the limits);
//   - after `first_spike_after` (60 s) and then every `spike_every` (4 min) one upstream section
//     (西枝江 平山断面, then 东江 博罗上游断面, in turn) reads a cadmium spike for eight readings,
//     above the class III limit 0.005 mg/L for six of them, so the threshold detector raises a
//     warning by itself and later clears its condition (the warning stays for a person to lift);
//   - each syndromic station gets one count a day: on start the 28 days before today (so the
//     EARS/CUSUM baselines are full), then each day that ends while the demo runs;
//   - each truck drives its loop at 45 km/h, sending a fix every `every` through Watch::track; one
//     loop crosses the intake's fence (entering about a minute after start), the other once a lap.
// A refused reading or fix is logged (the first ten), never retried.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "core/geo.h"
#include "core/status.h"
#include "core/time.h"
#include "engine/engine.h"
#include "watch/watch.h"

namespace liandong::app::demo {

// The river network file of `examples_dir`.
std::string river_network_path(const std::string& examples_dir);

// Loads the network and registers the stations, trucks and fence described above, unless the
// store already has monitoring stations. Errors: the file cannot be read or parsed (naming it), or
// the engine refuses a command (its status).
core::Status seed_monitoring(engine::Engine& engine, const std::string& examples_dir);

// The demo's daily symptom count of a syndromic station (`station` 0 or 1) on day `day` of its
// series (day 0 = 28 days before the demo's first day). Deterministic; chosen so that the EARS and
// CUSUM detectors stay quiet on it (tested).
int64_t demo_symptom_count(size_t station, int64_t day);

// The cadmium values (mg/L) of a spike, reading by reading; `shape` 0 or 1 (the two sections).
const std::vector<double>& demo_cadmium_spike(size_t shape);

class MonitoringTrickle {
 public:
  // `engine`, `watch` and `clock` must outlive the trickle.
  MonitoringTrickle(engine::Engine& engine, watch::Watch& watch, const core::Clock& clock,
                    uint32_t seed = 13)
      : engine_(engine), watch_(watch), clock_(clock), seed_(seed) {}
  ~MonitoringTrickle() { stop(); }
  MonitoringTrickle(const MonitoringTrickle&) = delete;
  MonitoringTrickle& operator=(const MonitoringTrickle&) = delete;

  // Finds the demo's stations and trucks in the engine's view (by name) and starts the thread.
  // Stations or trucks that are missing are left out (logged).
  void start();
  // Stops and joins; idempotent.
  void stop();

  std::chrono::milliseconds every{5000};
  std::chrono::seconds first_spike_after{60};
  std::chrono::seconds spike_every{240};

 private:
  struct Station {
    std::string id;
    std::string kind;
    std::string river_site;
    std::vector<std::string> parameters;
    size_t index = 0;  // in the demo's table (phase of its waves)
  };
  struct Truck {
    std::string id;
    std::vector<core::LonLat> loop;  // closed: the last point joins the first
    double along_m = 0;              // metres along the loop
    double length_m = 0;
  };

  void run();
  void tick(core::Timestamp now, double seconds);
  void send_counts(core::Timestamp now);
  double value(const Station& s, const std::string& parameter, core::Timestamp now);
  core::LonLat position(const Truck& t) const;
  void report_refusal(const std::string& what, const std::string& message);

  engine::Engine& engine_;
  watch::Watch& watch_;
  const core::Clock& clock_;
  uint32_t seed_;
  uint64_t rng_ = 0;
  std::vector<Station> stations_;
  std::vector<Truck> trucks_;
  std::vector<size_t> spike_sites_;  // indexes into stations_
  size_t next_spike_site_ = 0;
  size_t spike_reading_ = 0;  // readings of the current spike sent; SIZE_MAX when none runs
  size_t spike_station_ = 0;
  size_t spike_shape_ = 0;
  std::chrono::steady_clock::time_point next_spike_;
  int64_t first_day_ = 0;       // local day number of count day 0
  int64_t counts_sent_to_ = 0;  // count days before this one are sent
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::atomic<uint64_t> refusals_{0};
};

}  // namespace liandong::app::demo
