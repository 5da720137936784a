// State shared by the server's listener and sessions (Beast-side; not for handler code).
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <vector>

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

struct ServerCore {
  ServerCore(ServerOptions o, Router& r, StreamHub* h, metrics::Registry& reg)
      : options(std::move(o)), router(r), hub(h), registry(reg) {}

  void add_session(Closable* key, std::weak_ptr<Closable> session);
  void remove_session(Closable* key);
  std::vector<std::shared_ptr<Closable>> sessions_snapshot();

  ServerOptions options;
  Router& router;
  StreamHub* hub;
  metrics::Registry& registry;
  std::unique_ptr<RequestMetrics> metrics;  // built by start(), once the routes are known
  std::atomic<bool> stopping{false};
  std::shared_ptr<Lifeline> lifeline = std::make_shared<Lifeline>();

  std::mutex sessions_mu;
  std::condition_variable sessions_cv;
  std::unordered_map<Closable*, std::weak_ptr<Closable>> sessions;
};

}  // namespace liandong::api::http::internal
