// A line diff of two texts (plan versions), as unified-diff hunks. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace liandong::plans {

struct DiffLine {
  char op = ' ';  // ' ' same, '-' only in the old text, '+' only in the new
  std::string text;
  int old_line = 0;  // 1-based, 0 for '+'
  int new_line = 0;  // 1-based, 0 for '-'
};

// The lines of an LCS diff (Myers or equivalent), with `context` unchanged lines kept around each
// change and the rest dropped. Texts of up to 20,000 lines each.
std::vector<DiffLine> diff_lines(std::string_view old_text, std::string_view new_text, int context = 3);
// The same as a unified diff ("--- a\n+++ b\n@@ -1,3 +1,4 @@\n ...").
std::string unified_diff(std::string_view old_text, std::string_view new_text, std::string_view old_name,
                         std::string_view new_name, int context = 3);

}  // namespace liandong::plans
