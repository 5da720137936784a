#include "readings/reading.h"

#include <gtest/gtest.h>

#include <limits>

namespace liandong::readings {
namespace {

TEST(Quality, NamesRoundTripAndNumbersAreFixed) {
  const char* names[] = {"ok", "suspect", "invalid", "estimated", "maintenance"};
  for (int i = 0; i < kQualityCount; ++i) {
    auto q = static_cast<Quality>(i);
    EXPECT_EQ(quality_name(q), names[i]);
    EXPECT_EQ(quality_from_name(names[i]), q);
    EXPECT_EQ(quality_from_number(i), q);
  }
  EXPECT_EQ(quality_from_number(5), std::nullopt);
  EXPECT_EQ(quality_from_number(-1), std::nullopt);
  EXPECT_EQ(quality_from_name("OK"), std::nullopt);
  EXPECT_EQ(quality_from_name(""), std::nullopt);
  auto bad = parse_quality("good");
  ASSERT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.status().field(), "quality");
  EXPECT_EQ(bad.status().message(),
            "quality 'good' is not one of ok, suspect, invalid, estimated, maintenance");
  EXPECT_EQ(*parse_quality("maintenance"), Quality::kMaintenance);
}

TEST(StationId, TheIdentifierForm) {
  for (const char* good : {"441300-MON-12", "441300-A-1", "110000-ABCDEFGH-999999999999999999"})
    EXPECT_TRUE(is_station_id(good)) << good;
  for (const char* bad :
       {"", "441300-MON-0", "441300-MON-012", "441300-mon-12", "44130-MON-12", "441300MON-12",
        "441300-MON12", "441300--12", "441300-ABCDEFGHI-1", "441300-MON-1234567890123456789",
        "441300-MON-12 ", "441300-MON-1x", "44130a-MON-1", "441300-MON-"})
    EXPECT_FALSE(is_station_id(bad)) << bad;
}

TEST(ParameterCode, SnakeCaseUpTo64) {
  EXPECT_TRUE(is_parameter_code("cadmium"));
  EXPECT_TRUE(is_parameter_code("chromium_vi"));
  EXPECT_TRUE(is_parameter_code("a"));
  EXPECT_TRUE(is_parameter_code("pm2_5"));
  EXPECT_TRUE(is_parameter_code(std::string(64, 'x')));
  EXPECT_FALSE(is_parameter_code(std::string(65, 'x')));
  for (const char* bad : {"", "Cadmium", "_ph", "2ph", "ph-1", "ph.1", "pH", "p h"})
    EXPECT_FALSE(is_parameter_code(bad)) << bad;
}

TEST(CheckReading, NamesTheFieldAtFault) {
  Reading r{"441300-MON-12", "cadmium", core::from_unix_millis(1796169600000), 0.006, Quality::kOk};
  EXPECT_TRUE(check_reading(r).is_ok());
  auto field_of = [](Reading x) { return check_reading(x).field(); };
  Reading bad = r;
  bad.station = "MON-12";
  EXPECT_EQ(field_of(bad), "station");
  bad = r;
  bad.parameter = "Cd";
  EXPECT_EQ(field_of(bad), "parameter");
  bad = r;
  bad.time = core::from_unix_millis(-1);
  EXPECT_EQ(field_of(bad), "time");
  bad.time = core::from_unix_millis(kEndTimeMs);
  EXPECT_EQ(field_of(bad), "time");
  bad = r;
  for (double v : {std::numeric_limits<double>::quiet_NaN(),
                   std::numeric_limits<double>::infinity(), 1e15 * 1.0000001, -2e15}) {
    bad.value = v;
    EXPECT_EQ(field_of(bad), "value") << v;
  }
  bad.value = -1e15;
  EXPECT_TRUE(check_reading(bad).is_ok());
  bad = r;
  bad.quality = static_cast<Quality>(7);
  EXPECT_EQ(field_of(bad), "quality");
  // Untrusted bytes are escaped in the message.
  bad = r;
  bad.station = "a\xff\n";
  EXPECT_EQ(check_reading(bad).message(),
            "station 'a\\xff\\x0a' is not a station id of the form 441300-MON-12");
}

}  // namespace
}  // namespace liandong::readings
