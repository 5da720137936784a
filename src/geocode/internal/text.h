// Text folding for address search (private to geocode): UTF-8 in, comparable code points out.
//
// normalize() is "NFKC-ish" for what people type into an address field: full-width ASCII and the
// ideographic space become their ASCII forms, Latin letters are lower-cased and lose their
// accents (Latin-1 and Latin Extended-A: "É" → "e", "ß" → "ss"), combining marks are dropped,
// and spaces and punctuation separate words but are not kept. A house-number marker (号 弄 栋 幢
// 座 室 楼 ...) right after a number belongs to the number and is dropped ("18号" is "18").
// Invalid UTF-8 bytes are skipped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace liandong::geocode::internal {

// Han ideographs, kana, Hangul and their compatibility blocks: searched by character n-grams,
// since such text has no spaces between words.
bool is_cjk(char32_t c);

// Whether `s` is well-formed UTF-8 (no overlong forms, surrogates or code points over U+10FFFF).
bool valid_utf8(std::string_view s);

struct Segment {
  bool cjk = false;      // a run of CJK characters, or a word of Latin letters and digits
  std::u32string text;   // folded
};

struct Normalized {
  std::u32string key;              // the segments' text joined: no spaces, no punctuation
  std::vector<Segment> segments;   // in order
};

// At most `max_chars` code points of word characters are kept.
Normalized normalize(std::string_view text, size_t max_chars = 512);

// Search tokens of normalised text: CJK bigrams (a lone CJK character as a unigram) and words.
// Tokens are sorted and unique.
struct Tokens {
  std::vector<uint64_t> grams;         // gram_key(a, b); b == 0 for a unigram
  std::vector<std::u32string> words;   // Latin and digit words
};
Tokens tokenize(const Normalized& n);

inline uint64_t gram_key(char32_t a, char32_t b) { return (uint64_t(a) << 32) | uint64_t(b); }
// A word that starts with a digit: matched exactly, never as a prefix ("1" is not "18").
inline bool is_number_word(const std::u32string& w) { return !w.empty() && w[0] >= U'0' && w[0] <= U'9'; }

std::string to_utf8(std::u32string_view s);

}  // namespace liandong::geocode::internal
