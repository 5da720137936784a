// Node: one jurisdiction's running node — store, engine, HTTP API, live stream, console files and
// admin socket, wired together. Used by `liandong serve` and `liandong demo`.
#pragma once

#include <memory>
#include <string>

#include "api/api.h"
#include "api/roads.h"
#include "api/http/server.h"
#include "api/http/stream_hub.h"
#include "app/admin_socket.h"
#include "app/alert_publisher.h"
#include "app/stats_feeder.h"
#include "feeds/feed_reader.h"
#include "app/config.h"
#include "engine/engine.h"
#include "metrics/registry.h"
#include "fleet/fleet.h"
#include "store/sqlite_positions.h"
#include "store/sqlite_readings.h"
#include "watch/watch.h"
#include "store/sqlite_store.h"

namespace liandong::app {

struct NodeOptions {
  std::string data_dir;
  NodeConfig config;
  bool test_clock = false;
};

class Node {
 public:
  // Opens (creating on first start) the store in data_dir, recovers the engine, and starts the
  // HTTP server and admin socket. Writes DIR/node.addr ("127.0.0.1:PORT") once listening.
  static core::Result<std::unique_ptr<Node>> start(NodeOptions options);
  ~Node();

  // Stops accepting, answers what is in flight, closes streams, commits and snapshots. Idempotent.
  void stop();

  engine::Engine& engine() { return *engine_; }
  api::Auth& auth() { return *auth_; }
  // The loaded road network, or null.
  const api::Roads* roads() const { return roads_.get(); }
  fleet::Fleet& fleet() { return *fleet_; }
  // The monitoring watch (readings and tracked objects' fixes) and the node's clock.
  watch::Watch& watch() { return *watch_; }
  const core::Clock& clock() const { return *clock_; }
  uint16_t port() const { return server_->port(); }
  std::string url() const;

 private:
  Node() = default;
  core::Status init(NodeOptions options);
  void wire_metrics();
  void add_admin_commands();
  core::Status load_roads();
  core::Status start_fleet();
  core::Status start_watch();
  void wire_deliveries();  // the deliveries routes onto publisher_'s deliverer

  NodeOptions options_;
  std::unique_ptr<core::Clock> clock_;
  core::FakeClock* fake_clock_ = nullptr;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<AlertPublisher> publisher_;  // DIR/deliveries.db; after engine_ (follows it)
  std::unique_ptr<feeds::FeedReader> feed_reader_;  // outside CAP feeds; after engine_
  std::unique_ptr<stats::FactStore> stats_;         // DIR/stats.db
  std::unique_ptr<StatsFeeder> stats_feeder_;       // after stats_ and engine_
  metrics::Registry registry_;
  std::unique_ptr<api::http::StreamHub> hub_;
  std::unique_ptr<api::Auth> auth_;
  std::unique_ptr<api::Roads> roads_;  // before ctx_ and the server, which refer to it
  std::unique_ptr<store::SqlitePositionStore> positions_;  // DIR/telemetry.db
  std::unique_ptr<fleet::Fleet> fleet_;                     // after roads_ and positions_
  std::unique_ptr<store::SqliteReadingStore> readings_;     // DIR/readings.db
  std::unique_ptr<watch::Watch> watch_;                     // after readings_
  api::ApiContext ctx_;
  api::http::Router router_;
  std::unique_ptr<api::http::Server> server_;
  std::unique_ptr<AdminSocket> admin_;
  bool stopped_ = false;
  bool wrote_addr_ = false;  // only a node that started removes node.addr
};

// Blocks SIGINT and SIGTERM in the calling thread (call before any thread starts) so that
// wait_for_termination() can take them.
void block_termination_signals();
// Waits for SIGINT or SIGTERM; returns its name.
std::string wait_for_termination();

}  // namespace liandong::app
