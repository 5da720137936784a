#include "api/http/internal/response_wire.h"

#include <strings.h>

#include <boost/beast/http/status.hpp>
#include <charconv>

namespace liandong::api::http::internal {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool names(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (same_name(k, name)) return true;
  return false;
}

// RFC 9110 token characters.
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

void append_number(std::string& out, size_t n) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  (void)ec;  // 24 characters hold any size_t
  out.append(buf, end);
}

void put(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  size_t at = out.size();
  out.append(value);
  for (size_t i = at; i < out.size(); ++i) {
    auto c = static_cast<unsigned char>(out[i]);
    if ((c < 0x20 && c != '\t') || c == 0x7f) out[i] = ' ';  // controls (CR, LF, NUL...) are not field text
  }
  out.append("\r\n");
}

}  // namespace

bool write_response_head(std::string& out, const Response& r, const HeadOptions& o) {
  namespace bhttp = boost::beast::http;
  out.clear();
  out.reserve(320 + r.content_type.size() + o.content_security_policy.size());
  out.append("HTTP/1.1 ");
  // No handler answers a status outside 100–999, but the line must stay well-formed whatever it is given.
  int status = wire_status(r.status);
  append_number(out, static_cast<size_t>(status));
  out.push_back(' ');
  auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(status));
  out.append(reason.data(), reason.size());
  out.append("\r\n");

  if (!r.content_type.empty() && !names(r, "Content-Type")) put(out, "Content-Type", r.content_type);
  auto secure = [&](std::string_view name, std::string_view value) {
    if (!names(r, name)) put(out, name, value);
  };
  secure("X-Content-Type-Options", "nosniff");
  secure("X-Frame-Options", "DENY");
  secure("Referrer-Policy", "no-referrer");
  secure("Content-Security-Policy", o.content_security_policy);
  if (o.strict_transport_security) secure("Strict-Transport-Security", "max-age=31536000");
  for (const auto& [k, v] : r.headers) {
    if (!is_token(k) || same_name(k, "Content-Length") || same_name(k, "Transfer-Encoding") ||
        same_name(k, "Connection"))
      continue;
    put(out, k, v);
  }
  if (o.close) out.append("Connection: close\r\n");
  bool body = !(status < 200 || status == 204 || status == 304);
  if (body) {
    out.append("Content-Length: ");
    append_number(out, r.body.size());
    out.append("\r\n");
  }
  out.append("\r\n");
  return body;
}

}  // namespace liandong::api::http::internal
