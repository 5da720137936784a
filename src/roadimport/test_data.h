// The shared real-data files for the heavier tests (roadimport_data_test), loaded once per
// process. A missing file fails the test with a message naming it; it is never skipped.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "geocode/place.h"
#include "roadimport/osm.h"
#include "routing/ch.h"
#include "routing/graph.h"

namespace liandong::roadimport::testing {

// Fewer queries under the sanitizers (CI runs this test under ASan too, unoptimised), and a
// smaller New York: contracting all of it takes most of ten minutes there.
#if defined(LIANDONG_SANITIZE) || defined(__SANITIZE_ADDRESS__)
inline constexpr double kQueryScale = 0.2;
inline constexpr uint32_t kNewYorkNodes = 50'000;
#else
inline constexpr double kQueryScale = 1.0;
inline constexpr uint32_t kNewYorkNodes = 0;  // all
#endif
inline uint32_t scaled(uint32_t n) { return std::max<uint32_t>(10, uint32_t(n * kQueryScale)); }

// LIANDONG_DATA_DIR/relative (the repository's ../shared/data).
std::string data_path(const std::string& relative);

struct Dataset {
  std::string file;
  routing::Graph graph;
  routing::ContractionHierarchy ch;
  routing::ReverseIndex reverse;
  std::vector<geocode::PlaceRecord> places;
  OsmImportReport report;  // OSM only
};

// "monaco", "liechtenstein" (OSM, imported with the car profile) or "ny" (USA-road-t.NY.gr.gz),
// with its hierarchy. With kNewYorkNodes set, "ny" is the subgraph induced by the nodes nearest
// DIMACS node 1 (a ball around it, so times from node 1 inside it, e.g. 1 → 1000, are those of
// the whole graph; external ids kept). On failure: an ADD_FAILURE naming the file and nullptr.
const Dataset* dataset(const std::string& name);

}  // namespace liandong::roadimport::testing
