#include "dispatch/move_up.h"

#include <gtest/gtest.h>

#include "routing/ascii_map.h"
#include "routing/dijkstra.h"
#include "routing/test_graphs.h"

namespace liandong::dispatch {
namespace {

using routing::NodeId;
using routing::Place;

Coverage make(const routing::Graph& g) { return std::move(Coverage::create(g)).value(); }

// a - g, 10 s apart; weights a 100, g 100, the others 200: total 1200.
// Units 1 at a (covers a b within 10 s) and 2 at b (a b c): 500 covered.
// Posts 11 at d, 12 at f, 13 at a.
struct Line {
  routing::testing::AsciiMap m = routing::testing::draw("abcdefg", {{"abcdefg"}});
  std::vector<Site> units = {{1, Place::at_node(m['a'])}, {2, Place::at_node(m['b'])}};
  std::vector<Site> posts = {
      {11, Place::at_node(m['d'])}, {12, Place::at_node(m['f'])}, {13, Place::at_node(m['a'])}};
};

TEST(MoveUp, TakesTheBestMoveThenStops) {
  Line l;
  Coverage c = make(l.m.graph);
  // Unit 1 to f: b stays covered by unit 2, e f g come: 1000. Then no move gains.
  const std::vector<MoveUp> moves = suggest_move_ups(c, l.units, l.posts, 10000, {3, 0.0});
  ASSERT_EQ(moves.size(), 1u);
  EXPECT_EQ(moves[0], (MoveUp{1, 12, 500.0 / 1200, 1000.0 / 1200, 50000}));
}

TEST(MoveUp, LimitsOnTravelGainAndCount) {
  Line l;
  Coverage c = make(l.m.graph);
  // f is 50 s from a: the next best is unit 1 to d (30 s), then nothing gains (unit 2 to f would
  // trade a b for f g: zero).
  MoveUpOptions o{3, 0.0, 40000};
  std::vector<MoveUp> moves = suggest_move_ups(c, l.units, l.posts, 10000, o);
  ASSERT_EQ(moves.size(), 1u);
  EXPECT_EQ(moves[0], (MoveUp{1, 11, 500.0 / 1200, 900.0 / 1200, 30000}));

  o = {3, 0.5};  // unit 1 to f gains 5/12 < 0.5
  EXPECT_TRUE(suggest_move_ups(c, l.units, l.posts, 10000, o).empty());
  o = {3, 0.41};
  EXPECT_EQ(suggest_move_ups(c, l.units, l.posts, 10000, o).size(), 1u);
  o = {0, 0.0};
  EXPECT_TRUE(suggest_move_ups(c, l.units, l.posts, 10000, o).empty());
}

TEST(MoveUp, SeveralMoves) {
  Line l;
  Coverage c = make(l.m.graph);
  // Three units at a (a b: 300). Unit 1 to d brings c d e (+600); then unit 2 to f brings f g
  // (+300, e is covered): everything. Unit 3 stays: a b would be lost.
  l.units = {
      {1, Place::at_node(l.m['a'])}, {2, Place::at_node(l.m['a'])}, {3, Place::at_node(l.m['a'])}};
  const std::vector<MoveUp> moves = suggest_move_ups(c, l.units, l.posts, 10000, {3, 0.0});
  ASSERT_EQ(moves.size(), 2u);
  EXPECT_EQ(moves[0], (MoveUp{1, 11, 300.0 / 1200, 900.0 / 1200, 30000}));
  EXPECT_EQ(moves[1], (MoveUp{2, 12, 900.0 / 1200, 1.0, 50000}));
}

TEST(MoveUp, NothingToMove) {
  Line l;
  Coverage c = make(l.m.graph);
  EXPECT_TRUE(suggest_move_ups(c, {}, l.posts, 10000).empty());
  EXPECT_TRUE(suggest_move_ups(c, l.units, {}, 10000).empty());
  // Units off the graph neither cover nor move; posts off the graph are not used.
  const std::vector<Site> lost = {{7, Place{}}};
  const std::vector<Site> nowhere = {{8, Place::at_node(999)}};
  EXPECT_TRUE(suggest_move_ups(c, lost, l.posts, 10000, {3, 0.0}).empty());
  EXPECT_TRUE(suggest_move_ups(c, l.units, nowhere, 10000, {3, 0.0}).empty());
}

TEST(MoveUp, UnreachablePostsAreSkipped) {
  // a → b one way, c → d one way: a unit at a cannot drive to the post at c.
  const routing::testing::AsciiMap m =
      routing::testing::draw("ab.cd", {{"ab", 36, true}, {"cd", 36, true}});
  Coverage c = make(m.graph);
  const std::vector<Site> units = {{1, Place::at_node(m['b'])}};
  const std::vector<Site> posts = {{2, Place::at_node(m['c'])}};
  EXPECT_TRUE(suggest_move_ups(c, units, posts, 10000, {3, 0.0}).empty());
}

// The reference: covered weight of a set of places, recomputed from scratch.
double covered(Coverage& c, const std::vector<Place>& places, uint32_t limit) {
  return c.share(places, limit) * c.total_weight();
}

Place random_place(const routing::Graph& g, const std::vector<NodeId>& tails,
                   routing::testing::Rng& rng) {
  if (rng.below(2) == 0) return Place::at_node(rng.below(g.node_count()));
  const routing::ArcId a = rng.below(g.arc_count());
  return {routing::kInvalid, a, rng.below(g.time_ms[a] + 1), routing::find_twin(g, tails, a)};
}

// Every suggested move is the best single move at its point (checked by recomputing the covered
// weight for every unit and post), the shares are the recomputed ones, and the greedy stops when
// no move gains.
TEST(MoveUp, EachMoveIsTheBestByBruteForce) {
  int moved = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const routing::Graph g = routing::testing::random_graph(60 + uint32_t(seed) * 3, seed);
    const std::vector<NodeId> tails = g.tails();
    routing::testing::Rng rng{seed * 977};
    std::vector<Site> units, posts;
    for (uint32_t i = 0, k = 2 + rng.below(5); i < k; ++i) {
      units.push_back({100 + i, random_place(g, tails, rng)});
    }
    for (uint32_t i = 0, k = 2 + rng.below(8); i < k; ++i) {
      posts.push_back({200 + i, random_place(g, tails, rng)});
    }
    const uint32_t limit = 10000 + rng.below(30000);
    const MoveUpOptions options{4, 0.01};
    Coverage c = make(g);
    const std::vector<MoveUp> moves = suggest_move_ups(c, units, posts, limit, options);
    SCOPED_TRACE("seed " + std::to_string(seed));

    routing::Dijkstra dijkstra(g);
    std::vector<Place> at;
    for (const Site& u : units) at.push_back(u.place);
    std::vector<bool> moved_already(units.size(), false);
    for (size_t round = 0; round <= moves.size() && round < options.max_moves; ++round) {
      const double before = covered(c, at, limit);
      double best = options.min_gain * c.total_weight();
      int best_u = -1, best_p = -1;
      for (size_t u = 0; u < units.size(); ++u) {
        if (moved_already[u]) continue;
        for (size_t p = 0; p < posts.size(); ++p) {
          if (dijkstra.distance(units[u].place, posts[p].place) == routing::kInfinity) continue;
          std::vector<Place> after = at;
          after[u] = posts[p].place;
          const double gain = covered(c, after, limit) - before;
          if (gain > best) best = gain, best_u = int(u), best_p = int(p);
        }
      }
      if (round == moves.size()) {
        EXPECT_EQ(best_u, -1) << "stopped although a move gains " << best;
        break;
      }
      ASSERT_NE(best_u, -1) << "suggested a move that gains too little";
      const MoveUp& m = moves[round];
      EXPECT_EQ(m.unit, units[best_u].id);
      EXPECT_EQ(m.post, posts[best_p].id);
      EXPECT_EQ(m.share_before, c.share(at, limit));
      at[best_u] = posts[best_p].place;
      moved_already[best_u] = true;
      EXPECT_EQ(m.share_after, c.share(at, limit));
      EXPECT_EQ(m.travel_ms, dijkstra.distance(units[best_u].place, posts[best_p].place));
      ++moved;
    }
  }
  EXPECT_GT(moved, 20);  // the instances do exercise moves
}

// The size the design asks for: 50 units and 100 posts on a 30,000-node graph, at a T where each
// unit covers about 500 nodes and the units together about half. Checks the answer's shape;
// docs/DISPATCH.md gives the time measured.
TEST(MoveUp, ThirtyThousandNodes) {
  const routing::Graph g = routing::testing::random_graph(30000, 5);
  const std::vector<NodeId> tails = g.tails();
  routing::testing::Rng rng{99};
  std::vector<Site> units, posts;
  for (uint32_t i = 0; i < 50; ++i) units.push_back({i, random_place(g, tails, rng)});
  for (uint32_t i = 0; i < 100; ++i) posts.push_back({1000 + i, random_place(g, tails, rng)});
  Coverage c = make(g);
  const std::vector<MoveUp> moves = suggest_move_ups(c, units, posts, 120000, {5, 0.005});
  ASSERT_FALSE(moves.empty());
  for (size_t i = 0; i < moves.size(); ++i) {
    EXPECT_GT(moves[i].share_after - moves[i].share_before, 0.005);
    if (i > 0) {
      EXPECT_EQ(moves[i].share_before, moves[i - 1].share_after);
    }
  }
}

}  // namespace
}  // namespace liandong::dispatch
