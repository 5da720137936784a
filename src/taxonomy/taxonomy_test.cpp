#include "taxonomy/taxonomy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "taxonomy/families.h"
#include "taxonomy/grade_rules.h"

namespace liandong::taxonomy {
namespace {

using core::Category;
using ::testing::HasSubstr;
using ::testing::StartsWith;

struct Expected {
  const char* code;
  Category category;
  std::string_view family;
  const char* name_zh;
};

TEST(Taxonomy, DefaultTypesHaveCategoryFamilyAndNames) {
  const Expected kExpected[] = {
      {"flood", Category::kNaturalDisaster, kNaturalDisaster, "洪涝灾害"},
      {"earthquake", Category::kNaturalDisaster, kNaturalDisaster, "地震"},
      {"typhoon", Category::kNaturalDisaster, kNaturalDisaster, "台风"},
      {"rainstorm", Category::kNaturalDisaster, kNaturalDisaster, "暴雨"},
      {"landslide", Category::kNaturalDisaster, kNaturalDisaster, "山体滑坡"},
      {"drought", Category::kNaturalDisaster, kNaturalDisaster, "干旱"},
      {"forest_fire", Category::kNaturalDisaster, kProductionSafety, "森林草原火灾"},
      {"fire", Category::kAccidentDisaster, kProductionSafety, "火灾"},
      {"traffic_accident", Category::kAccidentDisaster, kProductionSafety, "道路交通事故"},
      {"hazmat_leak", Category::kAccidentDisaster, kProductionSafety, "危险化学品泄漏"},
      {"building_collapse", Category::kAccidentDisaster, kProductionSafety, "建筑物坍塌"},
      {"gas_explosion", Category::kAccidentDisaster, kProductionSafety, "燃气爆炸"},
      {"mine_accident", Category::kAccidentDisaster, kProductionSafety, "矿山事故"},
      {"power_outage", Category::kAccidentDisaster, kProductionSafety, "大面积停电"},
      {"drowning", Category::kAccidentDisaster, kProductionSafety, "溺水"},
      {"water_pollution", Category::kAccidentDisaster, kEnvironmental, "水污染"},
      {"air_pollution", Category::kAccidentDisaster, kEnvironmental, "大气污染"},
      {"infectious_disease", Category::kPublicHealth, kPublicHealth, "传染病疫情"},
      {"food_poisoning", Category::kPublicHealth, kPublicHealth, "食物中毒"},
      {"medical_emergency", Category::kPublicHealth, kPublicHealth, "医疗急救"},
      {"public_disorder", Category::kSocialSafety, kSocialSafety, "群体性事件"},
      {"mass_gathering", Category::kSocialSafety, kSocialSafety, "人员密集场所事件"},
      {"terror_attack", Category::kSocialSafety, kSocialSafety, "恐怖袭击"},
      {"other", Category::kSocialSafety, kSocialSafety, "其他"},
  };
  Taxonomy tax = Taxonomy::defaults();
  EXPECT_EQ(tax.types().size(), std::size(kExpected));
  for (const Expected& e : kExpected) {
    SCOPED_TRACE(e.code);
    const IncidentType* t = tax.find(e.code);
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->code, e.code);
    EXPECT_EQ(t->category, e.category);
    EXPECT_EQ(t->family, e.family);
    EXPECT_EQ(t->name_zh, e.name_zh);
    EXPECT_FALSE(t->name_en.empty());
  }
  EXPECT_EQ(tax.find("traffic_accident")->name_en, "Road traffic accident");
  EXPECT_EQ(tax.find("war"), nullptr);
}

TEST(Taxonomy, EveryDefaultTypeHasAFamilyWithDefaultRules) {
  GradeRules rules = GradeRules::defaults();
  for (const IncidentType& t : Taxonomy::defaults().types()) {
    SCOPED_TRACE(t.code);
    EXPECT_TRUE(is_rule_family(t.family));
    EXPECT_NE(rules.find(t.family), nullptr);
  }
}

TEST(Taxonomy, Compatible) {
  Taxonomy tax = Taxonomy::defaults();
  EXPECT_TRUE(tax.compatible("fire", "fire"));
  EXPECT_TRUE(tax.compatible("fire", "hazmat_leak"));
  EXPECT_TRUE(tax.compatible("building_collapse", "fire"));
  EXPECT_TRUE(tax.compatible("flood", "typhoon"));
  EXPECT_TRUE(tax.compatible("rainstorm", "flood"));
  EXPECT_TRUE(tax.compatible("food_poisoning", "infectious_disease"));
  EXPECT_FALSE(tax.compatible("fire", "flood"));
  EXPECT_FALSE(tax.compatible("traffic_accident", "public_disorder"));
  // An empty group matches only the same code.
  EXPECT_TRUE(tax.find("drought")->group.empty());
  EXPECT_TRUE(tax.compatible("drought", "drought"));
  EXPECT_FALSE(tax.compatible("drought", "mine_accident"));
  // Unknown codes are compatible only with themselves.
  EXPECT_TRUE(tax.compatible("unknown_x", "unknown_x"));
  EXPECT_FALSE(tax.compatible("unknown_x", "fire"));
}

TEST(Taxonomy, DefaultsAreTheEmbeddedYaml) {
  auto loaded = Taxonomy::load_yaml(Taxonomy::default_yaml(), "d.yaml", Taxonomy{});
  ASSERT_TRUE(loaded) << loaded.status().to_string();
  EXPECT_EQ(loaded->types().size(), Taxonomy::defaults().types().size());
  EXPECT_THAT(std::string(Taxonomy::default_yaml()), HasSubstr("code: hazmat_leak"));
}

TEST(Taxonomy, ExtensionAddsAndOverridesTypes) {
  constexpr std::string_view kExtension = R"(
# county extension
types:
  - code: ship_accident
    category: accident_disaster
    family: production_safety
    name_zh: 水上交通事故
    name_en: Waterborne traffic accident
    group: water_rescue
  - code: drought
    group: flood_storm
    name_en: Severe drought
)";
  Taxonomy base = Taxonomy::defaults();
  auto loaded = Taxonomy::load_yaml(kExtension, "county.yaml", base);
  ASSERT_TRUE(loaded) << loaded.status().to_string();
  const Taxonomy& tax = *loaded;
  EXPECT_EQ(tax.types().size(), base.types().size() + 1);
  EXPECT_EQ(tax.types().back().code, "ship_accident");
  const IncidentType* ship = tax.find("ship_accident");
  ASSERT_NE(ship, nullptr);
  EXPECT_EQ(ship->category, Category::kAccidentDisaster);
  EXPECT_EQ(ship->name_zh, "水上交通事故");
  EXPECT_TRUE(tax.compatible("ship_accident", "drowning"));
  const IncidentType* drought = tax.find("drought");
  EXPECT_EQ(drought->name_en, "Severe drought");
  EXPECT_EQ(drought->name_zh, "干旱");  // not given: kept
  EXPECT_EQ(drought->category, Category::kNaturalDisaster);
  EXPECT_TRUE(tax.compatible("drought", "flood"));
  // The base is a value: unchanged.
  EXPECT_EQ(base.find("ship_accident"), nullptr);
  EXPECT_FALSE(base.compatible("drought", "flood"));
}

