// Move-ups: relocating available units to posts (stations, standby points) so that the network
// stays covered while other units are busy.
//
// Greedy: each round considers every (unit, post) pair, where the unit has not moved yet, and
// scores the change of covered share (coverage.h) if that unit were at that post instead of where
// it is (its own cover goes, the post's comes). The best pair is taken if it gains more than
// `min_gain` (a share: 0.005 = half a percentage point; at least 1e-12, above rounding noise) and
// the unit can drive to the post within `max_travel_ms`; the next round starts from the new
// positions. At most `max_moves` rounds. Ties: the earlier unit in `units`, then the earlier post
// in `posts`.
// Greedy is not optimal for several moves (choosing the best set of moves is NP-hard, like
// maximum coverage) but each suggested move is the best single move at its point.
//
// Cost: one search bounded at T per unit and per post, then per round O(posts' and units' cover
// sizes + units × posts) by counting how many units cover each node (docs/DISPATCH.md). Units and
// posts whose places are not on the graph are ignored. Uses `coverage`'s scratch space: not
// thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "dispatch/coverage.h"
#include "routing/graph.h"
#include "routing/place.h"

namespace liandong::dispatch {

struct Site {
  uint32_t id = 0;  // the caller's unit or post id
  routing::Place place;
};

struct MoveUpOptions {
  uint32_t max_moves = 3;
  double min_gain = 0.005;
  uint32_t max_travel_ms = routing::kInfinity;  // longest drive from the unit to the post
};

struct MoveUp {
  uint32_t unit = 0;
  uint32_t post = 0;
  double share_before = 0;  // covered share before this move (after the earlier ones)
  double share_after = 0;
  uint32_t travel_ms = 0;  // the unit's drive to the post
  bool operator==(const MoveUp&) const = default;
};

// Up to options.max_moves moves, in the order to make them; empty when none gains enough.
std::vector<MoveUp> suggest_move_ups(Coverage& coverage, std::span<const Site> units,
                                     std::span<const Site> posts, uint32_t limit_ms,
                                     const MoveUpOptions& options = {});

}  // namespace liandong::dispatch
