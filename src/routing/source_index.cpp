#include "routing/source_index.h"

#include <algorithm>
#include <functional>
#include <unordered_map>

#include "routing/internal/bucket.h"
#include "routing/internal/upward_search.h"

namespace liandong::routing {

using internal::Bucket;
using internal::entry_key;
using internal::entry_source;
using internal::entry_time;

struct SourceIndex::Impl {
  struct Source {
    bool present = false;
    uint32_t group = 0;
    Place place;
    std::vector<std::pair<uint32_t, uint32_t>> entries;  // (rank, time) of its bucket entries
  };

  // A group's buckets: slot[rank] is 1 + the index of the rank's bucket, 0 for none (allocated
  // on the group's first source).
  struct Group {
    std::vector<uint32_t> slot;
    std::vector<Bucket> buckets;
    uint32_t sources = 0;
    const Bucket* find(uint32_t rank) const {
      if (slot.empty() || slot[rank] == 0) return nullptr;
      return &buckets[slot[rank] - 1];
    }
  };

  Impl(const Graph& g, const ContractionHierarchy& c)
      : graph(g), ch(c), from_source(c, true, false), to_target(c, false, false) {}

  const Graph& graph;
  const ContractionHierarchy& ch;
  std::vector<Group> groups;
  std::vector<uint32_t> active;  // the groups a query reads
  std::vector<Source> sources;
  uint32_t present = 0;
  uint64_t entries = 0;
  // Sources by the arcs they are on (place.arc and place.twin), for the same-road case.
  std::unordered_map<ArcId, std::vector<uint32_t>> on_arc;

  // A source's upward search, and a target's backward one.
  internal::UpwardSearch from_source;
  internal::UpwardSearch to_target;
  std::vector<Seed> seeds;
  // Per-source scratch for queries.
  std::vector<uint32_t> best;
  std::vector<uint32_t> best_stamp;
  uint32_t stamp = 0;
  std::vector<uint32_t> found;
  // k-nearest candidates (kept between queries to reuse the allocation).
  struct Candidate {
    uint64_t key;          // (time << 32 | source)
    const Bucket* bucket;  // null for a same-road candidate
    uint32_t base;         // backward time of the node
    Bucket::Cursor cursor;
    bool operator>(const Candidate& o) const { return key > o.key; }
  };
  std::vector<Candidate> candidates;

  void start_backward(const Place& target) {
    to_target.clear();
    arrival_seeds(graph, target, seeds);
    for (const Seed& s : seeds) to_target.push(ch.rank[s.node], s.time_ms);
  }

  void remove(uint32_t id) {
    if (id >= sources.size() || !sources[id].present) return;
    Source& s = sources[id];
    Group& group = groups[s.group];
    const auto& list = s.entries;
    for (size_t i = 0; i < list.size(); ++i) {
      prefetch_ahead(group, list, i);
      group.buckets[group.slot[list[i].first] - 1].erase(entry_key(list[i].second, id));
    }
    --group.sources;
    entries -= s.entries.size();
    s.entries.clear();  // keeps its capacity for the source's next place
    for (ArcId a : {s.place.arc, s.place.twin}) {
      if (a == kInvalid) continue;
      auto it = on_arc.find(a);
      if (it == on_arc.end()) continue;
      auto& list = it->second;
      list.erase(std::remove(list.begin(), list.end(), id), list.end());
      if (list.empty()) on_arc.erase(it);
    }
    s.present = false;
    --present;
  }

  // Bucket edits of one source touch ~60 buckets scattered in memory; each edit is a chain of
  // dependent loads (directory slot, bucket, block index, block). Prefetching a few entries
  // ahead, one level per step, lets the misses of different buckets overlap.
  static void prefetch_ahead(const Group& group, const std::vector<std::pair<uint32_t, uint32_t>>& list,
                             size_t i) {
    if (i + 8 < list.size()) __builtin_prefetch(&group.slot[list[i + 8].first]);
    if (i + 4 < list.size()) {
      const uint32_t slot = group.slot[list[i + 4].first];
      if (slot != 0) __builtin_prefetch(&group.buckets[slot - 1]);
    }
    if (i + 2 < list.size()) {
      const uint32_t slot = group.slot[list[i + 2].first];
      if (slot != 0) group.buckets[slot - 1].prefetch();
    }
  }

