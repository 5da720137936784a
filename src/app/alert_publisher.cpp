#include "app/alert_publisher.h"

#include "core/log.h"
#include "core/thread_name.h"
#include "engine/alert_records.h"

namespace liandong::app {

namespace {

constexpr size_t kCatchUpPage = 2000;

bool relevant(const engine::Event& e) {
  return e.type == "alert.published" || e.type.rfind("subscriber.", 0) == 0;
}

}  // namespace

core::Result<std::unique_ptr<AlertPublisher>> AlertPublisher::open(const std::string& path, engine::Engine& engine,
                                                                   engine::JournalStore& journal,
                                                                   const core::Clock& clock) {
  std::unique_ptr<AlertPublisher> p(new AlertPublisher(engine, journal, clock));
  auto store = webhooks::DeliveryStore::open(path, clock);
  if (!store) return store.status();
  p->store_ = std::move(*store);
  p->deliverer_ = std::make_unique<webhooks::Deliverer>(*p->store_, clock);
  return p;
}

AlertPublisher::AlertPublisher(engine::Engine& engine, engine::JournalStore& journal, const core::Clock& clock)
    : engine_(engine), journal_(journal), clock_(clock) {}

AlertPublisher::~AlertPublisher() { stop(); }

core::Status AlertPublisher::sync_subscribers() {
  auto view = engine_.view();
  if (view->subscribers_seq == subscribers_seq_) return core::Status::ok();
  std::vector<webhooks::Subscriber> subs;
  for (size_t i = 0; i < view->subscribers.size(); ++i) {
    const auto& s = view->subscribers[i];
    if (s.deleted) continue;
    subs.push_back(webhooks::Subscriber{s.id, s.url, s.secret, core::Millis{s.max_age_s * 1000}, s.enabled});
  }
  LD_RETURN_IF_ERROR(deliverer_->set_subscribers(std::move(subs)));
  subscribers_seq_ = view->subscribers_seq;
  return core::Status::ok();
}

// The events' publications, for the subscribers of the newest view, with the cursor (the last
// journal seq they cover).
core::Status AlertPublisher::hand_over(const std::vector<engine::Event>& events, uint64_t cursor) {
  LD_RETURN_IF_ERROR(sync_subscribers());
  auto view = engine_.view();
  std::vector<webhooks::Publication> pubs;
  for (const auto& e : events) {
    if (e.type != "alert.published") continue;
    auto a = engine::alert_from_json(e.data.value("alert", nlohmann::json()));
    if (!a) {
      core::log::error("alert event unreadable; not delivered", {{"seq", std::to_string(e.seq)}, {"error", a.status().message()}});
      continue;
    }
    webhooks::Publication p;
    p.seq = e.seq;
    p.alert_id = a->id;
    p.body = a->xml;
    p.published_at = e.time;
    for (size_t i = 0; i < view->subscribers.size(); ++i)
      if (engine::subscriber_matches(view->subscribers[i], *a)) p.subscriber_ids.push_back(view->subscribers[i].id);
    if (!p.subscriber_ids.empty()) pubs.push_back(std::move(p));
  }
  if (pubs.empty() && cursor == 0) return core::Status::ok();
  return deliverer_->publish(pubs, cursor);
}

core::Status AlertPublisher::catch_up() {
  auto cursor = deliverer_->cursor();
  if (!cursor) return cursor.status();
  uint64_t after = *cursor;
  uint64_t head = engine_.view()->seq;
  while (after < head) {
    auto page = journal_.read_after(after, kCatchUpPage);
    if (!page) return page.status();
    if (page->empty()) break;
    // Only the alert events matter; the cursor moves over the rest with them.
    std::vector<engine::Event> kept;
    uint64_t last = after;
    for (auto& e : *page) {
      if (e.seq > head) break;
      last = e.seq;
      if (e.type == "alert.published") kept.push_back(std::move(e));
    }
    if (last == after) break;
    after = last;
    if (!kept.empty() || after == head) LD_RETURN_IF_ERROR(hand_over(kept, after));
  }
  return core::Status::ok();
}

core::Status AlertPublisher::start() {
  {
    // Batches committed from now on queue up while the journal is read: a publication in both is
    // handed over twice, which the store ignores (enqueue is idempotent).
    std::lock_guard lk(mu_);
    running_ = true;
    stopping_ = false;
  }
  core::Status st = sync_subscribers();
  if (st.is_ok()) st = catch_up();
  if (st.is_ok()) st = deliverer_->start();
  if (!st.is_ok()) {
    std::lock_guard lk(mu_);
    running_ = false;
    queue_.clear();
    return st;
  }
  thread_ = std::thread([this] {
    core::name_this_thread("ld-alerts");
    run();
  });
  return core::Status::ok();
}

void AlertPublisher::on_events(std::span<const engine::Event> events) {
  std::vector<engine::Event> kept;
  for (const auto& e : events)
    if (relevant(e)) kept.push_back(e);
  if (kept.empty()) return;
  {
    std::lock_guard lk(mu_);
    if (!running_) return;  // catch_up() at the next start reads them from the journal
    queue_.push_back(std::move(kept));
  }
  cv_.notify_one();
}

void AlertPublisher::run() {
  for (;;) {
    std::vector<engine::Event> batch;
    {
      std::unique_lock lk(mu_);
      cv_.wait(lk, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      batch = std::move(queue_.front());
      queue_.pop_front();
    }
    // Listeners hear of a batch just before the engine publishes its View: wait for that View, so
    // a subscriber created in the same batch as a publication is matched too.
    engine_.view_at_least(batch.back().seq, std::chrono::seconds(5));
    // A failed hand-over (the store) is retried until it goes or the node stops: the journal has
    // the events, and the next start catches up from the cursor anyway.
    for (int attempt = 0;; ++attempt) {
      core::Status st = hand_over(batch, batch.back().seq);
      if (st.is_ok()) break;
      core::log::error("alerts not handed to webhook delivery", {{"error", st.to_string()}, {"attempt", std::to_string(attempt)}});
      std::unique_lock lk(mu_);
      if (cv_.wait_for(lk, std::chrono::seconds(1), [&] { return stopping_; })) return;
    }
  }
}

void AlertPublisher::stop() {
  {
    std::lock_guard lk(mu_);
    if (!running_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard lk(mu_);
    running_ = false;
  }
  deliverer_->stop();
}

}  // namespace liandong::app
