#include "access/mask.h"

#include <gtest/gtest.h>

namespace liandong::access {
namespace {

TEST(Mask, Phones) {
  EXPECT_EQ(mask_phone("13812345678"), "138****5678");
  EXPECT_EQ(mask_phone("+8613812345678"), "+86*******5678");
  EXPECT_EQ(mask_phone("7654321"), "*****21");
  EXPECT_EQ(mask_phone("110"), "***");
  EXPECT_EQ(mask_phone(""), "");
}

TEST(Mask, Names) {
  EXPECT_EQ(mask_name("王先生"), "王**");
  EXPECT_EQ(mask_name("王"), "*");
  EXPECT_EQ(mask_name("John Smith"), "J*********");
  EXPECT_EQ(mask_name(""), "");
}

}  // namespace
}  // namespace liandong::access
