#include "feeds/fetch.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>

namespace liandong::feeds {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct Url {
  bool tls = false;
  std::string host;
  std::string port;
  std::string target;
};

core::Result<Url> parse_url(const std::string& url) {
  Url u;
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    u.tls = true;
    rest = url.substr(8);
  } else {
    return core::invalid("a feed URL starts with http:// or https:// (got '" + url.substr(0, 80) + "')", "url");
  }
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  u.target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (auto hash = u.target.find('#'); hash != std::string::npos) u.target.resize(hash);
  if (authority.empty() || authority.find('@') != std::string::npos)
    return core::invalid("a feed URL names a host (no user info): '" + url.substr(0, 80) + "'", "url");
  auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    u.host = authority.substr(0, colon);
    u.port = authority.substr(colon + 1);
    if (u.port.empty() || u.port.size() > 5 || u.port.find_first_not_of("0123456789") != std::string::npos)
      return core::invalid("bad port in '" + url.substr(0, 80) + "'", "url");
  } else {
    u.host = authority;
    u.port = u.tls ? "443" : "80";
  }
  if (u.host.empty()) return core::invalid("a feed URL names a host: '" + url.substr(0, 80) + "'", "url");
  return u;
}

template <typename Stream>
core::Result<FetchResult> exchange(Stream& stream, const Url& u, const FetchOptions& o, std::string* location) {
  http::request<http::empty_body> req{http::verb::get, u.target, 11};
  req.set(http::field::host, u.host);
  req.set(http::field::user_agent, "Liandong feed reader");
  req.set(http::field::accept, "application/atom+xml, application/rss+xml, application/cap+xml, application/xml, text/xml;q=0.9, */*;q=0.5");
  for (const auto& [k, v] : o.headers) req.set(k, v);
  beast::error_code ec;
  http::write(stream, req, ec);
  if (ec) return core::unavailable("sending the request to " + u.host + " failed: " + ec.message());
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(o.max_body);
  http::read(stream, buffer, parser, ec);
  // Beast's limit did not trip in every case seen (a small answer read in one go), so the size is
  // checked again here.
  if (ec == http::error::body_limit || (!ec && parser.get().body().size() > o.max_body))
    return core::Status(core::Code::kTooLarge, "the answer from " + u.host + " is over " + std::to_string(o.max_body) + " bytes");
  if (ec) return core::unavailable("reading the answer from " + u.host + " failed: " + ec.message());
  auto& res = parser.get();
  FetchResult r;
  r.status = static_cast<int>(res.result_int());
  r.content_type = std::string(res[http::field::content_type]);
  r.body = std::move(res.body());
  *location = std::string(res[http::field::location]);
  return r;
}

core::Result<FetchResult> fetch_once(const Url& u, const FetchOptions& o, std::chrono::steady_clock::time_point deadline,
                                     std::string* location) {
  asio::io_context io;
  auto left = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  };
  if (left().count() <= 0) return core::Status(core::Code::kTimeout, "fetching " + u.host + " took too long");
  tcp::resolver resolver(io);
  beast::error_code ec;
  auto endpoints = resolver.resolve(u.host, u.port, ec);
  if (ec) return core::unavailable("cannot resolve " + u.host + ": " + ec.message());
  auto timed_out = [&](const beast::error_code& e) { return e == beast::error::timeout; };
  if (!u.tls) {
    beast::tcp_stream stream(io);
    stream.expires_after(left());
    stream.connect(endpoints, ec);
    if (ec) return timed_out(ec) ? core::Status(core::Code::kTimeout, "connecting to " + u.host + " timed out")
                                 : core::unavailable("cannot connect to " + u.host + ":" + u.port + ": " + ec.message());
    stream.expires_after(left());
    auto r = exchange(stream, u, o, location);
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return r;
  }
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_default_verify_paths(ec);
  tls.set_verify_mode(asio::ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(io, tls);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), u.host.c_str()))
    return core::unavailable("cannot set the TLS host name for " + u.host);
  stream.set_verify_callback(asio::ssl::host_name_verification(u.host));
  beast::get_lowest_layer(stream).expires_after(left());
  beast::get_lowest_layer(stream).connect(endpoints, ec);
  if (ec) return core::unavailable("cannot connect to " + u.host + ":" + u.port + ": " + ec.message());
  beast::get_lowest_layer(stream).expires_after(left());
  stream.handshake(asio::ssl::stream_base::client, ec);
  if (ec) return core::unavailable("TLS with " + u.host + " failed: " + ec.message());
  auto r = exchange(stream, u, o, location);
  stream.shutdown(ec);
  return r;
}

}  // namespace

core::Result<FetchResult> fetch(const std::string& url, const FetchOptions& options) {
  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  std::string current = url;
  for (int hop = 0;; ++hop) {
    auto u = parse_url(current);
    if (!u) return u.status();
    std::string location;
    auto r = fetch_once(*u, options, deadline, &location);
    if (!r) return r.status();
    bool redirect = r->status == 301 || r->status == 302 || r->status == 303 || r->status == 307 || r->status == 308;
    if (!redirect || location.empty()) return r;
    if (hop >= 3) return core::unavailable("more than 3 redirects from " + url.substr(0, 200));
    if (location.front() == '/') location = (u->tls ? "https://" : "http://") + u->host + ":" + u->port + location;
    current = location;
  }
}

}  // namespace liandong::feeds
