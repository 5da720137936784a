#include "core/log.h"

#include <unistd.h>

#include <atomic>

#include "core/time.h"

namespace liandong::core::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};

void append_value(std::string& out, std::string_view v) {
  bool quote = v.empty();
  for (char c : v)
    if (c == ' ' || c == '"' || c == '=' || c == '\n' || c == '\\') quote = true;
  if (!quote) {
    out.append(v);
    return;
  }
  out.push_back('"');
  for (char c : v) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out.append("\\n");
      continue;
    }
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace

void set_level(Level level) { g_level.store(static_cast<int>(level)); }

Level parse_level(std::string_view s, Level fallback) {
  if (s == "debug") return Level::kDebug;
  if (s == "info") return Level::kInfo;
  if (s == "warn") return Level::kWarn;
  if (s == "error") return Level::kError;
  return fallback;
}

void write(Level level, std::string_view msg, std::initializer_list<Field> fields) {
  if (static_cast<int>(level) < g_level.load(std::memory_order_relaxed)) return;
  static constexpr std::string_view kNames[] = {"debug", "info", "warn", "error"};
  std::string line;
  line.reserve(128);
  line.append("time=").append(format_utc(SystemClock().now()));
  line.append(" level=").append(kNames[static_cast<int>(level)]);
  line.append(" msg=");
  append_value(line, msg);
  for (const auto& [k, v] : fields) {
    line.push_back(' ');
    line.append(k).push_back('=');
    append_value(line, v);
  }
  line.push_back('\n');
  ssize_t off = 0;
  while (off < static_cast<ssize_t>(line.size())) {
    ssize_t n = ::write(2, line.data() + off, line.size() - off);
    if (n <= 0) break;
    off += n;
  }
}

}  // namespace liandong::core::log
