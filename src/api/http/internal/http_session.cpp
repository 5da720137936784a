#include "api/http/internal/http_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <charconv>

#include "api/http/internal/ws_session.h"
#include "api/http/stream_hub.h"
#include "core/log.h"

namespace liandong::api::http::internal {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

void ResponseSlot::deliver(uint64_t request_id, Response response) {
  std::lock_guard lock(lifeline_->mu);
  if (!lifeline_->alive) return;
  if (auto s = session_.lock()) s->post_response(request_id, std::move(response));
}

HttpSession::HttpSession(net::ip::tcp::socket&& socket, std::shared_ptr<ServerCore> core)
    : stream_(std::move(socket)), core_(std::move(core)), lifeline_(core_->lifeline) {
  beast::error_code ec;
  auto ep = stream_.socket().remote_endpoint(ec);
  if (!ec) remote_ = ep.address().to_string() + ":" + std::to_string(ep.port());
}

HttpSession::~HttpSession() { core_->remove_session(this); }

void HttpSession::run() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read(); });
}

void HttpSession::do_read() {
  if (core_->stopping.load()) return do_close();
  parser_.emplace();
  parser_->body_limit(core_->options.body_limit);
  parser_->header_limit(static_cast<uint32_t>(core_->options.header_limit));
  stream_.expires_after(core_->options.read_timeout);
  reading_ = true;
  bhttp::async_read(stream_, buffer_, *parser_,
                    beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code ec, size_t) {
  reading_ = false;
  if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted ||
      ec == beast::error::timeout || ec == net::error::connection_reset || ec == net::error::eof ||
      ec == bhttp::error::partial_message)
    return do_close();
  if (ec == bhttp::error::body_limit) {
    in_flight_ = true;
    return write(error_response(413, "too_large", "the body is over the limit of " +
                                                      std::to_string(core_->options.body_limit) + " bytes"),
                 true);
  }
  if (ec == bhttp::error::header_limit) {
    in_flight_ = true;
    return write(error_response(431, "too_large", "the request headers are too large"), true);
  }
  if (ec) {
    if (ec.category() != bhttp::make_error_code(bhttp::error::bad_method).category()) return do_close();
    in_flight_ = true;
    return write(error_response(400, "malformed_request", "malformed HTTP request: " + ec.message()), true);
  }
  stream_.expires_never();
  handle_request();
}

void HttpSession::handle_request() {
  auto& msg = parser_->get();
  started_ = std::chrono::steady_clock::now();
  keep_alive_ = msg.keep_alive();
  in_flight_ = true;
  route_index_ = Router::kUnmatched;

  req_ = Request{};
  req_.method = std::string(msg.method_string());
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
  req_.remote = remote_;

  if (core_->hub && req_.path == core_->options.stream_path && req_.method == "GET") {
    try_upgrade();
    return;
  }
  ++request_id_;
  self_hold_ = shared_from_this();
  route_index_ = core_->router.dispatch(
      req_, Responder(std::make_shared<ResponseSlot>(weak_from_this(), lifeline_), request_id_));
}

// Validates the stream request, asks the hub's authorize hook, and hands the socket to a
// WebSocket session. Returns true when the socket was handed over; otherwise an answer is written.
bool HttpSession::try_upgrade() {
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
  auto ws = std::make_shared<WsSession>(stream_.release_socket(), core_, std::move(filter), after);
  core_->add_session(ws.get(), ws);
  ws->run(parser_->release());
  return true;
}

void HttpSession::post_response(uint64_t request_id, Response response) {
  net::post(stream_.get_executor(), [self = shared_from_this(), request_id, r = std::move(response)]() mutable {
    self->on_response(request_id, std::move(r));
  });
}

void HttpSession::on_response(uint64_t request_id, Response response) {
  if (!in_flight_ || request_id != request_id_) return;  // stale (e.g. after force_close)
  write(std::move(response), !keep_alive_ || core_->stopping.load());
}

void HttpSession::write(Response response, bool close) {
  res_ = {};
  res_.version(11);
  res_.result(static_cast<unsigned>(response.status));
  res_.set(bhttp::field::content_type, response.content_type);
  for (auto& [k, v] : response.headers) res_.insert(k, v);
  res_.body() = std::move(response.body);
  res_.keep_alive(!close);
  res_.prepare_payload();
  core_->metrics->record(route_index_, req_.method, response.status,
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
  stream_.expires_after(core_->options.read_timeout);  // a client that never reads is dropped
  bhttp::async_write(stream_, res_,
                     beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), close));
}

void HttpSession::on_write(bool close, beast::error_code ec, size_t) {
  in_flight_ = false;
  self_hold_.reset();
  if (ec || close) return do_close();
  do_read();
}

void HttpSession::do_close() {
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  stream_.socket().close(ec);
  self_hold_.reset();
}

void HttpSession::begin_stop() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    // Idle in a read: close now. A request in flight closes after its answer (on_write).
    if (self->reading_ && !self->in_flight_) {
      beast::error_code ec;
      self->stream_.socket().cancel(ec);
    }
  });
}

void HttpSession::force_close() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->in_flight_ = false;
    self->do_close();
  });
}

}  // namespace liandong::api::http::internal
