// The alert commands through Engine::execute over a MemoryJournal: a warning drafted into a CAP
// alert with the documented mapping; blue and yellow published by their drafter with a national
// identifier; orange and red waiting for a second person (never the drafter), rejected back to
// draft with a reason, approved and published with the trail kept; Update and Cancel referencing
// the earlier message; alerts received from outside raising, updating and lifting warnings (and
// opening an incident by rule), duplicates and quarantine; subscribers with their secret kept out
// of the public event form; and the state equal after a restart and through a snapshot.
#include <gtest/gtest.h>

#include "alerts/reader.h"
#include "engine/alert_cap.h"
#include "engine/alert_mapping.h"
#include "engine/engine.h"
#include "engine/state.h"
#include "engine/testing/memory_journal.h"

namespace liandong::engine {
namespace {

using nlohmann::json;

core::Timestamp at(const char* t) { return *core::parse_rfc3339(t, "t"); }

class AlertTest : public ::testing::Test {
 protected:
  // 2026-12-02 08:30:05 in Beijing.
  AlertTest() : clock_(at("2026-12-02T00:30:05Z")) {}
  void SetUp() override { start(); }

  void start() {
    e_.reset();
    EngineOptions o;
    o.node = "441300";
    o.alert_body_code = "11000000";
    e_ = std::make_unique<Engine>(o, journal_, clock_, taxonomy::Taxonomy::defaults(), taxonomy::GradeRules::defaults());
    ASSERT_TRUE(e_->start().is_ok());
  }

  core::Result<Outcome> run(Command c, Actor a = "analyst-1") { return e_->execute(std::move(c), std::move(a)); }

  std::string warning(const std::string& level) {
    RaiseWarning w;
    w.level = level;
    w.title = "东江镉超标";
    w.description = "东江 1 号断面镉浓度超过 III 类标准 2 倍";
    w.type = "water_pollution";
    w.location = core::LonLat{114.4, 23.1};
    w.jurisdiction = "441302";
    auto r = run(w);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? r->body["id"].get<std::string>() : "";
  }

  std::string draft(const std::string& warning_id, const std::string& msg_type = "Alert", const std::string& replaces = "",
                    Actor by = "analyst-1") {
    DraftAlert d;
    d.warning_id = warning_id;
    d.msg_type = msg_type;
    d.replaces = replaces;
    auto r = run(d, by);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? r->body["id"].get<std::string>() : "";
  }

  AlertRecord alert(const std::string& id) {
    view_ = e_->view();
    return *view_->find_alert(id);
  }

  core::FakeClock clock_;
  engine::testing::MemoryJournal journal_;
  std::unique_ptr<Engine> e_;
  std::shared_ptr<const View> view_;
};

TEST_F(AlertTest, AYellowWarningIsDraftedByTheMappingAndPublishedByItsDrafter) {
  std::string w = warning("yellow");
  std::string id = draft(w);
  EXPECT_EQ(id, "441300-ALR-1");
  const AlertRecord& a = alert(id);
  EXPECT_EQ(a.state, "draft");
  EXPECT_EQ(a.approval, "");
  EXPECT_EQ(a.content.categories, std::vector<std::string>{"Env"});
  EXPECT_EQ(a.content.severity, "Moderate");
  EXPECT_EQ(a.content.urgency, "Expected");
  EXPECT_EQ(a.content.certainty, "Likely");  // raised by a person
  EXPECT_EQ(a.content.headline, "黄色预警：东江镉超标");
  ASSERT_EQ(a.content.circles.size(), 1u);
  EXPECT_EQ(a.content.circles[0].radius_km, 5.0);
  EXPECT_EQ(a.content.geocodes, std::vector<std::string>{"441302"});

  auto r = run(SubmitAlert{id});
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  const AlertRecord& p = alert(id);
  EXPECT_EQ(p.state, "published");
  // GB/T 35965.1: division, body code, Beijing time of entry, sequence digit.
  EXPECT_EQ(p.identifier, "44130011000000_20261202083005_0");
  EXPECT_EQ(p.sender, "441300@liandong");
  EXPECT_NE(p.xml.find("<sent>2026-12-02T08:30:05+08:00</sent>"), std::string::npos) << p.xml;
  EXPECT_NE(p.xml.find("黄色预警：东江镉超标"), std::string::npos);
  auto back = alerts::read_cap(p.xml);
  EXPECT_TRUE(back.accepted()) << back.report.to_string();
  EXPECT_EQ(view_->find_warning(w)->status, "issued");
  std::vector<std::string> actions;
  for (const auto& s : p.steps) actions.push_back(s.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"drafted", "submitted", "published"}));

