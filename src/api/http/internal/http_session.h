// One HTTP connection: reads a request, dispatches it, writes the answer, and repeats. One request
// at a time, so pipelined requests are answered in order. Upgrades the stream path to a WebSocket.
// A template over the transport (PlainStream or TlsStream, instantiated in http_session.cpp).
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

// What a Responder's answer is posted to (the HTTP session, whatever its transport).
class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  // Posts the answer onto the session's strand. Thread-safe.
  virtual void post_response(uint64_t request_id, Response response) = 0;
};

// What a Responder holds: a weak link to its session, so that a Responder kept past the server's
// life neither keeps the session (and its socket) alive nor posts into a stopped io_context.
class ResponseSlot final : public ResponseTarget {
 public:
  ResponseSlot(std::weak_ptr<ResponseSink> session, std::shared_ptr<Lifeline> lifeline)
      : session_(std::move(session)), lifeline_(std::move(lifeline)) {}
  void deliver(uint64_t request_id, Response response) override;

 private:
  std::weak_ptr<ResponseSink> session_;
  std::shared_ptr<Lifeline> lifeline_;
};

template <class Stream>
class HttpSession : public Closable,
                    public ResponseSink,
                    public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  HttpSession(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ServerCore> core, Peer peer);
  ~HttpSession() override;

  void run();
  void post_response(uint64_t request_id, Response response) override;
  void begin_stop() override;
  void force_close() override;

 private:
  static Stream make_stream(boost::asio::ip::tcp::socket&& socket, ServerCore& core);
  PlainStream& tcp() { return boost::beast::get_lowest_layer(stream_); }

  void on_detect(boost::beast::error_code ec, bool is_tls);
  void on_handshake(boost::beast::error_code ec, size_t used);
  void do_read();
  void on_first_bytes(boost::beast::error_code ec, size_t bytes);
  void read_request();
  void on_read(boost::beast::error_code ec, size_t bytes);
  void handle_request();
  bool rate_limited();
  bool try_upgrade();
  void on_response(uint64_t request_id, Response response);
  void write(Response response, bool close);
  void on_write(bool close, boost::beast::error_code ec, size_t bytes);
  void do_close();
  void close_socket();

  Stream stream_;
  // The strand, kept apart from stream_ because the stream is moved out on a WebSocket upgrade.
  boost::asio::any_io_executor executor_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::string head_, body_;  // the answer being written (response_wire.h), kept until the write ends
  std::shared_ptr<ServerCore> core_;
  std::shared_ptr<Lifeline> lifeline_;
  Peer peer_;
  Request req_;
  uint64_t request_id_ = 0;
  bool in_flight_ = false;
  bool reading_ = false;
  bool keep_alive_ = true;
  bool handed_off_ = false;  // the stream went to a WebSocket session
  size_t route_index_ = 0;
  std::chrono::steady_clock::time_point started_;
  // Keeps the session alive while a handler holds its Responder and no I/O is pending.
  std::shared_ptr<HttpSession> self_hold_;
};

extern template class HttpSession<PlainStream>;
extern template class HttpSession<TlsStream>;

}  // namespace liandong::api::http::internal
