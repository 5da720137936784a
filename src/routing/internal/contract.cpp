// Node ordering and contraction (docs/ROUTING.md, "Building the hierarchy").
//
// The remaining graph is kept as adjacency lists per node. A node's lists are frozen when it is
// contracted: by then they hold exactly its arcs to more important nodes, which become its up and
// down arcs in the hierarchy. Priorities are the OSRM-style sum of the edge quotient (shortcuts
// added / arcs removed), the original-arc quotient (hops added / hops removed) and the node's
// level (depth), kept fresh with lazy updates and a recount of the neighbours after each
// contraction.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include "routing/ch.h"

namespace liandong::routing {
namespace {

struct Edge {
  uint32_t other;
  uint32_t weight;
  uint32_t unpack;  // original arc id, or kShortcutBit | middle node (a node id until the end)
  uint32_t hops;    // original arcs represented
};

struct Shortcut {
  uint32_t from, to, weight, hops;
};

class Contractor {
 public:
  Contractor(const Graph& graph, const ChBuildOptions& options)
      : graph_(graph), options_(options), n_(graph.node_count()) {}

  ContractionHierarchy run(ChBuildStats* stats);

 private:
  void load_graph();
  void find_shortcuts(uint32_t v, uint32_t settle_limit, std::vector<Shortcut>& out);
  void witness_search(uint32_t source, uint32_t skip, uint32_t bound, uint32_t settle_limit,
                      uint32_t targets);
  float priority(uint32_t v);
  void contract(uint32_t v);
  void add_or_improve(const Shortcut& s, uint32_t middle);
  static void remove_edge(std::vector<Edge>& list, uint32_t other);

  const Graph& graph_;
  const ChBuildOptions& options_;
  const uint32_t n_;
  std::vector<std::vector<Edge>> out_, in_;
  std::vector<uint8_t> contracted_;
  std::vector<uint32_t> level_;
  std::vector<float> priority_;
  uint64_t shortcut_count_ = 0;

