#include "roadimport/network.h"

#include <chrono>
#include <filesystem>

#include "core/time.h"
#include "routing/ch.h"

namespace liandong::roadimport {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

core::Result<WriteReport> contract_and_save(routing::Graph graph,
                                            const std::vector<geocode::PlaceRecord>& places,
                                            routing::GraphMetadata meta, const std::string& path,
                                            const ImportProgress& progress) {
  LD_RETURN_IF_ERROR(graph.check());
  WriteReport report;
  routing::RoadNetwork network;
  auto t = std::chrono::steady_clock::now();
  routing::ChBuildOptions options;
  if (progress) {
    options.progress = [&progress](uint32_t done, uint32_t total) {
      progress("hierarchy", done, total);
    };
    progress("hierarchy", 0, graph.node_count());
  }
  routing::ChBuildStats stats;
  network.ch = routing::build_contraction_hierarchy(graph, options, &stats);
  if (progress) progress("hierarchy", graph.node_count(), graph.node_count());
  report.shortcuts = stats.shortcuts;
  report.contract_seconds = seconds_since(t);

  t = std::chrono::steady_clock::now();
  network.graph = std::move(graph);
  if (meta.created.empty()) {
    meta.created = core::format_utc(
        std::chrono::time_point_cast<core::Millis>(std::chrono::system_clock::now()));
  }
  network.meta = std::move(meta);
  if (!places.empty()) network.extras[kPlacesSection] = geocode::encode_places(places);
  LD_RETURN_IF_ERROR(routing::save_road_network(network, path));
  report.save_seconds = seconds_since(t);
  std::error_code ec;
  report.file_bytes = std::filesystem::file_size(path, ec);
  return report;
}

}  // namespace liandong::roadimport
