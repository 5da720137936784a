// Webhook request signatures: HMAC-SHA256 over "<timestamp>.<body>" with the subscriber's shared
// secret, sent as `X-Liandong-Signature: sha256=<lower-case hex>` beside
// `X-Liandong-Timestamp: <unix seconds>`. docs/WEBHOOKS.md shows how a receiver checks one.
//
// Pure functions, thread-safe, no shared state.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace liandong::webhooks {

inline constexpr std::string_view kDeliveryHeader = "X-Liandong-Delivery";
inline constexpr std::string_view kAlertHeader = "X-Liandong-Alert";
inline constexpr std::string_view kTimestampHeader = "X-Liandong-Timestamp";
inline constexpr std::string_view kSignatureHeader = "X-Liandong-Signature";

// "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body)).
std::string sign(std::string_view secret, std::string_view timestamp, std::string_view body);

// Checks a received request's signature header against secret, timestamp header and body, in
// constant time. kUnauthenticated when it does not match; kInvalidArgument when the signature
// header is not "sha256=<64 hex digits>" or the timestamp is not a decimal number of seconds.
core::Status verify_signature(std::string_view secret, std::string_view timestamp,
                              std::string_view body, std::string_view signature);

// As above, and also kUnauthenticated when the timestamp is further than `tolerance` from `now`
// (a replayed or badly delayed request). Receivers should use this form.
core::Status verify_signature(std::string_view secret, std::string_view timestamp,
                              std::string_view body, std::string_view signature,
                              core::Timestamp now, core::Millis tolerance);

}  // namespace liandong::webhooks