TEST(Taxonomy, EmptyExtensionChangesNothing) {
  for (std::string_view text : {"", "# only a comment\n", "types:\n"}) {
    auto loaded = Taxonomy::load_yaml(text, "empty.yaml", Taxonomy::defaults());
    ASSERT_TRUE(loaded) << loaded.status().to_string();
    EXPECT_EQ(loaded->types().size(), Taxonomy::defaults().types().size());
  }
}

struct ErrorCase {
  const char* name;
  const char* yaml;
  const char* message;  // expected to appear in the message, which starts "ext.yaml:LINE: "
  int line;
};

class TaxonomyErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(TaxonomyErrors, NameTheSourceLineAndProblem) {
  const ErrorCase& c = GetParam();
  auto loaded = Taxonomy::load_yaml(c.yaml, "ext.yaml", Taxonomy::defaults());
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.status().code(), core::Code::kInvalidArgument);
  EXPECT_THAT(loaded.status().message(), StartsWith("ext.yaml:" + std::to_string(c.line) + ": "));
  EXPECT_THAT(loaded.status().message(), HasSubstr(c.message));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TaxonomyErrors,
    ::testing::Values(
        ErrorCase{"UnknownCategory",
                  "types:\n  - code: x\n    category: war\n    family: social_safety\n"
                  "    name_zh: 某\n    name_en: X\n",
                  "unknown category 'war'", 3},
        ErrorCase{"UnknownFamily",
                  "types:\n  - code: x\n    category: social_safety\n    family: piracy\n"
                  "    name_zh: 某\n    name_en: X\n",
                  "unknown family 'piracy'", 4},
        ErrorCase{"DuplicateCode",
                  "types:\n  - {code: fire, name_en: Fire A}\n  - {code: fire, name_en: Fire B}\n",
                  "duplicate type code 'fire' (first at ext.yaml:2)", 3},
        ErrorCase{"NewTypeMissingField",
                  "types:\n  - code: x\n    category: social_safety\n    name_zh: 某\n"
                  "    name_en: X\n",
                  "new type 'x' needs 'family'", 2},
        ErrorCase{"UnknownField", "types:\n  - code: fire\n    colour: red\n",
                  "unknown field 'colour'", 3},
        ErrorCase{"MissingCode", "types:\n  - name_en: Nameless\n", "a type needs a 'code'", 2},
        ErrorCase{"BadCode", "types:\n  - code: Big Fire\n", "type code 'Big Fire'", 2},
        ErrorCase{"TypesNotAList", "types:\n  code: fire\n", "'types' must be a list", 2},
        ErrorCase{"UnknownTopLevel", "type:\n  - code: fire\n", "unknown field 'type'", 1},
        ErrorCase{"DuplicateKey", "types:\n  - code: fire\n    code: flood\n",
                  "'code' appears twice", 3},
        ErrorCase{"Garbage", "types: [\n  - code: {fire\n", "not valid YAML", 2}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Taxonomy, NonMappingDocumentIsAnError) {
  for (std::string_view text : {"just words", "- a\n- b\n", "\t\x01\x02 ::: ]["}) {
    auto loaded = Taxonomy::load_yaml(text, "junk.yaml", Taxonomy::defaults());
    ASSERT_FALSE(loaded) << text;
    EXPECT_EQ(loaded.status().code(), core::Code::kInvalidArgument);
    EXPECT_THAT(loaded.status().message(), StartsWith("junk.yaml"));
  }
}

}  // namespace
}  // namespace liandong::taxonomy

