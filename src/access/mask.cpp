#include "access/mask.h"

#include <vector>

namespace liandong::access {
namespace {

std::vector<std::string_view> code_points(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t n = 1;
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0xF0) n = 4;
    else if (c >= 0xE0) n = 3;
    else if (c >= 0xC0) n = 2;
    if (i + n > s.size()) n = s.size() - i;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace

std::string mask_phone(std::string_view number) {
  auto cps = code_points(number);
  size_t n = cps.size();
  size_t keep_front = n >= 11 ? 3 : 0;
  size_t keep_back = n >= 11 ? 4 : (n > 4 ? 2 : 0);
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (i < keep_front || i >= n - keep_back)
      out += cps[i];
    else
      out += '*';
  }
  return out;
}

std::string mask_name(std::string_view name) {
  auto cps = code_points(name);
  if (cps.empty()) return {};
  if (cps.size() == 1) return "*";
  std::string out(cps[0]);
  out.append(cps.size() - 1, '*');
  return out;
}

}  // namespace liandong::access
