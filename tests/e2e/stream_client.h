// A WebSocket client of the node's live stream (/api/v1/stream) for the whole-system tests: the
// upgrade request carries any headers (Authorization: Bearer ...), a refused upgrade is reported
// with its HTTP status rather than thrown, and every read gives up after a deadline.
//
// Not thread-safe: one thread per client.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "http_client.h"

namespace liandong::e2e {

class StreamClient {
 public:
  // Connects to 127.0.0.1:port and upgrades `target` with `headers` on the request. Never throws:
  // check open().
  StreamClient(uint16_t port, const std::string& target, const Headers& headers = {},
               std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~StreamClient();
  StreamClient(const StreamClient&) = delete;
  StreamClient& operator=(const StreamClient&) = delete;

  // True when the upgrade was accepted.
  bool open() const;
  // When the upgrade was refused with an HTTP answer: its status and body (0 and "" otherwise).
  int refused_status() const;
  const std::string& refused_body() const;
  // Why the connection or upgrade failed ("" when open).
  const std::string& error() const;

  // The next text frame; nullopt on close, error or when nothing came within `timeout`.
  std::optional<std::string> read(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  bool timed_out() const;
  // True when the last read ended because the server sent a close frame.
  bool closed_normally() const;
  // The code of the server's close frame (after closed_normally()).
  uint16_t close_code() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace liandong::e2e
