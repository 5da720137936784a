// Imports an OpenStreetMap extract (.osm.pbf, read with libosmium) into a road graph for
// emergency vehicles (car_profile.h) and address records for search (geocode/place.h).
//
// Graph: the routable ways' end points and the nodes shared by two or more routable ways become
// graph nodes (external id = OSM node id); the nodes between them become the arcs' shape points.
// An arc's length is the haversine length along its polyline, its time max(1, round(length /
// speed)) ms. Only the largest strongly connected part is kept (routing/scc.h); the report says
// what was dropped. Turn restrictions are not applied.
//
// Places: named routable streets (one record per way and name at the way's middle node, the same
// name within 200 m once), place=* nodes and areas, named landmarks (hospitals, schools, fire and
// police stations, stations ...), and addr:housenumber on nodes and ways (a way at the centroid of
// its nodes). name is the "name" tag (or name:zh / name:en when there is none), alt_name the first
// of name:en, name:zh, int_name that differs from it.
//
// Two passes over the file (ways, then the nodes they use), so memory holds only what the roads
// and addresses need. Not thread-safe per call (libosmium uses its own worker threads); separate
// calls are independent.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "geocode/place.h"
#include "roadimport/progress.h"
#include "routing/graph.h"
#include "routing/scc.h"

namespace liandong::roadimport {

struct OsmImportOptions {
  // Phases "ways" and "nodes" (file bytes read), "graph" (ways), "connectivity"; may be empty.
  ImportProgress progress;
  double street_dedup_m = 200;  // same street name closer than this: one record
};

struct OsmImportReport {
  uint64_t osm_ways = 0;       // ways in the file
  uint64_t routable_ways = 0;  // ways the profile drives
  uint64_t osm_nodes = 0;      // nodes in the file
  uint64_t missing_nodes = 0;  // node references without a node in the file (ways cut)
  uint32_t nodes_before = 0, arcs_before = 0;       // graph before the connectivity filter
  routing::SccReport scc;                           // kept and dropped nodes and arcs
  uint64_t streets = 0, places = 0, addresses = 0;  // place records by kind
  double read_seconds = 0, build_seconds = 0, scc_seconds = 0, seconds = 0;
  uint64_t peak_rss_bytes = 0;  // of the whole process, at the end
};

struct OsmImport {
  routing::Graph graph;
  std::vector<geocode::PlaceRecord> places;
  OsmImportReport report;
};

// Errors: not_found when `path` does not exist; invalid_argument naming the file when it is not a
// readable OSM PBF file (only .osm.pbf is read) or has no routable roads.
core::Result<OsmImport> import_osm(const std::string& path, const OsmImportOptions& options = {});

// The process's peak resident memory so far (getrusage), in bytes.
uint64_t peak_rss_bytes();

}  // namespace liandong::roadimport
