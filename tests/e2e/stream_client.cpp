#include "stream_client.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace liandong::e2e {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct StreamClient::Impl {
  net::io_context ioc;
  websocket::stream<tcp::socket> ws{ioc};
  beast::flat_buffer buffer;
  websocket::response_type upgrade;
  beast::error_code last_error;
  std::string error;
  std::string refused_body;
  int refused_status = 0;
  bool open = false;
  bool timed_out = false;

  // Runs the queued operation for at most `timeout`; cancels it (and reports false) when it does
  // not finish in time.
  bool run_for(std::chrono::milliseconds timeout, const bool& done) {
    ioc.restart();
    ioc.run_for(timeout);
    if (done) return true;
    beast::error_code ec;
    beast::get_lowest_layer(ws).cancel(ec);
    ioc.restart();
    ioc.run();
    return false;
  }
};

StreamClient::StreamClient(uint16_t port, const std::string& target, const Headers& headers,
                           std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  bool done = false;
  beast::error_code result;
  auto& sock = beast::get_lowest_layer(m.ws);
  sock.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), [&](beast::error_code ec) {
    result = ec;
    done = true;
  });
  if (!m.run_for(timeout, done)) {
    m.error = "connect timed out";
    return;
  }
  if (result) {
    m.error = "connect: " + result.message();
    return;
  }
  m.ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
    for (const auto& [k, v] : headers) req.set(k, v);
  }));
  done = false;
  m.ws.async_handshake(m.upgrade, "127.0.0.1", target, [&](beast::error_code ec) {
    result = ec;
    done = true;
  });
  if (!m.run_for(timeout, done)) {
    m.error = "upgrade timed out";
    return;
  }
  if (result) {
    m.error = "upgrade: " + result.message();
    if (m.upgrade.result_int() != 101 && m.upgrade.result_int() != 0) {
      m.refused_status = static_cast<int>(m.upgrade.result_int());
      m.refused_body = m.upgrade.body();
    }
    return;
  }
  m.open = true;
}

StreamClient::~StreamClient() {
  beast::error_code ec;
  beast::get_lowest_layer(impl_->ws).close(ec);
}

bool StreamClient::open() const { return impl_->open; }
int StreamClient::refused_status() const { return impl_->refused_status; }
const std::string& StreamClient::refused_body() const { return impl_->refused_body; }
const std::string& StreamClient::error() const { return impl_->error; }
bool StreamClient::timed_out() const { return impl_->timed_out; }
bool StreamClient::closed_normally() const { return impl_->last_error == websocket::error::closed; }
uint16_t StreamClient::close_code() const { return impl_->ws.reason().code; }

std::optional<std::string> StreamClient::read(std::chrono::milliseconds timeout) {
  Impl& m = *impl_;
  if (!m.open) return std::nullopt;
  bool done = false;
  beast::error_code result;
  m.buffer.clear();
  m.ws.async_read(m.buffer, [&](beast::error_code ec, size_t) {
    result = ec;
    done = true;
  });
  if (!m.run_for(timeout, done)) {
    m.timed_out = true;
    m.open = false;  // a cancelled WebSocket read leaves the stream unusable
    return std::nullopt;
  }
  m.last_error = result;
  if (result) {
    m.open = false;
    return std::nullopt;
  }
  return beast::buffers_to_string(m.buffer.data());
}

}  // namespace liandong::e2e
