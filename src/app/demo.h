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

namespace liandong::app::demo {

inline constexpr const char* kCity = "441300";

// GeoJSON of the synthetic county outlines (written to DIR/boundaries.geojson).
nlohmann::json boundaries();

// Registers agencies, stations and units unless the store already has agencies.
core::Status seed(engine::Engine& engine);

// The demo's accounts: one person per human role of the role table, named after the role
// ("dispatcher", "auditor", ...), all over the whole city, sharing one generated password. Creates
// the missing ones (with a new password when none exist yet), writes DIR/demo-accounts.json
// ({"password", "accounts":[{"name","role"}]}, mode 0600) and returns it. Mutations done as "demo".
core::Result<nlohmann::json> create_accounts(engine::Engine& engine, const std::string& data_dir,
                                             const access::PasswordCost& cost);

// Reports a plausible alarm every `interval` (jittered) until stopped.
class AlarmTrickle {
 public:
  AlarmTrickle(engine::Engine& engine, std::chrono::milliseconds interval, uint32_t seed = 2026)
      : engine_(engine), interval_(interval), seed_(seed) {}
  ~AlarmTrickle() { stop(); }
  void start();
  void stop();

 private:
  void run();
  engine::Engine& engine_;
  std::chrono::milliseconds interval_;
  uint32_t seed_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace liandong::app::demo
