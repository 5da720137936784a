// The preprocessed road network file ("*.ldg"): the graph, its contraction hierarchy, a little
// metadata and named extra sections that other modules own (e.g. "places" for address search).
//
// Layout (little-endian): a fixed header (magic "LDGRAPH\0", format version, section count),
// a section table (name, offset, size), the sections 8-byte aligned, and a trailing 64-bit
// checksum (XXH64, seed 0) of everything before it. docs/ROUTING.md gives the exact layout (and
// graph_file.cpp and internal/section_file.h). Loading reads the file once, straight into the
// arrays, checksumming as it goes; nothing in it is trusted before the checksum matches.
#pragma once

#include <map>
#include <string>

#include "core/status.h"
#include "routing/ch.h"
#include "routing/graph.h"

namespace liandong::routing {

inline constexpr uint32_t kGraphFileVersion = 1;

struct GraphMetadata {
  std::string source;   // e.g. "monaco.osm.pbf", "USA-road-t.NY.gr.gz", "synth 20000 seed 7"
  std::string profile;  // e.g. "emergency-car 1", "dimacs", "synth"
  std::string created;  // RFC 3339
};

struct RoadNetwork {
  Graph graph;
  ContractionHierarchy ch;
  GraphMetadata meta;
  std::map<std::string, std::string> extras;  // section name → bytes
};

// Writes to a temporary file beside `path` and renames it into place (never half-written).
// Errors: invalid_argument when the graph or hierarchy fails its check() or an extra's name is
// longer than 22 characters (nothing is written); unavailable naming the path when the system
// cannot write it. The temporary file is PATH.tmp-<pid>: two threads of one process must not
// save to the same path at once.
core::Status save_road_network(const RoadNetwork& network, const std::string& path);

// Errors: not_found (no file), invalid_argument naming the path and the fault: not a Liandong
// graph file, a version this program does not read ("PATH has format version 2; this program
// reads version 1"), a wrong checksum ("damaged", and "cut short" when the file is shorter than
// its table says), a missing or malformed section, inconsistent arrays; unavailable when the
// system cannot read it. An empty hierarchy (a graph not yet contracted) loads as one.
core::Result<RoadNetwork> load_road_network(const std::string& path);

}  // namespace liandong::routing
