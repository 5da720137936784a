// Server: the HTTP/1.1 + WebSocket server. Generic: it knows routes, not the domain.
//
// HTTP/1.1 with keep-alive; requests on one connection are handled one at a time, so pipelined
// requests are answered in order. `GET /api/v1/stream` upgrades to a WebSocket served by the
// StreamHub (when one is given). With a certificate and key configured it speaks only HTTPS and
// WSS (TLS 1.2 or later); a plain HTTP request there is answered 400 `tls_required` and closed.
//
// Limits (ServerOptions), each answered the same way every time:
//   body over body_limit → 413 `too_large`, close; headers over header_limit → 431 `too_large`,
//   close; malformed → 400, close; a request whose bytes do not all arrive within
//   request_timeout of its first byte → closed (slowloris); no request byte for idle_timeout →
//   closed; more than address_requests_per_second (burst address_burst) from one address → 429
//   `rate_limited` with Retry-After (the connection stays open); more than
//   connections_per_address open connections (HTTP and WebSocket) from one address → the new
//   connection is closed at once; a client WebSocket message over ws_message_limit → close 1009.
//   Addresses in allow_addresses are exempt from the per-address limits.
// Every refusal counts in liandong_http_refused_total{reason} and is logged at most once per
// reason every 10 s, with the address only: the server never logs request headers or bodies.
//
// Every response carries X-Content-Type-Options: nosniff, X-Frame-Options: DENY and
// Referrer-Policy: no-referrer; static files get content_security_policy, API answers a CSP that
// allows nothing; over TLS, Strict-Transport-Security too. A handler's own header wins.
//
// Per request it counts liandong_http_requests_total{route,method,status} and observes
// liandong_http_request_duration_seconds{route,method}; unmatched paths count as route
// "unmatched", static files as "static".
//
// Ownership: the Router, StreamHub, Registry and clock are borrowed and must outlive the Server.
// Thread-safety: start() and stop() from one controlling thread; port() from any.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "access/rate_limit.h"
#include "core/status.h"
#include "core/time.h"
#include "metrics/registry.h"

namespace liandong::api::http {

class Router;
class StreamHub;

// The console's Content-Security-Policy: its own scripts and styles (Leaflet sets inline styles),
// map tiles from any https server, the API and stream on the same origin, no framing.
inline constexpr const char* kConsoleCsp =
    "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0: any free port; see Server::port()
  int threads = 2;
  size_t body_limit = 1 << 20;         // request body bytes
  size_t header_limit = 16 << 10;      // request line and header bytes
  size_t ws_message_limit = 1 << 20;   // one WebSocket message from a client, bytes
  // A connection on which no byte of a (next) request arrives for this long is closed.
  std::chrono::milliseconds idle_timeout{60'000};
  // A request's headers and body must arrive within this time of its first byte; also bounds
  // the TLS handshake and writing an answer to a client that does not read. Does not limit how
  // long a handler takes to answer.
  std::chrono::milliseconds request_timeout{30'000};
  // Open connections per client address (HTTP and WebSocket); 0: no limit.
  size_t connections_per_address = 256;
  // Requests per client address: a token bucket; per_second <= 0: no limit.
  double address_requests_per_second = 2000;
  double address_burst = 4000;
  // Exempt from connections_per_address and the address rate limit.
  access::AddressList allow_addresses;
  // PEM certificate chain and private key (unencrypted); both set: HTTPS/WSS only. Both empty:
  // plain HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string content_security_policy = kConsoleCsp;  // for static files (the console)
  std::string stream_path = "/api/v1/stream";
  const core::Clock* clock = nullptr;  // for the rate limit (tests pass a fake); null: system clock
};

class Server {
 public:
  Server(ServerOptions options, Router& router, StreamHub* hub, metrics::Registry& registry);
  ~Server();  // stop(0) if still running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the threads. kInvalidArgument for a bad host or TLS files that
  // cannot be read, are not PEM, or do not match (the message names the file); kUnavailable when
  // the address cannot be bound (e.g. in use); nothing runs then. Call once.
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