  // Witness search scratch: distances valid where stamp == current stamp.
  std::vector<uint32_t> wdist_, wstamp_, target_mark_;
  uint32_t stamp_ = 0;
  std::vector<uint64_t> heap_;
  std::vector<Shortcut> scratch_;
};

void Contractor::load_graph() {
  out_.assign(n_, {});
  in_.assign(n_, {});
  for (uint32_t u = 0; u < n_; ++u) {
    for (uint32_t a = graph_.first_out[u]; a < graph_.first_out[u + 1]; ++a) {
      const uint32_t v = graph_.head[a];
      if (v == u) continue;  // a loop never shortens a path
      out_[u].push_back({v, graph_.time_ms[a], a, 1});
    }
  }
  // Keep the least-time arc of each parallel group (ties: the lower arc id).
  for (uint32_t u = 0; u < n_; ++u) {
    auto& list = out_[u];
    std::sort(list.begin(), list.end(), [](const Edge& a, const Edge& b) {
      if (a.other != b.other) return a.other < b.other;
      if (a.weight != b.weight) return a.weight < b.weight;
      return a.unpack < b.unpack;
    });
    list.erase(std::unique(list.begin(), list.end(),
                           [](const Edge& a, const Edge& b) { return a.other == b.other; }),
               list.end());
    for (const Edge& e : list) in_[e.other].push_back({u, e.weight, e.unpack, e.hops});
  }
}

void Contractor::witness_search(uint32_t source, uint32_t skip, uint32_t bound,
                                uint32_t settle_limit, uint32_t targets) {
  ++stamp_;
  heap_.clear();
  auto relax = [&](uint32_t v, uint32_t d) {
    if (wstamp_[v] == stamp_ && wdist_[v] <= d) return;
    wstamp_[v] = stamp_;
    wdist_[v] = d;
    heap_.push_back((uint64_t(d) << 32) | v);
    std::push_heap(heap_.begin(), heap_.end(), std::greater<uint64_t>());
  };
  relax(source, 0);
  uint32_t settled = 0;
  while (!heap_.empty() && settled < settle_limit && targets > 0) {
    std::pop_heap(heap_.begin(), heap_.end(), std::greater<uint64_t>());
    const uint64_t top = heap_.back();
    heap_.pop_back();
    const uint32_t d = uint32_t(top >> 32);
    const uint32_t v = uint32_t(top);
    if (wdist_[v] != d) continue;
    if (d > bound) break;
    ++settled;
    if (target_mark_[v] == stamp_) --targets;
    for (const Edge& e : out_[v]) {
      if (e.other == skip) continue;
      const uint64_t nd = uint64_t(d) + e.weight;
      if (nd <= bound) relax(e.other, uint32_t(nd));
    }
  }
}

void Contractor::find_shortcuts(uint32_t v, uint32_t settle_limit, std::vector<Shortcut>& out) {
  out.clear();
  const auto& ins = in_[v];
  const auto& outs = out_[v];
  if (ins.empty() || outs.empty()) return;
  uint32_t max_out = 0;
  for (const Edge& o : outs) max_out = std::max(max_out, o.weight);
  for (const Edge& i : ins) {
    const uint32_t u = i.other;
    const uint64_t bound64 = uint64_t(i.weight) + max_out;
    const uint32_t bound = bound64 >= kInfinity ? kInfinity - 1 : uint32_t(bound64);
    // Mark the targets for this search (the stamp is the one witness_search is about to use).
    uint32_t targets = 0;
    for (const Edge& o : outs) {
      if (o.other != u) {
        target_mark_[o.other] = stamp_ + 1;
        ++targets;
      }
    }
    if (targets == 0) continue;
    witness_search(u, v, bound, settle_limit, targets);
    for (const Edge& o : outs) {
      if (o.other == u) continue;
      const uint64_t via = uint64_t(i.weight) + o.weight;
      const bool witnessed = wstamp_[o.other] == stamp_ && wdist_[o.other] <= via;
      if (!witnessed) {
        out.push_back({u, o.other, uint32_t(std::min<uint64_t>(via, kInfinity - 1)), i.hops + o.hops});
      }
    }
  }
}

float Contractor::priority(uint32_t v) {
  const uint32_t limit = std::max<uint32_t>(50, options_.witness_settle_limit / 5);
  find_shortcuts(v, limit, scratch_);
  const uint32_t removed = uint32_t(in_[v].size() + out_[v].size());
  uint64_t removed_hops = 0, added_hops = 0;
  for (const Edge& e : in_[v]) removed_hops += e.hops;
  for (const Edge& e : out_[v]) removed_hops += e.hops;
  for (const Shortcut& s : scratch_) added_hops += s.hops;
  const float edge_quotient = float(scratch_.size()) / float(std::max<uint32_t>(removed, 1));
  const float hop_quotient = float(added_hops) / float(std::max<uint64_t>(removed_hops, 1));
  return 2.0f * edge_quotient + hop_quotient + float(level_[v]);
}

void Contractor::remove_edge(std::vector<Edge>& list, uint32_t other) {
  for (size_t i = 0; i < list.size(); ++i) {
    if (list[i].other == other) {
      list[i] = list.back();
      list.pop_back();
      return;
    }
  }
}

void Contractor::add_or_improve(const Shortcut& s, uint32_t middle) {
  const uint32_t unpack = ChArc::kShortcutBit | middle;
  for (Edge& e : out_[s.from]) {
    if (e.other != s.to) continue;
    if (s.weight < e.weight) {
      e = {s.to, s.weight, unpack, s.hops};
      for (Edge& r : in_[s.to]) {
        if (r.other == s.from) r = {s.from, s.weight, unpack, s.hops};
      }
      ++shortcut_count_;
    }
    return;
  }
  out_[s.from].push_back({s.to, s.weight, unpack, s.hops});
  in_[s.to].push_back({s.from, s.weight, unpack, s.hops});
  ++shortcut_count_;
}

void Contractor::contract(uint32_t v) {
  std::vector<Shortcut> shortcuts;
  find_shortcuts(v, options_.witness_settle_limit, shortcuts);
  for (const Shortcut& s : shortcuts) add_or_improve(s, v);
  for (const Edge& e : in_[v]) remove_edge(out_[e.other], v);
  for (const Edge& e : out_[v]) remove_edge(in_[e.other], v);
  contracted_[v] = 1;
}

ContractionHierarchy Contractor::run(ChBuildStats* stats) {
  const auto start = std::chrono::steady_clock::now();
  load_graph();
  contracted_.assign(n_, 0);
  level_.assign(n_, 0);
  priority_.assign(n_, 0);
  wdist_.assign(n_, 0);
  wstamp_.assign(n_, 0);
  target_mark_.assign(n_, 0);

  using Item = std::pair<float, uint32_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> queue;
  for (uint32_t v = 0; v < n_; ++v) {
    priority_[v] = priority(v);
    queue.push({priority_[v], v});
    if (options_.progress && (v & 0xffff) == 0) options_.progress(0, n_);
  }

  std::vector<uint32_t> order;
  order.reserve(n_);
  std::vector<uint32_t> neighbours;
  while (!queue.empty()) {
    const auto [p, v] = queue.top();
    queue.pop();
    if (contracted_[v] || p != priority_[v]) continue;  // stale entry
    // Lazy update: the priority may have grown since it was computed.
    const float fresh = priority(v);
    if (!queue.empty() && fresh > queue.top().first) {
      priority_[v] = fresh;
      queue.push({fresh, v});
      continue;
    }
    neighbours.clear();
    for (const Edge& e : in_[v]) neighbours.push_back(e.other);
    for (const Edge& e : out_[v]) neighbours.push_back(e.other);
    contract(v);
    order.push_back(v);
    std::sort(neighbours.begin(), neighbours.end());
    neighbours.erase(std::unique(neighbours.begin(), neighbours.end()), neighbours.end());
    for (uint32_t w : neighbours) {
      level_[w] = std::max(level_[w], level_[v] + 1);
      priority_[w] = priority(w);
      queue.push({priority_[w], w});
    }
    if (options_.progress && (order.size() & 0x3fff) == 0) options_.progress(uint32_t(order.size()), n_);
  }

  ContractionHierarchy ch;
  ch.order = std::move(order);
  ch.rank.assign(n_, 0);
  for (uint32_t r = 0; r < n_; ++r) ch.rank[ch.order[r]] = r;
  auto convert = [&](const Edge& e) {
    ChArc arc{ch.rank[e.other], e.weight, e.unpack};
    if (arc.is_shortcut()) arc.unpack = ChArc::kShortcutBit | ch.rank[arc.middle()];
    return arc;
  };
  ch.up_first.assign(n_ + 1, 0);
  ch.down_first.assign(n_ + 1, 0);
  for (uint32_t r = 0; r < n_; ++r) {
    const uint32_t v = ch.order[r];
    for (const Edge& e : out_[v]) ch.up.push_back(convert(e));
    for (const Edge& e : in_[v]) ch.down.push_back(convert(e));
    ch.up_first[r + 1] = uint32_t(ch.up.size());
    ch.down_first[r + 1] = uint32_t(ch.down.size());
    std::vector<Edge>().swap(out_[v]);
    std::vector<Edge>().swap(in_[v]);
  }
  if (options_.progress) options_.progress(n_, n_);
  if (stats != nullptr) {
    stats->shortcuts = shortcut_count_;
    stats->up_arcs = ch.up.size();
    stats->down_arcs = ch.down.size();
    stats->seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return ch;
}

}  // namespace

ContractionHierarchy build_contraction_hierarchy(const Graph& graph, const ChBuildOptions& options,
                                                 ChBuildStats* stats) {
  return Contractor(graph, options).run(stats);
}

}  // namespace liandong::routing
