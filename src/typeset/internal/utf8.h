// UTF-8 helpers for the renderers: where a byte string stops being valid UTF-8, and a copy with
// every invalid sequence replaced by U+FFFD. Pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace liandong::typeset::internal {

// The offset of the first byte that does not start a valid UTF-8 sequence (overlong forms,
// surrogates and code points over U+10FFFF are invalid), or npos when the whole text is valid.
std::size_t first_invalid_utf8(std::string_view text);

// The text with each invalid sequence replaced by U+FFFD (one per maximal invalid subpart).
std::string sanitize_utf8(std::string_view text);

// Decodes the valid sequence of `len` bytes at `text[at]` (len from valid_sequence_length).
char32_t decode_utf8(std::string_view text, std::size_t at, std::size_t len);

// The length of the valid UTF-8 sequence starting at `at`, or 0 when it is invalid there.
std::size_t valid_sequence_length(std::string_view text, std::size_t at);

}  // namespace liandong::typeset::internal
