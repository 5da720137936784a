#include "geocode/internal/text.h"

#include <gtest/gtest.h>

namespace liandong::geocode::internal {
namespace {

std::string key(std::string_view s) { return to_utf8(normalize(s).key); }

TEST(GeocodeText, FoldsWidthCaseAccentsAndDropsPunctuation) {
  EXPECT_EQ(key("文明一路１８号"), "文明一路18");              // full-width digits; 号 is the number's
  EXPECT_EQ(key("ＲＵＥ　Ｇｒｉｍａｌｄｉ"), "ruegrimaldi");  // full-width letters, ideographic space
  EXPECT_EQ(key("Boulevard d'Italie, 5"), "boulevardditalie5");
  EXPECT_EQ(key("Église Saint-Dévote"), "eglisesaintdevote");
  EXPECT_EQ(key("Straße Łódź Œuvre"), "strasselodzoeuvre");
  EXPECT_EQ(key("e\xCC\x81t\xC3\xA9"), "ete");  // combining accent dropped
  EXPECT_EQ(key("（惠城区）·江北、文昌一路。"), "惠城区江北文昌一路");
  EXPECT_EQ(key("  ,,  "), "");
}

TEST(GeocodeText, SegmentsSplitCjkFromLatinAndDigits) {
  auto n = normalize("文明一路18号 A座");
  ASSERT_EQ(n.segments.size(), 4u);
  EXPECT_TRUE(n.segments[0].cjk);
  EXPECT_EQ(to_utf8(n.segments[1].text), "18");  // 号 belongs to the number
  EXPECT_EQ(to_utf8(n.segments[2].text), "a");   // "A" and "座" are different scripts
  EXPECT_EQ(to_utf8(n.segments[3].text), "座");
  EXPECT_EQ(to_utf8(normalize("18 号楼").key), "18");
}

TEST(GeocodeText, TokensAreBigramsWordsAndNumbersWithoutTheirMarker) {
  auto t = tokenize(normalize("文明一路18号"));
  EXPECT_EQ(t.grams.size(), 3u);  // 文明 明一 一路; 号 belongs to 18
  ASSERT_EQ(t.words.size(), 1u);
  EXPECT_EQ(to_utf8(t.words[0]), "18");
  auto single = tokenize(normalize("路"));
  ASSERT_EQ(single.grams.size(), 1u);
  EXPECT_EQ(single.grams[0], gram_key(U'路', 0));
}

TEST(GeocodeText, InvalidUtf8IsSkippedAndDetected) {
  EXPECT_TRUE(valid_utf8("文明 Rue"));
  EXPECT_FALSE(valid_utf8("\xFF\xFE"));
  EXPECT_FALSE(valid_utf8("\xE6\x96"));          // cut short
  EXPECT_FALSE(valid_utf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_EQ(key("ab\xFF\xE6\x96"), "ab");
  EXPECT_EQ(key(std::string("a\0b", 3)), "ab");
}

TEST(GeocodeText, LongInputIsCut) { EXPECT_EQ(normalize(std::string(10000, 'x'), 200).key.size(), 200u); }

}  // namespace
}  // namespace liandong::geocode::internal
