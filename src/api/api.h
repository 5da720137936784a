// The v1 API: registers every /api/v1 route (and /metrics) on a Router.
//
// Handlers parse and check the request, submit a command to the engine and answer when it is
// committed, or read the engine's latest View. See docs/API.md; the OpenAPI document served at
// /api/v1/openapi.json is src/api/openapi.json, kept true by api_test.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "api/auth.h"
#include "api/http/router.h"
#include "core/time.h"
#include "engine/engine.h"
#include "metrics/registry.h"

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
  std::string version = "0.1.0";
};

// Adds all routes, behind ctx.auth's guard (std::logic_error when ctx.auth is null). `ctx` must
// outlive the router.
void add_routes(http::Router& router, ApiContext& ctx);

// The OpenAPI document (src/api/openapi.json, compiled in).
const nlohmann::json& openapi_document();

}  // namespace liandong::api
