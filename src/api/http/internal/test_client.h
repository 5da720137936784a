// Test-only clients for the server tests: a blocking HTTP client and a WebSocket client whose
// reads give up after a deadline.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <optional>
#include <string>

namespace liandong::api::http::testing {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

using HttpResponse = bhttp::response<bhttp::string_body>;

class HttpClient {
 public:
  explicit HttpClient(uint16_t port) : socket_(ioc_) { socket_.connect({net::ip::make_address("127.0.0.1"), port}); }

  HttpResponse request(bhttp::verb method, std::string target, std::string body = {},
                       std::string content_type = "application/json") {
    send(method, std::move(target), std::move(body), std::move(content_type));
    return read();
  }
  void send(bhttp::verb method, std::string target, std::string body = {},
            std::string content_type = "application/json") {
    bhttp::request<bhttp::string_body> req{method, target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    if (!body.empty() || method == bhttp::verb::post) req.set(bhttp::field::content_type, content_type);
    req.body() = std::move(body);
    req.prepare_payload();
    bhttp::write(socket_, req);
  }
  void send_raw(const std::string& bytes) { net::write(socket_, net::buffer(bytes)); }
  HttpResponse read() {
    HttpResponse res;
    bhttp::read(socket_, buffer_, res);
    return res;
  }
  // True when the server has closed the connection (reads EOF).
  bool closed_by_server() {
    beast::error_code ec;
    char c;
    socket_.read_some(net::buffer(&c, 1), ec);
    return ec == net::error::eof || ec == net::error::connection_reset;
  }

 private:
  net::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

class WsClient {
 public:
  explicit WsClient(uint16_t port, std::string target = "/api/v1/stream", int rcvbuf = 0) : ws_(ioc_) {
    auto& sock = beast::get_lowest_layer(ws_);
    sock.open(tcp::v4());
    if (rcvbuf > 0) sock.set_option(net::socket_base::receive_buffer_size(rcvbuf));
    sock.connect({net::ip::make_address("127.0.0.1"), port});
    ws_.handshake("127.0.0.1", target);
  }
  void send(const std::string& text) { ws_.write(net::buffer(text)); }
  // The next text frame; nullopt on close or when nothing came within `timeout`.
  std::optional<std::string> read(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    bool done = false;
    beast::error_code result;
    buffer_.clear();
    ws_.async_read(buffer_, [&](beast::error_code ec, size_t) {
      result = ec;
      done = true;
    });
    ioc_.restart();
    ioc_.run_for(timeout);
    if (!done) {
      beast::error_code ec;
      beast::get_lowest_layer(ws_).cancel(ec);
      ioc_.restart();
      ioc_.run();
      timed_out_ = true;
      return std::nullopt;
    }
    last_error_ = result;
    if (result) return std::nullopt;
    return beast::buffers_to_string(buffer_.data());
  }
  bool timed_out() const { return timed_out_; }
  // True when the last read ended because the server sent a close frame.
  bool closed_normally() const { return last_error_ == beast::websocket::error::closed; }

 private:
  net::io_context ioc_;
  beast::websocket::stream<tcp::socket> ws_;
  beast::flat_buffer buffer_;
  beast::error_code last_error_;
  bool timed_out_ = false;
};

}  // namespace liandong::api::http::testing