  Bucket& bucket_for(Group& group, uint32_t rank) {
    if (group.slot[rank] == 0) {
      group.buckets.emplace_back();
      group.slot[rank] = uint32_t(group.buckets.size());
    }
    return group.buckets[group.slot[rank] - 1];
  }

  void set(uint32_t id, const Place& place, uint32_t group_id) {
    // A unit standing still reports the same place over and over: nothing to do.
    if (id < sources.size() && sources[id].present && sources[id].place == place &&
        sources[id].group == group_id) {
      return;
    }
    remove(id);
    if (!place.valid()) return;
    if (id >= sources.size()) {
      sources.resize(size_t(id) + 1);
      best.resize(sources.size(), kInfinity);
      best_stamp.resize(sources.size(), 0);
    }
    if (group_id >= groups.size()) groups.resize(size_t(group_id) + 1);
    Group& group = groups[group_id];
    if (group.slot.empty()) group.slot.assign(ch.node_count(), 0);  // the group's first source
    Source& s = sources[id];
    s.present = true;
    s.group = group_id;
    s.place = place;
    ++present;
    ++group.sources;
    from_source.clear();
    departure_seeds(graph, place, seeds);
    for (const Seed& seed : seeds) from_source.push(ch.rank[seed.node], seed.time_ms);
    uint32_t r, d;
    bool stalled;
    while (from_source.settle_next(&r, &d, &stalled)) {
      if (!stalled) s.entries.push_back({r, d});
    }
    const auto& list = s.entries;
    for (size_t i = 0; i < list.size(); ++i) {
      prefetch_ahead(group, list, i);
      bucket_for(group, list[i].first).insert(entry_key(list[i].second, id));
    }
    entries += s.entries.size();
    for (ArcId a : {place.arc, place.twin}) {
      if (a != kInvalid) on_arc[a].push_back(id);
    }
  }

  void choose_groups(const Groups& wanted) {
    active.clear();
    if (wanted.only.empty()) {
      for (uint32_t g = 0; g < groups.size(); ++g) {
        if (groups[g].sources > 0) active.push_back(g);
      }
      return;
    }
    for (uint32_t g : wanted.only) {
      if (g < groups.size() && groups[g].sources > 0 &&
          std::find(active.begin(), active.end(), g) == active.end()) {
        active.push_back(g);
      }
    }
  }
  bool is_active(uint32_t group) const {
    return std::find(active.begin(), active.end(), group) != active.end();
  }

