// The correctness check on real road networks: contraction hierarchy queries (point to
// point), the source index (many-to-one and k-nearest, with and without a filter) agree exactly
// with plain Dijkstra, also after random sequences of source insertions, moves and removals.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "roadimport/test_data.h"
#include "routing/ch_query.h"
#include "routing/dijkstra.h"
#include "routing/place.h"
#include "routing/source_index.h"

namespace liandong::roadimport {
namespace {

using namespace routing;
using testing::Dataset;
using testing::scaled;

struct Rng {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint32_t below(uint32_t bound) { return uint32_t(next() % bound); }
};

// A node, or (one time in `arc_share`) a point part-way along a random arc.
Place random_place(const Graph& g, const std::vector<NodeId>& tails, Rng& rng,
                   uint32_t arc_share = 3) {
  if (rng.below(arc_share) != 0) return Place::at_node(rng.below(g.node_count()));
  const ArcId a = rng.below(g.arc_count());
  return Place{kInvalid, a, rng.below(g.time_ms[a] + 1), find_twin(g, tails, a)};
}

bool by_time_then_source(const SourceTime& a, const SourceTime& b) {
  return a.time_ms != b.time_ms ? a.time_ms < b.time_ms : a.source < b.source;
}

bool one_in_a_hundred(uint32_t source) { return (source * 2654435761u) % 100 == 7; }

// Travel times to one target from anywhere, by one reverse Dijkstra over the whole graph.
class Reference {
 public:
  explicit Reference(const Dataset& d) : graph_(d.graph), dijkstra_(d.graph, &d.reverse) {}

  void set_target(const Place& target) {
    target_ = target;
    seeds_.clear();
    arrival_seeds(graph_, target, seeds_);
    dist_ = &dijkstra_.all(seeds_, /*reverse=*/true);
  }

  uint32_t from(const Place& source) {
    uint32_t best = same_road_time(graph_, source, target_);
    seeds_.clear();
    departure_seeds(graph_, source, seeds_);
    for (const Seed& s : seeds_) {
      if ((*dist_)[s.node] != kInfinity) best = std::min(best, s.time_ms + (*dist_)[s.node]);
    }
    return best;
  }

  // Sources that reach the target, sorted by (time, source).
  std::vector<SourceTime> all(const std::map<uint32_t, Place>& sources) {
    std::vector<SourceTime> out;
    for (const auto& [id, place] : sources) {
      if (const uint32_t t = from(place); t != kInfinity) out.push_back({id, t});
    }
    std::sort(out.begin(), out.end(), by_time_then_source);
    return out;
  }

