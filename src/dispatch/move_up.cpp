#include "dispatch/move_up.h"

#include <algorithm>
#include <map>
#include <utility>

#include "routing/dijkstra.h"

namespace liandong::dispatch {
namespace {

struct Pair {
  double gain;
  uint32_t unit, post;  // indices into the caller's spans
};

}  // namespace

std::vector<MoveUp> suggest_move_ups(Coverage& coverage, std::span<const Site> units,
                                     std::span<const Site> posts, uint32_t limit_ms,
                                     const MoveUpOptions& options) {
  std::vector<MoveUp> out;
  const routing::Graph& g = coverage.graph();
  const uint32_t n = g.node_count();
  if (coverage.total_weight() <= 0 || options.max_moves == 0) return out;

  // Each unit's and post's covered nodes.
  std::vector<std::vector<routing::NodeId>> unit_cover(units.size()), post_cover(posts.size());
  std::vector<bool> movable(units.size());
  for (size_t u = 0; u < units.size(); ++u) {
    movable[u] = coverage.on_graph(units[u].place);
    if (movable[u]) unit_cover[u] = coverage.reached({&units[u].place, 1}, limit_ms);
  }
  std::vector<bool> usable(posts.size());
  for (size_t p = 0; p < posts.size(); ++p) {
    usable[p] = coverage.on_graph(posts[p].place);
    if (usable[p]) post_cover[p] = coverage.reached({&posts[p].place, 1}, limit_ms);
  }

  // How many units cover each node, and the sum of their indices: where exactly one unit covers a
  // node, the sum is that unit.
  std::vector<uint32_t> count(n, 0);
  std::vector<uint64_t> index_sum(n, 0);
  for (size_t u = 0; u < units.size(); ++u) {
    for (routing::NodeId v : unit_cover[u]) ++count[v], index_sum[v] += u;
  }
  // Summed over all nodes in ascending order, as Coverage::share_of() does, so that the shares
  // reported equal Coverage::share() of the same places exactly.
  auto current_share = [&] {
    double covered = 0;
    for (routing::NodeId v = 0; v < n; ++v) {
      if (count[v] > 0) covered += coverage.weight(v);
    }
    return covered / coverage.total_weight();
  };

  routing::Dijkstra dijkstra(g);
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> travel;  // (unit, post) → ms, as computed
  const double total = coverage.total_weight();
  // A gain must also beat rounding: with fractional weights, a move that changes nothing can
  // score a few ulps above zero.
  const double min_gain = std::max(options.min_gain, 1e-12) * total;
  double share = current_share();
  std::vector<double> loss(units.size()), kept(units.size());
  std::vector<Pair> pairs;
  while (out.size() < options.max_moves) {
    // loss[u]: weight only unit u covers. gain_p - loss[u] + kept[u] is the change of moving u to
    // p, where kept[u] is the part of loss[u] that p covers too.
    for (size_t u = 0; u < units.size(); ++u) {
      loss[u] = 0;
      for (routing::NodeId v : unit_cover[u]) {
        if (count[v] == 1) loss[u] += coverage.weight(v);
      }
    }
    pairs.clear();
    for (size_t p = 0; p < posts.size(); ++p) {
      if (!usable[p]) continue;
      double gain = 0;
      std::fill(kept.begin(), kept.end(), 0.0);
      for (routing::NodeId v : post_cover[p]) {
        if (count[v] == 0) gain += coverage.weight(v);
        if (count[v] == 1) kept[index_sum[v]] += coverage.weight(v);
      }
      for (size_t u = 0; u < units.size(); ++u) {
        if (!movable[u]) continue;
        const double change = gain - loss[u] + kept[u];
        if (change > min_gain) pairs.push_back({change, uint32_t(u), uint32_t(p)});
      }
    }
    std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
      if (a.gain != b.gain) return a.gain > b.gain;
      return a.unit != b.unit ? a.unit < b.unit : a.post < b.post;
    });
    const Pair* best = nullptr;
    uint32_t best_travel = 0;
    for (const Pair& pair : pairs) {
      auto [it, fresh] = travel.try_emplace({pair.unit, pair.post}, 0);
      if (fresh) it->second = dijkstra.distance(units[pair.unit].place, posts[pair.post].place);
      if (it->second != routing::kInfinity && it->second <= options.max_travel_ms) {
        best = &pair;
        best_travel = it->second;
        break;
      }
    }
    if (best == nullptr) break;

    const uint32_t u = best->unit;
    for (routing::NodeId v : unit_cover[u]) --count[v], index_sum[v] -= u;
    unit_cover[u] = post_cover[best->post];
    for (routing::NodeId v : unit_cover[u]) ++count[v], index_sum[v] += u;
    movable[u] = false;
    const double after = current_share();
    out.push_back({units[u].id, posts[best->post].id, share, after, best_travel});
    share = after;
  }
  return out;
}

}  // namespace liandong::dispatch
