// The v1 API: registers every /api/v1 route (and /metrics) on a Router.
//
// Handlers parse and check the request, submit a command to the engine and answer when it is
// committed, or read the engine's latest View. See docs/API.md; the OpenAPI document served at
// /api/v1/openapi.json is src/api/openapi.json, kept true by api_test.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "api/auth.h"
#include "api/http/router.h"
#include "core/time.h"
#include "dispatch/interval_summary.h"
#include "engine/engine.h"
#include "stats/fact_store.h"
#include "fleet/fleet.h"
#include "metrics/registry.h"
#include "readings/reading_store.h"
#include "watch/watch.h"

namespace liandong::api {

class Roads;

// What the node knows of its jurisdiction, for /node and the base layers.
struct NodeInfo {
  std::string code;                 // six digits
  std::string name;                 // e.g. 惠州市 (Huizhou)
  std::string time_zone = "Asia/Shanghai";
  nlohmann::json tree = nlohmann::json::array();  // [{code, name, parent}]
  nlohmann::json boundaries;        // GeoJSON FeatureCollection
  double center_lon = 0, center_lat = 0;
  int zoom = 10;
  std::string tile_url;             // empty: no online tiles
};

// Dispatch settings (liandong.yaml `dispatch:`).
struct DispatchSettings {
  dispatch::Targets targets;             // response-interval targets (NFPA 1710 defaults)
  uint32_t coverage_target_s = 240;      // coverage: travel time that counts as covered
  uint32_t max_move_ups = 3;
};

struct ApiContext {
  engine::Engine* engine = nullptr;
  NodeInfo node;
  metrics::Registry* metrics = nullptr;
  core::FakeClock* test_clock = nullptr;  // set only with --test-clock
  Auth* auth = nullptr;                    // required
  const core::Clock* clock = nullptr;      // required
  // The journal, for the audit trail's search and export (read_after only).
  engine::JournalStore* journal = nullptr;
  // Verifies the whole journal's hash chain: {ok, checked, first_bad_seq, message}.
  std::function<nlohmann::json()> verify_journal;
  // The road network (api/roads.h), or null: then the road routes answer 503 no_road_network.
  const Roads* roads = nullptr;
  // Unit positions and recommendations (fleet/fleet.h), or null: then positions, recommendations
  // and coverage answer 503 unavailable.
  fleet::Fleet* fleet = nullptr;
  fleet::PositionStore* positions = nullptr;  // unit tracks (GET /units/{id}/track)
  DispatchSettings dispatch;
  // Monitoring readings, detectors and fences (watch/watch.h) and the reading store (charts), or
  // null: then the readings, chart and position-of-object routes answer 503 unavailable.
  watch::Watch* watch = nullptr;
  readings::ReadingStore* readings = nullptr;
  // Webhook delivery (app wires these to webhooks::Deliverer), or empty: then the deliveries
  // routes answer 503. Per subscriber: counts by state; a subscriber's deliveries by state ("" all);
  // sending a dead delivery again.
  std::function<nlohmann::json(const std::string& subscriber_id)> subscriber_stats;
  std::function<core::Result<nlohmann::json>(const std::string& subscriber_id, const std::string& state, size_t limit)>
      list_deliveries;
  std::function<core::Status(const std::string& delivery_id)> retry_delivery;
  // Incident statistics (stats/fact_store.h), or null: then /stats answers 503.
  const stats::FactStore* stats = nullptr;
  // An outside feed's reading status ({last_polled, last_ok, error, alerts}), or empty.
  std::function<nlohmann::json(const std::string& feed_id)> feed_status;
  std::string version = "0.1.0";
};

// Adds all routes, behind ctx.auth's guard (std::logic_error when ctx.auth is null). `ctx` must
// outlive the router.
void add_routes(http::Router& router, ApiContext& ctx);

// Position fixes from a JSON array (POST /api/v1/positions, or a stream frame's "fixes"): the
// answer's counts and problems (docs/API.md). Fixes of units whose jurisdiction `allowed` refuses
// are rejected. Errors: unavailable without a fleet or when its queue is full.
core::Result<nlohmann::json> ingest_positions(ApiContext& ctx, const nlohmann::json& fixes,
                                              const std::function<bool(const std::string& jurisdiction)>& allowed);

// Readings in the line protocol from a stream frame {"type":"readings","lines":"..."}: parsed and
// checked against the stations (they exist, measure the parameter, and `allowed` lets the sender
// send for their jurisdiction), then queued to the watch. The answer {type: "readings_result",
// received, queued, rejected, problems: [{line, field, message}]} says they are queued, not yet
// durable: POST /api/v1/readings/lines answers only when they are. Errors: unavailable without a
// watch, invalid_argument when the frame has no "lines" text.
core::Result<nlohmann::json> queue_reading_lines(ApiContext& ctx, const nlohmann::json& frame,
                                                 const std::function<bool(const std::string& jurisdiction)>& allowed);

// The OpenAPI document (src/api/openapi.json, compiled in).
const nlohmann::json& openapi_document();

}  // namespace liandong::api
