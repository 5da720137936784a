// StreamHub: the live stream's shared state (docs/API.md "The live stream").
//
// The engine's committer calls publish() after each commit; each WebSocket subscriber gets the
// events of its topics (and that it may see) in seq order. A client connecting with after=N first
// catches up from the journal through the EventReader, then switches to live events, with no gap
// and no duplicate. publish() never blocks on a client: each subscriber has a bounded queue, and a
// subscriber that would overflow it is sent {"type":"lagging","resume_after":N} (N = the last
// event it was queued) and closed.
//
// Telemetry (publish_telemetry) is thinned per subscriber and object: at most one frame per
// telemetry_min_interval; frames arriving sooner are dropped (not delayed).
//
// Ownership: the hub must outlive the Server using it. Thread-safety: every public member is
// thread-safe. publish() must be called by one thread at a time, in seq order.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/http/request.h"
#include "core/status.h"
#include "engine/event.h"
#include "metrics/registry.h"

namespace liandong::api::http {

// Reads committed events with seq > after, ascending, at most `limit`. Called from the hub's own
// catch-up thread, concurrently with publish().
using EventReader = std::function<core::Result<std::vector<engine::Event>>(uint64_t after, size_t limit)>;

// Which events one subscriber may see.
using EventFilter = std::function<bool(const engine::Event&)>;
// A filter asked with an Event of this type answers whether the subscriber holds the permission
// named in data["permission"] over the event's jurisdiction (e.g. to send position fixes).
inline constexpr const char* kPermissionProbe = "stream.permission_probe";

struct StreamOptions {
  size_t queue_limit = 8192;  // frames queued per subscriber before it is lagging
  std::chrono::milliseconds telemetry_min_interval{1000};
  size_t page_size = 1000;  // events per EventReader call while catching up
  // Time source for telemetry thinning (tests pass a fake); default steady_clock::now.
  std::function<std::chrono::steady_clock::time_point()> now;
};

// The topics of the contract, in DESIGN.md order.
const std::vector<std::string>& stream_topics();

class StreamHub {
 public:
  StreamHub(StreamOptions options, EventReader reader, metrics::Registry& registry);
  ~StreamHub();  // close_all(), then waits for its catch-up thread
  StreamHub(const StreamHub&) = delete;
  StreamHub& operator=(const StreamHub&) = delete;

  // Committed events, in seq order, from the engine's committer. Serializes each event once.
  void publish(std::span<const engine::Event> events);

  // {"type":"telemetry","topic","data"} to subscribers of `topic` whose filter lets an event of
  // `jurisdiction` of that topic through (a pseudo-event of type "<head>.telemetry": "position"
  // for the positions topic), thinned per `object_id`.
  void publish_telemetry(std::string_view topic, std::string_view object_id, std::string_view jurisdiction,
                         const nlohmann::json& data);

  // Client frames {"type":"positions",...} / {"type":"readings",...} go to these (the whole frame
  // and the sender's filter, which answers permission probes: see kPermissionProbe); a non-ok
  // Result is answered with an error frame, an object result is sent back as a frame. Unset: error
  // frame `not_implemented`. Set before the Server starts.
  using ClientFrameHandler =
      std::function<core::Result<nlohmann::json>(const nlohmann::json& frame, const EventFilter& sender)>;
  void set_positions_handler(ClientFrameHandler handler);
  void set_readings_handler(ClientFrameHandler handler);

  // Called with the upgrade request of each new stream; returns the subscriber's visibility
  // filter, or a non-ok Status to refuse the upgrade (mapped by status_response). Unset: every
  // event visible. Set before the Server starts.
  using Authorize = std::function<core::Result<EventFilter>(const Request& request)>;
  void set_authorize(Authorize authorize);

  size_t subscriber_count() const;

  // Closes every subscriber (queued frames are still sent, then a close frame). For shutdown.
  void close_all();

  struct Impl;
  Impl& impl() { return *impl_; }  // for the server's WebSocket sessions

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace liandong::api::http
