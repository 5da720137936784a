#include "api/http/stream_hub.h"

#include <algorithm>
#include <boost/asio/post.hpp>

#include "api/http/internal/stream_hub_impl.h"
#include "core/log.h"

namespace liandong::api::http {

using internal::Frame;
using internal::FrameText;
using internal::Subscriber;
using nlohmann::json;

namespace {

int topic_index(std::string_view topic) {
  const auto& all = stream_topics();
  for (size_t i = 0; i < all.size(); ++i)
    if (all[i] == topic) return static_cast<int>(i);
  return -1;
}

constexpr uint32_t kAllTopics = (1u << 10) - 1;

FrameText event_frame(const engine::Event& e) {
  // {"type":"event","event":{...}} without building a json tree: the event's text is made around
  // the data text the journal already serialised.
  std::string text = "{\"type\":\"event\",\"event\":";
  text += engine::to_json_text(e);
  text += "}";
  return std::make_shared<const std::string>(std::move(text));
}

std::string error_frame(std::string_view code, std::string_view message) {
  return json{{"type", "error"}, {"code", code}, {"message", message}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

// Whether `sub` takes event `e` (sub->mu held).
bool wants(const Subscriber& sub, const engine::Event& e, int topic) {
  return topic >= 0 && (sub.topics & (1u << topic)) && (!sub.filter || sub.filter(e));
}

}  // namespace

const std::vector<std::string>& stream_topics() {
  static const std::vector<std::string> kTopics = {"incidents", "alarms",   "units",  "positions", "tasks",
                                                   "warnings",  "readings", "alerts", "reports",   "audit"};
  return kTopics;
}

StreamHub::Impl::Impl(StreamOptions o, EventReader r, metrics::Registry& registry)
    : options(std::move(o)), reader(std::move(r)) {
  if (!options.now) options.now = [] { return std::chrono::steady_clock::now(); };
  options.queue_limit = std::max<size_t>(options.queue_limit, 2);
  options.page_size = std::clamp<size_t>(options.page_size, 1, std::max<size_t>(1, options.queue_limit / 2));
  subscribers_gauge = registry.gauge("liandong_stream_subscribers", "Live stream WebSocket subscribers.")->get();
  lag_gauge = registry
                  .gauge("liandong_stream_lag_events",
                         "Frames queued for the slowest stream subscriber after the last publish.")
                  ->get();
  lagging_total = registry
                      .counter("liandong_stream_lagging_total",
                               "Stream subscribers closed because they fell behind.")
                      ->get();
}

bool StreamHub::Impl::need_wake_locked(Subscriber& sub) {
  if (sub.wake_pending || sub.queue.empty()) return false;
  sub.wake_pending = true;
  return true;
}

void StreamHub::Impl::lag_locked(Subscriber& sub) {
  sub.mode = Subscriber::Mode::kClosing;
  sub.pending.clear();
  sub.queue.push_back({std::make_shared<const std::string>(
                           json{{"type", "lagging"}, {"resume_after", sub.last_seq}}.dump()),
                       false});
  sub.queue.push_back({nullptr, false});
  lagging_total->inc();
}

bool StreamHub::Impl::connect(const std::shared_ptr<Subscriber>& sub, std::optional<uint64_t> after) {
  {
    std::lock_guard lock(mu);
    if (closed) return false;
    std::lock_guard sl(sub->mu);
    sub->topics = kAllTopics;
    sub->published_at_registration = last_published;
    if (after) {
      sub->mode = Subscriber::Mode::kCatchingUp;
      sub->last_seq = *after;
    } else {
      sub->mode = Subscriber::Mode::kLive;
      sub->last_seq = last_published;
    }
    subscribers.push_back(sub);
    subscribers_gauge->set(static_cast<double>(subscribers.size()));
  }
  if (after) boost::asio::post(catchup_pool, [this, sub] { catch_up(sub); });
  return true;
}

void StreamHub::Impl::disconnect(const std::shared_ptr<Subscriber>& sub) {
  std::lock_guard lock(mu);
  auto it = std::find(subscribers.begin(), subscribers.end(), sub);
  if (it != subscribers.end()) subscribers.erase(it);
  subscribers_gauge->set(static_cast<double>(subscribers.size()));
}

// Reads the journal page by page until it has caught up with publish(), then goes live. Pauses
// (catchup_waiting) when the client has half a queue to read; next_frame() resumes it.
void StreamHub::Impl::catch_up(std::shared_ptr<Subscriber> sub) {
  while (true) {
    uint64_t after;
    {
      std::lock_guard sl(sub->mu);
      if (sub->mode != Subscriber::Mode::kCatchingUp) return;
      after = sub->last_seq;
    }
    auto page = reader(after, options.page_size);
    std::vector<FrameText> frames;
    if (page) {
      frames.reserve(page->size());
      for (const auto& e : *page) frames.push_back(event_frame(e));
    } else {
      core::log::warn("stream catch-up read failed", {{"error", page.status().to_string()}});
    }
    bool wake = false;
    {
      std::lock_guard sl(sub->mu);
      if (sub->mode != Subscriber::Mode::kCatchingUp) return;
      if (!page) {
        lag_locked(*sub);  // the client retries from where it got to
        wake = need_wake_locked(*sub);
      } else {
        for (size_t i = 0; i < page->size(); ++i) {
          const auto& e = (*page)[i];
          if (e.seq <= sub->last_seq) continue;
          if (wants(*sub, e, topic_index(engine::topic_of(e.type)))) sub->queue.push_back({frames[i], true});
          sub->last_seq = e.seq;
        }
        if (page->size() < options.page_size) {
          // Caught up: every event committed before registration has been read; everything
          // published since is in `pending` or yet to come, in seq order.
          if (sub->first_read && page->empty())
            sub->last_seq = std::min(sub->last_seq, sub->published_at_registration);  // after beyond head
          sub->mode = Subscriber::Mode::kLive;
          for (auto& [seq, frame] : sub->pending) {
            if (seq <= sub->last_seq) continue;
            if (sub->queue.size() >= options.queue_limit) {
              lag_locked(*sub);
              break;
            }
            sub->queue.push_back({std::move(frame), true});
            sub->last_seq = seq;
          }
          sub->pending.clear();
        } else if (sub->queue.size() >= options.queue_limit / 2) {
          sub->catchup_waiting = true;
        }
        sub->first_read = false;
        wake = need_wake_locked(*sub);
      }
    }
    if (wake && sub->wake) sub->wake();
    std::lock_guard sl(sub->mu);
    if (sub->mode != Subscriber::Mode::kCatchingUp || sub->catchup_waiting) return;
  }
}

std::optional<Frame> StreamHub::Impl::next_frame(const std::shared_ptr<Subscriber>& sub) {
  bool resume = false;
  std::optional<Frame> out;
  {
    std::lock_guard sl(sub->mu);
    if (sub->queue.empty()) {
      sub->wake_pending = false;
      if (sub->catchup_waiting) {
        sub->catchup_waiting = false;
        resume = true;
      }
    } else {
      out = std::move(sub->queue.front());
      sub->queue.pop_front();
    }
  }
  if (resume) boost::asio::post(catchup_pool, [this, sub] { catch_up(sub); });
  return out;
}

void StreamHub::Impl::push_local(const std::shared_ptr<Subscriber>& sub, std::string text) {
  bool wake;
  {
    std::lock_guard sl(sub->mu);
    if (sub->mode == Subscriber::Mode::kClosing) return;
    sub->queue.push_back({std::make_shared<const std::string>(std::move(text)), false});
    wake = need_wake_locked(*sub);
  }
  if (wake && sub->wake) sub->wake();
}

void StreamHub::Impl::on_client_frame(const std::shared_ptr<Subscriber>& sub, std::string_view text) {
  json frame = json::parse(text, nullptr, false);
  if (frame.is_discarded() || !frame.is_object())
    return push_local(sub, error_frame("malformed_json", "a client frame must be a JSON object"));
  auto type = frame.find("type");
  if (type == frame.end() || !type->is_string())
    return push_local(sub, error_frame("invalid_field", "a client frame needs a string \"type\""));
  const auto& t = type->get_ref<const std::string&>();
  if (t == "subscribe") {
    auto topics = frame.find("topics");
    if (topics == frame.end() || !topics->is_array())
      return push_local(sub, error_frame("invalid_field", "subscribe needs an array \"topics\""));
    uint32_t mask = 0;
    for (const auto& topic : *topics) {
      int i = topic.is_string() ? topic_index(topic.get_ref<const std::string&>()) : -1;
      if (i < 0) return push_local(sub, error_frame("invalid_topic", "unknown topic " + topic.dump()));
      mask |= 1u << i;
    }
    std::lock_guard sl(sub->mu);
    sub->topics = mask;
    return;
  }
  const ClientFrameHandler* handler = t == "positions" ? &positions_handler
                                      : t == "readings" ? &readings_handler
                                                        : nullptr;
  if (!handler) return push_local(sub, error_frame("invalid_field", "unknown frame type \"" + t + "\""));
  if (!*handler) return push_local(sub, error_frame("not_implemented", t + " frames are not accepted here"));
  core::Result<json> answer = json();
  try {
    answer = (*handler)(frame, sub->filter);
  } catch (const std::exception& e) {
    core::log::error("stream frame handler threw", {{"type", t}, {"error", e.what()}});
    answer = core::internal_error("the frame could not be handled");
  }
  if (answer.is_ok() && answer->is_object())
    return push_local(sub, answer->dump(-1, ' ', false, json::error_handler_t::replace));
  if (!answer.is_ok()) {
    const core::Status& s = answer.status();
    json j = {{"type", "error"}, {"code", s.code() == core::Code::kInvalidArgument ? "invalid_field"
                                               : core::code_name(s.code())},
              {"message", s.message()}};
    if (!s.field().empty()) j["field"] = s.field();
    push_local(sub, j.dump(-1, ' ', false, json::error_handler_t::replace));
  }
}

StreamHub::StreamHub(StreamOptions options, EventReader reader, metrics::Registry& registry)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(reader), registry)) {}

StreamHub::~StreamHub() {
  close_all();
  impl_->catchup_pool.join();
}

void StreamHub::publish(std::span<const engine::Event> events) {
  if (events.empty()) return;
  std::vector<std::shared_ptr<Subscriber>> subs;
  {
    std::lock_guard lock(impl_->mu);
    impl_->last_published = events.back().seq;
    subs = impl_->subscribers;
  }
  if (subs.empty()) return;
  // Serialize each event once, shared by all subscribers; events without a topic are skipped.
  std::vector<FrameText> frames(events.size());
  std::vector<int> topics(events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    topics[i] = topic_index(engine::topic_of(events[i].type));
    if (topics[i] >= 0) frames[i] = event_frame(events[i]);
  }
  const size_t limit = impl_->options.queue_limit;
  size_t max_queue = 0;
  for (const auto& sub : subs) {
    bool wake = false;
    {
      std::lock_guard sl(sub->mu);
      for (size_t i = 0; i < events.size() && sub->mode != Subscriber::Mode::kClosing; ++i) {
        const auto& e = events[i];
        bool take = frames[i] && wants(*sub, e, topics[i]);
        if (sub->mode == Subscriber::Mode::kCatchingUp) {
          if (!take) continue;  // filtered out: nothing to deliver after catch-up either
          if (sub->pending.size() >= limit) {
            impl_->lag_locked(*sub);
            break;
          }
          sub->pending.emplace_back(e.seq, frames[i]);
          continue;
        }
        if (e.seq <= sub->last_seq) continue;
        if (take) {
          if (sub->queue.size() >= limit) {
            impl_->lag_locked(*sub);
            break;
          }
          sub->queue.push_back({frames[i], true});
        }
        sub->last_seq = e.seq;
      }
      max_queue = std::max(max_queue, sub->queue.size());
      wake = Impl::need_wake_locked(*sub);
    }
    if (wake && sub->wake) sub->wake();
  }
  impl_->lag_gauge->set(static_cast<double>(max_queue));
}

void StreamHub::publish_telemetry(std::string_view topic, std::string_view object_id, std::string_view jurisdiction,
                                  const json& data) {
  int t = topic_index(topic);
  if (t < 0) return;
  engine::Event probe;  // what the subscribers' filters judge: the topic and the jurisdiction
  probe.type = topic == "positions" ? "position.telemetry" : std::string(topic) + ".telemetry";
  probe.jurisdiction = std::string(jurisdiction);
  std::vector<std::shared_ptr<Subscriber>> subs;
  {
    std::lock_guard lock(impl_->mu);
    subs = impl_->subscribers;
  }
  if (subs.empty()) return;
  auto frame = std::make_shared<const std::string>(
      json{{"type", "telemetry"}, {"topic", topic}, {"data", data}}.dump(-1, ' ', false,
                                                                          json::error_handler_t::replace));
  std::string key;
  key.reserve(topic.size() + 1 + object_id.size());
  key.append(topic).push_back('\x1f');
  key.append(object_id);
  auto now = impl_->options.now();
  for (const auto& sub : subs) {
    bool wake = false;
    {
      std::lock_guard sl(sub->mu);
      if (sub->mode == Subscriber::Mode::kClosing || !(sub->topics & (1u << t))) continue;
      if (sub->filter && !sub->filter(probe)) continue;
      if (sub->queue.size() >= impl_->options.queue_limit) continue;  // telemetry is droppable
      auto [it, inserted] = sub->telemetry_sent.try_emplace(key, now);
      if (!inserted) {
        if (now - it->second < impl_->options.telemetry_min_interval) continue;
        it->second = now;
      }
      sub->queue.push_back({frame, false});
      wake = Impl::need_wake_locked(*sub);
    }
    if (wake && sub->wake) sub->wake();
  }
}

void StreamHub::set_positions_handler(ClientFrameHandler handler) { impl_->positions_handler = std::move(handler); }
void StreamHub::set_readings_handler(ClientFrameHandler handler) { impl_->readings_handler = std::move(handler); }
void StreamHub::set_authorize(Authorize authorize) { impl_->authorize = std::move(authorize); }

size_t StreamHub::subscriber_count() const {
  std::lock_guard lock(impl_->mu);
  return impl_->subscribers.size();
}

void StreamHub::close_all() {
  std::vector<std::shared_ptr<Subscriber>> subs;
  {
    std::lock_guard lock(impl_->mu);
    impl_->closed = true;
    subs = impl_->subscribers;
  }
  for (const auto& sub : subs) {
    bool wake;
    {
      std::lock_guard sl(sub->mu);
      if (sub->mode == Subscriber::Mode::kClosing) continue;
      sub->mode = Subscriber::Mode::kClosing;
      sub->pending.clear();
      sub->queue.push_back({nullptr, false});
      wake = Impl::need_wake_locked(*sub);
    }
    if (wake && sub->wake) sub->wake();
  }
}

}  // namespace liandong::api::http
