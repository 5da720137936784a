// read_cap on documents: the codes only a document can have (XML form, hostile XML, limits,
// encodings, element order and cardinality, number forms), the CAP 1.0/1.1 mapping, and that each
// code does not fire on the near miss.
#include "alerts/reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <iconv.h>

#include <chrono>

#include "alerts/internal/samples.h"
#include "alerts/writer.h"

namespace liandong::alerts {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

std::vector<std::string> issues(const Report& r) {
  std::vector<std::string> out;
  for (const Issue& i : r.issues)
    out.push_back(std::string(i.severity == Severity::kError ? "E " : "W ") + i.code + " " +
                  i.path);
  return out;
}

// The sample with `from` replaced by `to` (the test fails when `from` is not in it).
std::string with(const std::string& from, const std::string& to,
                 std::string doc = samples::kChineseAlert) {
  const size_t at = doc.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) doc.replace(at, from.size(), to);
  return doc;
}

std::vector<std::string> issues_of(const std::string& doc, const ReadLimits& limits = {}) {
  return issues(read_cap(doc, limits).report);
}

TEST(ReadCap, TheSampleIsAcceptedWithoutIssues) {
  const ReadOutcome in = read_cap(samples::kChineseAlert);
  ASSERT_TRUE(in.accepted());
  EXPECT_THAT(issues(in.report), IsEmpty());
  EXPECT_EQ(in.version, 12);
  const Alert& a = *in.alert;
  EXPECT_EQ(a.identifier, "44130041600000_20261129130500_0");
  ASSERT_EQ(a.references.size(), 1u);
  EXPECT_EQ(a.references[0].identifier, "44130041600000_20261129120000_0");
  EXPECT_EQ(a.references[0].sent, "2026-11-29T12:00:00+08:00");
  ASSERT_EQ(a.infos.size(), 2u);
  EXPECT_EQ(a.infos[0].event, "暴雨");
  EXPECT_EQ(a.infos[0].description, "预计未来3小时惠城区、惠阳区将出现50毫米以上降雨 & 雷电。");
  ASSERT_EQ(a.infos[0].areas.size(), 2u);
  const Area& area = a.infos[0].areas[0];
  ASSERT_EQ(area.polygons.size(), 1u);
  EXPECT_EQ(area.polygons[0].points.size(), 4u);
  EXPECT_EQ(area.polygons[0].points[1], (Point{23.2, 114.3}));
  ASSERT_EQ(area.circles.size(), 1u);
  EXPECT_EQ(area.circles[0], (Circle{23.1, 114.4, 5.5}));
  EXPECT_EQ(area.altitude, 100);
  EXPECT_EQ(area.ceiling, 2000.5);
  EXPECT_EQ(a.infos[0].resources[0].size, 1024);
  EXPECT_EQ(a.infos[0].parameters[0], (KeyValue{"预警级别", "橙色"}));
}

// ---- XML form and hostile XML ---------------------------------------------------------------

TEST(ReadCap, MalformedXml) {
  EXPECT_THAT(issues_of("<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>"),
              ElementsAre("E xml.malformed /"));
  EXPECT_THAT(issues_of(with("<sender>", "<sender>&xxe;")), ElementsAre("E xml.malformed /"));
  EXPECT_THAT(issues_of(with("<sender>", "<sender>&#1;")), ElementsAre("E xml.malformed /"));
  EXPECT_THAT(issues_of(with("<sender>", "<sender>\x01")), ElementsAre("E xml.malformed /"));
  EXPECT_THAT(issues_of(samples::kChineseAlert + "<alert/>"), ElementsAre("E xml.malformed /"));
  EXPECT_THAT(issues_of(with("<alert ", "<alert a=\"1\" a=\"2\" ")),
              ElementsAre("E xml.malformed /alert"));
  EXPECT_THAT(issues_of(with("<note>", "<c:note>")), ElementsAre("E xml.malformed /"));
  EXPECT_THAT(issues_of(with("<note>更新", "<c:note>更新", with("</note>", "</c:note>"))),
              ElementsAre("E xml.malformed /alert/note"));
  EXPECT_THAT(issues_of(""), ElementsAre("E xml.malformed /"));
  // The predefined entities, character references and CDATA are fine.
  EXPECT_THAT(issues_of(with("<note>更新", "<note>&lt;&#x41;&#66;<![CDATA[&xxe; <b>]]>")),
              ElementsAre("W cap.text.html /alert/note"));
}

