#include "roadimport/car_profile.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace liandong::roadimport {
namespace {

using Tags = std::map<std::string, std::string>;

WayProfile profile(const Tags& tags) {
  return car_profile([&](const char* key) -> const char* {
    auto it = tags.find(key);
    return it == tags.end() ? nullptr : it->second.c_str();
  });
}

TEST(CarProfileTest, ClassSpeedsBothWays) {
  WayProfile p = profile({{"highway", "residential"}});
  EXPECT_TRUE(p.routable);
  EXPECT_EQ(p.forward_kmh, 30);
  EXPECT_EQ(p.backward_kmh, 30);
  EXPECT_EQ(p.road_class, routing::RoadClass::kResidential);
  EXPECT_EQ(profile({{"highway", "primary"}}).road_class, routing::RoadClass::kPrimary);
  EXPECT_LT(*highway_speed("primary_link"), *highway_speed("primary"));
  EXPECT_EQ(*highway_speed("service"), 15);
  EXPECT_EQ(*highway_speed("living_street"), 10);
}

TEST(CarProfileTest, NotDriven) {
  for (const char* hw : {"footway", "path", "cycleway", "steps", "pedestrian", "construction",
                         "proposed", "bridleway", "platform", "bus_guideway", "abandoned"}) {
    EXPECT_FALSE(profile({{"highway", hw}}).routable) << hw;
  }
  EXPECT_FALSE(profile({{"building", "yes"}}).routable);
  EXPECT_FALSE(profile({{"highway", "track"}}).routable);
  EXPECT_TRUE(profile({{"highway", "track"}, {"motor_vehicle", "yes"}}).routable);
  EXPECT_FALSE(profile({{"highway", "busway"}}).routable);
  EXPECT_TRUE(profile({{"highway", "busway"}, {"emergency", "yes"}}).routable);
  EXPECT_FALSE(profile({{"highway", "service"}, {"area", "yes"}}).routable);
}

TEST(CarProfileTest, AccessRestrictions) {
  for (const char* v : {"no", "private", "agricultural", "forestry", "delivery"}) {
    EXPECT_FALSE(profile({{"highway", "service"}, {"access", v}}).routable) << v;
    EXPECT_FALSE(profile({{"highway", "service"}, {"motor_vehicle", v}}).routable) << v;
    EXPECT_TRUE(profile({{"highway", "service"}, {"access", v}, {"emergency", "yes"}}).routable)
        << v;
    EXPECT_TRUE(
        profile({{"highway", "service"}, {"access", v}, {"emergency", "designated"}}).routable);
  }
  // The most specific key decides.
  EXPECT_TRUE(profile({{"highway", "service"}, {"access", "no"}, {"motorcar", "yes"}}).routable);
  EXPECT_FALSE(
      profile({{"highway", "service"}, {"access", "yes"}, {"motor_vehicle", "no"}}).routable);
  EXPECT_TRUE(profile({{"highway", "service"}, {"access", "destination"}}).routable);
  EXPECT_TRUE(profile({{"highway", "service"}, {"access", "customers"}}).routable);
}

TEST(CarProfileTest, OneWay) {
  auto dirs = [](const Tags& t) {
    WayProfile p = profile(t);
    return std::pair{p.forward_kmh > 0, p.backward_kmh > 0};
  };
  EXPECT_EQ(dirs({{"highway", "residential"}, {"oneway", "yes"}}), std::pair(true, false));
  EXPECT_EQ(dirs({{"highway", "residential"}, {"oneway", "true"}}), std::pair(true, false));
  EXPECT_EQ(dirs({{"highway", "residential"}, {"oneway", "1"}}), std::pair(true, false));
  EXPECT_EQ(dirs({{"highway", "residential"}, {"oneway", "-1"}}), std::pair(false, true));
  EXPECT_EQ(dirs({{"highway", "residential"}, {"junction", "roundabout"}}), std::pair(true, false));
  EXPECT_EQ(dirs({{"highway", "motorway"}}), std::pair(true, false));
  EXPECT_EQ(dirs({{"highway", "motorway_link"}}), std::pair(true, false));
  EXPECT_EQ(dirs({{"highway", "motorway"}, {"oneway", "no"}}), std::pair(true, true));
  EXPECT_EQ(dirs({{"highway", "residential"}, {"oneway", "yes"}, {"oneway:emergency", "no"}}),
            std::pair(true, true));
  EXPECT_FALSE(profile({{"highway", "primary"}, {"oneway", "reversible"}}).routable);
}

TEST(CarProfileTest, MaxSpeed) {
  EXPECT_EQ(parse_maxspeed("50"), 50.0);
  EXPECT_EQ(parse_maxspeed(" 50 km/h"), 50.0);
  EXPECT_NEAR(*parse_maxspeed("30 mph"), 48.28, 0.01);
  EXPECT_EQ(parse_maxspeed("none"), std::nullopt);
  EXPECT_EQ(parse_maxspeed("walk"), 10.0);
  EXPECT_EQ(parse_maxspeed("CN:urban"), 50.0);
  EXPECT_EQ(parse_maxspeed("RU:urban"), 60.0);
  EXPECT_EQ(parse_maxspeed("RU:rural"), 90.0);
  EXPECT_EQ(parse_maxspeed("FR:urban"), 50.0);  // the general row
  EXPECT_EQ(parse_maxspeed("DE:zone30"), 30.0);
  EXPECT_EQ(parse_maxspeed("zone:20"), 20.0);
  EXPECT_EQ(parse_maxspeed("DE:motorway"), std::nullopt);
  EXPECT_EQ(parse_maxspeed("50;30"), 30.0);
  EXPECT_EQ(parse_maxspeed("signals"), std::nullopt);
  EXPECT_EQ(parse_maxspeed("fast"), std::nullopt);
  EXPECT_EQ(parse_maxspeed("50 furlongs"), std::nullopt);
  EXPECT_EQ(parse_maxspeed("0"), std::nullopt);
  // Posted speeds are driven, not exceeded; "none" keeps the class speed.
  EXPECT_EQ(profile({{"highway", "residential"}, {"maxspeed", "50"}}).forward_kmh, 50);
  EXPECT_EQ(profile({{"highway", "primary"}, {"maxspeed", "20"}}).forward_kmh, 20);
  EXPECT_EQ(profile({{"highway", "motorway"}, {"maxspeed", "none"}}).forward_kmh, 100);
  WayProfile p = profile({{"highway", "primary"}, {"maxspeed", "60"}, {"maxspeed:backward", "40"}});
  EXPECT_EQ(p.forward_kmh, 60);
  EXPECT_EQ(p.backward_kmh, 40);
}

}  // namespace
}  // namespace liandong::roadimport
