// The fixture and API helpers shared by the whole-system tests.
//
// Each test gets a fresh temporary folder (mkdtemp) holding the node's data folder and one log
// file per process it starts. On failure the logs are printed and the folder is kept (its path is
// printed); on success it is removed.
//
// Every /api/v1 route but a few public ones needs a signed-in caller: before its first node starts,
// a test gets an API key of role supervisor for the node's jurisdiction (with its subordinates),
// made with `liandong key create` on the data folder; auth() is its Authorization header. The key's
// key.created event is then the journal's first (setup_seq_ is the head when the first node
// started).
#pragma once

#include <functional>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "http_client.h"
#include "node_process.h"
#include "stream_client.h"

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
  // Creates the harness's API key first (see api_key()) when there is none yet.
  RunningNode start(const NodeOptions& o);
  RunningNode start() { return start(node_options()); }
  // SIGTERM; expects a clean exit 0.
  void stop(RunningNode& node);

  // The harness's API key (role supervisor, the node's jurisdiction and its subordinates), made on
  // data_ by `liandong key create` (through the admin socket when a node runs) the first time it is
  // needed; and its record as the command printed it ({id, name, role, ..., key}).
  const std::string& api_key();
  const nlohmann::json& api_key_record();
  // {{"Authorization", "Bearer " + api_key()}}.
  Headers auth();
  static Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

  // Runs `liandong ARGS...` to completion (stdin from `input` when given).
  CommandResult run_liandong(const std::vector<std::string>& args, const std::optional<std::string>& input = std::nullopt);
  // `liandong key create --data DIR --role ROLE [--jurisdiction CODE]`: the printed JSON (with
  // "key"); fails the test (and returns null) unless it succeeds.
  nlohmann::json create_key(const std::string& role, const std::string& jurisdiction = "");
  // `liandong admin create --data DIR --name NAME --password-stdin` with `password` on stdin.
  CommandResult create_admin(const std::string& name, const std::string& password);
  // A new log file in the test folder, printed if the test fails.
  std::filesystem::path new_log(const std::string& name);
  // Writes DIR/liandong.yaml (before the first start it replaces the defaults).
  void write_config(const std::string& yaml) const;
  // Runs `liandong admin CMD --data data_`; the parsed JSON answer (null if the output is not JSON).
  nlohmann::json admin(const std::string& cmd, int* exit_code = nullptr);

  std::filesystem::path root_;
  std::filesystem::path data_;
  // The journal head when this test's first node started (the events the harness made: its key).
  uint64_t setup_seq_ = 0;

 private:
  nlohmann::json key_record_;
  bool started_once_ = false;
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

// GETs `target` every `every` until `done` holds (a timer firing on the node after the clock
// moved, a follower catching up); the last answer. Fails the test after 30 s.
nlohmann::json poll(HttpConnection& http, const std::string& target,
                    const std::function<bool(const nlohmann::json&)>& done,
                    std::chrono::milliseconds every = std::chrono::milliseconds(20));

// The node's journal head from /api/v1/health.
uint64_t health_seq(HttpConnection& http);

// The JSON object a `liandong` command printed (pretty-printed: from a line "{" to a line "}"),
// amid any log lines; null when there is none.
nlohmann::json json_in_output(const std::string& output);

// POST /api/v1/session {name, password}: the bearer token; fails the test (and returns "") unless
// the answer is 201 with a token.
std::string sign_in(HttpConnection& http, const std::string& name, const std::string& password);

// The next journal event on `stream` (skipping other frames); null when nothing comes in `timeout`.
nlohmann::json next_event(StreamClient& stream, std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace liandong::e2e
