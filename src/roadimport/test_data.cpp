#include "roadimport/test_data.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>

#include "roadimport/dimacs.h"

namespace liandong::roadimport::testing {

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
    d->graph = std::move(*g);
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
