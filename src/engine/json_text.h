// JSON text exactly as nlohmann::json's compact dump writes it — j.dump(-1, ' ', false,
// error_handler_t::replace): members in the object's (sorted) order, no spaces, strings with
// nlohmann's escapes and invalid UTF-8 replaced by U+FFFD, floating-point numbers in nlohmann's
// spelling — only faster: strings that need no escape are copied as they are (checked eight bytes
// at a time), integers written with std::to_chars, and no serializer object per call.
//
// Contract: json_text(j) == j.dump(-1, ' ', false, json::error_handler_t::replace) for every j.
// Journal events are hashed over this text (event.h), so it must never differ: json_text_test
// compares the two over many generated values, and builds without NDEBUG (the sanitizer build
// the tests run in) compare them again for every event sealed. Floating-point numbers are written
// by nlohmann's own number formatter (Grisu2); binary values and anything unusual are handed to
// nlohmann's dump. Plain functions, any thread.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace liandong::engine {

std::string json_text(const nlohmann::json& j);
void append_json_text(std::string& out, const nlohmann::json& j);
// The JSON string literal of s, quotes included: what json_text(json(s)) gives.
void append_json_string(std::string& out, std::string_view s);
// A floating-point number as nlohmann writes it (what json_text(json(v)) gives): the shortest
// digits that read back to v, "1.0" for an integral value, "null" when v is not finite.
void append_json_number(std::string& out, double v);

}  // namespace liandong::engine
