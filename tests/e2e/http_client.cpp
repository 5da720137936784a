#include "http_client.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace liandong::e2e {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

nlohmann::json HttpResult::json() const { return nlohmann::json::parse(body, nullptr, false); }

std::string HttpResult::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (beast::iequals(k, beast::string_view(name.data(), name.size()))) return v;
  return {};
}

std::string HttpResult::describe() const {
  if (!answered()) return "error: " + error;
  return std::to_string(status) + " " + body.substr(0, 2000);
}

struct HttpConnection::Impl {
  uint16_t port;
  std::chrono::milliseconds timeout;
  Headers defaults;
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  bool connected = false;

  // Runs the queued operation until it completes; the stream's expiry bounds it.
  void run() {
    ioc.restart();
    ioc.run();
  }

  beast::error_code connect() {
    beast::error_code result;
    stream.expires_after(timeout);
    stream.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
                         [&](beast::error_code ec) { result = ec; });
    run();
    if (!result) {
      connected = true;
      buffer.clear();
    }
    return result;
  }

  void close() {
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream.close();
    connected = false;
  }
};

HttpConnection::HttpConnection(uint16_t port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->port = port;
  impl_->timeout = timeout;
}

HttpConnection::HttpConnection(uint16_t port, Headers default_headers, std::chrono::milliseconds timeout)
    : HttpConnection(port, timeout) {
  impl_->defaults = std::move(default_headers);
}

HttpConnection::~HttpConnection() { impl_->close(); }

void HttpConnection::set_default_headers(Headers headers) { impl_->defaults = std::move(headers); }

const Headers& HttpConnection::default_headers() const { return impl_->defaults; }

HttpResult HttpConnection::request(const std::string& method, const std::string& target, const std::string& body,
                                   const Headers& headers) {
  HttpResult out;
  Impl& m = *impl_;
  if (!m.connected) {
    if (auto ec = m.connect()) {
      out.error = "connect: " + ec.message();
      m.close();
      return out;
    }
  }
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  req.keep_alive(true);
  if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
  for (const auto& [k, v] : m.defaults) req.set(k, v);
  for (const auto& [k, v] : headers) {
    if (v.empty()) req.erase(k);
    else req.set(k, v);
  }
  req.body() = body;
  req.prepare_payload();

  bhttp::response<bhttp::string_body> res;
  beast::error_code result;
  m.stream.expires_after(m.timeout);
  bhttp::async_write(m.stream, req, [&](beast::error_code ec, size_t) {
    if (ec) {
      result = ec;
      return;
    }
    bhttp::async_read(m.stream, m.buffer, res, [&](beast::error_code ec2, size_t) { result = ec2; });
  });
  m.run();
  if (result) {
    out.error = result.message();
    m.close();
    return out;
  }
  out.status = static_cast<int>(res.result_int());
  out.body = std::move(res.body());
  out.content_type = std::string(res[bhttp::field::content_type]);
  for (const auto& f : res) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  if (!res.keep_alive()) m.close();
  return out;
}

}  // namespace liandong::e2e
