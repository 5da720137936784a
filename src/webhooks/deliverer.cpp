#include "webhooks/deliverer.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "core/log.h"
#include "webhooks/internal/http_post.h"
#include "webhooks/internal/policy.h"
#include "webhooks/internal/url.h"
#include "webhooks/signature.h"

namespace liandong::webhooks {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using internal::Outcome;

namespace {

std::string millis_text(core::Millis m) {
  if (m.count() % 3'600'000 == 0) return std::to_string(m.count() / 3'600'000) + " h";
  if (m.count() % 1000 == 0) return std::to_string(m.count() / 1000) + " s";
  return std::to_string(m.count()) + " ms";
}

core::Status check_options(const Deliverer::Options& o) {
  auto bad = [](std::string what, const char* field) {
    return core::invalid(std::move(what), std::string("options.") + field);
  };
  if (o.workers < 1 || o.workers > 64) return bad("workers must be from 1 to 64", "workers");
  if (o.first_backoff.count() <= 0) return bad("first_backoff must be positive", "first_backoff");
  if (o.max_backoff < o.first_backoff)
    return bad("max_backoff must be at least first_backoff", "max_backoff");
  if (o.request_timeout.count() <= 0)
    return bad("request_timeout must be positive", "request_timeout");
  if (o.max_in_flight < 1) return bad("max_in_flight must be at least 1", "max_in_flight");
  if (o.recheck_interval.count() <= 0)
    return bad("recheck_interval must be positive", "recheck_interval");
  if (o.keep_delivered.count() <= 0)
    return bad("keep_delivered must be positive", "keep_delivered");
  if (o.prune_every.count() <= 0) return bad("prune_every must be positive", "prune_every");
  return core::Status::ok();
}

}  // namespace

// One subscriber's sender. Its fields other than `id` are touched only on its strand.
struct Lane {
  Lane(net::io_context& ioc, std::string subscriber_id)
      : id(std::move(subscriber_id)), strand(net::make_strand(ioc)), timer(strand) {}
  const std::string id;
  net::strand<net::io_context::executor_type> strand;
  net::steady_timer timer;
  bool in_flight = false;
  bool waiting_for_slot = false;
};

struct Deliverer::Impl {
  Impl(DeliveryStore& s, const core::Clock& c, Options o) : store(s), clock(c), options(o) {}

  DeliveryStore& store;
  const core::Clock& clock;
  const Options options;

  mutable std::mutex mu;  // guards everything below
  std::map<std::string, Subscriber> subscribers;
  std::map<std::string, internal::Url> urls;
  std::map<std::string, std::string> last_errors;
  bool running = false;
  std::unique_ptr<net::io_context> ioc;
  std::unique_ptr<ssl::context> tls;
  std::unique_ptr<net::steady_timer> prune_timer;
  std::vector<std::thread> threads;
  std::map<std::string, std::shared_ptr<Lane>> lanes;
  size_t in_flight = 0;
  std::deque<std::shared_ptr<Lane>> waiting;

  // Makes the lanes of `ids` (all when empty) look again; creates lanes for enabled subscribers
  // that have none. Needs `mu` held.
  void kick_locked(const std::set<std::string>& ids) {
    if (!running) return;
    for (const auto& [id, sub] : subscribers)
      if (sub.enabled && !lanes.count(id)) lanes.emplace(id, std::make_shared<Lane>(*ioc, id));
    for (const auto& entry : lanes) {
      if (!ids.empty() && !ids.count(entry.first)) continue;
      // A copy, not the structured binding: clang 14 cannot capture those.
      std::shared_ptr<Lane> lane = entry.second;
      net::post(lane->strand, [this, lane] {
        lane->timer.cancel();
        pump(lane);
      });
    }
  }
  void kick(const std::set<std::string>& ids) {
    std::lock_guard lock(mu);
    kick_locked(ids);
  }

