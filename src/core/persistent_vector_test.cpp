#include "core/persistent_vector.h"

#include <gtest/gtest.h>

namespace liandong::core {
namespace {

TEST(PersistentVector, SnapshotsDoNotSeeLaterWrites) {
  PersistentVector<int> v;
  for (int i = 0; i < 1000; ++i) v.push_back(std::make_shared<const int>(i));
  auto snap = v;
  v.set(5, std::make_shared<const int>(-5));
  v.push_back(std::make_shared<const int>(1000));
  EXPECT_EQ(snap.size(), 1000u);
  EXPECT_EQ(snap[5], 5);
  EXPECT_EQ(v[5], -5);
  EXPECT_EQ(v.size(), 1001u);
  EXPECT_EQ(v[1000], 1000);
  // Chunks not written stay shared.
  EXPECT_EQ(&snap[600], &v[600]);
}

}  // namespace
}  // namespace liandong::core