TEST(ReadCap, DoctypeIsRefusedWhateverItHolds) {
  const std::string bomb =
      "<!DOCTYPE alert [\n <!ENTITY a \"aaaaaaaaaa\">\n <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
      " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">\n <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;\">\n]>\n";
  const std::string doc = with("<alert ", bomb + "<alert ", with("<note>", "<note>&d;&d;&d;"));
  const auto t0 = std::chrono::steady_clock::now();
  const ReadOutcome out = read_cap(doc);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
  EXPECT_FALSE(out.alert);
  EXPECT_THAT(issues(out.report), ElementsAre("E xml.doctype /"));
  EXPECT_THAT(issues_of(with("<alert ", "<!DOCTYPE alert>\n<alert ")),
              ElementsAre("E xml.doctype /"));
  EXPECT_THAT(issues_of(with("<alert ", "<!DOCTYPE alert SYSTEM \"http://x/cap.dtd\">\n<alert ")),
              ElementsAre("E xml.doctype /"));
}

TEST(ReadCap, SizeLimit) {
  ReadLimits small;
  small.max_bytes = samples::kChineseAlert.size() - 1;
  EXPECT_THAT(issues_of(samples::kChineseAlert, small), ElementsAre("E xml.too_large /"));
  small.max_bytes = samples::kChineseAlert.size();
  EXPECT_THAT(issues_of(samples::kChineseAlert, small), IsEmpty());
  // The default: 4 MiB.
  const std::string big = with("<note>", "<note>" + std::string(size_t(4) << 20, 'x'));
  EXPECT_THAT(issues_of(big), ElementsAre("E xml.too_large /"));
}