 private:
  const Graph& graph_;
  Dijkstra dijkstra_;
  Place target_;
  std::vector<Seed> seeds_;
  const std::vector<uint32_t>* dist_ = nullptr;
};

std::vector<SourceTime> first_k(const std::vector<SourceTime>& sorted, uint32_t k, bool filtered) {
  std::vector<SourceTime> out;
  for (const SourceTime& st : sorted) {
    if (out.size() == k) break;
    if (!filtered || one_in_a_hundred(st.source)) out.push_back(st);
  }
  return out;
}

// Checks times_to and nearest (k = 5, with and without the 1% filter) for `target`.
void check_target(SourceIndex& index, Reference& reference,
                  const std::map<uint32_t, Place>& sources, const Place& target) {
  reference.set_target(target);
  const std::vector<SourceTime> expected = reference.all(sources);
  std::vector<SourceTime> got;
  index.times_to(target, got);
  std::sort(got.begin(), got.end(), by_time_then_source);
  ASSERT_EQ(got, expected) << "many-to-one, target arc " << target.arc << " node " << target.node;
  index.nearest(target, 5, got);
  ASSERT_EQ(got, first_k(expected, 5, false)) << "5 nearest";
  const std::function<bool(uint32_t)> filter = one_in_a_hundred;
  index.nearest(target, 5, got, &filter);
  ASSERT_EQ(got, first_k(expected, 5, true)) << "5 nearest of 1%";
}

class RoutingAgreementTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RoutingAgreementTest, PointToPoint) {
  const Dataset* d = testing::dataset(GetParam());
  ASSERT_NE(d, nullptr);
  const Graph& g = d->graph;
  ChQuery ch(g, d->ch);
  Dijkstra dijkstra(g);
  Rng rng{1};
  uint32_t checked = 0;
  for (uint32_t i = 0; i < scaled(40); ++i) {
    const NodeId s = rng.below(g.node_count());
    const Seed seed{s, 0};
    const std::vector<uint32_t>& dist = dijkstra.all({&seed, 1}, false);
    for (uint32_t j = 0; j < 50; ++j, ++checked) {
      const NodeId t = rng.below(g.node_count());
      ASSERT_EQ(ch.distance(s, t), dist[t]) << "from " << g.external(s) << " to " << g.external(t);
    }
  }
  // Between places part-way along roads.
  const auto tails = g.tails();
  for (uint32_t i = 0; i < scaled(200); ++i, ++checked) {
    const Place from = random_place(g, tails, rng, 2), to = random_place(g, tails, rng, 2);
    ASSERT_EQ(ch.distance(from, to), dijkstra.distance(from, to))
        << "arc " << from.arc << " +" << from.along_ms << " to arc " << to.arc << " +"
        << to.along_ms;
  }
  EXPECT_GE(checked, scaled(2200));
}

TEST_P(RoutingAgreementTest, ManyToOneAndNearest) {
  const Dataset* d = testing::dataset(GetParam());
  ASSERT_NE(d, nullptr);
  const Graph& g = d->graph;
  const auto tails = g.tails();
  Rng rng{2};
  // 200 sources for many-to-one; 2000 so that the 1% filter leaves a score of them.
  for (uint32_t count : {200u, 2000u}) {
    SourceIndex index(g, d->ch);
    std::map<uint32_t, Place> sources;
    for (uint32_t s = 0; s < count; ++s) {
      sources[s] = random_place(g, tails, rng);
      index.set(s, sources[s]);
    }
    ASSERT_EQ(index.size(), count);
    Reference reference(*d);
    for (uint32_t i = 0; i < scaled(count == 200 ? 60 : 40); ++i) {
      check_target(index, reference, sources, random_place(g, tails, rng));
      if (HasFatalFailure()) return;
    }
  }
}

TEST_P(RoutingAgreementTest, NearestAgreesWithDijkstraNearest) {
  const Dataset* d = testing::dataset(GetParam());
  ASSERT_NE(d, nullptr);
  const Graph& g = d->graph;
  const auto tails = g.tails();
  Rng rng{3};
  // Sources at nodes, the shape Dijkstra::nearest takes (CSR over nodes).
  SourceIndex index(g, d->ch);
  std::vector<NodeId> at(1000);
  for (uint32_t s = 0; s < at.size(); ++s) {
    at[s] = rng.below(g.node_count());
    index.set(s, Place::at_node(at[s]));
  }
  std::vector<uint32_t> first(g.node_count() + 1, 0), sources_at(at.size());
  for (NodeId v : at) ++first[v + 1];
  for (uint32_t v = 0; v < g.node_count(); ++v) first[v + 1] += first[v];
  std::vector<uint32_t> next(first.begin(), first.end() - 1);
  for (uint32_t s = 0; s < at.size(); ++s) sources_at[next[at[s]]++] = s;
  Dijkstra dijkstra(g, &d->reverse);
  const std::function<bool(uint32_t)> filter = one_in_a_hundred;
  std::vector<SourceTime> got, expected;
  for (uint32_t i = 0; i < scaled(100); ++i) {
    const Place target = random_place(g, tails, rng);
    for (const auto* accept :
         {static_cast<const std::function<bool(uint32_t)>*>(nullptr), &filter}) {
      index.nearest(target, 5, got, accept);
      dijkstra.nearest(target, 5, first, sources_at, accept, expected);
      ASSERT_EQ(got, expected) << "target arc " << target.arc << " node " << target.node
                               << (accept ? " filtered" : "");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(RealData, RoutingAgreementTest,
                         ::testing::Values("monaco", "liechtenstein", "ny"));

TEST(RoutingKnownAnswer, NewYorkNode1ToNode1000) {
  const Dataset* d = testing::dataset("ny");
  ASSERT_NE(d, nullptr);
  if (testing::kNewYorkNodes == 0) {
    ASSERT_EQ(d->graph.node_count(), 264'346u);
    ASSERT_EQ(d->graph.arc_count(), 733'846u);
  }
  NodeId one = kInvalid, thousand = kInvalid;
  for (NodeId v = 0; v < d->graph.node_count(); ++v) {
    if (d->graph.external(v) == 1) one = v;
    if (d->graph.external(v) == 1000) thousand = v;
  }
  ASSERT_NE(one, kInvalid);
  ASSERT_NE(thousand, kInvalid);
  Dijkstra dijkstra(d->graph);
  EXPECT_EQ(dijkstra.distance(one, thousand), 61253u);
  ChQuery ch(d->graph, d->ch);
  EXPECT_EQ(ch.distance(one, thousand), 61253u);
}

// Random insertions, moves and removals; after every batch the index agrees with the reference.
void churn(const std::string& name, uint32_t operations, uint32_t id_range, uint64_t seed) {
  const Dataset* d = testing::dataset(name);
  ASSERT_NE(d, nullptr);
  const Graph& g = d->graph;
  const auto tails = g.tails();
  Rng rng{seed};
  SourceIndex index(g, d->ch);
  Reference reference(*d);
  std::map<uint32_t, Place> sources;
  for (uint32_t op = 1; op <= operations; ++op) {
    const uint32_t id = rng.below(id_range);
    const uint32_t what = rng.below(20);
    if (what < 12) {  // insert or move
      const Place p = random_place(g, tails, rng);
      sources[id] = p;
      index.set(id, p);
    } else if (what < 14 && sources.count(id)) {  // set again at the same place
      index.set(id, sources[id]);
    } else if (what < 18) {
      sources.erase(id);
      index.remove(id);
    } else {  // an invalid place removes too
      sources.erase(id);
      index.set(id, Place{});
    }
    if (op % 50 == 0) {
      ASSERT_EQ(index.size(), sources.size()) << "after " << op << " operations";
      for (uint32_t probe = 0; probe < 20; ++probe) {
        const uint32_t s = rng.below(id_range);
        ASSERT_EQ(index.contains(s), sources.count(s) == 1) << "source " << s;
      }
      for (uint32_t i = 0; i < 3; ++i) {
        check_target(index, reference, sources, random_place(g, tails, rng));
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
}

TEST(SourceIndexProperty, RandomChurnLiechtenstein) {
  churn("liechtenstein", scaled(4000), 300, 11);
}
TEST(SourceIndexProperty, RandomChurnNewYork) { churn("ny", scaled(1000), 400, 12); }

}  // namespace
}  // namespace liandong::roadimport
