#include "geocode/place.h"

#include <gtest/gtest.h>

#include <random>

namespace liandong::geocode {
namespace {

std::vector<PlaceRecord> sample() {
  return {
      {PlaceKind::kStreet, "文明一路", "Wenming 1st Road", "", "", "secondary", 114.4160, 23.1115},
      {PlaceKind::kAddress, "", "", "文明一路", "18", "", 114.4171, 23.1120},
      {PlaceKind::kAddress, "", "", "Rue Grimaldi", "18", "", 7.4197, 43.7318},
      {PlaceKind::kPlace, "惠城区", "Huicheng", "", "", "suburb", 114.3826, 23.0844},
      {PlaceKind::kPlace, "Église Sainte-Dévote", "", "", "", "church", -7.4174, -43.7386},
  };
}

TEST(Places, RoundTrip) {
  auto places = sample();
  auto bytes = encode_places(places);
  auto back = decode_places(bytes);
  ASSERT_TRUE(back) << back.status().to_string();
  EXPECT_EQ(*back, places);
  auto empty = decode_places(encode_places({}));
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(Places, RepeatedNamesAreStoredOnce) {
  std::vector<PlaceRecord> many;
  for (int i = 1; i <= 1000; ++i)
    many.push_back({PlaceKind::kAddress, "", "", "演达大道", std::to_string(i), "", 114.41, 23.11});
  EXPECT_LT(encode_places(many).size(), 1000u * 20);
}

TEST(Places, GarbageIsRefusedNeverCrashes) {
  EXPECT_FALSE(decode_places(""));
  EXPECT_FALSE(decode_places("LDPL"));
  EXPECT_FALSE(decode_places("not places at all"));
  auto good = encode_places(sample());
  auto version = good;
  version[4] = 9;
  auto v = decode_places(version);
  ASSERT_FALSE(v);
  EXPECT_NE(v.status().message().find("version 9"), std::string::npos) << v.status().message();
  EXPECT_EQ(v.status().code(), core::Code::kInvalidArgument);
  // Every truncation, and trailing bytes.
  for (size_t n = 0; n < good.size(); ++n) EXPECT_FALSE(decode_places(good.substr(0, n))) << n;
  EXPECT_FALSE(decode_places(good + "x"));
  // Random single-byte damage and random bytes: an answer or invalid_argument, never a crash.
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    auto bad = good;
    bad[rng() % bad.size()] = static_cast<char>(rng());
    if (i % 2) bad[rng() % bad.size()] = static_cast<char>(rng());
    auto r = decode_places(bad);
    if (!r) {
      EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument);
    }
    std::string noise(rng() % 64, '\0');
    for (auto& c : noise) c = static_cast<char>(rng());
    if (i % 3 == 0) noise = "LDPL" + std::string("\x01\0\0\0", 4) + noise;
    auto n = decode_places(noise);
    if (!n) {
      EXPECT_EQ(n.status().code(), core::Code::kInvalidArgument);
    }
  }
}

TEST(Places, HugeCountsAreRefusedWithoutAllocating) {
  std::string s = "LDPL";
  s += std::string("\x01\0\0\0", 4);
  s += "\xFF\xFF\xFF\xFF\x0F";  // 4 billion strings in 9 bytes
  EXPECT_FALSE(decode_places(s));
  std::string r = "LDPL";
  r += std::string("\x01\0\0\0", 4);
  r += '\0';                     // no strings
  r += "\xFF\xFF\xFF\xFF\x0F";  // 4 billion records
  EXPECT_FALSE(decode_places(r));
}

TEST(Places, InvalidUtf8AndBadPositionsAreRefused) {
  auto bytes = encode_places({{PlaceKind::kStreet, "ab", "", "", "", "", 1, 2}});
  auto at = bytes.find("ab");
  bytes[at] = '\xFF';
  EXPECT_FALSE(decode_places(bytes));
  auto far = encode_places({{PlaceKind::kStreet, "x", "", "", "", "", 1, 2}});
  // Latitude is the record's last four bytes: make it 100 degrees.
  int32_t lat = 1'000'000'000;
  for (int i = 0; i < 4; ++i) far[far.size() - 4 + i] = static_cast<char>((lat >> (8 * i)) & 0xFF);
  auto r = decode_places(far);
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("out of range"), std::string::npos);
}

}  // namespace
}  // namespace liandong::geocode
