// bench/run reports: the reference — the same facts in a plain SQLite table without any index
// (not even a primary key) in a separate file, and the statistics as plain SQL GROUP BY queries.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "stats/fact.h"
#include "stats/query.h"

struct sqlite3;

namespace liandong::bench {

// Per group: incidents and the summed figures (what both paths must agree on).
struct GroupSums {
  int64_t incidents = 0, deaths = 0, injuries = 0, missing = 0, affected = 0, loss = 0, due = 0,
          on_time = 0, late = 0;
  bool operator==(const GroupSums&) const = default;
};
using Answer = std::map<std::vector<std::string>, GroupSums>;

Answer answer_of(const stats::Result& r);

class PlainSql {
 public:
  // Creates `path` afresh with the table `facts`; throws std::runtime_error on a SQLite error.
  explicit PlainSql(const std::string& path);
  ~PlainSql();
  PlainSql(const PlainSql&) = delete;
  PlainSql& operator=(const PlainSql&) = delete;

  void insert(const std::vector<stats::Fact>& facts);  // one transaction
  // Runs `sql` (its first `dims` columns the key, then COUNT and the eight sums; more columns are
  // read and dropped) and returns its answer.
  Answer run(const std::string& sql, size_t dims);

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace liandong::bench