  void note_error(const std::string& id, const std::string& error) {
    std::lock_guard lock(mu);
    last_errors[id] = error;
  }

  // Sleeps the lane until `delay` has passed on the clock (looking again every recheck_interval).
  void wait(const std::shared_ptr<Lane>& lane, core::Millis delay) {
    delay = std::max(core::Millis(1), std::min(delay, options.recheck_interval));
    lane->timer.expires_after(delay);
    lane->timer.async_wait([this, lane](boost::system::error_code ec) {
      if (ec != net::error::operation_aborted) pump(lane);
    });
  }

  void store_failed(const std::shared_ptr<Lane>& lane, const core::Status& s) {
    core::log::warn("webhook delivery store failed",
                    {{"subscriber", lane->id}, {"error", s.to_string()}});
    note_error(lane->id, "delivery store: " + s.to_string());
    wait(lane, options.recheck_interval);
  }

  bool acquire_slot(const std::shared_ptr<Lane>& lane) {
    std::lock_guard lock(mu);
    if (in_flight < options.max_in_flight) {
      ++in_flight;
      return true;
    }
    waiting.push_back(lane);
    return false;
  }

  void release_slot() {
    std::lock_guard lock(mu);
    --in_flight;
    if (waiting.empty()) return;
    auto next = waiting.front();
    waiting.pop_front();
    net::post(next->strand, [this, next] {
      next->waiting_for_slot = false;
      pump(next);
    });
  }

  // The lane's step: look at its oldest pending delivery and send it, kill it as too old, or
  // wait for its time. Runs on the lane's strand; harmless to call more often than needed.
  void pump(const std::shared_ptr<Lane>& lane) {
    if (lane->in_flight || lane->waiting_for_slot) return;
    Subscriber sub;
    internal::Url url;
    {
      std::lock_guard lock(mu);
      auto it = subscribers.find(lane->id);
      if (!running || it == subscribers.end() || !it->second.enabled) return;
      sub = it->second;
      url = urls.at(lane->id);
    }
    auto next = store.oldest_pending(sub.id);
    if (!next) return store_failed(lane, next.status());
    if (!*next) return;  // idle until kicked
    internal::PostRequest req;
    Delivery d = std::move((*next)->delivery);
    const core::Timestamp now = clock.now();
    const core::Timestamp age_from = d.retried_at.value_or(d.created_at);
    if (now - age_from > sub.max_age) {
      std::string reason = "too old: not delivered within the subscriber's max_age of " +
                           millis_text(sub.max_age) + " (" + std::to_string(d.attempts) +
                           " attempts";
      if (!d.last_error.empty()) reason += ", last error: " + d.last_error;
      reason += ")";
      if (auto s = store.mark_dead(d.delivery_id, reason, false); !s) return store_failed(lane, s);
      core::log::warn("webhook delivery dead", {{"delivery", d.delivery_id}, {"reason", reason}});
      // Posted, not called: a long run of too-old deliveries must not deepen the stack.
      return net::post(lane->strand, [this, lane] { pump(lane); });
    }
    if (d.next_attempt_at > now) return wait(lane, d.next_attempt_at - now);
    if (!acquire_slot(lane)) {
      lane->waiting_for_slot = true;
      return;
    }
    lane->in_flight = true;
    const std::string timestamp =
        std::to_string(std::chrono::floor<std::chrono::seconds>(now).time_since_epoch().count());
    req.url = std::move(url);
    req.timeout = options.request_timeout;
    req.headers = {{"Content-Type", (*next)->content_type},
                   {std::string(kDeliveryHeader), d.delivery_id},
                   {std::string(kAlertHeader), d.alert_id},
                   {std::string(kTimestampHeader), timestamp},
                   {std::string(kSignatureHeader), sign(sub.secret, timestamp, (*next)->body)}};
    req.body = std::move((*next)->body);
    internal::start_post(lane->strand, tls.get(), std::move(req),
                         [this, lane, d = std::move(d)](internal::PostResult r) {
                           on_result(lane, d, std::move(r));
                         });
  }

