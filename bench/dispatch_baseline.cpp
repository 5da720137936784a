#include "dispatch_baseline.h"

#include <algorithm>
#include <unordered_map>

namespace liandong::bench {
namespace {

using routing::ArcId;
using routing::Graph;
using routing::NodeId;
using routing::Place;
using routing::Seed;
using routing::SourceTime;

// `base` plus one node per valid place, with an arc to each of its departure seeds.
Graph with_unit_nodes(const Graph& base, const std::vector<Place>& places) {
  Graph g = base;
  std::vector<Seed> seeds;
  for (const Place& p : places) {
    if (!p.valid()) continue;
    routing::departure_seeds(base, p, seeds);
    for (const Seed& s : seeds) {
      g.head.push_back(s.node);
      g.time_ms.push_back(s.time_ms);
      g.length_m.push_back(0);
      g.road_class.push_back(routing::RoadClass::kOther);
      g.shape_first.push_back(g.shape_first.back());
    }
    g.first_out.push_back(uint32_t(g.head.size()));
    g.coord.push_back({});
    if (!g.external_id.empty()) g.external_id.push_back(g.external_id.size() + 1);
  }
  return g;
}

}  // namespace

DijkstraRecommender::DijkstraRecommender(const Graph& graph, const std::vector<Place>& places,
                                         const std::vector<UnitSpec>& units)
    : base_(graph),
      units_(units),
      places_(places),
      graph_(with_unit_nodes(graph, places)),
      dijkstra_(graph_) {
  sources_first_.assign(size_t(graph_.node_count()) + 1, 0);
  NodeId next = base_.node_count();
  for (uint32_t u = 0; u < places_.size(); ++u) {
    if (!places_[u].valid()) continue;
    sources_first_[next + 1] = 1;
    sources_at_.push_back(u);
    ++next;
    ++placed_;
    for (ArcId a : {places_[u].arc, places_[u].twin})
      if (a != routing::kInvalid) on_arc_[a].push_back(u);
  }
  for (size_t i = 1; i < sources_first_.size(); ++i) sources_first_[i] += sources_first_[i - 1];
}

dispatch::Assignment DijkstraRecommender::recommend(const Place& target,
                                                    const dispatch::Requirement& requirement,
                                                    uint32_t alternatives) {
  const auto& slots = requirement.slots;
  std::vector<uint32_t> counts;
  for (const auto& s : slots) counts.push_back(s.count);
  std::vector<dispatch::Candidate> candidates;
  std::unordered_map<uint32_t, size_t> seen;
  settled_ = 0;
  for (size_t i = 0; i < slots.size(); ++i) {
    uint32_t k = slots[i].count + alternatives;
    for (size_t j = 0; j < slots.size(); ++j)
      if (j != i && slots[j].type == slots[i].type) k += slots[j].count;
    std::function<bool(uint32_t)> accept = [&](uint32_t u) {
      return units_[u].type == slots[i].type &&
             dispatch::qualifies(slots[i], units_[u].type, units_[u].capabilities);
    };
    dijkstra_.nearest(target, k, sources_first_, sources_at_, &accept, found_);
    settled_ += dijkstra_.settled();
    // Units ahead of the incident on its own road, which a search through nodes misses.
    bool merged = false;
    for (ArcId a : {target.arc, target.twin}) {
      if (a == routing::kInvalid) continue;
      auto it = on_arc_.find(a);
      if (it == on_arc_.end()) continue;
      for (uint32_t u : it->second) {
        if (!accept(u)) continue;
        const uint32_t t = routing::same_road_time(base_, places_[u], target);
        if (t == routing::kInfinity) continue;
        found_.push_back({u, t});
        merged = true;
      }
    }
    if (merged) {
      std::sort(found_.begin(), found_.end(), [](const SourceTime& a, const SourceTime& b) {
        return a.source != b.source ? a.source < b.source : a.time_ms < b.time_ms;
      });
      found_.erase(std::unique(found_.begin(), found_.end(),
                               [](const SourceTime& a, const SourceTime& b) {
                                 return a.source == b.source;
                               }),
                   found_.end());
      std::sort(found_.begin(), found_.end(), [](const SourceTime& a, const SourceTime& b) {
        return a.time_ms != b.time_ms ? a.time_ms < b.time_ms : a.source < b.source;
      });
      if (found_.size() > k) found_.resize(k);
    }
    for (const auto& st : found_)
      if (seen.emplace(st.source, candidates.size()).second)
        candidates.push_back({st.source, st.time_ms, 0});
  }
  for (auto& c : candidates)
    for (size_t i = 0; i < slots.size(); ++i)
      if (units_[c.unit].type == slots[i].type &&
          dispatch::qualifies(slots[i], units_[c.unit].type, units_[c.unit].capabilities))
        c.slots |= uint64_t(1) << i;
  return dispatch::assign(counts, candidates, alternatives);
}

IndexRecommender::IndexRecommender(const Graph& graph, const routing::ContractionHierarchy& ch,
                                   const std::vector<Place>& places,
                                   const std::vector<UnitSpec>& units)
    : units_(units), index_(graph, ch) {
  for (uint32_t u = 0; u < places.size(); ++u) {
    if (!places[u].valid()) continue;
    auto it = std::find(types_.begin(), types_.end(), units[u].type);
    if (it == types_.end()) it = types_.insert(types_.end(), units[u].type);
    index_.set(u, places[u], uint32_t(it - types_.begin()));
  }
}

dispatch::Assignment IndexRecommender::recommend(const Place& target,
                                                 const dispatch::Requirement& requirement,
                                                 uint32_t alternatives) {
  const auto& slots = requirement.slots;
  std::vector<uint32_t> counts;
  for (const auto& s : slots) counts.push_back(s.count);
  std::vector<dispatch::Candidate> candidates;
  std::unordered_map<uint32_t, size_t> seen;
  for (size_t i = 0; i < slots.size(); ++i) {
    auto it = std::find(types_.begin(), types_.end(), slots[i].type);
    if (it == types_.end()) continue;
    uint32_t k = slots[i].count + alternatives;
    for (size_t j = 0; j < slots.size(); ++j)
      if (j != i && slots[j].type == slots[i].type) k += slots[j].count;
    std::function<bool(uint32_t)> accept = [&](uint32_t u) {
      return dispatch::qualifies(slots[i], units_[u].type, units_[u].capabilities);
    };
    index_.nearest(target, k, found_, slots[i].capabilities.empty() ? nullptr : &accept,
                   routing::SourceIndex::Groups{{uint32_t(it - types_.begin())}});
    for (const auto& st : found_)
      if (seen.emplace(st.source, candidates.size()).second)
        candidates.push_back({st.source, st.time_ms, 0});
  }
  for (auto& c : candidates)
    for (size_t i = 0; i < slots.size(); ++i)
      if (units_[c.unit].type == slots[i].type &&
          dispatch::qualifies(slots[i], units_[c.unit].type, units_[c.unit].capabilities))
        c.slots |= uint64_t(1) << i;
  return dispatch::assign(counts, candidates, alternatives);
}

}  // namespace liandong::bench
