// The subscriber URLs the deliverer accepts: http://host[:port]/path[?query] and https://...
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace liandong::webhooks::internal {

struct Url {
  bool tls = false;
  std::string host;         // a name, an IPv4 address or an IPv6 address without brackets
  uint16_t port = 0;        // the scheme's default when not given
  std::string target;       // path and query, "/" when the URL has no path
  std::string host_header;  // Host header value: host, [v6] and ":port" when not the default
};

// kInvalidArgument naming `field` and saying what is wrong (scheme, host, port, user info,
// fragment, spaces or control characters).
core::Result<Url> parse_url(std::string_view text, std::string_view field = "url");

}  // namespace liandong::webhooks::internal
