// One HTTP(S) POST with an overall deadline, over Boost.Beast: resolve (skipped for IP
// literals), connect, TLS handshake for https (peer certificate and host name checked), write,
// read the answer (headers and at most the first 64 KiB of body), close. Connection: close — one
// connection a request.
//
// Runs on the executor it is given (a lane's strand); `done` runs once on it with the result,
// unless the io_context is stopped first, in which case the request is abandoned and `done` never
// runs. Nothing else is shared.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/time.h"
#include "webhooks/internal/policy.h"
#include "webhooks/internal/url.h"

namespace liandong::webhooks::internal {

struct PostRequest {
  Url url;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Host, Content-Length
  std::string body;
  core::Millis timeout{10000};  // the whole exchange, from resolving to the last byte read
};

using PostDone = std::function<void(PostResult)>;

// `tls` is used for https URLs and must outlive the request; may be null when the URL is http.
void start_post(const boost::asio::any_io_executor& executor, boost::asio::ssl::context* tls,
                PostRequest request, PostDone done);

}  // namespace liandong::webhooks::internal
