#include "core/jurisdiction.h"

#include <gtest/gtest.h>

namespace liandong::core {
namespace {

TEST(Jurisdiction, LevelsAndAncestry) {
  auto county = JurisdictionCode::parse("441202");
  ASSERT_TRUE(county.is_ok());
  EXPECT_EQ(county->level(), Level::kCounty);
  EXPECT_EQ(county->city().str(), "441200");
  EXPECT_EQ(county->province().str(), "440000");
  EXPECT_EQ(county->parent().str(), "441200");
  EXPECT_TRUE(county->within(county->city()));
  EXPECT_TRUE(county->within(county->province()));
  auto other = JurisdictionCode::parse("441300");
  ASSERT_TRUE(other.is_ok());
  EXPECT_FALSE(county->within(*other));
  EXPECT_FALSE(other->within(*county));
}

TEST(Jurisdiction, PadsShortCodesAndRefusesBadOnes) {
  EXPECT_EQ(JurisdictionCode::parse("44")->str(), "440000");
  EXPECT_EQ(JurisdictionCode::parse("4412")->str(), "441200");
  for (const char* s : {"", "4", "44120", "4412000", "44a200", "000000"})
    EXPECT_FALSE(JurisdictionCode::parse(s).is_ok()) << s;
}

}  // namespace
}  // namespace liandong::core