  void on_result(const std::shared_ptr<Lane>& lane, const Delivery& d, internal::PostResult r) {
    lane->in_flight = false;
    release_slot();
    internal::Verdict v = internal::judge(r);
    core::Status s;
    switch (v.outcome) {
      case Outcome::kDelivered:
        s = store.mark_delivered(d.delivery_id);
        break;
      case Outcome::kRetry: {
        core::Millis delay = internal::next_delay(d.attempts + 1, v.retry_after,
                                                  options.first_backoff, options.max_backoff);
        note_error(lane->id, d.delivery_id + ": " + v.reason);
        s = store.record_failure(d.delivery_id, v.reason, clock.now() + delay);
        break;
      }
      case Outcome::kDead:
        note_error(lane->id, d.delivery_id + ": " + v.reason);
        core::log::warn("webhook delivery dead",
                        {{"delivery", d.delivery_id}, {"reason", v.reason}});
        s = store.mark_dead(d.delivery_id, v.reason, true);
        break;
    }
    // kConflict: the delivery left the pending state meanwhile (nothing to record).
    if (!s && s.code() != core::Code::kConflict) return store_failed(lane, s);
    pump(lane);
  }

  void schedule_prune() {
    prune_timer->expires_after(options.prune_every);
    prune_timer->async_wait([this](boost::system::error_code ec) {
      if (ec == net::error::operation_aborted) return;
      prune();
      schedule_prune();
    });
  }

