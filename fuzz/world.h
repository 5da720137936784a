// World: the node's /api/v1 as the server wires it, in memory, for the fuzz targets.
//
// An engine on engine::testing::MemoryJournal with a FakeClock, an api::Auth and a Router with
// every route (api::add_routes), seeded with API keys for a supervisor, an administrator and an
// auditor, a spare key, a person with a session, a unit, two incidents (one alarm each), a plan
// with an activation and a task, and a monitoring station with a warning, a tracked object and a
// fence, so that routes with an {id} have records to act on. No network, no sleeping: requests go straight to
// Router::dispatch.
//
// The fuzz targets share one World across inputs (building it costs milliseconds) and rebuild it
// every kInputsPerWorld inputs, so the state a run accumulates (alarms, a revoked key, a closed
// incident) stays small and a finding needs at most that many earlier inputs to reproduce.
//
// Any set-up failure, and any answer that breaks the API's contract (see check_answer), aborts:
// libFuzzer reports an abort as a crash with its input.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "api/api.h"
#include "api/auth.h"
#include "api/http/request.h"
#include "api/http/response.h"
#include "api/http/router.h"
#include "engine/engine.h"
#include "engine/testing/memory_journal.h"
#include "readings/reading_store.h"
#include "watch/watch.h"
#include "metrics/registry.h"

namespace liandong::fuzz {

inline constexpr uint64_t kInputsPerWorld = 2000;
// How long an answer may take (the engine answers commands from its writer thread; sign-in from
// Auth's workers). Longer means the Responder was lost or something hangs: a finding.
inline constexpr std::chrono::seconds kAnswerTimeout{5};

// Who an authenticated fuzz request acts as.
enum class As { kAnonymous, kSupervisor, kAdministrator, kAuditor };

class World {
 public:
  World();  // aborts when set-up fails
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Adds `Authorization: Bearer <token of who>` in front of req's headers (so it wins over any the
  // input carries), unless who is kAnonymous.
  void authenticate(api::http::Request& req, As who) const;

  // Router::dispatch, then waits for the answer (from any thread). Aborts after kAnswerTimeout,
  // when the answer breaks the contract (check_answer), and when the events committed since the
  // last call cannot be serialised for the stream, or the state for a snapshot. With
  // LIANDONG_FUZZ_VERBOSE set in the environment, prints each request and its answer (for looking
  // at a reproducer).
  api::http::Response dispatch(api::http::Request& req);

  const api::http::Router& router() const { return router_; }

  // Records the seeded world holds.
  static constexpr std::string_view kAlarm = "441200-ALM-1";
  static constexpr std::string_view kIncident = "441200-INC-1";
  static constexpr std::string_view kOtherIncident = "441200-INC-2";
  static constexpr std::string_view kPerson = "441200-USR-1";
  static constexpr std::string_view kSpareKey = "441200-KEY-3";
  static constexpr std::string_view kAuditorKey = "441200-KEY-4";
  static constexpr std::string_view kSession = "441200-SES-1";
  static constexpr std::string_view kUnit = "441200-UNT-1";
  static constexpr std::string_view kPlan = "441200-PLN-1";        // approved, active on kIncident
  static constexpr std::string_view kActivation = "441200-ACT-1";
  static constexpr std::string_view kTask = "441200-TSK-1";
  static constexpr std::string_view kMonitoringStation = "441200-MON-1";  // cadmium, mg/L
  static constexpr std::string_view kWarning = "441200-WRN-1";            // raised on the station
  static constexpr std::string_view kTrackedObject = "441200-TRK-1";
  static constexpr std::string_view kFence = "441200-FEN-1";
  static constexpr std::string_view kAlert = "441200-ALR-1";            // drafted from the warning
  static constexpr std::string_view kSubscriber = "441200-SUB-1";       // a webhook subscriber
  static constexpr std::string_view kDelivery = "441200-SUB-1.1";       // its (unsent) first delivery
  static constexpr std::string_view kFeed = "441200-FED-1";             // an outside feed (never polled)
  static constexpr std::string_view kReport = "441200-RPT-1";           // an initial report drafted on kIncident

 private:
  void create_key(const std::string& name, const std::string& role, const std::string& secret);
  void check_new_events();

  engine::testing::MemoryJournal journal_;
  core::FakeClock clock_;
  metrics::Registry registry_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<api::Auth> auth_;
  readings::MemoryReadingStore readings_;  // readings and charts: the watch over an in-memory store
  std::unique_ptr<watch::Watch> watch_;
  api::ApiContext ctx_;
  api::http::Router router_;
  std::string supervisor_token_;
  std::string admin_token_;
  std::string auditor_token_;
  uint64_t seen_seq_ = 0;  // journal position check_new_events() has looked at
};

// The shared World for this input: counts inputs and rebuilds it every kInputsPerWorld (or every
// $LIANDONG_FUZZ_INPUTS_PER_WORLD; 1 runs each input on a fresh world).
World& world_for_input();

// Aborts (printing why) when an answer breaks the API's contract: a status outside 200–599, a 500
// (a handler threw or dropped its Responder: untrusted input must be answered with its own error),
// or a JSON answer whose body is not valid JSON.
void check_answer(const api::http::Request& req, const api::http::Response& res);

}  // namespace liandong::fuzz