TEST(ReadCap, DepthLimitAndTenThousandDeepNesting) {
  std::string deep;
  for (int i = 0; i < 10'000; ++i) deep += "<x>";
  for (int i = 0; i < 10'000; ++i) deep += "</x>";
  EXPECT_THAT(issues_of(with("<note>更新", "<note>" + deep)), ElementsAre("E xml.too_deep /"));
  // Raised limit: the document is parsed whole and then refused for what it is, no crash.
  ReadLimits high;
  high.max_depth = 20'000;
  EXPECT_THAT(issues_of(with("<note>更新", "<note>" + deep), high),
              ElementsAre("E cap.element.unknown /alert/note/x"));
  EXPECT_THAT(issues_of(with("<incidents>", deep + "<incidents>"), high),
              ElementsAre("E cap.element.unknown /alert/x"));
  // Unclosed: 10,000 open tags.
  EXPECT_THAT(issues_of(deep.substr(0, 30'000)), ElementsAre("E xml.too_deep /"));
  EXPECT_THAT(issues_of(deep.substr(0, 30'000), high), ElementsAre("E xml.malformed /"));
  // The sample nests 5 deep: a limit of 5 passes, 4 does not.
  ReadLimits five;
  five.max_depth = 5;
  EXPECT_THAT(issues_of(samples::kChineseAlert, five), IsEmpty());
  five.max_depth = 4;
  EXPECT_THAT(issues_of(samples::kChineseAlert, five), ElementsAre("E xml.too_deep /"));
}

std::string convert(const std::string& utf8, const char* to) {
  iconv_t cd = iconv_open(to, "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1)) << to;
  std::string out(utf8.size() * 4 + 16, '\0');
  char* src = const_cast<char*>(utf8.data());
  size_t src_left = utf8.size(), dst_left = out.size();
  char* dst = out.data();
  EXPECT_NE(iconv(cd, &src, &src_left, &dst, &dst_left), static_cast<size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - dst_left);
  return out;
}

TEST(ReadCap, Encodings) {
  const Alert expected = *read_cap(samples::kChineseAlert).alert;
  // GB18030 named in the declaration: converted, the Chinese text intact.
  const std::string gb = convert(with("encoding=\"UTF-8\"", "encoding=\"GB18030\""), "GB18030");
  ASSERT_EQ(gb.find("暴雨"), std::string::npos);  // really re-encoded
  ReadOutcome in = read_cap(gb);
  ASSERT_TRUE(in.accepted()) << in.report.to_string();
  EXPECT_EQ(*in.alert, expected);
  // UTF-16 with a byte-order mark.
  in = read_cap(convert(with("encoding=\"UTF-8\"", "encoding=\"UTF-16\""), "UTF-16"));
  ASSERT_TRUE(in.accepted()) << in.report.to_string();
  EXPECT_EQ(*in.alert, expected);
  // A UTF-8 byte-order mark.
  in = read_cap("\xEF\xBB\xBF" + samples::kChineseAlert);
  ASSERT_TRUE(in.accepted()) << in.report.to_string();
  // Bytes that are not UTF-8 in a UTF-8 document; an encoding iconv does not know.
  EXPECT_THAT(issues_of(with("惠州市气象台</source>", "\xE6\xFF</source>")),
              ElementsAre("E xml.encoding /"));
  EXPECT_THAT(issues_of(with("encoding=\"UTF-8\"", "encoding=\"x-no-such-encoding\"")),
              ElementsAre("E xml.encoding /"));
  EXPECT_THAT(issues_of(with("encoding=\"UTF-8\"", "encoding=\"UTF-8//TRANSLIT\"")),
              ElementsAre("E xml.encoding /"));
}

// ---- not a CAP alert ----------------------------------------------------------------------------

TEST(ReadCap, RootAndNamespace) {
  ReadOutcome out = read_cap("<feed xmlns=\"http://www.w3.org/2005/Atom\"/>");
  EXPECT_FALSE(out.alert);
  EXPECT_EQ(out.version, 0);
  EXPECT_THAT(issues(out.report), ElementsAre("E cap.root /feed"));
  out = read_cap(
      with("urn:oasis:names:tc:emergency:cap:1.2", "urn:oasis:names:tc:emergency:cap:1.3"));
  EXPECT_FALSE(out.alert);
  EXPECT_THAT(issues(out.report), ElementsAre("E cap.namespace /alert"));
  EXPECT_THAT(out.report.issues[0].message, HasSubstr("cap:1.3"));
  EXPECT_THAT(issues_of(with(" xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"", "")),
              ElementsAre("E cap.namespace /alert"));
  // A prefix is as good as the default namespace.
  std::string prefixed = samples::kChineseAlert;
  for (size_t at = 0; (at = prefixed.find('<', at)) != std::string::npos; ++at) {
    if (prefixed[at + 1] == '?') continue;
    prefixed.insert(at + (prefixed[at + 1] == '/' ? 2 : 1), "cap:");
  }
  prefixed = with("xmlns=", "xmlns:cap=", prefixed);
  out = read_cap(prefixed);
  ASSERT_TRUE(out.accepted()) << out.report.to_string() << prefixed;
  EXPECT_EQ(*out.alert, *read_cap(samples::kChineseAlert).alert);
}

// ---- structure (the XSD) ------------------------------------------------------------------------

TEST(ReadCap, ElementOrderCardinalityAndUnknownElements) {
  EXPECT_THAT(issues_of(with("<source>惠州市气象台</source>\n", "",
                             with("<scope>Public</scope>",
                                  "<scope>Public</scope><source>惠州市气象台</source>"))),
              ElementsAre("E cap.order /alert/source"));
  EXPECT_THAT(issues_of(with("<sent>", "<sent>2026-11-29T13:05:00+08:00</sent><sent>")),
              ElementsAre("E cap.cardinality /alert/sent"));
  EXPECT_THAT(issues_of(with("<note>", "<Note>x</Note><note>")),
              ElementsAre("E cap.element.unknown /alert/Note"));
  EXPECT_THAT(issues_of(with("<note>", "<x:note xmlns:x=\"urn:other\">x</x:note><note>")),
              ElementsAre("E cap.element.unknown /alert/note"));
  EXPECT_THAT(issues_of(with("<event>暴雨</event>", "")),
              ElementsAre("E cap.required /alert/info[1]/event"));
  EXPECT_THAT(issues_of(with("<areaDesc>惠城区</areaDesc>", "")),
              ElementsAre("E cap.required /alert/info[1]/area[1]/areaDesc"));
  EXPECT_THAT(issues_of(with("<valueName>预警级别</valueName>", "")),
              ElementsAre("E cap.required /alert/info[1]/parameter[1]/valueName"));
  EXPECT_THAT(issues_of(with("<mimeType>image/png</mimeType>", "")),
              ElementsAre("E cap.required /alert/info[1]/resource[1]/mimeType"));
  // Repeatable elements may repeat; an alert may have no info.
  EXPECT_THAT(issues_of(with("<code>", "<code>a</code><code>")), IsEmpty());
  const size_t info = samples::kChineseAlert.find("  <info>");
  const size_t end = samples::kChineseAlert.find("</alert>");
  EXPECT_THAT(
      issues_of(samples::kChineseAlert.substr(0, info) + samples::kChineseAlert.substr(end)),
      IsEmpty());
}

TEST(ReadCap, ElementOutOfOrderIsNotAlsoMissing) {
  EXPECT_THAT(
      issues_of(with(
          "<identifier>44130041600000_20261129130500_0</identifier>\n", "",
          with("</sender>", "</sender><identifier>44130041600000_20261129130500_0</identifier>"))),
      ElementsAre("E cap.order /alert/identifier"));
}

TEST(ReadCap, AttributesAndText) {
  EXPECT_THAT(issues_of(with("<identifier>", "<identifier id=\"1\">")),
              ElementsAre("E cap.attribute /alert/identifier"));
  EXPECT_THAT(issues_of(with("<info>", "<info lang=\"zh\">")),
              ElementsAre("E cap.attribute /alert/info[1]"));
  EXPECT_THAT(issues_of(with("<info>", "<info>loose text")),
              ElementsAre("E cap.text.unexpected /alert/info[1]"));
  EXPECT_THAT(issues_of(with("<headline>惠州", "<headline><b>惠州</b>")),
              ElementsAre("E cap.element.unknown /alert/info[1]/headline/b"));
  // xmlns declarations, xsi attributes and comments anywhere are fine.
  EXPECT_THAT(issues_of(with("<alert ",
                             "<alert xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                             "xsi:schemaLocation=\"x y\" ",
                             with("<info>", "<info><!-- 中文 -->"))),
              IsEmpty());
}

TEST(ReadCap, NumberAndGeometryForms) {
  const std::string area = "/alert/info[1]/area[1]";
  EXPECT_THAT(issues_of(with("23.2,114.3 23.2", "23.2;114.3 23.2")),
              ElementsAre("E cap.polygon.form " + area + "/polygon[1]"));
  EXPECT_THAT(issues_of(with("23.2,114.3 23.2", "23.2,114.3, 23.2")),
              ElementsAre("E cap.polygon.form " + area + "/polygon[1]"));
  EXPECT_THAT(issues_of(with("23.2,114.3 23.2", "23.2,1e2 23.2")),
              ElementsAre("E cap.polygon.form " + area + "/polygon[1]"));
  EXPECT_THAT(issues_of(with("<circle>23.1,114.4 5.5", "<circle>23.1,114.4")),
              ElementsAre("E cap.circle.form " + area + "/circle[1]"));
  EXPECT_THAT(issues_of(with("<circle>23.1,114.4 5.5", "<circle>23.1,114.4 5.5 km")),
              ElementsAre("E cap.circle.form " + area + "/circle[1]"));
  EXPECT_THAT(issues_of(with("<altitude>100", "<altitude>100 ft")),
              ElementsAre("E cap.decimal " + area + "/altitude"));
  EXPECT_THAT(issues_of(with("<ceiling>2000.5", "<ceiling>NaN")),
              ElementsAre("E cap.decimal " + area + "/ceiling"));
  EXPECT_THAT(issues_of(with("<size>1024", "<size>1k")),
              ElementsAre("E cap.integer /alert/info[1]/resource[1]/size"));
  // Signs, spaces and a lone trailing dot are numbers still.
  EXPECT_THAT(issues_of(with("<circle>23.1,114.4 5.5", "<circle> +23.1,-114.4\n 5. ",
                             with("<altitude>100", "<altitude> -100.0 "))),
              IsEmpty());
  EXPECT_THAT(
      issues_of(with("<polygon>23.0,114.3 23.2,114.3 23.2,114.5 23.0,114.3",
                     "<polygon></polygon><polygon>23.0,114.3 23.2,114.3 23.2,114.5 23.0,114.3")),
      ElementsAre("W cap.polygon.empty " + area + "/polygon[1]"));
}

TEST(ReadCap, References) {
  const std::string refs =
      "<references>44130041600000,44130041600000_20261129120000_0,2026-11-29T12:00:00+08:00";
  EXPECT_THAT(issues_of(with(refs, "<references>44130041600000,44130041600000_20261129120000_0")),
              ElementsAre("E cap.references.form /alert/references"));
  EXPECT_THAT(issues_of(with(refs, refs + " a,b,c,d")),
              ElementsAre("E cap.references.form /alert/references"));
  EXPECT_THAT(issues_of(with(refs, refs + " a,b,2026-11-29")),
              ElementsAre("E cap.references.form /alert/references"));
  EXPECT_THAT(issues_of(with(refs + "</references>", "<references/>",
                             with("<msgType>Update", "<msgType>Alert"))),
              ElementsAre("W cap.references.empty /alert/references"));
  const ReadOutcome two = read_cap(with(refs, refs + "\n   s,i2,2026-11-29T12:30:00+08:00 "));
  ASSERT_TRUE(two.accepted()) << two.report.to_string();
  EXPECT_EQ(two.alert->references.size(), 2u);
}

TEST(ReadCap, SignatureIsAllowedAtTheEndOf12Only) {
  const std::string sig =
      "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><SignedInfo/></Signature>";
  const std::string signed12 = with("</alert>", sig + "</alert>");
  ReadOutcome in = read_cap(signed12);
  ASSERT_TRUE(in.accepted());
  EXPECT_THAT(issues(in.report), ElementsAre("W cap.signature /alert/Signature"));
  EXPECT_THAT(write_cap(*in.alert), Not(HasSubstr("Signature")));
  EXPECT_THAT(issues_of(with("<info>", sig + "<info>")),
              ElementsAre("W cap.signature /alert/Signature", "E cap.order /alert/info[1]",
                          "E cap.order /alert/info[2]"));
  EXPECT_THAT(issues_of(with("cap:1.2", "cap:1.1", signed12)),
              ElementsAre("E cap.element.unknown /alert/Signature"));
}

// ---- CAP 1.0 and 1.1 onto 1.2 (docs/CAP.md "Versions")
// -------------------------------------------

const std::string kCap10 = R"(<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="http://www.incident.com/cap/1.0">
  <identifier>TRI13970876.1</identifier>
  <sender>trinet@caltech.edu</sender>
  <sent>2003-06-11T20:56:00-07:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <password>secret</password>
  <scope>Public</scope>
  <info>
    <category>Geo</category>
    <event>Earthquake</event>
    <urgency>Past</urgency>
    <severity>Minor</severity>
    <certainty>Very Likely</certainty>
    <eventCode>same=EQW</eventCode>
    <parameter>Magnitude=3.4 Ml=local</parameter>
    <parameter>NoEquals</parameter>
    <resource>
      <resourceDesc>Map</resourceDesc>
      <uri>http://example.org/map.gif</uri>
    </resource>
    <area>
      <areaDesc>Brawley, CA</areaDesc>
      <circle>32.9525,-115.5527 0</circle>
      <geocode>fips6=006025</geocode>
    </area>
  </info>
</alert>
)";

TEST(ReadCap, Cap10IsMappedOnto12) {
  const ReadOutcome in = read_cap(kCap10);
  ASSERT_TRUE(in.accepted()) << in.report.to_string();
  EXPECT_EQ(in.version, 10);
  EXPECT_THAT(issues(in.report),
              ElementsAre("W cap.mapped /alert/password", "W cap.mapped /alert/info[1]/certainty",
                          "W cap.mapped /alert/info[1]/parameter[2]",
                          "W cap.mapped /alert/info[1]/resource[1]/mimeType"));
  const Info& info = in.alert->infos.at(0);
  EXPECT_EQ(info.certainty, "Likely");
  EXPECT_THAT(info.event_codes, ElementsAre(KeyValue{"same", "EQW"}));
  EXPECT_THAT(info.parameters,
              ElementsAre(KeyValue{"Magnitude", "3.4 Ml=local"}, KeyValue{"", "NoEquals"}));
  EXPECT_EQ(info.resources.at(0).mime_type, "application/octet-stream");
  EXPECT_THAT(info.areas.at(0).geocodes, ElementsAre(KeyValue{"fips6", "006025"}));
  const std::string out = write_cap(*in.alert);
  EXPECT_THAT(out, Not(HasSubstr("secret")));
  EXPECT_THAT(out, HasSubstr("urn:oasis:names:tc:emergency:cap:1.2"));
  const ReadOutcome again = read_cap(out);
  ASSERT_TRUE(again.accepted());
  EXPECT_EQ(*again.alert, *in.alert);
}

TEST(ReadCap, Cap10HasNoResponseTypeOrDerefUriAndStillNeedsScope) {
  EXPECT_THAT(issues_of(with("<urgency>", "<responseType>Monitor</responseType><urgency>", kCap10)),
              ElementsAre("W cap.mapped /alert/password",
                          "E cap.element.unknown /alert/info[1]/responseType",
                          "W cap.mapped /alert/info[1]/certainty",
                          "W cap.mapped /alert/info[1]/parameter[2]",
                          "W cap.mapped /alert/info[1]/resource[1]/mimeType"));
  const ReadOutcome no_scope = read_cap(with("<scope>Public</scope>", "", kCap10));
  EXPECT_FALSE(no_scope.accepted());
  EXPECT_THAT(no_scope.report.error_codes(), ElementsAre("cap.required"));
  // Other certainty values of 1.0 are 1.2's already; "Very Likely" in 1.1 or 1.2 is an error.
  EXPECT_THAT(read_cap(with("<certainty>Likely", "<certainty>Very Likely")).report.error_codes(),
              ElementsAre("cap.enum"));
}

TEST(ReadCap, Cap11IsMappedOnto12) {
  std::string doc = with("cap:1.2", "cap:1.1", with("<mimeType>image/png</mimeType>", ""));
  doc = with("<responseType>Prepare</responseType>", "", doc);  // Avoid/AllClear are 1.2's
  const ReadOutcome in = read_cap(doc);
  ASSERT_TRUE(in.accepted()) << in.report.to_string();
  EXPECT_EQ(in.version, 11);
  EXPECT_THAT(issues(in.report), ElementsAre("W cap.mapped /alert/info[1]/resource[1]/mimeType"));
  EXPECT_EQ(in.alert->infos[0].resources[0].mime_type, "application/octet-stream");
  // 1.1's altitude is a string, 1.2's a decimal: a non-number cannot be mapped.
  EXPECT_THAT(read_cap(with("<altitude>100", "<altitude>100 ft", doc)).report.error_codes(),
              ElementsAre("cap.decimal"));
}

}  // namespace
}  // namespace liandong::alerts
