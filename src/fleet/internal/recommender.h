// The recommendation itself, run on the fleet's worker thread (which owns the index and query):
// candidates per slot from the routing index (k nearest of the slot's unit type that qualify and
// may respond in the incident's area), dispatch::assign over their union, routes for the chosen.
// Falls back to straight-line distance, saying so, when there is no road network or the incident
// cannot be placed on it.
#pragma once

#include "core/status.h"
#include "fleet/fleet.h"
#include "fleet/internal/roster.h"
#include "routing/ch_query.h"
#include "routing/source_index.h"

namespace liandong::fleet::internal {

struct RecommendContext {
  const Roster& roster;
  const FleetOptions& options;
  const routing::RoadNetwork* network;  // null: no roads
  const routing::SnapIndex* snap;
  routing::SourceIndex* index;          // null when network is null
  routing::ChQuery* query;              // null when network is null
  core::Timestamp now;
};

// How far from a road an incident may lie and still be routed to.
inline constexpr double kIncidentSnapMaxM = 1000;

core::Result<Recommendation> recommend(const RecommendContext& ctx, const RecommendRequest& request);

}  // namespace liandong::fleet::internal
