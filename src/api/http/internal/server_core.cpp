#include "api/http/internal/server_core.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>

#include "core/log.h"

namespace liandong::api::http::internal {
namespace {

constexpr std::string_view kRefusalNames[] = {"body_too_large",  "header_too_large", "malformed",
                                              "request_timeout", "rate_limited",     "connections",
                                              "ws_message_too_large", "tls_handshake"};
static_assert(std::size(kRefusalNames) == static_cast<size_t>(Refusal::kCount));

constexpr int64_t kRefusalLogEveryMs = 10'000;

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

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

ServerCore::ServerCore(ServerOptions o, Router& r, StreamHub* h, metrics::Registry& reg)
    : options(std::move(o)), router(r), hub(h), registry(reg) {
  auto* family = registry.counter("liandong_http_refused_total",
                                  "Requests and connections refused by a server limit.", {"reason"});
  for (size_t i = 0; i < refused_total.size(); ++i) {
    refused_total[i] = family->with({std::string(kRefusalNames[i])});
    refused_logged_ms[i].store(-kRefusalLogEveryMs);
  }
  if (options.address_requests_per_second > 0)
    limiter = std::make_unique<access::RateLimiter>(options.address_requests_per_second, options.address_burst,
                                                    options.clock ? *options.clock : system_clock);
}

AddressSlot::~AddressSlot() { core_.release_slot(host_); }

std::unique_ptr<AddressSlot> ServerCore::acquire_slot(const std::string& host) {
  std::lock_guard lock(slots_mu);
  auto& n = slots[host];
  if (n >= options.connections_per_address) return nullptr;
  ++n;
  return std::make_unique<AddressSlot>(*this, host);
}

void ServerCore::release_slot(const std::string& host) {
  std::lock_guard lock(slots_mu);
  auto it = slots.find(host);
  if (it != slots.end() && --it->second == 0) slots.erase(it);
}

void ServerCore::refused(Refusal reason, std::string_view host) {
  auto i = static_cast<size_t>(reason);
  refused_total[i]->inc();
  int64_t now = steady_ms(), last = refused_logged_ms[i].load();
  if (now - last < kRefusalLogEveryMs || !refused_logged_ms[i].compare_exchange_strong(last, now)) {
    refused_unlogged[i].fetch_add(1, std::memory_order_relaxed);
    return;
  }
  uint64_t also = refused_unlogged[i].exchange(0);
  core::log::warn("http refused", {{"reason", std::string(kRefusalNames[i])},
                                   {"address", std::string(host)},
                                   {"unlogged_since_last", std::to_string(also)}});
}

namespace {

// Why `path` cannot be read, or empty when it can.
std::string unreadable(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (in) return {};
  return std::strerror(errno);
}

}  // namespace

core::Status ServerCore::set_up_tls() {
  const auto& cert = options.tls_cert_file;
  const auto& key = options.tls_key_file;
  if (cert.empty() && key.empty()) return core::Status::ok();
  if (cert.empty() || key.empty())
    return core::invalid("TLS needs both a certificate chain file and a private key file (" +
                             std::string(cert.empty() ? "the certificate" : "the key") + " is not set)",
                         cert.empty() ? "tls_cert_file" : "tls_key_file");
  if (auto why = unreadable(cert); !why.empty())
    return core::invalid("cannot read the TLS certificate file '" + cert + "': " + why, "tls_cert_file");
  if (auto why = unreadable(key); !why.empty())
    return core::invalid("cannot read the TLS private key file '" + key + "': " + why, "tls_key_file");
  namespace ssl = boost::asio::ssl;
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use |
                   ssl::context::no_compression);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  SSL_CTX_set_options(ctx->native_handle(), SSL_OP_NO_RENEGOTIATION);
  // An encrypted key would make OpenSSL prompt on the terminal; refuse it instead.
  ctx->set_password_callback([](size_t, ssl::context::password_purpose) { return std::string(); });
  boost::system::error_code ec;
  if (ctx->use_certificate_chain_file(cert, ec))
    return core::invalid("the TLS certificate file '" + cert + "' is not a PEM certificate chain (" +
                             ec.message() + ")",
                         "tls_cert_file");
  if (ctx->use_private_key_file(key, ssl::context::pem, ec) &&
      ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH)
    return core::invalid("the TLS private key '" + key + "' does not match the certificate '" + cert + "'",
                         "tls_key_file");
  if (ec)
    return core::invalid("the TLS private key file '" + key + "' is not an unencrypted PEM private key (" +
                             ec.message() + ")",
                         "tls_key_file");
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1)
    return core::invalid("the TLS private key '" + key + "' does not match the certificate '" + cert + "'",
                         "tls_key_file");
  tls = std::move(ctx);
  return core::Status::ok();
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
