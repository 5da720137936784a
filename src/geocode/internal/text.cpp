#include "geocode/internal/text.h"

#include <algorithm>
#include <array>

namespace liandong::geocode::internal {
namespace {

constexpr char32_t kBad = 0xFFFFFFFF;

// Decodes one code point at s[i], advancing i; kBad (and one byte) on a malformed sequence.
char32_t next_code_point(std::string_view s, size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int extra = 0;
  char32_t c = 0, min = 0;
  if ((b0 & 0xE0) == 0xC0) extra = 1, c = b0 & 0x1F, min = 0x80;
  else if ((b0 & 0xF0) == 0xE0) extra = 2, c = b0 & 0x0F, min = 0x800;
  else if ((b0 & 0xF8) == 0xF0) extra = 3, c = b0 & 0x07, min = 0x10000;
  else {
    ++i;
    return kBad;
  }
  if (i + extra >= s.size()) {  // truncated
    ++i;
    return kBad;
  }
  for (int k = 1; k <= extra; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return kBad;
    }
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    ++i;
    return kBad;
  }
  i += 1 + extra;
  return c;
}

// Base letters of U+0100..U+017F (Latin Extended-A), by runs.
const std::array<char, 128>& latin_ext_a() {
  static const std::array<char, 128> table = [] {
    const std::pair<char, int> runs[] = {{'a', 6}, {'c', 8}, {'d', 4}, {'e', 10}, {'g', 8}, {'h', 4},
                                         {'i', 10}, {'i', 2}, {'j', 2}, {'k', 3}, {'l', 10}, {'n', 9},
                                         {'o', 6}, {'o', 2}, {'r', 6}, {'s', 8}, {'t', 6}, {'u', 12},
                                         {'w', 2}, {'y', 3}, {'z', 6}, {'s', 1}};
    std::array<char, 128> t{};
    size_t k = 0;
    for (auto [ch, n] : runs)
      for (int j = 0; j < n && k < t.size(); ++j) t[k++] = ch;
    return t;
  }();
  return table;
}

// Folds one code point into `out`: ASCII lower case, full-width to ASCII, Latin accents off.
// Returns false for a separator (space, punctuation, symbols).
bool fold(char32_t c, std::u32string& out) {
  if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width ASCII
  if (c < 0x80) {
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
      return true;
    }
    return false;
  }
  if (c >= 0xC0 && c <= 0xFF) {
    static constexpr char kLatin1[] = "aaaaaaaceeeeiiiidnooooo/ouuuuyts";  // U+00C0..U+00DF
    if (c == 0xD7 || c == 0xF7) return false;                           // × ÷
    if (c == 0xC6 || c == 0xE6) return out += U"ae", true;
    if (c == 0xDF) return out += U"ss", true;
    if (c == 0xFF) return out.push_back(U'y'), true;
    out.push_back(static_cast<char32_t>(kLatin1[(c - 0xC0) & 0x1F]));
    return true;
  }
  if (c >= 0x100 && c <= 0x17F) {
    if (c == 0x152 || c == 0x153) return out += U"oe", true;
    if (c == 0x132 || c == 0x133) return out += U"ij", true;
    out.push_back(static_cast<char32_t>(latin_ext_a()[c - 0x100]));
    return true;
  }
  if (c == 0x3007) return out.push_back(c), true;  // 〇, a Chinese numeral
  const bool separator = c < 0xC0 ||                       // C1 controls, Latin-1 punctuation
                         (c >= 0x2000 && c <= 0x2BFF) ||   // punctuation, symbols, arrows, shapes
                         (c >= 0x3000 && c <= 0x303F) ||   // CJK punctuation
                         (c >= 0xFE30 && c <= 0xFE6F) ||   // CJK compatibility and small forms
                         (c >= 0xFF00 && c <= 0xFF65) ||   // the rest of the full-width punctuation
                         (c >= 0xE000 && c <= 0xF8FF) ||   // private use
                         c == 0xFEFF || c == 0xFFFD;
  return separator ? false : (out.push_back(c), true);
}

bool ignorable(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0xFE00 && c <= 0xFE0F) || c == 0x200D;  // marks, selectors
}

bool is_marker(char32_t c) {
  switch (c) {
    case U'号': case U'號': case U'弄': case U'栋': case U'棟': case U'幢': case U'座': case U'室':
    case U'楼': case U'樓': case U'巷':
      return true;
    default:
      return false;
  }
}

}  // namespace

bool is_cjk(char32_t c) {
  return (c >= 0x2E80 && c <= 0x2FFF) || c == 0x3007 || (c >= 0x3040 && c <= 0x31FF) ||
         (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF66 && c <= 0xFF9F) || (c >= 0x20000 && c <= 0x3134F);
}

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();)
    if (next_code_point(s, i) == kBad) return false;
  return true;
}

Normalized normalize(std::string_view text, size_t max_chars) {
  Normalized n;
  std::u32string folded;
  bool in_segment = false;
  for (size_t i = 0; i < text.size() && n.key.size() < max_chars;) {
    char32_t c = next_code_point(text, i);
    if (c == kBad || ignorable(c)) continue;
    folded.clear();
    if (!fold(c, folded)) {
      in_segment = false;  // "18 号" is "18号"
      continue;
    }
    for (char32_t f : folded) {
      const bool cjk = is_cjk(f);
      // "18号", "3栋": the marker belongs to the number; "18" is the house number either way.
      if (cjk && is_marker(f) && !n.segments.empty() && !n.segments.back().cjk &&
          is_number_word(n.segments.back().text))
        continue;
      if (!in_segment || n.segments.back().cjk != cjk) n.segments.push_back({cjk, {}});
      in_segment = true;
      n.segments.back().text.push_back(f);
      n.key.push_back(f);
    }
  }
  return n;
}

Tokens tokenize(const Normalized& n) {
  Tokens t;
  for (const Segment& s : n.segments) {
    if (!s.cjk) {
      t.words.push_back(s.text);
      continue;
    }
    std::u32string_view run = s.text;
    if (run.size() == 1) t.grams.push_back(gram_key(run[0], 0));
    for (size_t i = 0; i + 1 < run.size(); ++i) t.grams.push_back(gram_key(run[i], run[i + 1]));
  }
  std::sort(t.grams.begin(), t.grams.end());
  t.grams.erase(std::unique(t.grams.begin(), t.grams.end()), t.grams.end());
  std::sort(t.words.begin(), t.words.end());
  t.words.erase(std::unique(t.words.begin(), t.words.end()), t.words.end());
  return t;
}

std::string to_utf8(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

}  // namespace liandong::geocode::internal
