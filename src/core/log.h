// Structured logging: one line an event in logfmt, `time=... level=info msg="..." key=value`.
//
// Thread-safe: each line is written with one write(2) to standard error. The level threshold is
// global and set once at start-up.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace liandong::core::log {

enum class Level { kDebug, kInfo, kWarn, kError };

using Field = std::pair<std::string_view, std::string>;

void set_level(Level level);
Level parse_level(std::string_view s, Level fallback);
void write(Level level, std::string_view msg, std::initializer_list<Field> fields = {});

inline void debug(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::kDebug, m, f); }
inline void info(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::kInfo, m, f); }
inline void warn(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::kWarn, m, f); }
inline void error(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::kError, m, f); }

}  // namespace liandong::core::log
