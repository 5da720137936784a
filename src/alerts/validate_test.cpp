// validate(): each rule of docs/CAP.md on a model built in code — one case that triggers its code
// (with the path and severity) and one near miss that does not.
#include "alerts/validate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "alerts/internal/samples.h"
#include "alerts/reader.h"

namespace liandong::alerts {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// "E code path" / "W code path" of every issue.
std::vector<std::string> issues(const Report& r) {
  std::vector<std::string> out;
  for (const Issue& i : r.issues)
    out.push_back(std::string(i.severity == Severity::kError ? "E " : "W ") + i.code + " " +
                  i.path);
  return out;
}

Alert base() {
  ReadOutcome in = read_cap(samples::kChineseAlert);
  EXPECT_TRUE(in.accepted()) << in.report.to_string();
  return in.alert.value_or(Alert{});
}

std::vector<std::string> issues_after(const std::function<void(Alert&)>& change) {
  Alert a = base();
  change(a);
  return issues(validate(a));
}

TEST(Validate, TheSampleHasNoIssue) { EXPECT_THAT(issues(validate(base())), IsEmpty()); }

TEST(Validate, RequiredValues) {
  EXPECT_THAT(issues_after([](Alert& a) { a.identifier.clear(); }),
              ElementsAre("E cap.required /alert/identifier"));
  EXPECT_THAT(issues_after([](Alert& a) { a.sender.clear(); }),
              ElementsAre("E cap.required /alert/sender"));
  EXPECT_THAT(issues_after([](Alert& a) { a.infos[1].categories.clear(); }),
              ElementsAre("E cap.required /alert/info[2]/category"));
}

TEST(Validate, IdentifierAndSenderCharacters) {
  for (const char* bad : {"a b", "a,b", "a<b", "a&b", "a\tb"}) {
    EXPECT_THAT(issues_after([&](Alert& a) { a.identifier = bad; }),
                ElementsAre("E cap.identifier.chars /alert/identifier"))
        << bad;
  }
  EXPECT_THAT(issues_after([](Alert& a) { a.sender = "hsas dhs.gov"; }),
              ElementsAre("E cap.identifier.chars /alert/sender"));
  EXPECT_THAT(issues_after([](Alert& a) { a.identifier = "urn:oid:2.49.0.1.124-x_y@z/1"; }),
              IsEmpty());
  Alert a = base();
  a.identifier = "a,b";
  EXPECT_THAT(validate(a).issues.at(0).message, HasSubstr("a comma"));
}

TEST(Validate, DateTimes) {
  EXPECT_THAT(issues_after([](Alert& a) { a.sent = "2026-11-29T05:05:00Z"; }),
              ElementsAre("E cap.datetime /alert/sent"));
  EXPECT_THAT(issues_after([](Alert& a) { a.infos[0].onset = "2026-11-29"; }),
              ElementsAre("E cap.datetime /alert/info[1]/onset"));
  EXPECT_THAT(issues_after([](Alert& a) { a.infos[0].expires = "2026-11-29T13:05:00.000+08:00"; }),
              ElementsAre("E cap.datetime /alert/info[1]/expires"));
  EXPECT_THAT(issues_after([](Alert& a) { a.infos[0].effective = "2026-11-29T05:05:00-00:00"; }),
              IsEmpty());
}

TEST(Validate, Enumerations) {
  EXPECT_THAT(issues_after([](Alert& a) { a.status = "actual"; }),
              ElementsAre("E cap.enum /alert/status"));
  EXPECT_THAT(issues_after([](Alert& a) { a.msg_type = "Notice"; }),
              ElementsAre("E cap.enum /alert/msgType"));
  EXPECT_THAT(issues_after([](Alert& a) { a.scope = ""; }), ElementsAre("E cap.enum /alert/scope"));
  EXPECT_THAT(issues_after([](Alert& a) { a.infos[0].categories.push_back("Weather"); }),
              ElementsAre("E cap.enum /alert/info[1]/category[2]"));
  EXPECT_THAT(issues_after([](Alert& a) { a.infos[0].response_types = {"Run"}; }),
              ElementsAre("E cap.enum /alert/info[1]/responseType[1]"));
  EXPECT_THAT(issues_after([](Alert& a) {
                a.infos[1].urgency = "Now";
                a.infos[1].severity = "Orange";
                a.infos[1].certainty = "Very Likely";  // 1.0's value: not 1.2
              }),
              ElementsAre("E cap.enum /alert/info[2]/urgency", "E cap.enum /alert/info[2]/severity",
                          "E cap.enum /alert/info[2]/certainty"));
  Alert a = base();
  a.status = "Real";
  EXPECT_THAT(validate(a).issues.at(0).message,
              HasSubstr("'Real' is not one of Actual, Exercise, System, Test, Draft"));
  EXPECT_THAT(issues_after([](Alert& a) {
                a.status = "Draft";
                a.infos[0].response_types = {"AllClear", "Avoid"};  // new in 1.2
              }),
              IsEmpty());
}

TEST(Validate, ScopeNeedsAddressesOrRestriction) {
  EXPECT_THAT(issues_after([](Alert& a) { a.scope = "Private"; }),
              ElementsAre("E cap.scope.addresses /alert/addresses"));
  EXPECT_THAT(issues_after([](Alert& a) {
                a.scope = "Private";
                a.addresses = "  ";
              }),
              ElementsAre("E cap.scope.addresses /alert/addresses"));
  EXPECT_THAT(issues_after([](Alert& a) {
                a.scope = "Private";
                a.addresses = "441300-USR-1 \"惠州 应急局\"";
              }),
              IsEmpty());
  EXPECT_THAT(issues_after([](Alert& a) { a.scope = "Restricted"; }),
              ElementsAre("E cap.scope.restriction /alert/restriction"));
  EXPECT_THAT(issues_after([](Alert& a) {
                a.scope = "Restricted";
                a.restriction = "应急管理部门内部";
              }),
              IsEmpty());
}

TEST(Validate, References) {
  EXPECT_THAT(issues_after([](Alert& a) { a.references[0].sent = "yesterday"; }),
              ElementsAre("E cap.references.form /alert/references"));
  EXPECT_THAT(issues_after([](Alert& a) {
                a.references.push_back({"a b", "x", "2026-11-29T12:00:00+08:00"});
              }),
              ElementsAre("E cap.references.form /alert/references"));
  EXPECT_THAT(issues_after([](Alert& a) { a.references.clear(); }),
              ElementsAre("W cap.references.missing /alert/references"));
  EXPECT_THAT(issues_after([](Alert& a) {
                a.references.clear();
                a.msg_type = "Alert";
              }),
              IsEmpty());
}

TEST(Validate, Language) {
  EXPECT_THAT(issues_after([](Alert& a) { a.infos[0].language = "zh_CN"; }),
              ElementsAre("E cap.language /alert/info[1]/language"));
  EXPECT_THAT(issues_after([](Alert& a) { a.infos[0].language = ""; }),
              ElementsAre("E cap.language /alert/info[1]/language"));
  EXPECT_THAT(issues_after([](Alert& a) { a.infos[0].language = "zh-Hans-CN"; }), IsEmpty());
  EXPECT_THAT(issues_after([](Alert& a) { a.infos[0].language.reset(); }), IsEmpty());
}

TEST(Validate, Polygons) {
  auto poly = [](Alert& a) -> Polygon& { return a.infos[0].areas[0].polygons[0]; };
  const std::string p = "/alert/info[1]/area[1]/polygon[1]";
  EXPECT_THAT(issues_after([&](Alert& a) { poly(a).points.clear(); }),
              ElementsAre("W cap.polygon.empty " + p));
  EXPECT_THAT(issues_after([&](Alert& a) { poly(a).points.pop_back(); }),
              ElementsAre("E cap.polygon.points " + p));
  EXPECT_THAT(issues_after([&](Alert& a) {
                poly(a).points = {{1, 1}, {2, 2}, {1, 1}};
              }),
              ElementsAre("E cap.polygon.points " + p));
  EXPECT_THAT(issues_after([&](Alert& a) {
                poly(a).points.back() = {23.0, 114.31};
              }),
              ElementsAre("E cap.polygon.closed " + p));
  EXPECT_THAT(issues_after([&](Alert& a) { poly(a).points[1].lat = 91; }),
              ElementsAre("E cap.coordinate.range " + p));
  EXPECT_THAT(issues_after([&](Alert& a) { poly(a).points[1].lon = -180.5; }),
              ElementsAre("E cap.coordinate.range " + p));
  EXPECT_THAT(issues_after([&](Alert& a) { poly(a).points[1].lon = std::nan(""); }),
              ElementsAre("E cap.coordinate.range " + p));
  EXPECT_THAT(issues_after([&](Alert& a) {
                poly(a).points = {{-90, -180}, {90, -180}, {90, 180}, {-90, 180}, {-90, -180}};
              }),
              IsEmpty());
}

TEST(Validate, Circles) {
  auto circle = [](Alert& a) -> Circle& { return a.infos[0].areas[0].circles[0]; };
  const std::string p = "/alert/info[1]/area[1]/circle[1]";
  EXPECT_THAT(issues_after([&](Alert& a) { circle(a).radius_km = -1; }),
              ElementsAre("E cap.circle.form " + p));
  EXPECT_THAT(issues_after([&](Alert& a) { circle(a).radius_km = INFINITY; }),
              ElementsAre("E cap.circle.form " + p));
  EXPECT_THAT(issues_after([&](Alert& a) { circle(a).lat = -95; }),
              ElementsAre("E cap.coordinate.range " + p));
  EXPECT_THAT(issues_after([&](Alert& a) { circle(a).radius_km = 0; }), IsEmpty());
}

TEST(Validate, AltitudeAndCeiling) {
  auto area = [](Alert& a) -> Area& { return a.infos[0].areas[0]; };
  EXPECT_THAT(issues_after([&](Alert& a) { area(a).altitude.reset(); }),
              ElementsAre("E cap.ceiling.altitude /alert/info[1]/area[1]/ceiling"));
  EXPECT_THAT(issues_after([&](Alert& a) { area(a).ceiling.reset(); }), IsEmpty());
  EXPECT_THAT(issues_after([&](Alert& a) { area(a).altitude = std::nan(""); }),
              ElementsAre("E cap.decimal /alert/info[1]/area[1]/altitude"));
}

TEST(Validate, ResourceSize) {
  EXPECT_THAT(issues_after([](Alert& a) { a.infos[0].resources[0].size = -1; }),
              ElementsAre("E cap.resource.size /alert/info[1]/resource[1]/size"));
  EXPECT_THAT(issues_after([](Alert& a) { a.infos[0].resources[0].size = 0; }), IsEmpty());
}

TEST(Validate, HtmlInTextIsAWarning) {
  Alert a = base();
  a.infos[0].description = "<p>暴雨</p><br/>";
  a.infos[1].instruction = "Go <b>now</b>";
  a.note = "<a href=\"x\">link</a>";
  const Report r = validate(a);
  EXPECT_TRUE(r.ok());
  EXPECT_THAT(issues(r), ElementsAre("W cap.text.html /alert/note",
                                     "W cap.text.html /alert/info[1]/description",
                                     "W cap.text.html /alert/info[2]/instruction"));
  EXPECT_THAT(issues_after([](Alert& a) {
                a.infos[0].description = "水位 < 警戒线, 流量 > 100 m3/s; x<5; a <= b";
              }),
              IsEmpty());
}

TEST(Validate, EmptyTextIsAWarning) {
  EXPECT_THAT(issues_after([](Alert& a) { a.infos[0].event = " "; }),
              ElementsAre("W cap.empty /alert/info[1]/event"));
  EXPECT_THAT(issues_after([](Alert& a) { a.infos[1].areas[0].area_desc.clear(); }),
              ElementsAre("W cap.empty /alert/info[2]/area[1]/areaDesc"));
  EXPECT_THAT(issues_after([](Alert& a) { a.infos[0].resources[0].mime_type.clear(); }),
              ElementsAre("W cap.empty /alert/info[1]/resource[1]/mimeType"));
}

TEST(Validate, WarningsDoNotFailErrorsDo) {
  Alert a = base();
  a.infos[0].areas[0].polygons[0].points.clear();
  Report r = validate(a);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.warnings().size(), 1u);
  EXPECT_TRUE(r.errors().empty());
  a.status = "Real";
  r = validate(a);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.errors().size(), 1u);
  EXPECT_EQ(r.warnings().size(), 1u);
  EXPECT_THAT(r.error_codes(), ElementsAre("cap.enum"));
  EXPECT_THAT(r.to_string(), HasSubstr("error cap.enum /alert/status: status 'Real'"));
  EXPECT_THAT(r.to_string(),
              HasSubstr("warning cap.polygon.empty /alert/info[1]/area[1]/polygon[1]"));
}

}  // namespace
}  // namespace liandong::alerts