  // Same-road candidates: sources on the target's road before it (of the active groups).
  template <typename F>
  void same_road(const Place& target, F&& f) {
    if (target.arc == kInvalid) return;
    for (ArcId a : {target.arc, target.twin}) {
      if (a == kInvalid) continue;
      const auto it = on_arc.find(a);
      if (it == on_arc.end()) continue;
      for (uint32_t id : it->second) {
        if (!is_active(sources[id].group)) continue;
        const uint32_t t = same_road_time(graph, sources[id].place, target);
        if (t != kInfinity) f(id, t);
      }
    }
  }
};

SourceIndex::SourceIndex(const Graph& graph, const ContractionHierarchy& ch)
    : impl_(std::make_unique<Impl>(graph, ch)) {}
SourceIndex::~SourceIndex() = default;

void SourceIndex::set(uint32_t source, const Place& place, uint32_t group) {
  impl_->set(source, place, group);
}
void SourceIndex::remove(uint32_t source) { impl_->remove(source); }
bool SourceIndex::contains(uint32_t source) const {
  return source < impl_->sources.size() && impl_->sources[source].present;
}
uint32_t SourceIndex::size() const { return impl_->present; }
uint64_t SourceIndex::entry_count() const { return impl_->entries; }

void SourceIndex::times_to(const Place& target, std::vector<SourceTime>& out,
                           const Groups& groups) {
  Impl& m = *impl_;
  out.clear();
  m.choose_groups(groups);
  if (++m.stamp == 0) {
    std::fill(m.best_stamp.begin(), m.best_stamp.end(), 0);
    m.stamp = 1;
  }
  m.found.clear();
  auto offer = [&](uint32_t id, uint32_t t) {
    if (m.best_stamp[id] != m.stamp) {
      m.best_stamp[id] = m.stamp;
      m.best[id] = t;
      m.found.push_back(id);
    } else if (t < m.best[id]) {
      m.best[id] = t;
    }
  };
  m.same_road(target, offer);
  m.start_backward(target);
  uint32_t r, d;
  bool stalled;
  while (m.to_target.settle_next(&r, &d, &stalled)) {
    if (stalled) continue;
    for (uint32_t g : m.active) {
      const Bucket* bucket = m.groups[g].find(r);
      if (bucket == nullptr) continue;
      bucket->for_each([&](uint64_t key) {
        const uint64_t t = uint64_t(d) + entry_time(key);
        if (t < kInfinity) offer(entry_source(key), uint32_t(t));
      });
    }
  }
  out.reserve(m.found.size());
  for (uint32_t id : m.found) out.push_back({id, m.best[id]});
}

void SourceIndex::nearest(const Place& target, uint32_t k, std::vector<SourceTime>& out,
                          const std::function<bool(uint32_t)>* accept, const Groups& groups) {
  Impl& m = *impl_;
  out.clear();
  if (k == 0 || m.present == 0) return;
  m.choose_groups(groups);
  if (++m.stamp == 0) {
    std::fill(m.best_stamp.begin(), m.best_stamp.end(), 0);
    m.stamp = 1;
  }
  // Candidates in (time, source) order: each is a bucket cursor at its next entry, keyed by the
  // backward time of its node plus the entry's time. A candidate is final once its time is below
  // every node the backward search has not settled yet.
  using Candidate = Impl::Candidate;
  std::vector<Candidate>& candidates = m.candidates;
  candidates.clear();
  auto push_candidate = [&](const Candidate& c) {
    candidates.push_back(c);
    std::push_heap(candidates.begin(), candidates.end(), std::greater<Candidate>());
  };
  auto push_cursor = [&](const Bucket* b, uint32_t base, Bucket::Cursor cursor) {
    if (!b->valid(cursor)) return;
    const uint64_t e = b->at(cursor);
    const uint64_t t = uint64_t(base) + entry_time(e);
    if (t >= kInfinity) return;
    push_candidate({(t << 32) | entry_source(e), b, base, cursor});
  };
  m.same_road(target, [&](uint32_t id, uint32_t t) {
    push_candidate({(uint64_t(t) << 32) | id, nullptr, 0, {}});
  });
  m.start_backward(target);
  while (out.size() < k) {
    const uint32_t frontier = m.to_target.min_time();
    if (!candidates.empty() &&
        (entry_time(candidates.front().key) < frontier || frontier == kInfinity)) {
      std::pop_heap(candidates.begin(), candidates.end(), std::greater<Candidate>());
      Candidate c = candidates.back();
      candidates.pop_back();
      const uint32_t id = entry_source(c.key);
      if (m.best_stamp[id] != m.stamp) {
        m.best_stamp[id] = m.stamp;  // its first appearance is its least time
        if (accept == nullptr || (*accept)(id)) out.push_back({id, entry_time(c.key)});
      }
      if (c.bucket != nullptr) {
        c.bucket->advance(c.cursor);
        push_cursor(c.bucket, c.base, c.cursor);
      }
      continue;
    }
    uint32_t r, d;
    bool stalled;
    if (!m.to_target.settle_next(&r, &d, &stalled)) {
      if (candidates.empty()) break;
      continue;
    }
    if (stalled) continue;
    for (uint32_t g : m.active) {
      if (const Bucket* bucket = m.groups[g].find(r)) push_cursor(bucket, d, Bucket::Cursor{});
    }
  }
}

}  // namespace liandong::routing
