// The StreamHub's internals, shared with the server's WebSocket sessions. No Beast here either.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "api/http/stream_hub.h"

namespace liandong::api::http {

namespace internal {

using FrameText = std::shared_ptr<const std::string>;

struct Frame {
  FrameText text;      // null: the close marker (send a close frame and end)
  bool is_event = false;
};

// One stream client's state. Shared by the hub (publishing) and the session (draining).
class Subscriber {
 public:
  enum class Mode { kCatchingUp, kLive, kClosing };

  // Set by the session before the subscriber is registered; thread-safe, non-blocking: schedules
  // a drain of the queue on the session's executor.
  std::function<void()> wake;
  EventFilter filter;  // null: every event visible

  std::mutex mu;
  Mode mode = Mode::kCatchingUp;
  std::deque<Frame> queue;
  bool wake_pending = false;    // a drain is scheduled or running
  bool catchup_waiting = false; // catch-up paused until the queue drains
  bool first_read = true;
  uint64_t last_seq = 0;        // the last event handled (queued or filtered out)
  uint64_t published_at_registration = 0;
  uint32_t topics = 0;          // bit i: stream_topics()[i]
  std::vector<std::pair<uint64_t, FrameText>> pending;  // live events buffered during catch-up
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> telemetry_sent;
};

}  // namespace internal

struct StreamHub::Impl {
  Impl(StreamOptions o, EventReader r, metrics::Registry& registry);

  // Registers a subscriber (after the WebSocket handshake). `after` unset: live only. Returns
  // false when the hub is closed.
  bool connect(const std::shared_ptr<internal::Subscriber>& sub, std::optional<uint64_t> after);
  void disconnect(const std::shared_ptr<internal::Subscriber>& sub);
  // Takes the next frame to send; nullopt when the queue is empty (the drain stops).
  std::optional<internal::Frame> next_frame(const std::shared_ptr<internal::Subscriber>& sub);
  // A text frame from the client.
  void on_client_frame(const std::shared_ptr<internal::Subscriber>& sub, std::string_view text);

  void catch_up(std::shared_ptr<internal::Subscriber> sub);
  // Queue a frame outside the event flow (error frames); wakes the session.
  void push_local(const std::shared_ptr<internal::Subscriber>& sub, std::string text);
  // With sub->mu held: enqueue the lagging frame and the close marker.
  void lag_locked(internal::Subscriber& sub);
  // With sub->mu held: whether the session must be woken (sets wake_pending).
  static bool need_wake_locked(internal::Subscriber& sub);

  StreamOptions options;
  EventReader reader;
  ClientFrameHandler positions_handler, readings_handler;
  Authorize authorize;

  mutable std::mutex mu;
  std::vector<std::shared_ptr<internal::Subscriber>> subscribers;
  uint64_t last_published = 0;
  bool closed = false;

  metrics::Gauge* subscribers_gauge;
  metrics::Gauge* lag_gauge;
  metrics::Counter* lagging_total;

  boost::asio::thread_pool catchup_pool{1};
};

}  // namespace liandong::api::http
