// Small text helpers shared by the codec's files: XML whitespace, excerpts for messages, number
// forms of the XSD (xs:decimal, xs:integer) and CAP (coordinates), HTML detection, UTF-8 and XML
// character checks. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace liandong::alerts::internal {

inline bool is_xml_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Without leading and trailing XML whitespace (what xs:token-like types collapse).
std::string_view trim_xml_space(std::string_view s);

// At most `max` bytes of `s` (cut at a UTF-8 boundary, "…" added when cut), for messages.
std::string excerpt(std::string_view s, size_t max = 60);

// xs:decimal: optional sign, digits with at most one '.', at least one digit; surrounding
// whitespace allowed. No exponent, no inf/nan. nullopt when not.
std::optional<double> parse_decimal(std::string_view s);

// xs:integer within int64; surrounding whitespace allowed.
std::optional<std::int64_t> parse_integer(std::string_view s);

// A coordinate or radius in CAP text: xs:decimal form, and a '+' sign is allowed.
std::optional<double> parse_coordinate(std::string_view s);

// The shortest text that reads back as exactly `v`, in fixed notation (no exponent: xs:decimal).
std::string format_decimal(double v);

// True when the text looks like it holds HTML markup ("<p>", "</b>", "<br/>").
bool has_html(std::string_view s);

// True when `s` is well-formed UTF-8 holding only characters XML 1.0 allows (no control
// characters other than tab, newline and carriage return; no U+FFFE/U+FFFF; no surrogates).
// On false, `at` is the byte offset of the first bad byte.
bool is_xml_text(std::string_view s, size_t* at = nullptr);

// xs:language: [a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})* after trimming whitespace.
bool is_language_tag(std::string_view s);

}  // namespace liandong::alerts::internal
