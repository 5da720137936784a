#include "core/ids.h"

#include <charconv>

namespace liandong::core {

Result<ParsedId> parse_id(std::string_view s) {
  auto bad = [&] {
    return invalid("'" + std::string(s.substr(0, 64)) + "' is not an identifier of the form 441200-INC-42", "id");
  };
  auto d1 = s.find('-');
  if (d1 != 6) return bad();
  auto d2 = s.find('-', d1 + 1);
  if (d2 == std::string_view::npos || d2 == d1 + 1) return bad();
  ParsedId p;
  p.node = std::string(s.substr(0, 6));
  for (char c : p.node)
    if (c < '0' || c > '9') return bad();
  p.kind = std::string(s.substr(d1 + 1, d2 - d1 - 1));
  for (char c : p.kind)
    if (c < 'A' || c > 'Z') return bad();
  auto num = s.substr(d2 + 1);
  if (num.empty() || num.size() > 19 || (num.size() > 1 && num[0] == '0')) return bad();
  auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), p.seq);
  if (ec != std::errc{} || ptr != num.data() + num.size() || p.seq == 0) return bad();
  return p;
}

std::string format_id(std::string_view node, std::string_view kind, uint64_t seq) {
  std::string s;
  s.reserve(node.size() + kind.size() + 22);
  s.append(node).append("-").append(kind).append("-").append(std::to_string(seq));
  return s;
}

}  // namespace liandong::core
