// Fleet: where every unit is, and which units reach an incident first.
//
// The fleet keeps, beside the engine, the live picture dispatch needs:
//   - the newest position fix of every unit (AVL telemetry: validated, de-duplicated, stored in
//     batches through a PositionStore — never journal events);
//   - the routing index (routing::SourceIndex) of where every dispatchable unit (available or
//     returning) stands on the road graph, one group per unit type: a unit is placed at its
//     newest fix, snapped to the nearest road, or at its station when it has none;
//   - recommendations: for an incident and a force requirement, the units that fill each slot
//     with the earliest road arrival (dispatch::assign), each with its ETA, route and the
//     next-best alternatives; units outside their own area only under a mutual-aid rule.
//
// Threads. One worker thread owns the routing index and the route queries: it applies position
// updates and unit changes in arrival order and answers recommendations ahead of them (a
// recommendation waits for at most one position update in progress). Of several queued fixes of a
// unit only the newest is applied. The index moves a unit when it changes road or has drifted more
// than 3 s of travel along it since it was last indexed, so a recommendation's ranking may be off
// by up to 3 s per unit; the ETA given for a chosen unit is that of its route from where it is. ingest() validates and
// snaps on the caller's thread and returns at once; fixes are applied to the index by the worker
// (lag measured: FleetStats) and written to the store by a flusher thread in batches.
//
// Unit records come from the engine: start() reads them from a View, and on_committed() is given
// every later committed batch with the View that includes it (Engine's commit observer).
//
// Without a road network (or when a point cannot be snapped) recommendations fall back to
// straight-line distance, say so (method "straight_line") and give no travel time.
//
// Thread-safety: every public method may be called from any thread after start(); stop() joins.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "core/geo.h"
#include "core/status.h"
#include "core/time.h"
#include "dispatch/mutual_aid.h"
#include "dispatch/requirement.h"
#include "engine/event.h"
#include "engine/view.h"
#include "fleet/position_store.h"
#include "routing/ch_query.h"
#include "routing/graph_file.h"
#include "routing/snap.h"

namespace liandong::fleet {

struct FleetOptions {
  core::Millis stale_after{120 * 1000};          // a unit whose newest fix is older is "stale"
  core::Millis max_fix_age{24 * 3600 * 1000};    // older fixes are refused
  core::Millis max_fix_future{5 * 60 * 1000};    // fixes this far ahead of the node's clock are refused
  double snap_max_m = 300;                       // a fix farther from every road is not placed on the graph
  uint32_t alternatives = 3;                     // next-best units shown per slot
  size_t flush_batch = 2000;                     // fixes per store transaction (at most)
  core::Millis flush_interval{200};              // and at least this often while fixes arrive
  size_t queue_limit = 200000;                   // fixes waiting for the index before ingest refuses
  std::vector<dispatch::MutualAidRule> mutual_aid;
  std::vector<std::string> unit_types;           // group order (the engine's unit_types())
};

// The answer for one fix of a batch.
struct FixOutcome {
  enum class Kind { kApplied, kDuplicate, kOutOfOrder, kRejected };
  Kind kind = Kind::kApplied;
  std::string reason;  // for kRejected: what is wrong ("unknown unit", "time is 3 days old", ...)
  std::string field;   // for kRejected: the field at fault ("object_id", "time", "lon", ...)
};
const char* to_string(FixOutcome::Kind k);

// Where a unit is shown and routed from.
struct UnitPosition {
  std::string unit_id;
  core::LonLat at{};
  enum class Source { kFix, kStation, kNone } source = Source::kNone;
  std::optional<core::Timestamp> fix_time;
  std::optional<double> speed_kmh, heading_deg;
  bool stale = false;    // the newest fix is older than stale_after (or there is none)
  bool on_road = false;  // snapped to the road graph (routable)
};
const char* to_string(UnitPosition::Source s);

struct RecommendRequest {
  std::string incident_id;
  std::string incident_jurisdiction;
  core::LonLat location{};
  dispatch::Requirement requirement;
  bool with_routes = true;  // route geometry for the chosen units
};

struct RecommendedUnit {
  std::string unit_id;
  std::string call_sign;
  std::string type;
  std::string jurisdiction;
  std::string agency_id;
  std::string status;
  std::optional<uint32_t> eta_ms;       // road travel time; absent in a straight-line answer
  std::optional<uint32_t> length_m;     // road length of the route, when routed
  double straight_m = 0;                // straight-line distance (always given, never as a time)
  UnitPosition position;
  std::string mutual_aid_rule;          // non-empty: a unit from outside the area, under this rule
  std::vector<routing::Coord> route;    // geometry from the unit to the incident (chosen units)
};

struct SlotAnswer {
  dispatch::Slot slot;
  std::vector<RecommendedUnit> units;         // ascending ETA (or distance)
  uint32_t unfilled = 0;                      // positions no available unit can fill
  std::vector<RecommendedUnit> alternatives;  // next-best, not chosen
};

struct Recommendation {
  std::string method;     // "road" or "straight_line"
  std::string notice;     // why straight-line, or other things the dispatcher must know; "" when none
  double incident_snap_m = 0;  // how far the incident lies from the road it was placed on
  std::vector<SlotAnswer> slots;
  uint64_t total_eta_ms = 0;
  uint32_t considered = 0;  // candidate units looked at
  uint64_t micros = 0;      // time spent on the worker
};

struct FleetStats {
  uint64_t fixes_applied = 0;      // taken as the unit's newest fix (queued for the index)
  uint64_t fixes_duplicate = 0;
  uint64_t fixes_out_of_order = 0;
  uint64_t fixes_rejected = 0;
  uint64_t fixes_stored = 0;
  uint64_t store_errors = 0;
  uint64_t fixes_superseded = 0;   // queued, then skipped: a newer fix of the unit was queued
  uint64_t recommendations = 0;
  size_t queued = 0;               // fixes waiting for the worker
  uint64_t max_apply_lag_us = 0;   // most time between ingest() and the index update, since start
};

class Fleet {
 public:
  // `network` and `snap` may be null (no road network); they, `store` and `clock` must outlive the
  // fleet.
  Fleet(FleetOptions options, const routing::RoadNetwork* network, const routing::SnapIndex* snap,
        PositionStore& store, const core::Clock& clock);
  ~Fleet();
  Fleet(const Fleet&) = delete;
  Fleet& operator=(const Fleet&) = delete;

