#include "api/http/internal/http_session.h"

#include <algorithm>
#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <charconv>

#include "api/http/internal/response_wire.h"
#include "api/http/internal/ws_session.h"
#include "api/http/stream_hub.h"

namespace liandong::api::http::internal {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

namespace {

constexpr size_t kFirstRead = 4096;
// How long a TLS close waits for the client's close_notify before the socket is closed anyway.
constexpr std::chrono::milliseconds kTlsShutdownWait{2000};

// The whole answer to a plain HTTP request on a TLS port: the client can read nothing else.
const std::string& tls_required_answer() {
  static const std::string kAnswer = [] {
    std::string body =
        R"j({"code":"tls_required","message":"this port speaks HTTPS only: use https:// (and wss:// for the stream)"})j";
    return "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\nConnection: close\r\nX-Content-Type-Options: nosniff\r\n\r\n" + body;
  }();
  return kAnswer;
}

}  // namespace

void ResponseSlot::deliver(uint64_t request_id, Response response) {
  std::lock_guard lock(lifeline_->mu);
  if (!lifeline_->alive) return;
  if (auto s = session_.lock()) s->post_response(request_id, std::move(response));
}

template <class Stream>
Stream HttpSession<Stream>::make_stream(net::ip::tcp::socket&& socket, ServerCore& core) {
  if constexpr (kTls) {
    return Stream(std::move(socket), *core.tls);
  } else {
    return Stream(std::move(socket));
  }
}

template <class Stream>
HttpSession<Stream>::HttpSession(net::ip::tcp::socket&& socket, std::shared_ptr<ServerCore> core, Peer peer)
    : stream_(make_stream(std::move(socket), *core)),
      executor_(tcp().get_executor()),
      core_(std::move(core)),
      lifeline_(core_->lifeline),
      peer_(std::move(peer)) {}

template <class Stream>
HttpSession<Stream>::~HttpSession() {
  core_->remove_session(this);
}

template <class Stream>
void HttpSession<Stream>::run() {
  net::dispatch(executor_, [self = this->shared_from_this()] {
    if constexpr (kTls) {
      // Look at the first bytes: a plain HTTP request gets a plain answer rather than a TLS alert.
      self->tcp().expires_after(self->core_->options.request_timeout);
      self->reading_ = true;
      beast::async_detect_ssl(self->tcp(), self->buffer_, beast::bind_front_handler(&HttpSession::on_detect, self));
    } else {
      self->do_read();
    }
  });
}

template <class Stream>
void HttpSession<Stream>::on_detect(beast::error_code ec, bool is_tls) {
  if constexpr (kTls) {
    reading_ = false;
    if (ec) {
      if (ec == beast::error::timeout) core_->refused(Refusal::kTlsHandshake, peer_.host);
      return close_socket();
    }
    if (!is_tls) {
      core_->refused(Refusal::kTlsHandshake, peer_.host);
      tcp().expires_after(core_->options.request_timeout);
      net::async_write(tcp(), net::buffer(tls_required_answer()),
                       [self = this->shared_from_this()](beast::error_code, size_t) { self->close_socket(); });
      return;
    }
    tcp().expires_after(core_->options.request_timeout);
    reading_ = true;
    stream_.async_handshake(net::ssl::stream_base::server, buffer_.data(),
                            beast::bind_front_handler(&HttpSession::on_handshake, this->shared_from_this()));
  }
}

template <class Stream>
void HttpSession<Stream>::on_handshake(beast::error_code ec, size_t used) {
  if constexpr (kTls) {
    reading_ = false;
    if (ec) {
      core_->refused(Refusal::kTlsHandshake, peer_.host);
      return close_socket();
    }
    buffer_.consume(used);
    do_read();
  }
}

template <class Stream>
void HttpSession<Stream>::do_read() {
  if (core_->stopping.load()) return do_close();
  parser_.emplace();
  route_index_ = Router::kUnmatched;  // what a refusal before dispatch is counted under
  parser_->body_limit(core_->options.body_limit);
  parser_->header_limit(static_cast<uint32_t>(std::min<size_t>(core_->options.header_limit, UINT32_MAX)));
  reading_ = true;
  if (buffer_.size() > 0) return read_request();  // a pipelined request is already here
  // Idle until the first byte of the next request; from then on the request deadline runs.
  tcp().expires_after(core_->options.idle_timeout);
  stream_.async_read_some(buffer_.prepare(kFirstRead),
                          beast::bind_front_handler(&HttpSession::on_first_bytes, this->shared_from_this()));
}

template <class Stream>
void HttpSession<Stream>::on_first_bytes(beast::error_code ec, size_t bytes) {
  if (ec) {  // idle timeout, the client went away, or stop()
    reading_ = false;
    return do_close();
  }
  buffer_.commit(bytes);
  read_request();
}

template <class Stream>
void HttpSession<Stream>::read_request() {
  tcp().expires_after(core_->options.request_timeout);
  bhttp::async_read(stream_, buffer_, *parser_,
                    beast::bind_front_handler(&HttpSession::on_read, this->shared_from_this()));
}

template <class Stream>
void HttpSession<Stream>::on_read(beast::error_code ec, size_t) {
  reading_ = false;
  if (ec == beast::error::timeout) {
    core_->refused(Refusal::kRequestTimeout, peer_.host);
    return do_close();
  }
  if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted ||
      ec == net::error::connection_reset || ec == net::error::eof || ec == bhttp::error::partial_message)
    return do_close();
  if (ec == bhttp::error::body_limit) {
    core_->refused(Refusal::kBodyTooLarge, peer_.host);
    in_flight_ = true;
    return write(error_response(413, "too_large", "the body is over the limit of " +
                                                      std::to_string(core_->options.body_limit) + " bytes"),
                 true);
  }
  if (ec == bhttp::error::header_limit) {
    core_->refused(Refusal::kHeaderTooLarge, peer_.host);
    in_flight_ = true;
    return write(error_response(431, "too_large", "the request headers are over the limit of " +
                                                      std::to_string(core_->options.header_limit) + " bytes"),
                 true);
  }
  if (ec) {
    if (ec.category() != bhttp::make_error_code(bhttp::error::bad_method).category()) return do_close();
    core_->refused(Refusal::kMalformed, peer_.host);
    in_flight_ = true;
    return write(error_response(400, "malformed_request", "malformed HTTP request: " + ec.message()), true);
  }
  tcp().expires_never();
  handle_request();
}

