#include "webhooks/internal/url.h"

#include <charconv>

namespace liandong::webhooks::internal {

core::Result<Url> parse_url(std::string_view text, std::string_view field) {
  const std::string f(field);
  auto bad = [&](std::string_view why) {
    return core::invalid("URL \"" + std::string(text.substr(0, 200)) + "\": " + std::string(why),
                         f);
  };
  if (text.empty()) return core::invalid("URL is empty", f);
  if (text.size() > 2048) return core::invalid("URL is longer than 2048 characters", f);
  for (unsigned char c : text)
    if (c <= 0x20 || c >= 0x7f) return bad("holds a space, a control or a non-ASCII character");
  Url url;
  std::string_view rest;
  if (text.starts_with("http://")) {
    rest = text.substr(7);
  } else if (text.starts_with("https://")) {
    url.tls = true;
    rest = text.substr(8);
  } else {
    return bad("scheme must be http:// or https://");
  }
  if (rest.find('#') != std::string_view::npos) return bad("a fragment (#...) is not allowed");
  size_t end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, end);
  std::string_view target = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
  if (authority.find('@') != std::string_view::npos)
    return bad("user info (user@host) is not allowed; use the shared secret");
  std::string_view host, port;
  if (authority.starts_with('[')) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("IPv6 host lacks its closing ]");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return bad("unexpected text after the IPv6 host");
      port = after.substr(1);
      if (port.empty()) return bad("port is empty");
    }
  } else {
    size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return bad("port is empty");
    }
  }
  if (host.empty()) return bad("host is empty");
  url.host = std::string(host);
  url.port = url.tls ? 443 : 80;
  if (!port.empty()) {
    unsigned value = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || p != port.data() + port.size() || value == 0 || value > 65535)
      return bad("port must be a number from 1 to 65535");
    url.port = static_cast<uint16_t>(value);
  }
  url.target = target.empty() ? "/" : std::string(target);
  if (url.target[0] == '?') url.target = "/" + url.target;
  bool v6 = url.host.find(':') != std::string::npos;
  url.host_header = v6 ? "[" + url.host + "]" : url.host;
  if (url.port != (url.tls ? 443 : 80)) url.host_header += ":" + std::to_string(url.port);
  return url;
}

}  // namespace liandong::webhooks::internal
