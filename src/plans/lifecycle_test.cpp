#include "plans/lifecycle.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

namespace liandong::plans {
namespace {

using Pair = std::pair<std::string, std::string>;

// The arrows of lifecycle.h's table, written out again so that a change to the code shows here.
const std::set<Pair>& allowed() {
  static const std::set<Pair> kAllowed = {
      {"draft", "submitted"},         {"submitted", "reviewed"},
      {"submitted", "draft"},         {"reviewed", "approved"},
      {"reviewed", "draft"},          {"approved", "filed"},
      {"approved", "under_revision"}, {"approved", "retired"},
      {"filed", "under_revision"},    {"filed", "retired"},
      {"under_revision", "retired"},  {"under_revision", "superseded"},
      {"under_revision", "filed"},
  };
  return kAllowed;
}

TEST(Lifecycle, StatusesAreTheEightOfTheHeader) {
  std::set<std::string> got;
  for (auto s : version_statuses()) got.emplace(s);
  EXPECT_EQ(got, (std::set<std::string>{"draft", "submitted", "reviewed", "approved", "filed",
                                        "under_revision", "retired", "superseded"}));
  EXPECT_EQ(version_statuses().size(), 8u);
  for (auto s : version_statuses()) EXPECT_TRUE(is_version_status(s)) << s;
  for (const char* s : {"", "Draft", "active", "approved ", "archived"})
    EXPECT_FALSE(is_version_status(s)) << s;
}

TEST(Lifecycle, EveryPairOfStatusesFollowsTheTable) {
  int positive = 0;
  for (auto from : version_statuses()) {
    for (auto to : version_statuses()) {
      bool expected = allowed().count({std::string(from), std::string(to)}) > 0;
      positive += expected;
      EXPECT_EQ(is_valid_version_transition(from, to), expected) << from << " -> " << to;
    }
  }
  EXPECT_EQ(positive, static_cast<int>(allowed().size()));
}

TEST(Lifecycle, UnknownStatusesHaveNoTransitions) {
  for (auto s : version_statuses()) {
    EXPECT_FALSE(is_valid_version_transition("", s));
    EXPECT_FALSE(is_valid_version_transition(s, ""));
    EXPECT_FALSE(is_valid_version_transition("active", s));
    EXPECT_FALSE(is_valid_version_transition(s, "active"));
  }
}

TEST(Lifecycle, NoStatusGoesToItself) {
  for (auto s : version_statuses()) EXPECT_FALSE(is_valid_version_transition(s, s)) << s;
}

TEST(Lifecycle, OnlyApprovedFiledAndUnderRevisionMayActivate) {
  std::set<std::string> may;
  for (auto s : version_statuses())
    if (may_activate(s)) may.emplace(s);
  EXPECT_EQ(may, (std::set<std::string>{"approved", "filed", "under_revision"}));
  EXPECT_FALSE(may_activate(""));
  EXPECT_FALSE(may_activate("active"));
}

TEST(Lifecycle, FinalStatusesAreRetiredAndSupersededAndLeadNowhere) {
  std::set<std::string> finals;
  for (auto s : version_statuses())
    if (is_final_version_status(s)) finals.emplace(s);
  EXPECT_EQ(finals, (std::set<std::string>{"retired", "superseded"}));
  for (auto from : version_statuses()) {
    if (!is_final_version_status(from)) continue;
    for (auto to : version_statuses())
      EXPECT_FALSE(is_valid_version_transition(from, to)) << from << " -> " << to;
  }
  EXPECT_FALSE(is_final_version_status(""));
}

TEST(Lifecycle, EveryNonFinalStatusCanMove) {
  for (auto from : version_statuses()) {
    if (is_final_version_status(from)) continue;
    bool any = false;
    for (auto to : version_statuses()) any = any || is_valid_version_transition(from, to);
    EXPECT_TRUE(any) << from;
  }
}

}  // namespace
}  // namespace liandong::plans
