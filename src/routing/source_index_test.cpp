#include "routing/source_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "routing/ascii_map.h"
#include "routing/ch.h"
#include "routing/dijkstra.h"
#include "routing/test_graphs.h"

namespace liandong::routing {
namespace {

// The reference: one reverse Dijkstra from the target, then each source's best departure seed
// (and the same-road case).
class Reference {
 public:
  explicit Reference(const Graph& g) : g_(g), reverse_(ReverseIndex::build(g)), dijkstra_(g, &reverse_) {}

  std::vector<SourceTime> times(const std::map<uint32_t, Place>& sources, const Place& target) {
    std::vector<Seed> seeds;
    arrival_seeds(g_, target, seeds);
    const std::vector<uint32_t>& to = dijkstra_.all(seeds, true);
    std::vector<SourceTime> out;
    std::vector<Seed> departures;
    for (const auto& [id, place] : sources) {
      departure_seeds(g_, place, departures);
      uint64_t best = same_road_time(g_, place, target);
      for (const Seed& s : departures) {
        if (to[s.node] != kInfinity) best = std::min<uint64_t>(best, uint64_t(s.time_ms) + to[s.node]);
      }
      if (best < kInfinity) out.push_back({id, uint32_t(best)});
    }
    std::sort(out.begin(), out.end(), [](const SourceTime& a, const SourceTime& b) {
      return a.time_ms != b.time_ms ? a.time_ms < b.time_ms : a.source < b.source;
    });
    return out;
  }

 private:
  const Graph& g_;
  ReverseIndex reverse_;
  Dijkstra dijkstra_;
};

std::vector<SourceTime> sorted(std::vector<SourceTime> v) {
  std::sort(v.begin(), v.end(), [](const SourceTime& a, const SourceTime& b) {
    return a.time_ms != b.time_ms ? a.time_ms < b.time_ms : a.source < b.source;
  });
  return v;
}

Place random_place(const Graph& g, const std::vector<NodeId>& tails, testing::Rng& rng) {
  if (rng.below(3) == 0) return Place::at_node(rng.below(g.node_count()));
  const ArcId a = rng.below(g.arc_count());
  return Place{kInvalid, a, rng.below(g.time_ms[a] + 1), find_twin(g, tails, a)};
}

TEST(SourceIndexAscii, NearestAmbulanceByRoadNotByDistance) {
  // x is the incident. Unit 1 is close in a straight line but across a one-way street that
  // points away; unit 2 is further but on the road in.
  const auto map = testing::draw(R"(
a...x...b
        .
        c...d
)",
                                 {{"xa", 36, true}, {"bx"}, {"bcd"}});
  const auto ch = build_contraction_hierarchy(map.graph, {});
  SourceIndex index(map.graph, ch);
  index.set(1, Place::at_node(map['a']));
  index.set(2, Place::at_node(map['c']));
  index.set(3, Place::at_node(map['d']));
  std::vector<SourceTime> out;
  index.nearest(Place::at_node(map['x']), 2, out);
  // a cannot reach x at all (x → a is one-way); c is 200 + 400 m away, d 400 m more.
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], (SourceTime{2, 60000}));
  EXPECT_EQ(out[1], (SourceTime{3, 100000}));
  index.times_to(Place::at_node(map['x']), out);
  EXPECT_EQ(sorted(out), (std::vector<SourceTime>{{2, 60000}, {3, 100000}}));
  // Move unit 2 next to the incident, remove 3.
  index.set(2, Place::at_node(map['b']));
  index.remove(3);
  index.nearest(Place::at_node(map['x']), 5, out);
  EXPECT_EQ(out, (std::vector<SourceTime>{{2, 40000}}));
  EXPECT_EQ(index.size(), 2u);
  EXPECT_FALSE(index.contains(3));
  // An invalid place removes.
  index.set(2, Place{});
  EXPECT_FALSE(index.contains(2));
  index.nearest(Place::at_node(map['x']), 5, out);
  EXPECT_TRUE(out.empty());
}

TEST(DijkstraReference, BuildsItsOwnReverseIndexWhenNoneIsGiven) {
  const auto map = testing::draw("a...b...c", {{"abc"}});
  Dijkstra dijkstra(map.graph);  // no ReverseIndex
  ASSERT_EQ(map['a'], 0u);
  ASSERT_EQ(map['b'], 1u);
  // One source at a (id 0), one at b (id 1), none at c.
  const std::vector<uint32_t> sources_first{0, 1, 2, 2};
  std::vector<uint32_t> sources_at{0, 1};
  std::vector<SourceTime> out;
  dijkstra.nearest(Place::at_node(map['c']), 1, sources_first, sources_at, nullptr, out);
  EXPECT_EQ(out, (std::vector<SourceTime>{{1, 40000}}));
  const Seed seed{map['c'], 0};
  EXPECT_EQ(dijkstra.all(std::span<const Seed>(&seed, 1), true)[map['a']], 80000u);
}

