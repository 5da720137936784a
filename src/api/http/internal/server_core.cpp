#include "api/http/internal/server_core.h"

namespace liandong::api::http::internal {
namespace {

size_t method_index(std::string_view m) {
  static constexpr std::string_view kNames[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};
  for (size_t i = 0; i < std::size(kNames); ++i)
    if (kNames[i] == m) return i;
  return std::size(kNames);
}

constexpr std::string_view kMethodLabels[] = {"GET",    "POST", "PUT",     "PATCH",
                                              "DELETE", "HEAD", "OPTIONS", "other"};

}  // namespace

RequestMetrics::RequestMetrics(metrics::Registry& registry, const Router& router)
    : requests_(registry.counter("liandong_http_requests_total", "HTTP requests answered.",
                                 {"route", "method", "status"})),
      durations_(registry.histogram("liandong_http_request_duration_seconds",
                                    "Time from a request's last byte read to its answer being written.",
                                    {"route", "method"}, metrics::latency_buckets())) {
  auto routes = router.routes();
  route_count_ = routes.size();
  slots_.resize(route_count_ + 2 * kMethods);
  auto init = [&](Slot& s, std::string route, std::string method) {
    s.route = std::move(route);
    s.method = std::move(method);
    s.duration = durations_->with({s.route, s.method});
    s.by_status.reset(new std::atomic<metrics::Counter*>[500]);
    for (size_t i = 0; i < 500; ++i) s.by_status[i].store(nullptr, std::memory_order_relaxed);
  };
  for (size_t i = 0; i < route_count_; ++i) init(slots_[i], routes[i].pattern, routes[i].method);
  for (size_t m = 0; m < kMethods; ++m) {
    init(slots_[route_count_ + m], "unmatched", std::string(kMethodLabels[m]));
    init(slots_[route_count_ + kMethods + m], "static", std::string(kMethodLabels[m]));
  }
}

RequestMetrics::Slot& RequestMetrics::slot(size_t route_index, std::string_view method) {
  if (route_index < route_count_) return slots_[route_index];
  size_t base = route_count_ + (route_index == Router::kStatic ? kMethods : 0);
  return slots_[base + method_index(method)];
}

void RequestMetrics::record(size_t route_index, std::string_view method, int status, double seconds) {
  Slot& s = slot(route_index, method);
  s.duration->observe(seconds);
  size_t si = status >= 100 && status <= 599 ? static_cast<size_t>(status - 100) : 400;  // 500 if odd
  auto* c = s.by_status[si].load(std::memory_order_acquire);
  if (!c) {
    // Racing threads get the same child from the registry; storing it twice is harmless.
    c = requests_->with({s.route, s.method, std::to_string(si + 100)});
    s.by_status[si].store(c, std::memory_order_release);
  }
  c->inc();
}

void ServerCore::add_session(Closable* key, std::weak_ptr<Closable> session) {
  std::lock_guard lock(sessions_mu);
  sessions.emplace(key, std::move(session));
}

void ServerCore::remove_session(Closable* key) {
  {
    std::lock_guard lock(sessions_mu);
    sessions.erase(key);
  }
  sessions_cv.notify_all();
}

std::vector<std::shared_ptr<Closable>> ServerCore::sessions_snapshot() {
  std::vector<std::shared_ptr<Closable>> out;
  std::lock_guard lock(sessions_mu);
  for (auto& [key, weak] : sessions)
    if (auto s = weak.lock()) out.push_back(std::move(s));
  return out;
}

}  // namespace liandong::api::http::internal
