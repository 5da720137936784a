#include "core/geo.h"

#include <gtest/gtest.h>

namespace liandong::core {
namespace {

TEST(Geo, DistanceIsPlausible) {
  // One degree of latitude is about 111.2 km.
  EXPECT_NEAR(distance_m({113.0, 23.0}, {113.0, 24.0}), 111195, 50);
  EXPECT_DOUBLE_EQ(distance_m({113.0, 23.0}, {113.0, 23.0}), 0);
}

TEST(Geo, ValidatesAndParsesBoxes) {
  EXPECT_TRUE(validate({113, 23}, "location").is_ok());
  auto s = validate({181, 23}, "location");
  EXPECT_EQ(s.field(), "location.lon");
  auto b = parse_bbox("112.5,22.5,113.5,23.5");
  ASSERT_TRUE(b.is_ok());
  EXPECT_TRUE(b->contains({113, 23}));
  EXPECT_FALSE(b->contains({114, 23}));
  for (const char* bad : {"", "1,2,3", "1,2,3,4,5", "a,b,c,d", "2,2,1,1", "1,2,3,4x"})
    EXPECT_FALSE(parse_bbox(bad).is_ok()) << bad;
}

}  // namespace
}  // namespace liandong::core
