#include "routing/ch.h"

#include <string>

namespace liandong::routing {

core::Status ContractionHierarchy::check(const Graph& graph) const {
  using core::invalid;
  const uint32_t n = graph.node_count();
  if (rank.empty() && order.empty() && up.empty() && down.empty()) return core::Status::ok();
  if (rank.size() != n || order.size() != n) {
    return invalid("hierarchy: it ranks " + std::to_string(rank.size()) + " nodes but the graph has " +
                   std::to_string(n));
  }
  for (uint32_t v = 0; v < n; ++v) {
    if (rank[v] >= n || order[rank[v]] != v) {
      return invalid("hierarchy: rank and order disagree at node " + std::to_string(v));
    }
  }
  auto check_side = [&](const std::vector<uint32_t>& first, const std::vector<ChArc>& arcs,
                        const char* name) -> core::Status {
    if (first.size() != size_t(n) + 1 || first.front() != 0 || first.back() != arcs.size()) {
      return invalid(std::string("hierarchy: the ") + name + " index does not match its arcs");
    }
    for (uint32_t r = 0; r < n; ++r) {
      if (first[r] > first[r + 1]) return invalid(std::string("hierarchy: the ") + name + " index decreases");
      for (uint32_t i = first[r]; i < first[r + 1]; ++i) {
        const ChArc& a = arcs[i];
        if (a.other >= n || a.other <= r) {  // both sides lead upward
          return invalid(std::string("hierarchy: a ") + name + " arc at rank " + std::to_string(r) +
                         " does not lead to a higher rank");
        }
        if (a.is_shortcut() ? a.middle() >= r : a.unpack >= graph.arc_count()) {
          return invalid(std::string("hierarchy: a ") + name + " arc at rank " + std::to_string(r) +
                         " unpacks to nothing valid");
        }
      }
    }
    return core::Status::ok();
  };
  LD_RETURN_IF_ERROR(check_side(up_first, up, "up"));
  LD_RETURN_IF_ERROR(check_side(down_first, down, "down"));
  return core::Status::ok();
}

}  // namespace liandong::routing
