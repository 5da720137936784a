// Webhook delivery: the values the module is given (subscribers, publications) and keeps
// (deliveries).
//
// A Publication is one published alert, identified by the journal seq of its publish event; it is
// delivered to each subscriber it names, one Delivery per (subscriber, publication). The caller
// decides which subscribers an alert matches; this module only delivers. Plain values, copyable,
// thread-compatible.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace liandong::webhooks {

struct Subscriber {
  std::string id;      // stable; letters, digits and "-_.:", at most 128 (it names deliveries)
  std::string url;     // http://host[:port]/path[?query] or https://... (TLS, certificate checked)
  std::string secret;  // shared HMAC key; must not be empty
  core::Millis max_age{std::chrono::hours(24)};  // older undelivered deliveries go dead
  bool enabled = true;
};

struct Publication {
  uint64_t seq = 0;  // journal seq of the publish event: the delivery order; > 0
  std::string alert_id;
  std::string body;  // CAP XML
  std::string content_type = "application/cap+xml";
  core::Timestamp published_at{};
  std::vector<std::string>
      subscriber_ids;  // the subscribers it matches (filtering is the caller's)
};

enum class DeliveryState { kPending, kDelivered, kDead };

// "pending", "delivered", "dead".
const char* state_name(DeliveryState state);
// The inverse of state_name; kInvalidArgument naming `field` for anything else.
core::Result<DeliveryState> parse_state(std::string_view text, std::string_view field = "state");

struct Delivery {
  std::string delivery_id;  // "<subscriber id>.<seq>": stable, unique per (subscriber, publication)
  std::string subscriber_id, alert_id;
  uint64_t seq = 0;
  DeliveryState state = DeliveryState::kPending;
  int attempts = 0;        // requests whose outcome was recorded (reset by an operator retry)
  std::string last_error;  // the last failed attempt's error (kept once delivered), "" when none
  core::Timestamp created_at{}, next_attempt_at{};
  std::optional<core::Timestamp> delivered_at;
  std::string dead_reason;                    // why it is dead ("" unless dead)
  core::Timestamp published_at{};             // as given in the Publication
  std::optional<core::Timestamp> retried_at;  // the last operator retry; its age counts from here
};

// The delivery id of (subscriber, seq): "<subscriber id>.<seq>".
std::string delivery_id_for(std::string_view subscriber_id, uint64_t seq);

// Checks a subscriber id: kInvalidArgument naming `field` when empty, longer than 128 or holding
// other characters than letters, digits and "-_.:".
core::Status check_subscriber_id(std::string_view id, std::string_view field = "id");

// Checks a subscriber: its id, its URL (scheme http or https, a host, a port 1-65535 when given,
// no user info or fragment), a non-empty secret and max_age > 0. kInvalidArgument naming the field
// (prefixed by `prefix`, e.g. "subscribers[2]."), never throws.
core::Status check_subscriber(const Subscriber& subscriber, std::string_view prefix = "");

}  // namespace liandong::webhooks
