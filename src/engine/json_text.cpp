#include "engine/json_text.h"

#include <charconv>
#include <cstdint>
#include <cstring>

namespace liandong::engine {

using nlohmann::json;

namespace {

// Whether s is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool valid_utf8(std::string_view s) {
  size_t i = 0, n = s.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len;
    unsigned min;
    unsigned cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, min = 0x10000, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + static_cast<size_t>(len) > n) return false;
    for (int k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += static_cast<size_t>(len);
  }
  return true;
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
  // Eight bytes at a time (a snapshot is mostly strings): a word with no byte below 0x20, no '"',
  // no '\\' and none at or above 0x80 needs no closer look.
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  auto has_zero_byte = [](uint64_t x) { return ((x - kOnes) & ~x & kHighs) != 0; };
  bool plain = true, ascii = true;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    bool below_space = ((w - 0x20 * kOnes) & ~w & kHighs) != 0;
    if (!below_space && !has_zero_byte(w ^ ('"' * kOnes)) && !has_zero_byte(w ^ ('\\' * kOnes)) && (w & kHighs) == 0)
      continue;
    break;  // the rest byte by byte
  }
  for (; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\') {
      plain = false;
      break;
    }
    if (c >= 0x80) ascii = false;
  }
  if (plain && (ascii || valid_utf8(s))) {
    out.push_back('"');
    out.append(s);
    out.push_back('"');
    return;
  }
  out.append(nlohmann_dump(json(std::string(s))));
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
    default:  // floating-point numbers (nlohmann's own spelling), binary, discarded
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
