// One HTTP connection: reads a request, dispatches it, writes the answer, and repeats. One request
// at a time, so pipelined requests are answered in order. Upgrades the stream path to a WebSocket.
#pragma once

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "api/http/internal/server_core.h"
#include "api/http/request.h"
#include "api/http/responder.h"

namespace liandong::api::http::internal {

class HttpSession;

// What a Responder holds: a weak link to its session, so that a Responder kept past the server's
// life neither keeps the session (and its socket) alive nor posts into a stopped io_context.
class ResponseSlot final : public ResponseTarget {
 public:
  ResponseSlot(std::weak_ptr<HttpSession> session, std::shared_ptr<Lifeline> lifeline)
      : session_(std::move(session)), lifeline_(std::move(lifeline)) {}
  void deliver(uint64_t request_id, Response response) override;

 private:
  std::weak_ptr<HttpSession> session_;
  std::shared_ptr<Lifeline> lifeline_;
};

class HttpSession : public Closable, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ServerCore> core);
  ~HttpSession() override;

  void run();
  // Posts the answer onto the session's strand. Thread-safe.
  void post_response(uint64_t request_id, Response response);
  void begin_stop() override;
  void force_close() override;

 private:
  void do_read();
  void on_read(boost::beast::error_code ec, size_t bytes);
  void handle_request();
  bool try_upgrade();
  void on_response(uint64_t request_id, Response response);
  void write(Response response, bool close);
  void on_write(bool close, boost::beast::error_code ec, size_t bytes);
  void do_close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> res_;
  std::shared_ptr<ServerCore> core_;
  std::shared_ptr<Lifeline> lifeline_;
  std::string remote_;
  Request req_;
  uint64_t request_id_ = 0;
  bool in_flight_ = false;
  bool reading_ = false;
  bool keep_alive_ = true;
  size_t route_index_ = 0;
  std::chrono::steady_clock::time_point started_;
  // Keeps the session alive while a handler holds its Responder and no I/O is pending.
  std::shared_ptr<HttpSession> self_hold_;
};

}  // namespace liandong::api::http::internal
