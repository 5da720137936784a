#include "webhooks/internal/http_post.h"

#include <openssl/ssl.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>

namespace liandong::webhooks::internal {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

constexpr size_t kMaxResponseBody = 64 * 1024;

template <class Stream>
class Exchange : public std::enable_shared_from_this<Exchange<Stream>> {
  static constexpr bool kTls = !std::is_same_v<Stream, tcp::socket>;

 public:
  Exchange(const net::any_io_executor& ex, ssl::context* tls, PostRequest req, PostDone done)
      : stream_(make_stream(ex, tls)),
        resolver_(ex),
        timer_(ex),
        req_(std::move(req)),
        done_(std::move(done)) {}

  void run() {
    auto self = this->shared_from_this();
    timer_.expires_after(req_.timeout);
    timer_.async_wait([self](beast::error_code ec) {
      if (!ec) self->on_timeout();
    });
    boost::system::error_code ec;
    auto address = net::ip::make_address(req_.url.host, ec);
    if (!ec) {
      endpoints_.push_back(tcp::endpoint(address, req_.url.port));
      connect();
      return;
    }
    phase_ = "resolving " + req_.url.host;
    resolver_.async_resolve(req_.url.host, std::to_string(req_.url.port),
                            [self](beast::error_code ec, tcp::resolver::results_type results) {
                              if (ec) return self->fail("resolve " + self->req_.url.host, ec);
                              for (const auto& r : results)
                                self->endpoints_.push_back(r.endpoint());
                              self->connect();
                            });
  }

 private:
  static Stream make_stream(const net::any_io_executor& ex, ssl::context* tls) {
    if constexpr (kTls) {
      return Stream(ex, *tls);
    } else {
      (void)tls;
      return Stream(ex);
    }
  }

  tcp::socket& socket() { return beast::get_lowest_layer(stream_); }

  void connect() {
    phase_ = "connect";
    auto self = this->shared_from_this();
    net::async_connect(socket(), endpoints_, [self](beast::error_code ec, const tcp::endpoint&) {
      if (ec) return self->fail("connect", ec);
      if constexpr (kTls) {
        self->handshake();
      } else {
        self->write();
      }
    });
  }

  void handshake() {
    if constexpr (kTls) {
      phase_ = "TLS handshake";
      boost::system::error_code ec;
      net::ip::make_address(req_.url.host, ec);
      if (ec) SSL_set_tlsext_host_name(stream_.native_handle(), req_.url.host.c_str());
      stream_.set_verify_mode(ssl::verify_peer);
      stream_.set_verify_callback(ssl::host_name_verification(req_.url.host));
      auto self = this->shared_from_this();
      stream_.async_handshake(ssl::stream_base::client, [self](beast::error_code ec) {
        if (ec) return self->fail("TLS handshake", ec);
        self->write();
      });
    }
  }

  void write() {
    phase_ = "write";
    request_.method(http::verb::post);
    request_.target(req_.url.target);
    request_.version(11);
    request_.set(http::field::host, req_.url.host_header);
    request_.set(http::field::user_agent, "liandong-webhooks/1");
    request_.set(http::field::connection, "close");
    for (auto& [k, v] : req_.headers) request_.set(k, v);
    request_.body() = std::move(req_.body);
    request_.prepare_payload();
    auto self = this->shared_from_this();
    http::async_write(stream_, request_, [self](beast::error_code ec, size_t) {
      if (ec) return self->fail("write", ec);
      self->read();
    });
  }

  void read() {
    phase_ = "read";
    parser_.body_limit(kMaxResponseBody);
    auto self = this->shared_from_this();
    http::async_read(stream_, buffer_, parser_, [self](beast::error_code ec, size_t) {
      if (ec && !(ec == http::error::body_limit && self->parser_.is_header_done()))
        return self->fail("read", ec);
      PostResult r;
      r.answered = true;
      const auto& res = self->parser_.get();
      r.status = static_cast<int>(res.result_int());
      r.body_start = res.body().substr(0, kReasonBytes);
      if (auto it = res.find(http::field::retry_after); it != res.end())
        r.retry_after = std::string(it->value());
      self->finish(std::move(r));
    });
  }

  void on_timeout() {
    timed_out_ = true;
    resolver_.cancel();
    beast::error_code ignored;
    socket().close(ignored);
  }

  void fail(const std::string& what, beast::error_code ec) {
    PostResult r;
    if (timed_out_)
      r.error = "timed out after " + std::to_string(req_.timeout.count()) + " ms (" + phase_ + ")";
    else if (ec == http::error::end_of_stream || ec == net::error::eof)
      r.error = what + ": the receiver closed the connection without an answer";
    else
      r.error = what + ": " + ec.message();
    finish(std::move(r));
  }

  void finish(PostResult r) {
    if (!done_) return;
    timer_.cancel();
    beast::error_code ignored;
    socket().shutdown(tcp::socket::shutdown_both, ignored);
    socket().close(ignored);
    auto done = std::move(done_);
    done_ = nullptr;
    done(std::move(r));
  }

  Stream stream_;
  tcp::resolver resolver_;
  net::steady_timer timer_;
  PostRequest req_;
  PostDone done_;
  std::vector<tcp::endpoint> endpoints_;
  std::string phase_ = "connect";
  bool timed_out_ = false;
  http::request<http::string_body> request_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
};

}  // namespace

void start_post(const net::any_io_executor& executor, ssl::context* tls, PostRequest request,
                PostDone done) {
  if (request.url.tls) {
    if (!tls) {
      PostResult r;
      r.error = "https is not available (no TLS context)";
      net::post(executor,
                [done = std::move(done), r = std::move(r)]() mutable { done(std::move(r)); });
      return;
    }
    std::make_shared<Exchange<ssl::stream<tcp::socket>>>(executor, tls, std::move(request),
                                                         std::move(done))
        ->run();
  } else {
    std::make_shared<Exchange<tcp::socket>>(executor, nullptr, std::move(request), std::move(done))
        ->run();
  }
}

}  // namespace liandong::webhooks::internal
