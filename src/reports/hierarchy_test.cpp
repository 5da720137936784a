#include "reports/hierarchy.h"

#include <gtest/gtest.h>

namespace liandong::reports {
namespace {

TEST(Hierarchy, TierNamesRoundTrip) {
  for (Tier t : {Tier::kUnit, Tier::kCounty, Tier::kCity, Tier::kProvince, Tier::kNational}) {
    auto back = parse_tier(to_string(t));
    ASSERT_TRUE(back.has_value()) << to_string(t);
    EXPECT_EQ(*back, t);
  }
  EXPECT_EQ(to_string(Tier::kCounty), "county");
  EXPECT_FALSE(parse_tier("County").has_value());
  EXPECT_FALSE(parse_tier("").has_value());
}

TEST(Hierarchy, TierOfCodes) {
  EXPECT_EQ(tier_of("000000").value(), Tier::kNational);
  EXPECT_EQ(tier_of("440000").value(), Tier::kProvince);
  EXPECT_EQ(tier_of("440600").value(), Tier::kCity);
  EXPECT_EQ(tier_of("440604").value(), Tier::kCounty);
}

TEST(Hierarchy, TierOfRefusesMalformedCodes) {
  for (const char* bad : {"", "4406", "44", "44060", "4406041", "44O604", "001200", " 44060"}) {
    auto t = tier_of(bad);
    ASSERT_FALSE(t.is_ok()) << bad;
    EXPECT_EQ(t.status().code(), core::Code::kInvalidArgument);
    EXPECT_EQ(t.status().field(), "jurisdiction");
  }
}

TEST(Hierarchy, CodeAtClimbsTheChain) {
  EXPECT_EQ(code_at("440604", Tier::kUnit).value(), "440604");
  EXPECT_EQ(code_at("440604", Tier::kCounty).value(), "440604");
  EXPECT_EQ(code_at("440604", Tier::kCity).value(), "440600");
  EXPECT_EQ(code_at("440604", Tier::kProvince).value(), "440000");
  EXPECT_EQ(code_at("440604", Tier::kNational).value(), std::string(kNationalCode));
  EXPECT_EQ(code_at("440600", Tier::kCity).value(), "440600");
  EXPECT_EQ(code_at("440600", Tier::kProvince).value(), "440000");
  EXPECT_EQ(code_at("440000", Tier::kProvince).value(), "440000");
  EXPECT_EQ(code_at("440000", Tier::kNational).value(), "000000");
  EXPECT_EQ(code_at("000000", Tier::kNational).value(), "000000");
}

TEST(Hierarchy, CodeAtRefusesATierBelowTheCode) {
  auto county_of_city = code_at("440600", Tier::kCounty);
  ASSERT_FALSE(county_of_city.is_ok());
  EXPECT_EQ(county_of_city.status().code(), core::Code::kInvalidArgument);
  EXPECT_NE(county_of_city.status().message().find("440600 is a city"), std::string::npos)
      << county_of_city.status().message();
  EXPECT_FALSE(code_at("440000", Tier::kCity).is_ok());
  EXPECT_FALSE(code_at("440000", Tier::kCounty).is_ok());
  EXPECT_FALSE(code_at("000000", Tier::kProvince).is_ok());
  EXPECT_FALSE(code_at("4406x4", Tier::kCity).is_ok());
  EXPECT_FALSE(code_at("", Tier::kUnit).is_ok());
}

TEST(Hierarchy, NextUpEndsAboveNational) {
  EXPECT_EQ(next_up(Tier::kUnit), Tier::kCounty);
  EXPECT_EQ(next_up(Tier::kCounty), Tier::kCity);
  EXPECT_EQ(next_up(Tier::kCity), Tier::kProvince);
  EXPECT_EQ(next_up(Tier::kProvince), Tier::kNational);
  EXPECT_FALSE(next_up(Tier::kNational).has_value());
}

}  // namespace
}  // namespace liandong::reports