TEST(SourceIndexAscii, SameRoadUnitAhead) {
  // One long one-way road; a unit part-way along it before the incident, another after it.
  const auto map = testing::draw("a.........b", {{"ab", 36, true}, {"ba", 18, true}});
  const auto ch = build_contraction_hierarchy(map.graph, {});
  const ArcId ab = find_arc(map.graph, map['a'], map['b']);
  SourceIndex index(map.graph, ch);
  index.set(7, Place{kInvalid, ab, 20000, kInvalid});
  index.set(8, Place{kInvalid, ab, 80000, kInvalid});
  std::vector<SourceTime> out;
  const Place incident{kInvalid, ab, 50000, kInvalid};
  index.nearest(incident, 2, out);
  // 7 drives 30 s; 8 must go on to b, back along ba (1000 m at 5 m/s), then 50 s: 20 + 200 + 50.
  EXPECT_EQ(out, (std::vector<SourceTime>{{7, 30000}, {8, 270000}}));
}

// Property: after random insertions, moves and removals, many-to-one and k-nearest (with and
// without a filter) equal the reference.
TEST(SourceIndexProperty, RandomUpdatesAgreeWithDijkstra) {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    const Graph g = testing::random_graph(seed <= 2 ? 80 : 1500, seed);
    const auto ch = build_contraction_hierarchy(g, {});
    const auto tails = g.tails();
    SourceIndex index(g, ch);
    Reference reference(g);
    std::map<uint32_t, Place> truth;
    testing::Rng rng{seed * 1000 + 1};
    const uint32_t id_space = seed <= 2 ? 20 : 400;
    std::vector<SourceTime> out;
    for (int step = 0; step < 400; ++step) {
      const uint32_t op = rng.below(10);
      const uint32_t id = rng.below(id_space);
      if (op < 6) {
        const Place p = random_place(g, tails, rng);
        index.set(id, p, id % 3);  // the group follows the id, so the reference can tell
        truth[id] = p;
      } else if (op < 8) {
        index.remove(id);
        truth.erase(id);
      } else {
        const Place target = random_place(g, tails, rng);
        const auto expected = reference.times(truth, target);
        index.times_to(target, out);
        ASSERT_EQ(sorted(out), expected) << "seed " << seed << " step " << step;
        const uint32_t k = 1 + rng.below(6);
        index.nearest(target, k, out);
        std::vector<SourceTime> first_k(expected.begin(),
                                        expected.begin() + std::min<size_t>(k, expected.size()));
        ASSERT_EQ(out, first_k) << "seed " << seed << " step " << step << " k " << k;
        // A filter: only ids divisible by 7.
        const std::function<bool(uint32_t)> accept = [](uint32_t s) { return s % 7 == 0; };
        index.nearest(target, k, out, &accept);
        std::vector<SourceTime> filtered;
        for (const auto& st : expected) {
          if (st.source % 7 == 0 && filtered.size() < k) filtered.push_back(st);
        }
        ASSERT_EQ(out, filtered) << "seed " << seed << " step " << step << " filtered";
        // Groups: only group 1 (ids ≡ 1 mod 3), and group 1 with the predicate.
        std::vector<SourceTime> in_group, in_group_filtered, all_in_group;
        for (const auto& st : expected) {
          if (st.source % 3 != 1) continue;
          all_in_group.push_back(st);
          if (in_group.size() < k) in_group.push_back(st);
          if (st.source % 7 == 0 && in_group_filtered.size() < k) in_group_filtered.push_back(st);
        }
        const SourceIndex::Groups one{{1}};
        index.nearest(target, k, out, nullptr, one);
        ASSERT_EQ(out, in_group) << "seed " << seed << " step " << step << " group";
        index.nearest(target, k, out, &accept, one);
        ASSERT_EQ(out, in_group_filtered) << "seed " << seed << " step " << step << " group+filter";
        index.times_to(target, out, one);
        ASSERT_EQ(sorted(out), all_in_group) << "seed " << seed << " step " << step;
        index.nearest(target, k, out, nullptr, SourceIndex::Groups{{57}});  // a group never used
        ASSERT_TRUE(out.empty());
      }
      ASSERT_EQ(index.size(), truth.size());
    }
    // Removing everything leaves no bucket entries behind.
    for (const auto& [id, place] : truth) index.remove(id);
    EXPECT_EQ(index.entry_count(), 0u);
  }
}

}  // namespace
}  // namespace liandong::routing