  // A second alert in the same second takes the next sequence digit.
  std::string w2 = warning("blue");
  std::string id2 = draft(w2);
  ASSERT_TRUE(run(SubmitAlert{id2}).is_ok());
  EXPECT_EQ(alert(id2).identifier, "44130011000000_20261202083005_1");
}

TEST_F(AlertTest, AnOrangeAlertWaitsForASecondPersonWhoMayRejectOrApprove) {
  std::string w = warning("orange");
  std::string id = draft(w, "Alert", "", "analyst-1");
  EXPECT_EQ(alert(id).approval, "warning.approve.orange");
  ASSERT_TRUE(run(SubmitAlert{id}, "analyst-1").is_ok());
  EXPECT_EQ(alert(id).state, "pending_approval");
  EXPECT_TRUE(alert(id).xml.empty());

  // Neither the drafter nor the submitter approves.
  auto self = run(ReviewAlert{id, true, ""}, "analyst-1");
  EXPECT_EQ(self.status().code(), core::Code::kPermissionDenied);
  auto no_reason = run(ReviewAlert{id, false, ""}, "chief-1");
  EXPECT_EQ(no_reason.status().field(), "note");
  ASSERT_TRUE(run(ReviewAlert{id, false, "范围写得不清楚"}, "chief-1").is_ok());
  EXPECT_EQ(alert(id).state, "draft");

  AlertContent c = alert(id).content;
  c.area_desc = "东江惠阳段沿岸";
  ASSERT_TRUE(run(EditAlert{id, c}).is_ok());
  ASSERT_TRUE(run(SubmitAlert{id}).is_ok());
  clock_.advance(std::chrono::seconds(60));
  auto ok = run(ReviewAlert{id, true, "同意发布"}, "chief-1");
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  const AlertRecord& p = alert(id);
  EXPECT_EQ(p.state, "published");
  EXPECT_EQ(p.identifier, "44130011000000_20261202083105_0");
  std::vector<std::string> trail;
  for (const auto& s : p.steps) trail.push_back(s.action + ":" + s.by + (s.permission.empty() ? "" : ":" + s.permission));
  EXPECT_EQ(trail, (std::vector<std::string>{"drafted:analyst-1", "submitted:analyst-1", "rejected:chief-1",
                                             "edited:analyst-1", "submitted:analyst-1",
                                             "approved:chief-1:warning.approve.orange", "published:chief-1"}));
  EXPECT_EQ(view_->find_warning(w)->status, "issued");
  // Once published, nothing more is reviewed or edited.
  EXPECT_EQ(run(ReviewAlert{id, true, ""}, "chief-2").status().code(), core::Code::kConflict);
  EXPECT_EQ(run(EditAlert{id, c}).status().code(), core::Code::kConflict);
}

TEST_F(AlertTest, UpdateAndCancelReferenceTheEarlierMessages) {
  std::string w = warning("yellow");
  std::string first = draft(w);
  ASSERT_TRUE(run(SubmitAlert{first}).is_ok());
  clock_.advance(std::chrono::seconds(10));
  ASSERT_TRUE(run(ChangeWarning{w, "update", "blue", "", "回落"}).is_ok());
  std::string update = draft("", "Update", first);
  ASSERT_TRUE(run(SubmitAlert{update}).is_ok());
  const AlertRecord& u = alert(update);
  ASSERT_EQ(u.references.size(), 1u);
  EXPECT_EQ(u.references[0], "441300@liandong,44130011000000_20261202083005_0,2026-12-02T08:30:05+08:00");
  EXPECT_EQ(alert(first).state, "superseded");
  EXPECT_EQ(alert(first).replaced_by, update);
  EXPECT_NE(u.xml.find("<msgType>Update</msgType>"), std::string::npos);

  // An Update of a superseded alert is refused; a Cancel of the newest carries both references.
  DraftAlert stale;
  stale.msg_type = "Update";
  stale.replaces = first;
  EXPECT_EQ(run(stale).status().code(), core::Code::kConflict);
  ASSERT_TRUE(run(ChangeWarning{w, "lift", "", "", "恢复正常"}).is_ok());
  clock_.advance(std::chrono::seconds(10));
  std::string cancel = draft("", "Cancel", update);
  EXPECT_EQ(alert(cancel).content.headline.rfind("解除：", 0), 0u);
  ASSERT_TRUE(run(SubmitAlert{cancel}).is_ok());
  EXPECT_EQ(alert(cancel).references.size(), 2u);
  EXPECT_EQ(alert(update).state, "cancelled");
  EXPECT_FALSE(alert(cancel).current(clock_.now()));
  // A new Alert on a lifted warning is refused.
  DraftAlert again;
  again.warning_id = w;
  EXPECT_EQ(run(again).status().code(), core::Code::kConflict);
}

