#include "engine/json_text.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace liandong::engine {

using nlohmann::json;

namespace {

// The length of the well-formed UTF-8 sequence starting at s[i] (a byte at or above 0x80), or 0
// when it is not one (overlong, a surrogate, above U+10FFFF, cut short, a stray continuation).
size_t utf8_sequence(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t len;
  unsigned min, cp;
  if ((c & 0xE0) == 0xC0) {
    len = 2, min = 0x80, cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, min = 0x800, cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

std::string nlohmann_dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

template <typename T>
void append_integer(std::string& out, T v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  // One pass: plain ASCII eight bytes at a time (a word with no byte below 0x20, no '"', no '\\'
  // and none at or above 0x80 needs no closer look), the rest byte by byte, multi-byte sequences
  // checked as they come. Anything to escape, or not UTF-8, goes to nlohmann.
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  auto has_zero_byte = [](uint64_t x) { return ((x - kOnes) & ~x & kHighs) != 0; };
  const size_t n = s.size();
  size_t i = 0;
  bool plain = true;
  while (i < n && plain) {
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      bool below_space = ((w - 0x20 * kOnes) & ~w & kHighs) != 0;
      if (below_space || has_zero_byte(w ^ ('"' * kOnes)) || has_zero_byte(w ^ ('\\' * kOnes)) || (w & kHighs) != 0)
        break;
      i += 8;
    }
    if (i >= n) break;
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == '"' || c == '\\') plain = false;
      ++i;
      continue;
    }
    size_t len = utf8_sequence(s, i);
    if (len == 0) plain = false;
    i += len;
  }
  if (plain) {
    out.push_back('"');
    out.append(s);
    out.push_back('"');
    return;
  }
  out.append(nlohmann_dump(json(std::string(s))));
}

void append_json_number(std::string& out, double v) {
  // What nlohmann's serializer::dump_float does for an IEEE double (nlohmann/detail/output).
  static_assert(std::numeric_limits<double>::is_iec559, "nlohmann uses its Grisu2 formatter only for IEEE doubles");
  if (!std::isfinite(v)) {
    out.append("null");
    return;
  }
  char buf[64];
  char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

void append_json_text(std::string& out, const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      out.append("null");
      return;
    case json::value_t::boolean:
      out.append(j.get_ref<const json::boolean_t&>() ? "true" : "false");
      return;
    case json::value_t::number_integer:
      append_integer(out, j.get_ref<const json::number_integer_t&>());
      return;
    case json::value_t::number_unsigned:
      append_integer(out, j.get_ref<const json::number_unsigned_t&>());
      return;
    case json::value_t::string:
      append_json_string(out, j.get_ref<const json::string_t&>());
      return;
    case json::value_t::number_float:
      append_json_number(out, j.get_ref<const json::number_float_t&>());
      return;
    case json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& v : j) {
        if (!first) out.push_back(',');
        first = false;
        append_json_text(out, v);
      }
      out.push_back(']');
      return;
    }
    case json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, it.key());
        out.push_back(':');
        append_json_text(out, it.value());
      }
      out.push_back('}');
      return;
    }
    default:  // binary, discarded
      out.append(nlohmann_dump(j));
      return;
  }
}

std::string json_text(const json& j) {
  std::string out;
  append_json_text(out, j);
  return out;
}

}  // namespace liandong::engine
