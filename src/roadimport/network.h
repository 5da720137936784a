// The last step of every import: contract the graph, attach the place records and metadata, and
// save the road network file (routing/graph_file.h) in one piece.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "geocode/place.h"
#include "roadimport/osm.h"
#include "routing/graph.h"
#include "routing/graph_file.h"

namespace liandong::roadimport {

inline constexpr const char* kPlacesSection = "places";

struct WriteReport {
  uint64_t shortcuts = 0;
  double contract_seconds = 0, save_seconds = 0;
  uint64_t file_bytes = 0;
};

// Builds the contraction hierarchy of `graph` (progress phase "hierarchy"), stores `places` as the
// extra section "places" (geocode::encode_places; none when empty) and saves to `path`, written
// beside it and renamed into place, so `path` is never half-written. `meta.created` is filled
// with the current UTC time when empty. Errors: invalid_argument when the graph fails its checks;
// those of save_road_network (unavailable for an unwritable folder).
core::Result<WriteReport> contract_and_save(routing::Graph graph,
                                            const std::vector<geocode::PlaceRecord>& places,
                                            routing::GraphMetadata meta, const std::string& path,
                                            const ImportProgress& progress = {});

}  // namespace liandong::roadimport