  // Reads the units from `view` and their newest fixes from the store, places them, and starts
  // the threads. Errors: the store's.
  core::Status start(std::shared_ptr<const engine::View> view);
  // Stores what is queued and joins the threads. Idempotent.
  void stop();

  // A committed batch of the engine and the view that includes it: unit and station changes are
  // applied (in order) by the worker. Cheap; never blocks on the worker.
  void on_committed(std::span<const engine::Event> events, std::shared_ptr<const engine::View> view);

  // Validates, de-duplicates and queues fixes; returns one outcome per fix, in order. A fix newer
  // than the unit's newest moves it; an older one is stored (history) but does not move it.
  // kUnavailable (nothing taken) when the queue is full or the fleet is stopping.
  core::Result<std::vector<FixOutcome>> ingest(std::vector<Fix> fixes);
  // Called (on the ingesting thread) for every applied fix, e.g. to publish it on the stream.
  void set_fix_listener(std::function<void(const Fix&)> listener) { fix_listener_ = std::move(listener); }

  // Where units are: all, or the listed ones.
  std::vector<UnitPosition> positions() const;
  std::optional<UnitPosition> position(std::string_view unit_id) const;

  // The units that fill `request.requirement` soonest. invalid_argument when the requirement is
  // malformed (dispatch::check) or names an unknown unit type; kUnavailable when stopping.
  core::Result<Recommendation> recommend(const RecommendRequest& request);

  // The road route from a unit's position to a point (for the map), on the worker.
  core::Result<routing::Route> route_from_unit(std::string_view unit_id, const core::LonLat& to);

  // Places of the dispatchable units of `type` that are on the road graph (for coverage), with
  // their ids.
  std::vector<std::pair<std::string, routing::Place>> dispatchable_places(std::string_view type) const;

  FleetStats stats() const;
  // Waits until every fix ingested so far is in the index (tests, benchmarks).
  void drain();
  bool has_roads() const { return network_ != nullptr; }
  const FleetOptions& options() const { return options_; }

 private:
  struct Impl;
  FleetOptions options_;
  const routing::RoadNetwork* network_;
  std::unique_ptr<Impl> impl_;
  std::function<void(const Fix&)> fix_listener_;
};

}  // namespace liandong::fleet