template <class Stream>
void HttpSession<Stream>::handle_request() {
  auto& msg = parser_->get();
  started_ = std::chrono::steady_clock::now();
  keep_alive_ = msg.keep_alive();
  in_flight_ = true;
  route_index_ = Router::kUnmatched;

  req_ = Request{};
  req_.method = std::string(msg.method_string());
  if (rate_limited()) return;
  std::string_view target(msg.target().data(), msg.target().size());
  auto qpos = target.find('?');
  auto raw_path = target.substr(0, qpos);
  auto path = url_decode(raw_path, false);
  if (!path || raw_path.empty() || raw_path.front() != '/')
    return write(error_response(400, "malformed_request", "the request target is not a valid path"), true);
  req_.path = std::move(*path);
  if (qpos != std::string_view::npos && !parse_query(target.substr(qpos + 1), req_.query))
    return on_response(request_id_, error_response(400, "invalid_query", "the query string has a bad escape"));
  req_.headers.reserve(std::distance(msg.begin(), msg.end()));
  for (const auto& f : msg) req_.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  req_.body = std::move(msg.body());
  req_.remote = peer_.remote;

  if (core_->hub && req_.path == core_->options.stream_path && req_.method == "GET") {
    try_upgrade();
    return;
  }
  ++request_id_;
  self_hold_ = this->shared_from_this();
  route_index_ = core_->router.dispatch(
      req_, Responder(std::make_shared<ResponseSlot>(std::weak_ptr<ResponseSink>(this->shared_from_this()), lifeline_),
                      request_id_));
}

// Takes a token for the peer's address; when there is none, answers 429 and returns true.
template <class Stream>
bool HttpSession<Stream>::rate_limited() {
  if (peer_.exempt || !core_->limiter) return false;
  auto d = core_->limiter->take(peer_.host);
  if (d) return false;
  core_->refused(Refusal::kRateLimited, peer_.host);
  auto seconds = std::to_string(d.retry_after_seconds());
  on_response(request_id_,
              error_response(429, "rate_limited", "too many requests from this address; retry after " + seconds + " s")
                  .with_header("Retry-After", seconds));
  return true;
}

