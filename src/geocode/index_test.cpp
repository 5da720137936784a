#include "geocode/index.h"

#include <gtest/gtest.h>

namespace liandong::geocode {
namespace {

// A small town with Chinese and Latin names; record indices are the test's handles.
std::vector<PlaceRecord> town() {
  return {
      /*0*/ {PlaceKind::kStreet, "文明一路", "Wenming 1st Road", "", "", "secondary", 114.4160, 23.1115},
      /*1*/ {PlaceKind::kStreet, "文明二路", "", "", "", "residential", 114.4180, 23.1130},
      /*2*/ {PlaceKind::kAddress, "", "", "文明一路", "18", "", 114.4171, 23.1120},
      /*3*/ {PlaceKind::kAddress, "", "", "文明一路", "20", "", 114.4173, 23.1121},
      /*4*/ {PlaceKind::kStreet, "演达大道", "", "", "", "primary", 114.4000, 23.1000},
      /*5*/ {PlaceKind::kPlace, "惠城区", "Huicheng", "", "", "suburb", 114.3826, 23.0844},
      /*6*/ {PlaceKind::kStreet, "Rue Grimaldi", "", "", "", "secondary", 7.4197, 43.7318},
      /*7*/ {PlaceKind::kAddress, "", "", "Rue Grimaldi", "18", "", 7.4195, 43.7320},
      /*8*/ {PlaceKind::kPlace, "Église Sainte-Dévote", "", "", "", "church", 7.4174, 43.7386},
      /*9*/ {PlaceKind::kStreet, "中山路", "", "", "", "tertiary", 114.50, 23.20},   // two streets of
      /*10*/ {PlaceKind::kStreet, "中山路", "", "", "", "tertiary", 114.30, 23.00},  // the same name
      /*11*/ {PlaceKind::kPlace, "文明一路小学", "", "", "", "school", 114.4165, 23.1118},
  };
}

class GeocodeIndex : public ::testing::Test {
 protected:
  std::vector<Candidate> find(std::string_view q, SearchOptions o = {}) { return index_.search(q, o); }
  static std::vector<uint32_t> ids(const std::vector<Candidate>& cs) {
    std::vector<uint32_t> v;
    for (const auto& c : cs) v.push_back(c.record);
    return v;
  }
  std::vector<PlaceRecord> records_ = town();
  Index index_{records_};
};

TEST_F(GeocodeIndex, ExactBeatsPrefixBeatsContains) {
  auto r = find("文明一路");
  ASSERT_GE(r.size(), 4u);
  EXPECT_EQ(r[0].record, 0u);
  EXPECT_EQ(r[0].score, 1.0);
  EXPECT_EQ(r[0].why, "exact name");
  // Then what starts with it: the school and the two addresses.
  auto all = ids(r);
  std::vector<uint32_t> rest(all.begin() + 1, all.begin() + 4);
  std::sort(rest.begin(), rest.end());
  EXPECT_EQ(rest, (std::vector<uint32_t>{2, 3, 11}));
  for (size_t i = 1; i < r.size(); ++i) EXPECT_LE(r[i].score, r[i - 1].score);
  auto contains = find("明一路");
  ASSERT_FALSE(contains.empty());
  EXPECT_EQ(contains[0].record, 0u);
  EXPECT_EQ(contains[0].why.substr(0, 8), "contains");
  EXPECT_LT(contains[0].score, 0.8);
}

TEST_F(GeocodeIndex, ChineseAddressFindsTheHouse) {
  auto r = find("文明一路18号");
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(r[0].record, 2u);
  EXPECT_EQ(r[0].score, 1.0);
  EXPECT_EQ(r[0].why, "exact address");
  // Full-width digits and spaces do not matter.
  EXPECT_EQ(find("文明一路 １８ 号")[0].record, 2u);
  // A district before it: the address is inside the query.
  auto d = find("惠城区文明一路18号");
  ASSERT_FALSE(d.empty());
  EXPECT_EQ(d[0].record, 2u);
  EXPECT_EQ(d[0].why, "within_query address");
}

TEST_F(GeocodeIndex, AMissingHouseNumberFallsBackToTheStreetNotAnotherHouse) {
  auto r = find("文明一路99号");
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(r[0].record, 0u);
  for (const auto& c : r) EXPECT_NE(c.record, 3u) << "house 20 is not house 99";
  for (const auto& c : r) EXPECT_NE(c.record, 2u) << "house 18 is not house 99";
}

TEST_F(GeocodeIndex, LatinAddressesInEitherOrder) {
  for (const char* q : {"18 Rue Grimaldi", "rue grimaldi 18", "Grimaldi 18", "18 grimaldi", "18, RUE GRIMALDI"}) {
    auto r = find(q);
    ASSERT_FALSE(r.empty()) << q;
    EXPECT_EQ(r[0].record, 7u) << q << ": " << r[0].why;
  }
  EXPECT_EQ(find("18 Rue Grimaldi")[0].score, 1.0);
  // Without the number: the street first.
  auto street = find("grimaldi");
  ASSERT_FALSE(street.empty());
  EXPECT_EQ(street[0].record, 6u);
  // "Grimaldi 99": no such house, the street only.
  auto missing = find("Grimaldi 99");
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].record, 6u);
  EXPECT_EQ(missing[0].why, "street_only name");
}

