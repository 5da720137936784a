#include "typeset/internal/utf8.h"

namespace liandong::typeset::internal {

std::size_t valid_sequence_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char b0 = byte(at);
  if (b0 < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte (RFC 3629 table)
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;  // nothing over U+10FFFF
  } else {
    return 0;
  }
  if (at + len > text.size()) return 0;
  if (byte(at + 1) < lo || byte(at + 1) > hi) return 0;
  for (std::size_t i = 2; i < len; ++i) {
    if (byte(at + i) < 0x80 || byte(at + i) > 0xBF) return 0;
  }
  return len;
}

char32_t decode_utf8(std::string_view text, std::size_t at, std::size_t len) {
  const auto byte = [&](std::size_t i) { return static_cast<char32_t>(static_cast<unsigned char>(text[i])); };
  switch (len) {
    case 1: return byte(at);
    case 2: return ((byte(at) & 0x1F) << 6) | (byte(at + 1) & 0x3F);
    case 3: return ((byte(at) & 0x0F) << 12) | ((byte(at + 1) & 0x3F) << 6) | (byte(at + 2) & 0x3F);
    default:
      return ((byte(at) & 0x07) << 18) | ((byte(at + 1) & 0x3F) << 12) |
             ((byte(at + 2) & 0x3F) << 6) | (byte(at + 3) & 0x3F);
  }
}

std::size_t first_invalid_utf8(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t len = valid_sequence_length(text, at);
    if (len == 0) return at;
    at += len;
  }
  return std::string_view::npos;
}

std::string sanitize_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t len = valid_sequence_length(text, at);
    if (len > 0) {
      out.append(text.substr(at, len));
      at += len;
      continue;
    }
    out += "\xEF\xBF\xBD";
    // Skip the lead byte and the continuation bytes that follow it (one U+FFFD for the lot).
    ++at;
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
  }
  return out;
}

}  // namespace liandong::typeset::internal
