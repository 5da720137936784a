// State shared by the server's listener and sessions (Beast-side; not for handler code).
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "access/rate_limit.h"
#include "api/http/router.h"
#include "api/http/server.h"
#include "metrics/registry.h"

namespace liandong::api::http::internal {

// Lets late callers (a Responder answered after stop, a publish after stop) know whether the
// io_context may still be posted to. Shared by the server and everything that posts into it.
struct Lifeline {
  std::mutex mu;
  bool alive = true;
};

// Implemented by the HTTP and WebSocket sessions so that stop() can reach them. Both post onto
// the session's own executor.
class Closable {
 public:
  virtual ~Closable() = default;
  virtual void begin_stop() = 0;   // finish what is in flight, then close
  virtual void force_close() = 0;  // close the socket now
};

// Per-route request metrics, with the counters looked up once per (route, status).
class RequestMetrics {
 public:
  RequestMetrics(metrics::Registry& registry, const Router& router);
  void record(size_t route_index, std::string_view method, int status, double seconds);

 private:
  static constexpr size_t kMethods = 8;  // GET POST PUT PATCH DELETE HEAD OPTIONS other
  struct Slot {
    std::string route, method;
    metrics::Histogram* duration = nullptr;
    std::unique_ptr<std::atomic<metrics::Counter*>[]> by_status;  // status 100..599
  };
  Slot& slot(size_t route_index, std::string_view method);

  metrics::CounterFamily* requests_;
  metrics::HistogramFamily* durations_;
  std::vector<Slot> slots_;  // routes, then kMethods for "unmatched", then kMethods for "static"
  size_t route_count_;
};

// The two transports; sessions are templates over them.
using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// Why a request or connection was refused: the `reason` label of liandong_http_refused_total.
enum class Refusal {
  kBodyTooLarge,
  kHeaderTooLarge,
  kMalformed,
  kRequestTimeout,
  kRateLimited,
  kConnections,
  kWsMessageTooLarge,
  kTlsHandshake,
  kCount
};

struct ServerCore;

// One open connection of a limited address; the count drops when it is destroyed. Held by the
// HTTP session, then by the WebSocket session the connection is upgraded to.
class AddressSlot {
 public:
  AddressSlot(ServerCore& core, std::string host) : core_(core), host_(std::move(host)) {}
  ~AddressSlot();
  AddressSlot(const AddressSlot&) = delete;
  AddressSlot& operator=(const AddressSlot&) = delete;

 private:
  ServerCore& core_;
  std::string host_;
};

// Who is at the other end of an accepted connection.
struct Peer {
  std::string host;     // "10.1.2.3", "::1"
  std::string remote;   // "10.1.2.3:5000", "[::1]:5000" (Request::remote)
  bool exempt = false;  // in allow_addresses
  std::unique_ptr<AddressSlot> slot;  // null when exempt or unlimited
};

struct ServerCore {
  ServerCore(ServerOptions o, Router& r, StreamHub* h, metrics::Registry& reg);

  void add_session(Closable* key, std::weak_ptr<Closable> session);
  void remove_session(Closable* key);
  std::vector<std::shared_ptr<Closable>> sessions_snapshot();

  // A slot for one more connection from `host`, or null when it has connections_per_address.
  std::unique_ptr<AddressSlot> acquire_slot(const std::string& host);
  void release_slot(const std::string& host);

  // Counts a refusal and logs it, at most once per reason every 10 s (address only).
  void refused(Refusal reason, std::string_view host);

  // Loads the certificate and key into `tls` when configured. kInvalidArgument naming the file.
  core::Status set_up_tls();

  ServerOptions options;
  Router& router;
  StreamHub* hub;
  metrics::Registry& registry;
  std::unique_ptr<RequestMetrics> metrics;  // built by start(), once the routes are known
  std::atomic<bool> stopping{false};
  std::shared_ptr<Lifeline> lifeline = std::make_shared<Lifeline>();
  std::unique_ptr<boost::asio::ssl::context> tls;  // set by set_up_tls(): HTTPS
  core::SystemClock system_clock;
  std::unique_ptr<access::RateLimiter> limiter;  // null: no address rate limit

  std::array<metrics::Counter*, static_cast<size_t>(Refusal::kCount)> refused_total{};
  std::array<std::atomic<int64_t>, static_cast<size_t>(Refusal::kCount)> refused_logged_ms{};
  std::array<std::atomic<uint64_t>, static_cast<size_t>(Refusal::kCount)> refused_unlogged{};

  std::mutex slots_mu;
  std::unordered_map<std::string, size_t> slots;  // open connections by limited address

  std::mutex sessions_mu;
  std::condition_variable sessions_cv;
  std::unordered_map<Closable*, std::weak_ptr<Closable>> sessions;
};

}  // namespace liandong::api::http::internal
