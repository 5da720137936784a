#include "webhooks/testing/receiver.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <optional>
#include <thread>

#include "webhooks/signature.h"

namespace liandong::webhooks::testing {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

struct Receiver::State {
  std::map<std::string, std::string> secrets;
  mutable std::mutex mu;  // guards received, handler
  std::vector<Received> received;
  Handler handler = [](const Received&) { return Reply{}; };
  std::string key_pem, cert_pem;
  uint16_t port = 0;
  // Live while started; touched only by start()/stop() and the server thread.
  std::unique_ptr<net::io_context> ioc;
  std::unique_ptr<ssl::context> tls;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::thread thread;
  std::vector<std::shared_ptr<void>> hung;  // sessions that never answer, kept open

  Reply record(Received r) {
    Handler h;
    {
      std::lock_guard lock(mu);
      received.push_back(r);
      h = handler;
    }
    return h(r);
  }
};

namespace {

Received describe(const http::request<http::string_body>& req,
                  const std::map<std::string, std::string>& secrets) {
  Received r;
  std::string target(req.target());
  r.path = target.substr(0, target.find('?'));
  auto header = [&](std::string_view name) {
    auto it = req.find(beast::string_view(name.data(), name.size()));
    return it == req.end() ? std::string() : std::string(it->value());
  };
  r.delivery_id = header(kDeliveryHeader);
  r.alert_id = header(kAlertHeader);
  r.timestamp = header(kTimestampHeader);
  r.signature = header(kSignatureHeader);
  r.content_type = header("Content-Type");
  r.body = req.body();
  auto secret = secrets.find(r.path);
  if (secret == secrets.end()) {
    r.signature_error = "no secret for path " + r.path;
  } else {
    auto s = verify_signature(secret->second, r.timestamp, r.body, r.signature);
    r.signature_ok = s.is_ok();
    if (!s) r.signature_error = s.to_string();
  }
  return r;
}

template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(Stream stream, Receiver::State& state) : stream_(std::move(stream)), state_(state) {}

  void run() {
    if constexpr (std::is_same_v<Stream, tcp::socket>) {
      read();
    } else {
      auto self = this->shared_from_this();
      stream_.async_handshake(ssl::stream_base::server, [self](beast::error_code ec) {
        if (!ec) self->read();
      });
    }
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(16 * 1024 * 1024);  // over the deliverer's 10 MiB
    auto self = this->shared_from_this();
    http::async_read(stream_, buffer_, *parser_, [self](beast::error_code ec, size_t) {
      if (ec) return;
      self->req_ = self->parser_->release();
      self->answer();
    });
  }

  void answer() {
    Reply reply = state_.record(describe(req_, state_.secrets));
    if (reply.hang) {
      state_.hung.push_back(this->shared_from_this());
      return;
    }
    res_ = {};
    res_.version(11);
    res_.result(static_cast<unsigned>(reply.status));
    for (auto& [k, v] : reply.headers) res_.set(k, v);
    res_.body() = reply.body;
    res_.keep_alive(req_.keep_alive());
    res_.prepare_payload();
    auto self = this->shared_from_this();
    http::async_write(stream_, res_, [self](beast::error_code ec, size_t) {
      if (ec) return;
      if (self->res_.keep_alive()) return self->read();
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).shutdown(tcp::socket::shutdown_send, ignored);
    });
  }

  Stream stream_;
  Receiver::State& state_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;
};

void accept(Receiver::State& state) {
  state.acceptor->async_accept([&state](beast::error_code ec, tcp::socket socket) {
    if (ec) return;
    if (state.tls) {
      std::make_shared<Session<ssl::stream<tcp::socket>>>(
          ssl::stream<tcp::socket>(std::move(socket), *state.tls), state)
          ->run();
    } else {
      std::make_shared<Session<tcp::socket>>(std::move(socket), state)->run();
    }
    accept(state);
  });
}

}  // namespace

Receiver::Receiver(std::map<std::string, std::string> secrets) : state_(std::make_shared<State>()) {
  state_->secrets = std::move(secrets);
}

Receiver::~Receiver() { stop(); }

void Receiver::use_tls(std::string key_pem, std::string cert_pem) {
  state_->key_pem = std::move(key_pem);
  state_->cert_pem = std::move(cert_pem);
}

core::Status Receiver::start(uint16_t port) {
  State& s = *state_;
  if (s.ioc) return core::conflict("receiver already started");
  if (port == 0) port = s.port;
  s.ioc = std::make_unique<net::io_context>(1);
  if (!s.key_pem.empty()) {
    s.tls = std::make_unique<ssl::context>(ssl::context::tls_server);
    s.tls->use_certificate_chain(net::buffer(s.cert_pem));
    s.tls->use_private_key(net::buffer(s.key_pem), ssl::context::pem);
  }
  beast::error_code ec;
  s.acceptor = std::make_unique<tcp::acceptor>(*s.ioc);
  tcp::endpoint at(net::ip::make_address("127.0.0.1"), port);
  s.acceptor->open(at.protocol(), ec);
  if (!ec) s.acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor->bind(at, ec);
  if (!ec) s.acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    s.acceptor.reset();
    s.tls.reset();
    s.ioc.reset();
    return core::unavailable("receiver cannot listen on 127.0.0.1:" + std::to_string(port) + ": " +
                             ec.message());
  }
  s.port = s.acceptor->local_endpoint().port();
  accept(s);
  s.thread = std::thread([ioc = s.ioc.get()] { ioc->run(); });
  return core::Status::ok();
}

void Receiver::stop() {
  State& s = *state_;
  if (!s.ioc) return;
  s.ioc->stop();
  s.thread.join();
  // Sessions die with the io_context that holds their handlers: their sockets close now.
  s.hung.clear();
  s.acceptor.reset();
  s.ioc.reset();
  s.tls.reset();
}

uint16_t Receiver::port() const { return state_->port; }

void Receiver::set_handler(Handler handler) {
  std::lock_guard lock(state_->mu);
  state_->handler = std::move(handler);
}

std::vector<Received> Receiver::received() const {
  std::lock_guard lock(state_->mu);
  return state_->received;
}

size_t Receiver::count() const {
  std::lock_guard lock(state_->mu);
  return state_->received.size();
}

void Receiver::clear() {
  std::lock_guard lock(state_->mu);
  state_->received.clear();
}

}  // namespace liandong::webhooks::testing
