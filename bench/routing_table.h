// bench_routing's report: the table (rows = measures, columns = graphs), the ratios and one
// PASS/MISS/SKIP line per goal (judged on DIMACS NY).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace liandong::bench {

// Prints the report of `results` (graph name → figures of measure_queries and the import,
// contraction and file steps) for `graphs` to stdout and adds results["goals"]. Returns 0 when
// every goal passes, 2 otherwise (a MISS, or a SKIP because NY or pgRouting did not run).
int print_routing_report(const std::vector<std::string>& graphs, nlohmann::json& results,
                         bool pgrouting);

}  // namespace liandong::bench