  void prune() {
    auto pruned = store.prune_delivered(clock.now() - options.keep_delivered);
    if (!pruned)
      core::log::warn("webhook delivery store prune failed",
                      {{"error", pruned.status().to_string()}});
  }
};

Deliverer::Deliverer(DeliveryStore& store, const core::Clock& clock, Options options)
    : impl_(std::make_unique<Impl>(store, clock, std::move(options))) {}
Deliverer::Deliverer(DeliveryStore& store, const core::Clock& clock)
    : Deliverer(store, clock, Options{}) {}
Deliverer::~Deliverer() { stop(); }

core::Status Deliverer::set_subscribers(std::vector<Subscriber> subscribers) {
  std::map<std::string, Subscriber> by_id;
  std::map<std::string, internal::Url> urls;
  for (size_t i = 0; i < subscribers.size(); ++i) {
    const std::string prefix = "subscribers[" + std::to_string(i) + "].";
    LD_RETURN_IF_ERROR(check_subscriber(subscribers[i], prefix));
    auto url = internal::parse_url(subscribers[i].url, prefix + "url");
    if (!url) return url.status();
    const std::string id = subscribers[i].id;
    if (by_id.count(id))
      return core::invalid("subscriber id " + id + " appears twice", prefix + "id");
    urls.emplace(id, std::move(*url));
    by_id.emplace(id, std::move(subscribers[i]));
  }
  std::lock_guard lock(impl_->mu);
  impl_->subscribers = std::move(by_id);
  impl_->urls = std::move(urls);
  impl_->kick_locked({});
  return core::Status::ok();
}

core::Status Deliverer::publish(const std::vector<Publication>& publications, uint64_t cursor) {
  LD_RETURN_IF_ERROR(impl_->store.enqueue(publications, cursor));
  std::set<std::string> ids;
  for (const auto& p : publications) ids.insert(p.subscriber_ids.begin(), p.subscriber_ids.end());
  if (!ids.empty()) impl_->kick(ids);
  return core::Status::ok();
}

core::Result<uint64_t> Deliverer::cursor() const { return impl_->store.cursor(); }

core::Status Deliverer::retry(const std::string& delivery_id) {
  LD_RETURN_IF_ERROR(impl_->store.retry(delivery_id));
  auto d = impl_->store.get(delivery_id);
  if (d) impl_->kick({d->subscriber_id});
  return core::Status::ok();
}

core::Result<std::vector<Delivery>> Deliverer::list(const std::string& subscriber_id,
                                                    std::optional<DeliveryState> state,
                                                    size_t limit, uint64_t after_seq) const {
  return impl_->store.list(subscriber_id, state, limit, after_seq);
}

core::Result<std::vector<SubscriberStats>> Deliverer::stats() const {
  auto counts = impl_->store.counts();
  if (!counts) return counts.status();
  const core::Timestamp now = impl_->clock.now();
  std::map<std::string, SubscriberStats> out;
  std::lock_guard lock(impl_->mu);
  for (const auto& [id, sub] : impl_->subscribers) {
    SubscriberStats& s = out[id];
    s.configured = true;
    s.enabled = sub.enabled;
  }
  for (const auto& [id, c] : *counts) {
    SubscriberStats& s = out[id];
    s.pending = c.pending;
    s.delivered = c.delivered;
    s.dead = c.dead;
    if (c.oldest_pending) {
      s.oldest_pending_age = std::max(core::Millis(0), now - c.oldest_pending->created_at);
      s.next_attempt_at = c.oldest_pending->next_attempt_at;
      s.last_error = c.oldest_pending->last_error;
    }
  }
  std::vector<SubscriberStats> list;
  for (auto& [id, s] : out) {
    s.subscriber_id = id;
    if (auto it = impl_->last_errors.find(id); it != impl_->last_errors.end())
      s.last_error = it->second;
    list.push_back(std::move(s));
  }
  return list;
}

core::Status Deliverer::start() {
  LD_RETURN_IF_ERROR(check_options(impl_->options));
  auto tls = std::make_unique<ssl::context>(ssl::context::tls_client);
  boost::system::error_code ec;
  tls->set_default_verify_paths(ec);
  if (ec) core::log::warn("webhooks: no system CA certificates", {{"error", ec.message()}});
  if (!impl_->options.extra_ca_pem.empty()) {
    tls->add_certificate_authority(net::buffer(impl_->options.extra_ca_pem), ec);
    if (ec)
      return core::invalid("extra_ca_pem is not usable: " + ec.message(), "options.extra_ca_pem");
  }
  std::lock_guard lock(impl_->mu);
  if (impl_->running) return core::conflict("the deliverer is already running");
  impl_->tls = std::move(tls);
  impl_->ioc = std::make_unique<net::io_context>(impl_->options.workers);
  impl_->running = true;
  impl_->in_flight = 0;
  impl_->prune_timer = std::make_unique<net::steady_timer>(*impl_->ioc);
  net::post(*impl_->ioc, [impl = impl_.get()] {
    impl->prune();
    impl->schedule_prune();
  });
  impl_->kick_locked({});
  for (int i = 0; i < impl_->options.workers; ++i)
    impl_->threads.emplace_back([ioc = impl_->ioc.get()] {
      auto guard = net::make_work_guard(*ioc);
      ioc->run();
    });
  return core::Status::ok();
}

void Deliverer::stop() {
  std::unique_ptr<net::io_context> ioc;
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(impl_->mu);
    if (!impl_->running) return;
    impl_->running = false;
    impl_->ioc->stop();
    threads = std::move(impl_->threads);
    impl_->threads.clear();
  }
  for (auto& t : threads) t.join();
  std::lock_guard lock(impl_->mu);
  // Lanes, the prune timer and abandoned requests go before their io_context.
  impl_->lanes.clear();
  impl_->waiting.clear();
  impl_->prune_timer.reset();
  impl_->ioc.reset();
  impl_->tls.reset();
}

bool Deliverer::running() const {
  std::lock_guard lock(impl_->mu);
  return impl_->running;
}

void Deliverer::wake() { impl_->kick({}); }

}  // namespace liandong::webhooks
