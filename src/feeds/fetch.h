// fetch: one HTTP(S) GET with an overall deadline, over Boost.Beast — for reading outside CAP feeds.
//
// Resolves, connects, does the TLS handshake for https (the peer's certificate and host name are
// checked against the system's trust store), sends the request, reads the answer (at most
// `max_body` bytes of body), closes. Redirects (301, 302, 303, 307, 308) are followed up to 3 times.
// Blocking; thread-safe (no shared state beyond the TLS context each call makes).
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace liandong::feeds {

struct FetchResult {
  int status = 0;
  std::string content_type;
  std::string body;
};

struct FetchOptions {
  core::Millis timeout{10000};  // the whole exchange, redirects included
  size_t max_body = 8 * 1024 * 1024;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Host, User-Agent
};

// The answer (any status), or kInvalidArgument for a URL that is not http(s)://host[:port]/path,
// kUnavailable when the server cannot be reached or the exchange fails, kTimeout past the deadline,
// kTooLarge for a body over max_body.
core::Result<FetchResult> fetch(const std::string& url, const FetchOptions& options = {});

}  // namespace liandong::feeds
