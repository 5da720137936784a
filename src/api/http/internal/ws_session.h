// One live-stream WebSocket: drains its subscriber's queue one async_write at a time, reads
// client frames and hands them to the hub.
#pragma once

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <memory>
#include <optional>

#include "api/http/internal/server_core.h"
#include "api/http/internal/stream_hub_impl.h"

namespace liandong::api::http::internal {

class WsSession : public Closable, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ServerCore> core, EventFilter filter,
            std::optional<uint64_t> after);
  ~WsSession() override;

  // Completes the handshake for `upgrade` and starts streaming.
  void run(boost::beast::http::request<boost::beast::http::string_body> upgrade);
  void begin_stop() override;  // the hub's close_all() does the work
  void force_close() override;

 private:
  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec, size_t bytes);
  void drain();
  void on_write(boost::beast::error_code ec, size_t bytes);
  void on_close(boost::beast::error_code ec);
  void finish();

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer read_buffer_;
  std::shared_ptr<ServerCore> core_;
  StreamHub::Impl& hub_;
  std::shared_ptr<Subscriber> sub_;
  std::optional<uint64_t> after_;
  Frame current_;
  bool writing_ = false;
  bool closing_ = false;
  bool connected_ = false;
};

}  // namespace liandong::api::http::internal
