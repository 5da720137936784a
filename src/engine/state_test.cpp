#include "engine/state.h"

#include <gtest/gtest.h>

namespace liandong::engine {
namespace {

TEST(State, RefusesEventsOutOfOrder) {
  State s("441200");
  Event e;
  e.seq = 2;
  e.type = "node.configured";
  EXPECT_EQ(s.apply(e).code(), core::Code::kDataLoss);
  e.seq = 1;
  EXPECT_TRUE(s.apply(e).is_ok());
  EXPECT_EQ(s.seq(), 1u);
}

TEST(State, RefusesIdsOutOfSequenceAndUnknownTargets) {
  State s("441200");
  Event e;
  e.seq = 1;
  e.type = "incident.status_changed";
  e.data = {{"incident_id", "441200-INC-1"}, {"to", "closed"}};
  EXPECT_EQ(s.apply(e).code(), core::Code::kDataLoss);
}

TEST(State, SnapshotOfAnotherNodeIsRefused) {
  State s("441200");
  auto body = s.serialize();
  EXPECT_TRUE(State::load(body, "441200").is_ok());
  EXPECT_FALSE(State::load(body, "441300").is_ok());
  EXPECT_FALSE(State::load("not json", "441200").is_ok());
}

TEST(State, NormalisesAddresses) {
  EXPECT_EQ(normalise_address(" 天河路 100 号 "), normalise_address("天河路100号"));
  EXPECT_EQ(normalise_address("Main St 1"), normalise_address("main st1"));
}

}  // namespace
}  // namespace liandong::engine
