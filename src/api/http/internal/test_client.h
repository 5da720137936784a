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
  // Connects to 127.0.0.1:port, from the loopback address `source` (any 127.x.y.z).
  explicit HttpClient(uint16_t port, const std::string& source = "127.0.0.1") : socket_(ioc_) {
    socket_.open(tcp::v4());
    socket_.bind({net::ip::make_address(source), 0});
    socket_.connect({net::ip::make_address("127.0.0.1"), port});
  }

  HttpResponse request(bhttp::verb method, std::string target, std::string body = {},
                       std::string content_type = "application/json") {
    send(method, std::move(target), std::move(body), std::move(content_type));
    return read();
  }
  void send(bhttp::verb method, std::string target, std::string body = {},
            std::string content_type = "application/json") {
    bhttp::request<bhttp::string_body> req{method, target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) req.set(name, value);
    if (!body.empty() || method == bhttp::verb::post) req.set(bhttp::field::content_type, content_type);
    req.body() = std::move(body);
    req.prepare_payload();
    bhttp::write(socket_, req);
  }
  void send_raw(const std::string& bytes) { net::write(socket_, net::buffer(bytes)); }
  // Sent with every send() (e.g. Authorization).
  std::vector<std::pair<std::string, std::string>> headers;
  HttpResponse read() {
    HttpResponse res;
    bhttp::read(socket_, buffer_, res);
    return res;
  }
  // True when the server closes the connection (reads EOF) within `within`.
  bool closed_by_server(std::chrono::milliseconds within = std::chrono::seconds(10)) {
    bool done = false;
    beast::error_code result;
    char c;
    socket_.async_read_some(net::buffer(&c, 1), [&](beast::error_code ec, size_t) {
      result = ec;
      done = true;
    });
    ioc_.restart();
    ioc_.run_for(within);
    if (!done) {
      socket_.cancel();
      ioc_.restart();
      ioc_.run();
      return false;
    }
    return result == net::error::eof || result == net::error::connection_reset;
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
  // The code of the server's close frame (after closed_normally()).
  uint16_t close_code() const { return ws_.reason().code; }
  const beast::error_code& last_error() const { return last_error_; }

 private:
  net::io_context ioc_;
  beast::websocket::stream<tcp::socket> ws_;
  beast::flat_buffer buffer_;
  beast::error_code last_error_;
  bool timed_out_ = false;
};

}  // namespace liandong::api::http::testing
