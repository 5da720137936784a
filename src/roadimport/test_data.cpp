#include "roadimport/test_data.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>

#include "roadimport/dimacs.h"
#include "routing/dijkstra.h"

namespace liandong::roadimport::testing {
namespace {

// The subgraph induced by the `count` nodes nearest `center` (all nodes at the last distance).
routing::Graph ball(const routing::Graph& g, routing::NodeId center, uint32_t count) {
  routing::Dijkstra dijkstra(g);
  const routing::Seed seed{center, 0};
  const std::vector<uint32_t>& dist = dijkstra.all({&seed, 1}, false);
  std::vector<uint32_t> sorted(dist);
  std::nth_element(sorted.begin(), sorted.begin() + (count - 1), sorted.end());
  const uint32_t radius = sorted[count - 1];
  routing::GraphBuilder b;
  std::vector<routing::NodeId> id(g.node_count(), routing::kInvalid);
  for (routing::NodeId v = 0; v < g.node_count(); ++v) {
    if (dist[v] <= radius) id[v] = b.add_node(g.coord[v], g.external(v));
  }
  for (routing::NodeId v = 0; v < g.node_count(); ++v) {
    for (uint32_t a = g.first_out[v]; id[v] != routing::kInvalid && a < g.first_out[v + 1]; ++a) {
      if (id[g.head[a]] == routing::kInvalid) continue;
      b.add_arc(id[v], id[g.head[a]], g.time_ms[a], g.length_m[a], g.road_class[a],
                {g.shape.data() + g.shape_first[a], g.shape.data() + g.shape_first[a + 1]});
    }
  }
  return std::move(b).build();
}

}  // namespace

std::string data_path(const std::string& relative) {
  return std::string(LIANDONG_DATA_DIR) + "/" + relative;
}

const Dataset* dataset(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Dataset>> loaded;
  if (auto it = loaded.find(name); it != loaded.end()) return it->second.get();
  static const std::map<std::string, std::string> kFiles = {
      {"monaco", "osm/monaco.osm.pbf"},
      {"liechtenstein", "osm/liechtenstein-latest.osm.pbf"},
      {"ny", "dimacs/USA-road-t.NY.gr.gz"},
  };
  const std::string file = data_path(kFiles.at(name));
  if (!std::filesystem::exists(file)) {
    ADD_FAILURE() << "test data file missing: " << file
                  << " (the shared data folder ../shared/data beside the repository)";
    return nullptr;
  }
  auto d = std::make_unique<Dataset>();
  d->file = file;
  if (name == "ny") {
    auto g = read_dimacs(file);
    if (!g) {
      ADD_FAILURE() << g.status().to_string();
      return nullptr;
    }
    d->graph = kNewYorkNodes > 0 ? ball(*g, 0, kNewYorkNodes) : std::move(*g);
  } else {
    auto imported = import_osm(file);
    if (!imported) {
      ADD_FAILURE() << imported.status().to_string();
      return nullptr;
    }
    d->graph = std::move(imported->graph);
    d->places = std::move(imported->places);
    d->report = imported->report;
  }
  d->ch = routing::build_contraction_hierarchy(d->graph, {});
  d->reverse = routing::ReverseIndex::build(d->graph);
  return (loaded[name] = std::move(d)).get();
}

}  // namespace liandong::roadimport::testing
