// quote(): a piece of untrusted input made safe to put in an error message (and so in JSON and
// logs): at most `max` bytes, bytes outside printable ASCII written as \xNN, "..." when cut.
#pragma once

#include <string>
#include <string_view>

namespace liandong::readings::internal {

inline std::string quote(std::string_view s, size_t max = 40) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "'";
  for (size_t i = 0; i < s.size() && i < max; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  if (s.size() > max) out += "...";
  out += "'";
  return out;
}

}  // namespace liandong::readings::internal
