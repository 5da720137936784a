// The bytes of an answer's status line and header block, written straight into one buffer.
//
// HttpSession sends the head and the body as one gathered write. This replaced Beast's response
// serializer, which built a field list (an allocation a header) and walked it through layered
// buffer views on every answer: under load that cost more than the rest of writing an answer
// except the kernel's sendmsg (docs/BENCHMARKS.md, session 13). Requests are still read by
// Beast's parser.
#pragma once

#include <string>
#include <string_view>

#include "api/http/response.h"

namespace liandong::api::http::internal {

struct HeadOptions {
  std::string_view content_security_policy;  // set unless the response names its own
  bool strict_transport_security = false;    // on TLS: HSTS for a year, unless the response names its own
  bool close = false;                        // "Connection: close": the connection ends after this answer
};

// The status an answer goes out with: `status`, or 500 when it is not three digits (100–999).
inline int wire_status(int status) { return status >= 100 && status <= 999 ? status : 500; }

// Writes into `out` (cleared first) the head of `r` as HTTP/1.1: the status line with the standard
// reason phrase (the status as wire_status gives it), Content-Type (unless empty), the
// security headers the response does not name itself
// (X-Content-Type-Options nosniff, X-Frame-Options DENY, Referrer-Policy no-referrer,
// Content-Security-Policy, HSTS on TLS), the response's own headers in order, "Connection: close"
// when asked, Content-Length, and the blank line. Returns whether the body follows: not for 1xx,
// 204 and 304, which carry neither a body nor Content-Length (the body is then not sent).
// A response's own Content-Length, Transfer-Encoding or Connection header is left out (the length
// is the body's, and the connection's fate is `close`); a header whose name is not an HTTP token is
// left out, and control characters in a value (CR, LF, NUL and the rest but tab) become spaces, so
// no header can split the head.
bool write_response_head(std::string& out, const Response& r, const HeadOptions& o);

}  // namespace liandong::api::http::internal
