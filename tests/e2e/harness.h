// The fixture and API helpers shared by the whole-system tests.
//
// Each test gets a fresh temporary folder (mkdtemp) holding the node's data folder and one log
// file per process it starts. On failure the logs are printed and the folder is kept (its path is
// printed); on success it is removed.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http_client.h"
#include "node_process.h"

namespace liandong::e2e {

// Generous: the sanitizer build starts and answers several times slower.
inline constexpr Millis kStartTimeout{60'000};
inline constexpr Millis kStopTimeout{60'000};

class E2eTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Options for a node on data_ (jurisdiction 441300).
  NodeOptions node_options() const;
  // Starts a node with `o` and waits for its address; fails the test (throws) when it does not start.
  RunningNode start(const NodeOptions& o);
  RunningNode start() { return start(node_options()); }
  // A new log file in the test folder, printed if the test fails.
  std::filesystem::path new_log(const std::string& name);
  // Writes DIR/liandong.yaml (before the first start it replaces the defaults).
  void write_config(const std::string& yaml) const;
  // Runs `liandong admin CMD --data data_`; the parsed JSON answer (null if the output is not JSON).
  nlohmann::json admin(const std::string& cmd, int* exit_code = nullptr);

  std::filesystem::path root_;
  std::filesystem::path data_;

 private:
  std::vector<std::filesystem::path> logs_;
  int log_counter_ = 0;
};

// Now as RFC 3339 UTC ("2026-11-29T05:05:00Z").
std::string now_rfc3339();

// A located alarm of `type` at (lon, lat) with `description`.
nlohmann::json alarm_json(const std::string& description, double lon, double lat, const std::string& type = "fire");

// Every incident, following next_cursor (limit 500). Fails the test on an error answer.
std::vector<nlohmann::json> all_incidents(HttpConnection& http);

// GET `target`, expecting 200 and JSON; fails the test (and returns null) otherwise.
nlohmann::json get_json(HttpConnection& http, const std::string& target);

// The node's journal head from /api/v1/health.
uint64_t health_seq(HttpConnection& http);

}  // namespace liandong::e2e