std::string cap(const std::string& identifier, const std::string& msg_type, const std::string& references,
                const std::string& severity) {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>)" + identifier + R"(</identifier>
  <sender>weather@gd.cn</sender>
  <sent>2026-12-02T08:00:00+08:00</sent>
  <status>Actual</status>
  <msgType>)" + msg_type + R"(</msgType>
  <scope>Public</scope>)" + (references.empty() ? "" : "\n  <references>" + references + "</references>") + R"(
  <info>
    <language>zh-CN</language>
    <category>Met</category>
    <event>暴雨</event>
    <urgency>Immediate</urgency>
    <severity>)" + severity + R"(</severity>
    <certainty>Likely</certainty>
    <headline>惠州市气象台发布暴雨预警</headline>
    <description>未来3小时惠阳区将出现50毫米以上降水。</description>
    <area>
      <areaDesc>惠阳区</areaDesc>
      <circle>22.8,114.45 10</circle>
      <geocode><valueName>GB/T 2260</valueName><value>441303</value></geocode>
    </area>
  </info>
</alert>)";
}

ReceiveAlert received(const std::string& xml) {
  auto r = read_received(xml);
  ReceiveAlert c;
  c.source = "push";
  c.xml = xml;
  c.accepted = r.accepted;
  c.parsed = r.record;
  c.report = r.report;
  return c;
}

TEST_F(AlertTest, ReceivedAlertsRaiseUpdateAndLiftWarningsAndBadOnesAreQuarantined) {
  auto first = run(received(cap("GD-1", "Alert", "", "Severe")), "peer-key");
  ASSERT_TRUE(first.is_ok()) << first.status().to_string();
  std::string id = first->body["id"];
  const AlertRecord& a = alert(id);
  EXPECT_EQ(a.state, "received");
  EXPECT_EQ(a.level, "orange");
  const Warning* w = view_->find_warning(a.warning_id);
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->source, "cap");
  EXPECT_EQ(w->level, "orange");
  EXPECT_EQ(w->title, "惠州市气象台发布暴雨预警");
  ASSERT_TRUE(w->location.has_value());
  EXPECT_DOUBLE_EQ(w->location->lat, 22.8);
  // Severe, Immediate, Likely, Actual: an incident is opened by rule.
  EXPECT_FALSE(w->incident_id.empty());

  // The same message again changes nothing.
  auto dup = run(received(cap("GD-1", "Alert", "", "Severe")), "peer-key");
  ASSERT_TRUE(dup.is_ok());
  EXPECT_TRUE(dup->body.value("duplicate", false));
  EXPECT_EQ(e_->view()->alerts.size(), 1u);

  auto upd = run(received(cap("GD-2", "Update", "weather@gd.cn,GD-1,2026-12-02T08:00:00+08:00", "Extreme")), "peer-key");
  ASSERT_TRUE(upd.is_ok()) << upd.status().to_string();
  EXPECT_EQ(alert(id).state, "superseded");
  EXPECT_EQ(view_->find_warning(a.warning_id)->level, "red");

  auto can = run(received(cap("GD-3", "Cancel", "weather@gd.cn,GD-2,2026-12-02T08:00:00+08:00", "Minor")), "peer-key");
  ASSERT_TRUE(can.is_ok()) << can.status().to_string();
  EXPECT_EQ(alert(upd->body["id"]).state, "cancelled");
  EXPECT_EQ(view_->find_warning(a.warning_id)->status, "lifted");

  // Malformed: kept with its report, applied to nothing.
  size_t warnings = e_->view()->warnings.size();
  std::string bad = cap("GD 4", "Alert", "", "Severe");  // a space in the identifier
  auto q = run(received(bad), "peer-key");
  ASSERT_TRUE(q.is_ok()) << q.status().to_string();
  EXPECT_EQ(q->body["state"], "quarantined");
  EXPECT_NE(q->body["report"].dump().find("cap.identifier"), std::string::npos) << q->body["report"].dump();
  EXPECT_EQ(e_->view()->warnings.size(), warnings);
  auto junk = run(received("<not-cap/>"), "peer-key");
  ASSERT_TRUE(junk.is_ok());
  EXPECT_EQ(junk->body["state"], "quarantined");
  // Bytes that are not UTF-8 are kept as valid text (the journal's events must be), not lost.
  auto latin1 = run(received(std::string("<alert>\xE9t\xE9 \xE4\xBD</alert>")), "peer-key");
  ASSERT_TRUE(latin1.is_ok()) << latin1.status().to_string();
  EXPECT_EQ(latin1->body["xml"], "<alert>\xEF\xBF\xBDt\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD</alert>");
  EXPECT_FALSE(to_json_text(journal_.events().back()).empty());
}

