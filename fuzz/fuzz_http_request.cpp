// fuzz_http_request: raw bytes as they arrive on a connection → Beast's request parser, with the
// server's limits → api::http::Request, as HttpSession::handle_request builds it → Router::dispatch
// on every /api/v1 route (fuzz/world.h).
//
// Input: byte 0 chooses who asks: even, nobody (anonymous unless the request carries credentials);
// odd, an API key, as an `Authorization: Bearer` header put in front of the request's own, bits
// 1–2 picking the supervisor's (0 or 3), the administrator's (1) or the auditor's (2);
// the rest is the connection's bytes: up to kMaxRequests pipelined requests, each answered before
// the next is parsed, as the server does.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/http/request.h"
#include "api/http/response.h"
#include "api/http/server.h"
#include "world.h"

namespace {

namespace bhttp = boost::beast::http;
using liandong::api::http::Request;
using liandong::fuzz::As;

constexpr int kMaxRequests = 8;
const liandong::api::http::ServerOptions kServerDefaults;  // the limits and stream path served

// Parses one request from the front of `rest` (consuming it). False when the connection would be
// closed without dispatching anything more: a malformed request or limit (answered 400/413/431 by
// the server, which then closes) or bytes that end mid-request (the client went away).
bool parse_one(std::string_view& rest, bhttp::request_parser<bhttp::string_body>& parser) {
  parser.body_limit(kServerDefaults.body_limit);
  parser.header_limit(static_cast<uint32_t>(kServerDefaults.header_limit));
  boost::beast::error_code ec;
  while (!parser.is_done()) {
    size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
    rest.remove_prefix(used);
    if (ec == bhttp::error::need_more) {
      if (used == 0) return false;  // no more bytes will come
      ec = {};
      continue;
    }
    if (ec || used == 0) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr As kKeys[] = {As::kSupervisor, As::kAdministrator, As::kAuditor,
                                 As::kSupervisor};
  As who = (data[0] & 1) == 0 ? As::kAnonymous : kKeys[(data[0] >> 1) & 3];
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto& world = liandong::fuzz::world_for_input();

  for (int n = 0; n < kMaxRequests && !rest.empty(); ++n) {
    bhttp::request_parser<bhttp::string_body> parser;
    if (!parse_one(rest, parser)) return 0;
    auto& msg = parser.get();

    // As HttpSession::handle_request.
    Request req;
    req.method = std::string(msg.method_string());
    std::string_view target(msg.target().data(), msg.target().size());
    auto qpos = target.find('?');
    auto raw_path = target.substr(0, qpos);
    auto path = liandong::api::http::url_decode(raw_path, false);
    if (!path || raw_path.empty() || raw_path.front() != '/') return 0;  // 400, connection closed
    req.path = std::move(*path);
    bool keep_alive = msg.keep_alive();
    if (qpos != std::string_view::npos &&
        !liandong::api::http::parse_query(target.substr(qpos + 1), req.query)) {
      if (!keep_alive) return 0;
      continue;  // 400 invalid_query, the connection goes on
    }
    for (const auto& f : msg)
      req.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    req.body = std::move(msg.body());
    req.remote = "127.0.0.1:40000";
    if (req.path == kServerDefaults.stream_path && req.method == "GET")
      return 0;  // the WebSocket upgrade: not here

    world.authenticate(req, who);
    world.dispatch(req);
    if (!keep_alive) return 0;
  }
  return 0;
}
