#include <memory>

#include "readings/reading_store.h"
#include "readings/reading_store_suite.h"

namespace liandong::readings {
namespace {

struct MemoryFactory {
  std::unique_ptr<ReadingStore> make() { return std::make_unique<MemoryReadingStore>(); }
  // Memory keeps everything as long as the object lives: reopening is keeping it.
  void reopen(std::unique_ptr<ReadingStore>&) {}
};

INSTANTIATE_TYPED_TEST_SUITE_P(Memory, ReadingStoreSuite, ::testing::Types<MemoryFactory>);

TEST(BucketWidth, IsTheCeilingOfTheClampedSpanOverThePoints) {
  EXPECT_EQ(bucket_width(0, 100, 4), 25);
  EXPECT_EQ(bucket_width(10, 101, 4), 23);
  EXPECT_EQ(bucket_width(0, 3, 10), 1);      // never 0
  EXPECT_EQ(bucket_width(-1000, 10, 5), 2);  // clamped to [0, 10)
  EXPECT_EQ(bucket_width(0, kEndTimeMs + 5, 1), kEndTimeMs);
}

}  // namespace
}  // namespace liandong::readings
