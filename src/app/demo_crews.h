// The demo's crews: what the units of the synthetic city do on their own, so that a newcomer sees
// the dispatch cycle live.
//
// Every second (demo time is real time):
//   - an incident that has waited `auto_dispatch_after` without units is sent the recommended units
//     for its type's run card, for two incidents in three (the rest wait for a person);
//   - a dispatched unit turns out after 30–70 s (en_route) and drives to the incident along its
//     road route at about 40 km/h, sending a position fix every second; on arrival it is on_scene;
//   - after 2–5 minutes on scene it returns to its station the same way and becomes available;
//   - units standing still send a fix every 30 s, so they are not shown as stale.
// Units whose way is not on the road network (the demo's roads cover the city centre only) drive
// in a straight line — only their drawn track; their travel times are never straight-line ones.
// Everything goes through the engine's commands and the fleet's ingest as "demo".
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "fleet/fleet.h"

namespace liandong::app::demo {

class Crews {
 public:
  Crews(engine::Engine& engine, fleet::Fleet& fleet, uint32_t seed = 7) : engine_(engine), fleet_(fleet), seed_(seed) {}
  ~Crews() { stop(); }
  Crews(const Crews&) = delete;
  Crews& operator=(const Crews&) = delete;

  void start();
  void stop();

  std::chrono::seconds auto_dispatch_after{25};

 private:
  struct Crew {
    std::string phase;                // the status being acted out
    std::vector<core::LonLat> path;   // the way being driven
    size_t leg = 0;                   // index of the path point last passed
    double along_m = 0;               // metres past it
    std::chrono::steady_clock::time_point next;  // when the phase moves on (or the next idle fix)
    core::LonLat at{};
    bool placed = false;
  };

  void run();
  void tick();
  void auto_dispatch(const engine::View& view);
  void act(const engine::Unit& unit, const engine::View& view, Crew& crew);
  std::vector<core::LonLat> way(const engine::Unit& unit, const core::LonLat& from, const core::LonLat& to);
  void send_fix(const engine::Unit& unit, const core::LonLat& p, double speed_kmh);
  bool change(const std::string& unit_id, const std::string& status, const std::string& reason = {});

  engine::Engine& engine_;
  fleet::Fleet& fleet_;
  uint32_t seed_;
  uint64_t rng_ = 0;
  std::map<std::string, Crew> crews_;
  std::map<std::string, bool> tried_;  // incidents auto-dispatched (or left to a person)
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace liandong::app::demo
