// fuzz_json_bodies: the input as the JSON body of every request type that has one.
//
// Input: byte 0 picks one of the POST/PATCH/PUT routes of api::route_table() ({id} filled with a
// record the World seeded); the rest is the body, sent with Content-Type application/json as the
// supervisor (or, for routes needing people.manage or unit.manage, the administrator) through
// Router::dispatch.
// The same bytes also go to api::json_object_body and to engine::event_from_json (the journal's
// event decoder), whose result must survive a round trip through to_json.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "api/body.h"
#include "api/route_table.h"
#include "engine/event.h"
#include "world.h"

namespace {

using liandong::api::http::Request;
using liandong::fuzz::As;
using liandong::fuzz::World;

struct BodyRoute {
  std::string method;
  std::string path;
  As who;
};

std::string_view record_for(std::string_view scope) {
  if (scope == "alarm") return World::kAlarm;
  if (scope == "incident") return World::kIncident;
  if (scope == "person") return World::kPerson;
  if (scope == "key") return World::kSpareKey;
  if (scope == "session") return World::kSession;
  if (scope == "unit") return World::kUnit;
  if (scope == "plan") return World::kPlan;
  if (scope == "activation") return World::kActivation;
  if (scope == "task") return World::kTask;
  if (scope == "monitoring_station") return World::kMonitoringStation;
  if (scope == "warning") return World::kWarning;
  if (scope == "fence") return World::kFence;
  if (scope == "alert") return World::kAlert;
  if (scope == "subscriber") return World::kSubscriber;
  if (scope == "delivery") return World::kDelivery;
  if (scope == "feed") return World::kFeed;
  if (scope == "report") return World::kReport;
  std::fprintf(stderr, "fuzz_json_bodies: no record for scope '%.*s'\n",
               static_cast<int>(scope.size()), scope.data());
  std::abort();
}

const std::vector<BodyRoute>& body_routes() {
  static const std::vector<BodyRoute> kRoutes = [] {
    std::vector<BodyRoute> out;
    for (const auto& r : liandong::api::route_table()) {
      if (r.method != "POST" && r.method != "PATCH" && r.method != "PUT") continue;
      std::string path(r.pattern);
      if (auto at = path.find("{id}"); at != std::string::npos)
        path.replace(at, 4, record_for(r.scope));
      if (auto at = path.find("{n}"); at != std::string::npos) path.replace(at, 3, "1");
      bool admin = r.permission == "people.manage" || r.permission == "unit.manage" ||
                   r.permission == "monitoring.manage";
      out.push_back({std::string(r.method), path, admin ? As::kAdministrator : As::kSupervisor});
    }
    return out;
  }();
  return kRoutes;
}

void decode_event(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  auto e = liandong::engine::event_from_json(j);
  if (!e) return;
  auto again = liandong::engine::event_from_json(liandong::engine::to_json(*e));
  if (!again || liandong::engine::to_json(*again) != liandong::engine::to_json(*e)) {
    std::fprintf(stderr, "fuzz_json_bodies: event_from_json(to_json(e)) differs from e\n");
    std::abort();
  }
  (void)liandong::engine::to_public_json(*e);
  (void)liandong::engine::to_json_text(*e);
  (void)liandong::engine::compute_hash(*e);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto& routes = body_routes();
  const BodyRoute& route = routes[data[0] % routes.size()];
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);

  Request req;
  req.method = route.method;
  req.path = route.path;
  req.headers.emplace_back("Content-Type", "application/json");
  req.body = body;
  req.remote = "127.0.0.1:40000";
  (void)liandong::api::json_object_body(req, (data[0] & 0x80) != 0);

  auto& world = liandong::fuzz::world_for_input();
  world.authenticate(req, route.who);
  world.dispatch(req);

  decode_event(body);
  return 0;
}
