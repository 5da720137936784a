#include "dispatch/requirement.h"

#include <gtest/gtest.h>

namespace liandong::dispatch {
namespace {

Requirement standard() {
  return {{{"engine", 2, {}}, {"ladder", 1, {"aerial_32m"}}, {"ambulance", 1, {}}}};
}

void expect_invalid(const Requirement& r, const std::string& field, const std::string& message) {
  const core::Status s = check(r);
  EXPECT_EQ(s.code(), core::Code::kInvalidArgument) << s.to_string();
  EXPECT_EQ(s.field(), field);
  EXPECT_EQ(s.message(), message);
}

TEST(Requirement, ValidOnesPass) {
  EXPECT_TRUE(check(standard()).is_ok());
  EXPECT_TRUE(check({{{"boat", 50, {}}, {"team", 50, {"diving", "rope"}}}}).is_ok());
  EXPECT_TRUE(check({{{"drone", 1, {}}}}).is_ok());  // types are open-ended
}

TEST(Requirement, FaultsNameTheSlot) {
  expect_invalid({}, "slots", "slots must not be empty");

  Requirement r = standard();
  r.slots[1].type = "";
  expect_invalid(r, "slots[1].type", "slots[1].type must not be empty");

  r = standard();
  r.slots[1].count = 0;
  expect_invalid(r, "slots[1].count", "slots[1].count must be 1..50");
  r.slots[1].count = 51;
  expect_invalid(r, "slots[1].count", "slots[1].count must be 1..50");

  r = standard();
  r.slots[2].capabilities = {"als", ""};
  expect_invalid(r, "slots[2].capabilities[1]", "slots[2].capabilities[1] must not be empty");
  r.slots[2].capabilities = {"als", "bariatric", "als"};
  expect_invalid(r, "slots[2].capabilities[2]", "slots[2].capabilities[2] repeats \"als\"");
}

TEST(Requirement, Totals) {
  Requirement r{{{"engine", 50, {}}, {"ladder", 50, {}}}};
  EXPECT_TRUE(check(r).is_ok());
  r.slots.push_back({"ambulance", 1, {}});
  expect_invalid(r, "slots", "the slots' counts add up to 101, more than 100");

  Requirement many;
  for (int i = 0; i < 65; ++i) many.slots.push_back({"team", 1, {}});
  expect_invalid(many, "slots", "slots must be at most 64 (got 65)");
  many.slots.pop_back();
  EXPECT_TRUE(check(many).is_ok());
}

TEST(Requirement, Describe) {
  EXPECT_EQ(describe(standard()), "2 engine + 1 ladder (aerial_32m) + 1 ambulance");
  EXPECT_EQ(describe({{{"engine", 1, {"foam", "pump_4000"}}}}), "1 engine (foam, pump_4000)");
  EXPECT_EQ(describe({}), "");
}

TEST(Requirement, Qualifies) {
  const Slot ladder{"ladder", 1, {"aerial_32m"}};
  const std::vector<std::string> tall = {"aerial_32m", "foam"};
  const std::vector<std::string> none;
  EXPECT_TRUE(qualifies(ladder, "ladder", tall));
  EXPECT_FALSE(qualifies(ladder, "ladder", none));
  EXPECT_FALSE(qualifies(ladder, "engine", tall));
  EXPECT_FALSE(qualifies(ladder, "Ladder", tall));

  const Slot any_engine{"engine", 2, {}};
  EXPECT_TRUE(qualifies(any_engine, "engine", none));
  EXPECT_TRUE(qualifies(any_engine, "engine", tall));

  const Slot two{"engine", 1, {"foam", "pump_4000"}};
  EXPECT_FALSE(qualifies(two, "engine", tall));
  const std::vector<std::string> both = {"pump_4000", "foam"};
  EXPECT_TRUE(qualifies(two, "engine", both));
}

}  // namespace
}  // namespace liandong::dispatch
