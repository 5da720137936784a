// render_pdf where fontconfig finds no font: "unavailable" naming the package, never a crash or a
// PDF of empty boxes. Its own executable: fontconfig reads its configuration once per process.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "typeset/document.h"

namespace liandong::typeset {
namespace {

using ::testing::HasSubstr;

TEST(RenderPdfWithoutFonts, IsUnavailable) {
  ASSERT_EQ(setenv("FONTCONFIG_FILE", LIANDONG_NO_FONTS_CONF, 1), 0);
  Document doc;
  doc.issuer = "佛山市应急管理局";
  doc.sections = {Section{"一、总体情况", {"全市平稳。"}, std::nullopt}};
  const auto pdf = render_pdf(doc);
  ASSERT_FALSE(pdf.is_ok());
  EXPECT_EQ(pdf.status().code(), core::Code::kUnavailable);
  EXPECT_THAT(pdf.status().message(), HasSubstr("fonts-noto-cjk"));
  // HTML needs no font on the server.
  EXPECT_THAT(render_html(doc), HasSubstr("佛山市应急管理局"));
}

}  // namespace
}  // namespace liandong::typeset
