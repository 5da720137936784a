// write_cap: the XSD's order, the namespace and declaration, escaping, and text that must come
// back exactly (whitespace, carriage returns, markup characters); numbers in the shortest exact
// decimal form.
#include "alerts/writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "alerts/internal/samples.h"
#include "alerts/reader.h"

namespace liandong::alerts {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Alert sample() { return *read_cap(samples::kChineseAlert).alert; }

TEST(WriteCap, DeclarationNamespaceAndOrder) {
  const std::string xml = write_cap(sample());
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<alert "
                      "xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">\n",
                      0),
            0u)
      << xml;
  // The alert's children in the XSD's order.
  size_t at = 0;
  for (const char* tag : {"<identifier>", "<sender>", "<sent>", "<status>", "<msgType>", "<source>",
                          "<scope>", "<code>", "<note>", "<references>", "<incidents>", "<info>"}) {
    const size_t next = xml.find(tag, at);
    ASSERT_NE(next, std::string::npos) << tag;
    at = next;
  }
  at = xml.find("<info>");
  for (const char* tag :
       {"<language>",   "<category>", "<event>",       "<responseType>", "<urgency>", "<severity>",
        "<certainty>",  "<audience>", "<eventCode>",   "<effective>",    "<onset>",   "<expires>",
        "<senderName>", "<headline>", "<description>", "<instruction>",  "<web>",     "<contact>",
        "<parameter>",  "<resource>", "<area>",        "<areaDesc>",     "<polygon>", "<circle>",
        "<geocode>",    "<altitude>", "<ceiling>"}) {
    const size_t next = xml.find(tag, at);
    ASSERT_NE(next, std::string::npos) << tag;
    at = next;
  }
}

TEST(WriteCap, TextComesBackExactly) {
  Alert a = sample();
  Info& i = a.infos[0];
  i.description = "  leading and trailing spaces  \n\tand a tab";
  i.instruction = "line one\r\nline two\rline three";  // carriage returns survive as &#13;
  i.headline = "a < b && c > d ]]> \"quoted\" 'single' 🌧️";
  i.contact = "";
  i.audience = " ";
  a.note = "<![CDATA[not a section]]>";
  const std::string xml = write_cap(a);
  EXPECT_THAT(xml, HasSubstr("&#13;"));
  EXPECT_THAT(xml, HasSubstr("a &lt; b &amp;&amp; c &gt; d ]]&gt;"));
  EXPECT_THAT(xml, HasSubstr("🌧️"));
  const ReadOutcome back = read_cap(xml);
  ASSERT_TRUE(back.alert);
  EXPECT_EQ(*back.alert, a) << xml;
}

TEST(WriteCap, NumbersAreShortestExactDecimals) {
  Alert a = sample();
  Area& area = a.infos[0].areas[0];
  area.polygons[0].points = {
      {23.1, 114.3}, {-0.000001, 179.999999999}, {1e-7, 0.1 + 0.2}, {23.1, 114.3}};
  area.circles[0] = {22.5, 114.25, 1e6};
  area.altitude = -12.5;
  area.ceiling = 123456789.125;
  const std::string xml = write_cap(a);
  EXPECT_THAT(xml, HasSubstr("<polygon>23.1,114.3 -0.000001,179.999999999 0.0000001,"
                             "0.30000000000000004 23.1,114.3</polygon>"));
  EXPECT_THAT(xml, HasSubstr("<circle>22.5,114.25 1000000</circle>"));
  EXPECT_THAT(xml, HasSubstr("<altitude>-12.5</altitude>"));
  EXPECT_THAT(xml, HasSubstr("<ceiling>123456789.125</ceiling>"));
  EXPECT_THAT(xml, Not(HasSubstr("e-")));
  const ReadOutcome back = read_cap(xml);
  ASSERT_TRUE(back.accepted()) << back.report.to_string();
  EXPECT_EQ(*back.alert, a);
}

TEST(WriteCap, EmptyReferencesAndOptionalsAreLeftOut) {
  Alert a = sample();
  a.references.clear();
  a.msg_type = "Alert";
  a.note.reset();
  a.infos[0].resources[0].size.reset();
  const std::string xml = write_cap(a);
  EXPECT_THAT(xml, Not(HasSubstr("<references")));
  EXPECT_THAT(xml, Not(HasSubstr("<note")));
  EXPECT_THAT(xml, Not(HasSubstr("<size")));
  EXPECT_EQ(*read_cap(xml).alert, a);
}

TEST(WriteCap, AnInvalidModelStillWrites) {
  Alert a;  // nothing set: written, refused when read
  a.infos.emplace_back();
  a.infos[0].areas.emplace_back();
  a.infos[0].areas[0].altitude = std::nan("");
  const std::string xml = write_cap(a);
  EXPECT_THAT(xml, HasSubstr("<identifier />"));
  EXPECT_FALSE(read_cap(xml).accepted());
}

}  // namespace
}  // namespace liandong::alerts
