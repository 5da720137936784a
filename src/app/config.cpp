#include "app/config.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <filesystem>
#include <fstream>

namespace liandong::app {

std::string default_config_yaml(const NodeConfig& c) {
  std::string y;
  y += "# Liandong node configuration. Command-line flags override these values.\n";
  y += "# Written on first start; edit and restart the node to change them.\n\n";
  y += "# GB/T 2260 code of the jurisdiction this node serves (it holds that code's tree).\n";
  y += "# A store belongs to one jurisdiction: it cannot be reopened under another code.\n";
  y += "jurisdiction: \"" + c.jurisdiction + "\"\n\n";
  y += "# Address the HTTP API, live stream and console listen on (port 0: any free port).\n";
  y += "listen: \"" + c.listen + "\"\n\n";
  y += "# IANA zone for showing times (stored times are always UTC).\n";
  y += "time_zone: \"" + c.time_zone + "\"\n\n";
  y += "# A new alarm joins an open incident of a compatible type within this distance (metres)\n";
  y += "# and this many minutes of the incident's last alarm.\n";
  y += "dedup_radius_m: " + std::to_string(static_cast<int>(c.dedup_radius_m)) + "\n";
  y += "dedup_window_min: " + std::to_string(c.dedup_window_min) + "\n\n";
  y += "# Journal events between snapshots of the live state (bounds start-up time).\n";
  y += "snapshot_every: " + std::to_string(c.snapshot_every) + "\n\n";
  y += "# Most commands committed together (one fsync); 1 commits each command alone.\n";
  y += "max_batch: " + std::to_string(c.max_batch) + "\n\n";
  y += "# Online tile URL for the console map, e.g. \"https://tile.example/{z}/{x}/{y}.png\".\n";
  y += "# Empty: the console uses the node's own base layers and needs no internet.\n";
  y += "tile_url: \"" + c.tile_url + "\"\n\n";
  y += "# HTTP worker threads, and log level (debug, info, warn, error).\n";
  y += "http_threads: " + std::to_string(c.http_threads) + "\n";
  y += "log_level: \"" + c.log_level + "\"\n";
  return y;
}

core::Result<NodeConfig> load_config(const std::string& path) {
  NodeConfig c;
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    return core::invalid(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg, "config");
  }
  if (root.IsNull()) return c;
  if (!root.IsMap()) return core::invalid(path + ": the configuration must be a mapping of keys", "config");
  auto range = [&](bool ok, const YAML::Node& v, const std::string& key, const std::string& what) -> core::Status {
    if (ok) return core::Status::ok();
    return core::invalid(path + ":" + std::to_string(v.Mark().line + 1) + ": " + key + " must be " + what, key);
  };
  for (const auto& kv : root) {
    std::string key = kv.first.as<std::string>("");
    const YAML::Node& v = kv.second;
    auto where = path + ":" + std::to_string(v.Mark().line + 1) + ": ";
    core::Status st;
    try {
      if (key == "jurisdiction") c.jurisdiction = v.as<std::string>();
      else if (key == "listen") c.listen = v.as<std::string>();
      else if (key == "time_zone") c.time_zone = v.as<std::string>();
      else if (key == "dedup_radius_m") {
        c.dedup_radius_m = v.as<double>();
        st = range(c.dedup_radius_m >= 0 && c.dedup_radius_m <= 50000, v, key, "0 to 50000");
      } else if (key == "dedup_window_min") {
        c.dedup_window_min = v.as<int>();
        st = range(c.dedup_window_min >= 0 && c.dedup_window_min <= 24 * 60, v, key, "0 to 1440");
      } else if (key == "snapshot_every") {
        c.snapshot_every = v.as<uint64_t>();
        st = range(c.snapshot_every >= 100, v, key, "at least 100");
      } else if (key == "max_batch") {
        c.max_batch = v.as<size_t>();
        st = range(c.max_batch >= 1 && c.max_batch <= 100000, v, key, "1 to 100000");
      } else if (key == "http_threads") {
        c.http_threads = v.as<int>();
        st = range(c.http_threads >= 1 && c.http_threads <= 64, v, key, "1 to 64");
      } else if (key == "web_dir") c.web_dir = v.as<std::string>();
      else if (key == "divisions_dir") c.divisions_dir = v.as<std::string>();
      else if (key == "tile_url") c.tile_url = v.as<std::string>();
      else if (key == "graph") c.graph = v.as<std::string>();
      else if (key == "log_level") c.log_level = v.as<std::string>();
      else return core::invalid(where + "unknown key '" + key + "'", key);
    } catch (const YAML::Exception&) {
      return core::invalid(where + "'" + key + "' has a value of the wrong kind", key);
    }
    if (!st.is_ok()) return st;
  }
  return c;
}

core::Status write_config_if_missing(const std::string& path, const NodeConfig& c) {
  if (std::filesystem::exists(path)) return core::Status::ok();
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << default_config_yaml(c);
    if (!out) return core::unavailable("cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return core::unavailable("cannot write " + path + ": " + ec.message());
  return core::Status::ok();
}

core::Result<HostPort> parse_listen(const std::string& s) {
  auto colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return core::invalid("listen address '" + s + "' must be HOST:PORT, e.g. 127.0.0.1:8080", "listen");
  HostPort hp;
  hp.host = s.substr(0, colon);
  if (hp.host.size() > 2 && hp.host.front() == '[' && hp.host.back() == ']') hp.host = hp.host.substr(1, hp.host.size() - 2);
  unsigned port = 0;
  auto p = s.substr(colon + 1);
  auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (p.empty() || ec != std::errc{} || ptr != p.data() + p.size() || port > 65535)
    return core::invalid("listen port in '" + s + "' must be 0 to 65535", "listen");
  hp.port = static_cast<uint16_t>(port);
  return hp;
}

}  // namespace liandong::app
