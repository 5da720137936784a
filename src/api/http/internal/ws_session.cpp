#include "api/http/internal/ws_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/ssl.hpp>

namespace liandong::api::http::internal {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
namespace net = boost::asio;

template <class Stream>
WsSession<Stream>::WsSession(Stream&& stream, std::shared_ptr<ServerCore> core, EventFilter filter,
                             std::optional<uint64_t> after, Peer peer)
    : ws_(std::move(stream)),
      core_(std::move(core)),
      hub_(core_->hub->impl()),
      sub_(std::make_shared<Subscriber>()),
      after_(after),
      peer_(std::move(peer)) {
  sub_->filter = std::move(filter);
}

template <class Stream>
WsSession<Stream>::~WsSession() {
  if (connected_) hub_.disconnect(sub_);
  core_->remove_session(this);
}

template <class Stream>
void WsSession<Stream>::run(beast::http::request<beast::http::string_body> upgrade) {
  beast::get_lowest_layer(ws_).expires_never();  // the WebSocket keeps its own timeouts
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.read_message_max(core_->options.ws_message_limit);
  auto self = this->shared_from_this();
  auto holder = std::make_shared<beast::http::request<beast::http::string_body>>(std::move(upgrade));
  net::dispatch(ws_.get_executor(), [self, holder] {
    self->ws_.async_accept(*holder, [self, holder](beast::error_code ec) { self->on_accept(ec); });
  });
}

template <class Stream>
void WsSession<Stream>::on_accept(beast::error_code ec) {
  if (ec) return;
  // The hub calls wake from any thread; it must neither keep the session alive nor post into an
  // io_context that has gone.
  std::weak_ptr<WsSession> weak = this->shared_from_this();
  auto lifeline = core_->lifeline;
  sub_->wake = [weak, lifeline] {
    std::lock_guard lock(lifeline->mu);
    if (!lifeline->alive) return;
    if (auto self = weak.lock()) net::post(self->ws_.get_executor(), [self] { self->drain(); });
  };
  if (!hub_.connect(sub_, after_)) {
    closing_ = true;
    ws_.async_close(websocket::close_code::going_away,
                    beast::bind_front_handler(&WsSession::on_close, this->shared_from_this()));
    return;
  }
  connected_ = true;
  do_read();
}

template <class Stream>
void WsSession<Stream>::do_read() {
  ws_.async_read(read_buffer_, beast::bind_front_handler(&WsSession::on_read, this->shared_from_this()));
}

template <class Stream>
void WsSession<Stream>::on_read(beast::error_code ec, size_t) {
  if (ec) {  // closed by the client, by us, or broken; Beast has already sent 1009 for too_big
    if (ec == websocket::error::message_too_big) core_->refused(Refusal::kWsMessageTooLarge, peer_.host);
    return finish();
  }
  if (ws_.got_text()) {
    auto data = read_buffer_.cdata();
    hub_.on_client_frame(sub_, std::string_view(static_cast<const char*>(data.data()), data.size()));
  } else {
    hub_.push_local(sub_, R"({"type":"error","code":"malformed_json","message":"frames must be text"})");
  }
  read_buffer_.consume(read_buffer_.size());
  do_read();
}

template <class Stream>
void WsSession<Stream>::drain() {
  if (writing_ || closing_) return;
  auto frame = hub_.next_frame(sub_);
  if (!frame) return;
  current_ = std::move(*frame);
  if (!current_.text) {
    closing_ = true;
    ws_.async_close(websocket::close_code::normal,
                    beast::bind_front_handler(&WsSession::on_close, this->shared_from_this()));
    return;
  }
  writing_ = true;
  ws_.text(true);
  ws_.async_write(net::buffer(*current_.text),
                  beast::bind_front_handler(&WsSession::on_write, this->shared_from_this()));
}

template <class Stream>
void WsSession<Stream>::on_write(beast::error_code ec, size_t) {
  writing_ = false;
  current_ = {};
  if (ec) return finish();
  drain();
}

template <class Stream>
void WsSession<Stream>::on_close(beast::error_code) {
  // The pending read completes with `closed` once the peer answers the close; finish() then.
}

template <class Stream>
void WsSession<Stream>::finish() {
  if (connected_) {
    connected_ = false;
    hub_.disconnect(sub_);
  }
  beast::error_code ec;
  beast::get_lowest_layer(ws_).socket().close(ec);
}

template <class Stream>
void WsSession<Stream>::begin_stop() {}

template <class Stream>
void WsSession<Stream>::force_close() {
  net::post(ws_.get_executor(), [self = this->shared_from_this()] {
    beast::error_code ec;
    beast::get_lowest_layer(self->ws_).socket().close(ec);
  });
}

template class WsSession<PlainStream>;
template class WsSession<TlsStream>;

}  // namespace liandong::api::http::internal
