// The demo: a synthetic city (惠州市, GB/T 2260 441300, and its five counties) with agencies,
// stations and units, and a steady trickle of realistic alarms so that the console comes alive.
//
// The county outlines are synthetic boxes near the real places, for the map only — not legal
// boundaries. Randomness (a seeded generator) lives here, never in the engine.
#pragma once

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "access/secrets.h"
#include "core/status.h"
#include "engine/engine.h"
#include "geocode/place.h"

namespace liandong::app::demo {

inline constexpr const char* kCity = "441300";

// GeoJSON of the synthetic county outlines (written to DIR/boundaries.geojson).
nlohmann::json boundaries();

// The demo's road network, DIR/roads.ldg: when missing, a synthetic city of about `nodes` nodes
// around the city centre (roadimport::synth_city: streets with Chinese names, house numbers), its
// contraction hierarchy and its places, written in one piece. 30,000 nodes take a few seconds the
// first time; later starts only load the file. Returns the path. Errors: those of saving.
core::Result<std::string> ensure_road_network(const std::string& data_dir, uint32_t nodes = 30'000);

// Registers agencies, stations and units unless the store already has agencies.
core::Status seed(engine::Engine& engine);

// The demo's accounts: one person per human role of the role table, named after the role
// ("dispatcher", "auditor", ...), all over the whole city, sharing one generated password. Creates
// the missing ones (with a new password when none exist yet), writes DIR/demo-accounts.json
// ({"password", "accounts":[{"name","role"}]}, mode 0600) and returns it. Mutations done as "demo".
core::Result<nlohmann::json> create_accounts(engine::Engine& engine, const std::string& data_dir,
                                             const access::PasswordCost& cost);

// Reports a plausible alarm every `interval` (jittered) until stopped. With the road network's
// places, most alarms in the city centre come from its house addresses ("文明一路18号") at their
// positions, and some give only the address (unlocated until someone places them).
class AlarmTrickle {
 public:
  AlarmTrickle(engine::Engine& engine, std::chrono::milliseconds interval, uint32_t seed = 2026)
      : engine_(engine), interval_(interval), seed_(seed) {}
  // Before start(); `places` must outlive the trickle.
  void use_places(const std::vector<geocode::PlaceRecord>* places);
  ~AlarmTrickle() { stop(); }
  void start();
  void stop();

 private:
  void run();
  engine::Engine& engine_;
  std::chrono::milliseconds interval_;
  uint32_t seed_;
  std::vector<const geocode::PlaceRecord*> addresses_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace liandong::app::demo
