// One live-stream WebSocket: drains its subscriber's queue one async_write at a time, reads
// client frames and hands them to the hub. A client message over ws_message_limit closes the
// connection with 1009. A template over the transport (PlainStream or TlsStream).
#pragma once

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <memory>
#include <optional>

#include "api/http/internal/server_core.h"
#include "api/http/internal/stream_hub_impl.h"

namespace liandong::api::http::internal {

template <class Stream>
class WsSession : public Closable, public std::enable_shared_from_this<WsSession<Stream>> {
 public:
  // Takes over an HTTP connection's stream (after its upgrade request) and its peer's slot.
  WsSession(Stream&& stream, std::shared_ptr<ServerCore> core, EventFilter filter, std::optional<uint64_t> after,
            Peer peer);
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

  boost::beast::websocket::stream<Stream> ws_;
  boost::beast::flat_buffer read_buffer_;
  std::shared_ptr<ServerCore> core_;
  StreamHub::Impl& hub_;
  std::shared_ptr<Subscriber> sub_;
  std::optional<uint64_t> after_;
  Peer peer_;  // after core_: its slot is released while the core is still there
  Frame current_;
  bool writing_ = false;
  bool closing_ = false;
  bool connected_ = false;
};

extern template class WsSession<PlainStream>;
extern template class WsSession<TlsStream>;

}  // namespace liandong::api::http::internal