// Validates the stream request, asks the hub's authorize hook, and hands the stream to a
// WebSocket session. Returns true when the stream was handed over; otherwise an answer is written.
template <class Stream>
bool HttpSession<Stream>::try_upgrade() {
  if (!beast::websocket::is_upgrade(parser_->get())) {
    on_response(request_id_, error_response(426, "upgrade_required", "the stream is a WebSocket")
                                 .with_header("Upgrade", "websocket"));
    return false;
  }
  std::optional<uint64_t> after;
  if (auto a = req_.query_param("after")) {
    uint64_t v = 0;
    auto [p, err] = std::from_chars(a->data(), a->data() + a->size(), v);
    if (a->empty() || err != std::errc() || p != a->data() + a->size()) {
      on_response(request_id_, error_response(400, "invalid_query", "after must be a journal seq", "after"));
      return false;
    }
    after = v;
  }
  auto& hub = core_->hub->impl();
  EventFilter filter;
  if (hub.authorize) {
    auto r = hub.authorize(req_);
    if (!r) {
      on_response(request_id_, status_response(r.status()));
      return false;
    }
    filter = std::move(*r);
  }
  route_index_ = Router::kUnmatched;
  core_->metrics->record(Router::kUnmatched, "GET", 101,
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
  in_flight_ = false;
  auto ws = std::make_shared<WsSession<Stream>>(std::move(stream_), core_, std::move(filter), after, std::move(peer_));
  handed_off_ = true;
  // Registered before this session leaves, so that stop() never sees neither.
  core_->add_session(ws.get(), ws);
  core_->remove_session(this);
  ws->run(parser_->release());
  return true;
}

template <class Stream>
void HttpSession<Stream>::post_response(uint64_t request_id, Response response) {
  net::post(executor_, [self = this->shared_from_this(), request_id, r = std::move(response)]() mutable {
    self->on_response(request_id, std::move(r));
  });
}

template <class Stream>
void HttpSession<Stream>::on_response(uint64_t request_id, Response response) {
  if (handed_off_ || !in_flight_ || request_id != request_id_) return;  // stale (e.g. after force_close)
  write(std::move(response), !keep_alive_ || core_->stopping.load());
}

template <class Stream>
void HttpSession<Stream>::write(Response response, bool close) {
  response.status = wire_status(response.status);  // what goes out, and what the metrics count
  // The console's files get the policy it works under; API answers are never a page to render.
  HeadOptions head{.content_security_policy = route_index_ == Router::kStatic
                                                  ? std::string_view(core_->options.content_security_policy)
                                                  : "default-src 'none'; frame-ancestors 'none'",
                   .strict_transport_security = kTls,
                   .close = close};
  bool with_body = write_response_head(head_, response, head);
  body_ = with_body ? std::move(response.body) : std::string();
  core_->metrics->record(route_index_, req_.method, response.status,
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
  tcp().expires_after(core_->options.request_timeout);  // a client that never reads is dropped
  std::array<net::const_buffer, 2> wire{net::buffer(head_), net::buffer(body_)};
  net::async_write(stream_, wire, beast::bind_front_handler(&HttpSession::on_write, this->shared_from_this(), close));
}

template <class Stream>
void HttpSession<Stream>::on_write(bool close, beast::error_code ec, size_t) {
  in_flight_ = false;
  std::string().swap(body_);  // a large answer (an export) is not kept while the connection idles
  self_hold_.reset();
  if (ec || close) return do_close();
  do_read();
}

template <class Stream>
void HttpSession<Stream>::do_close() {
  self_hold_.reset();
  if constexpr (kTls) {
    if (tcp().socket().is_open()) {
      tcp().expires_after(std::min<std::chrono::milliseconds>(core_->options.request_timeout, kTlsShutdownWait));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) { self->close_socket(); });
      return;
    }
  }
  close_socket();
}

template <class Stream>
void HttpSession<Stream>::close_socket() {
  self_hold_.reset();
  if (handed_off_) return;
  beast::error_code ec;
  tcp().socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  tcp().socket().close(ec);
}

template <class Stream>
void HttpSession<Stream>::begin_stop() {
  net::post(executor_, [self = this->shared_from_this()] {
    // Idle in a read: close now. A request in flight closes after its answer (on_write).
    if (!self->handed_off_ && self->reading_ && !self->in_flight_) {
      beast::error_code ec;
      self->tcp().socket().cancel(ec);
    }
  });
}

template <class Stream>
void HttpSession<Stream>::force_close() {
  net::post(executor_, [self = this->shared_from_this()] {
    self->in_flight_ = false;
    self->close_socket();
  });
}

template class HttpSession<PlainStream>;
template class HttpSession<TlsStream>;

}  // namespace liandong::api::http::internal