TEST_F(AlertTest, SubscribersKeepTheirSecretOutOfThePublicEventsAndFilterAlerts) {
  Subscriber s;
  s.name = "惠阳区应急局";
  s.url = "http://127.0.0.1:9/hook";
  s.secret = "0123456789abcdef0123";
  s.areas = {"441303"};
  s.min_level = "yellow";
  auto r = run(CreateSubscriber{s}, "admin-1");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_FALSE(r->body.contains("secret"));
  EXPECT_EQ(e_->view()->find_subscriber("441300-SUB-1")->secret, "0123456789abcdef0123");
  Event last = journal_.events().back();
  EXPECT_EQ(last.type, "subscriber.created");
  EXPECT_EQ(to_public_json(last)["data"]["subscriber"]["secret"], "[redacted]");
  s.secret = "short";
  EXPECT_EQ(run(CreateSubscriber{s}).status().field(), "secret");

  AlertRecord a;
  a.cap_status = "Actual";
  a.level = "orange";
  a.jurisdiction = "441300";
  a.content.geocodes = {"441300"};  // the whole city holds the county
  EXPECT_TRUE(subscriber_matches(*e_->view()->find_subscriber("441300-SUB-1"), a));
  a.content.geocodes = {"441302"};
  EXPECT_FALSE(subscriber_matches(*e_->view()->find_subscriber("441300-SUB-1"), a));
  a.content.geocodes = {"441303"};
  a.level = "blue";
  EXPECT_FALSE(subscriber_matches(*e_->view()->find_subscriber("441300-SUB-1"), a));
  a.level = "red";
  a.cap_status = "Exercise";
  EXPECT_FALSE(subscriber_matches(*e_->view()->find_subscriber("441300-SUB-1"), a));
}

TEST_F(AlertTest, TheStateIsTheSameAfterARestartAndThroughASnapshot) {
  std::string w = warning("red");
  std::string id = draft(w);
  ASSERT_TRUE(run(SubmitAlert{id}).is_ok());
  ASSERT_TRUE(run(ReviewAlert{id, true, ""}, "chief-1").is_ok());
  ASSERT_TRUE(run(received(cap("GD-1", "Alert", "", "Moderate")), "peer-key").is_ok());
  Subscriber s{.name = "x", .url = "http://127.0.0.1:9/", .secret = "0123456789abcdef"};
  ASSERT_TRUE(run(CreateSubscriber{s}).is_ok());
  std::string before = serialize_view(*e_->view());
  e_->stop();
  start();
  EXPECT_EQ(serialize_view(*e_->view()), before);
  auto loaded = State::load(before, "441300");
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  EXPECT_EQ(loaded->serialize(), before);
}

}  // namespace
}  // namespace liandong::engine
