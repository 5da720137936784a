// Server: the HTTP/1.1 + WebSocket server. Generic: it knows routes, not the domain.
//
// HTTP/1.1 with keep-alive; requests on one connection are handled one at a time, so pipelined
// requests are answered in order. Bodies over body_limit get 413 `too_large` and the connection
// is closed; malformed requests get 400 and a close. `GET /api/v1/stream` upgrades to a WebSocket
// served by the StreamHub (when one is given). Per request it counts
// liandong_http_requests_total{route,method,status} and observes
// liandong_http_request_duration_seconds{route,method}; unmatched paths count as route
// "unmatched", static files as "static".
//
// Ownership: the Router, StreamHub and Registry are borrowed and must outlive the Server.
// Thread-safety: start() and stop() from one controlling thread; port() from any.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "metrics/registry.h"

namespace liandong::api::http {

class Router;
class StreamHub;

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0: any free port; see Server::port()
  int threads = 2;
  size_t body_limit = 1 << 20;
  size_t header_limit = 16 << 10;
  // Longest wait for a request's bytes (and idle keep-alive). Does not limit how long a handler
  // takes to answer.
  std::chrono::milliseconds read_timeout{30'000};
  std::string stream_path = "/api/v1/stream";
};

class Server {
 public:
  Server(ServerOptions options, Router& router, StreamHub* hub, metrics::Registry& registry);
  ~Server();  // stop(0) if still running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the threads. kInvalidArgument for a bad host, kUnavailable when the
  // address cannot be bound (e.g. in use); nothing runs then. Call once.
  core::Status start();

  // The bound port (after a successful start()), else 0.
  uint16_t port() const;

  // Stops accepting, lets in-flight requests finish for up to `grace` (their answers are sent
  // with Connection: close), closes WebSockets with a close frame, then closes what remains and
  // joins the threads. Idempotent.
  void stop(std::chrono::milliseconds grace);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace liandong::api::http