namespace liandong::taxonomy {
namespace {

TEST(ResponseCard, ParsesCountsTypesAndCapabilities) {
  auto r = parse_response(" 2 engine + 1 ladder (aerial_32m, breathing_apparatus)+1 ambulance ");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0], (ResponseSlot{"engine", 2, {}}));
  EXPECT_EQ((*r)[1], (ResponseSlot{"ladder", 1, {"aerial_32m", "breathing_apparatus"}}));
  EXPECT_EQ((*r)[2], (ResponseSlot{"ambulance", 1, {}}));
  EXPECT_EQ(format_response(*r), "2 engine + 1 ladder (aerial_32m, breathing_apparatus) + 1 ambulance");
  EXPECT_TRUE(parse_response("")->empty());
}

TEST(ResponseCard, RefusesWhatIsNotACard) {
  for (const char* bad : {"engine", "0 engine", "51 engine", "2 Engine", "2 engine +", "2 engine (foam",
                          "2 engine (Foam)", "2 engine () ", "2 + 1 ladder"}) {
    auto r = parse_response(bad);
    EXPECT_FALSE(r.is_ok()) << bad;
  }
}

TEST(ResponseCard, DefaultTypesCarryCardsAndAFileCanChangeThem) {
  const auto* fire = Taxonomy::defaults().find("fire");
  ASSERT_NE(fire, nullptr);
  EXPECT_EQ(format_response(fire->response), "2 engine + 1 ladder + 1 ambulance");
  auto t = Taxonomy::load_yaml("types:\n  - code: fire\n    response: 3 engine + 1 ladder (aerial_32m)\n", "local.yaml",
                               Taxonomy::defaults());
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_EQ(format_response(t->find("fire")->response), "3 engine + 1 ladder (aerial_32m)");
  auto bad = Taxonomy::load_yaml("types:\n  - code: fire\n    response: lots of engines\n", "local.yaml",
                                 Taxonomy::defaults());
  ASSERT_FALSE(bad.is_ok());
  EXPECT_NE(bad.status().message().find("local.yaml:3"), std::string::npos) << bad.status().message();
}

}  // namespace
}  // namespace liandong::taxonomy
