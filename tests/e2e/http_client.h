// A small blocking HTTP/1.1 client over loopback for the whole-system tests: one keep-alive
// connection, any headers (with a default set sent on every request, e.g. Authorization), a
// deadline on every exchange, and errors returned rather than thrown (a node killed mid-request is
// an expected outcome in these tests).
//
// Not thread-safe: one thread per connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace liandong::e2e {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResult {
  std::string error;  // non-empty: no complete answer (connect, write or read failed, or timed out)
  int status = 0;
  std::string body;
  std::string content_type;
  Headers headers;  // every response header, in order

  // The first value of header `name` (case-insensitive), or "".
  std::string header(std::string_view name) const;

  bool answered() const { return error.empty(); }
  bool ok() const { return answered() && status >= 200 && status < 300; }
  // The body as JSON (discarded value when it is not JSON).
  nlohmann::json json() const;
  // "201 {...}" or "error: ..." for messages.
  std::string describe() const;
};

class HttpConnection {
 public:
  explicit HttpConnection(uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // With `default_headers` sent on every request (e.g. {{"Authorization", "Bearer KEY"}}).
  HttpConnection(uint16_t port, Headers default_headers, std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Replaces the headers sent on every request.
  void set_default_headers(Headers headers);
  const Headers& default_headers() const;

  // Sends one request and reads its answer. Connects (again) when not connected; after an error the
  // connection is closed and the next request reconnects. `headers` are sent after the defaults and
  // replace a default of the same name; an empty value removes it (e.g. {"Authorization", ""}).
  HttpResult request(const std::string& method, const std::string& target, const std::string& body = {},
                     const Headers& headers = {});
  HttpResult get(const std::string& target, const Headers& headers = {}) {
    return request("GET", target, {}, headers);
  }
  HttpResult post(const std::string& target, const nlohmann::json& body, const Headers& headers = {}) {
    return request("POST", target, body.dump(), headers);
  }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace liandong::e2e