TEST_F(GeocodeIndex, WordPrefixesAndAccents) {
  auto r = find("egli");
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(r[0].record, 8u);
  EXPECT_EQ(find("sainte devote")[0].record, 8u);
  EXPECT_EQ(find("SAINTE-DÉVOTE")[0].record, 8u);
  EXPECT_EQ(find("wenming 1st")[0].record, 0u);
  EXPECT_EQ(find("wenming 1st")[0].why, "prefix alt_name");
  EXPECT_EQ(find("Huicheng")[0].record, 5u);
}

TEST_F(GeocodeIndex, NothingMatchingIsEmpty) {
  EXPECT_TRUE(find("").empty());
  EXPECT_TRUE(find("  ，。 ").empty());
  EXPECT_TRUE(find("解放路").empty());
  EXPECT_TRUE(find("Boulevard Albert 1er").empty());
  EXPECT_EQ(find(std::string("文明一路") + "\xFF\xE6")[0].record, 0u);  // stray bytes are ignored
  EXPECT_TRUE(find("\xFF\xFE\xFD").empty());
  EXPECT_TRUE(find("1").empty());  // a number alone matches no house exactly named "1"
}

TEST_F(GeocodeIndex, ANearbyPointBreaksTies) {
  auto a = find("中山路", {10, core::LonLat{114.49, 23.19}});
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].record, 9u);
  EXPECT_GT(a[0].distance_m, 0);
  EXPECT_LT(a[0].distance_m, a[1].distance_m);
  auto b = find("中山路", {10, core::LonLat{114.31, 23.01}});
  EXPECT_EQ(b[0].record, 10u);
  // Without a point: record order, no distances.
  auto c = find("中山路");
  EXPECT_EQ(c[0].record, 9u);
  EXPECT_EQ(c[0].distance_m, -1);
  // Nearness never lifts a worse match above a better one.
  auto d = find("文明一路", {10, core::LonLat{114.4171, 23.1120}});
  EXPECT_EQ(d[0].record, 0u);
}

TEST_F(GeocodeIndex, SingleCharacterAndLimit) {
  auto r = find("路", {3, std::nullopt});
  EXPECT_EQ(r.size(), 3u);
  for (const auto& c : r)
    EXPECT_TRUE(records_[c.record].name.find("路") != std::string::npos ||
                records_[c.record].street.find("路") != std::string::npos);
  EXPECT_EQ(find("路", {1000, std::nullopt}).size(), 7u);  // every record with 路 (streets, addresses, school)
}

TEST(GeocodeLabel, AddressesAndNames) {
  EXPECT_EQ(label({PlaceKind::kAddress, "", "", "文明一路", "18", "", 0, 0}), "文明一路18号");
  EXPECT_EQ(label({PlaceKind::kAddress, "", "", "文明一路", "18号", "", 0, 0}), "文明一路18号");
  EXPECT_EQ(label({PlaceKind::kAddress, "", "", "Rue Grimaldi", "18", "", 0, 0}), "18 Rue Grimaldi");
  EXPECT_EQ(label({PlaceKind::kPlace, "惠城区", "Huicheng", "", "", "", 0, 0}), "惠城区 (Huicheng)");
  EXPECT_EQ(label({PlaceKind::kStreet, "演达大道", "", "", "", "", 0, 0}), "演达大道");
  EXPECT_STREQ(kind_name(PlaceKind::kAddress), "address");
}

TEST(GeocodeScale, PostingListsNotAScan) {
  // 200,000 addresses on 2,000 streets; a query reads only its tokens' lists.
  std::vector<PlaceRecord> many;
  const char* digits[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  for (int s = 0; s < 2000; ++s) {
    std::string street = std::string("路") + digits[s % 10] + digits[(s / 10) % 10] + digits[(s / 100) % 10] +
                         digits[(s / 1000) % 10] + "街";
    for (int h = 1; h <= 100; ++h) many.push_back({PlaceKind::kAddress, "", "", street, std::to_string(h), "", 114, 23});
  }
  Index index(many);
  auto r = index.search("路一二三二街57号");
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(many[r[0].record].street, "路一二三二街");
  EXPECT_EQ(many[r[0].record].housenumber, "57");
  EXPECT_EQ(r[0].score, 1.0);
}

}  // namespace
}  // namespace liandong::geocode
