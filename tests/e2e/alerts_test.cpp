// CAP alerts on the real binary over loopback: an orange warning is composed into a CAP alert with a
// live preview, submitted by a monitoring analyst, refused to the analyst's own approval and
// approved by a supervisor; the published alert is in the public Atom feed and at its public URL
// as CAP 1.2 that the XSD accepts (xmllint), and reaches a webhook receiver on loopback signed and
// with a delivery id; CAP pushed in an EDXL-DE envelope becomes a warning, again is a duplicate,
// and a malformed envelope is quarantined; everything is still there after a restart.
#include <chrono>
#include <fstream>
#include <thread>

#include "core/time.h"
#include "harness.h"
#include "webhooks/testing/receiver.h"

namespace liandong::e2e {
namespace {

using nlohmann::json;

std::string shared_data() { return std::string(LIANDONG_SHARED_DATA); }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) ADD_FAILURE() << "missing test data file " << path;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

template <typename F>
bool eventually(F f, std::chrono::seconds limit = std::chrono::seconds(20)) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return f();
}

TEST_F(E2eTest, AnOrangeWarningIsApprovedPublishedAsCapAndDelivered) {
  const std::string secret = "s3cret-s3cret-s3cret";
  webhooks::testing::Receiver receiver({{"/cap", secret}});  // answers 200, checks signatures
  ASSERT_TRUE(receiver.start().is_ok());
  auto node = start();
  HttpConnection analyst(node.port, bearer(create_key("monitoring_analyst")["key"]));
  HttpConnection supervisor(node.port, auth());
  HttpConnection anyone(node.port);

  auto sub = supervisor.post("/api/v1/alert-subscribers",
                             {{"name", "惠城区应急管理局"},
                              {"url", "http://127.0.0.1:" + std::to_string(receiver.port()) + "/cap"},
                              {"secret", secret},
                              {"areas", {"441302"}}});
  ASSERT_EQ(sub.status, 201) << sub.describe();
  EXPECT_FALSE(sub.json().contains("secret")) << "a secret the caller chose is not echoed";
  EXPECT_EQ(analyst.post("/api/v1/alert-subscribers", {{"name", "x"}, {"url", "http://127.0.0.1:9/"}}).status, 403);

  auto w = analyst.post("/api/v1/warnings", {{"level", "orange"},
                                             {"title", "东江镉超标"},
                                             {"description", "东江 1 号断面镉浓度超过 III 类标准 3 倍"},
                                             {"type", "water_pollution"},
                                             {"jurisdiction", "441302"},
                                             {"location", {{"lon", 114.4}, {"lat", 23.1}}}});
  ASSERT_EQ(w.status, 201) << w.describe();
  std::string wid = w.json()["id"];
  // Orange is not issued by a plain issue.
  EXPECT_EQ(analyst.post("/api/v1/warnings/" + wid + "/issue", json::object()).status, 409);

  // The composer's preview: the document and the validator's verdict, nothing saved.
  auto preview = analyst.post("/api/v1/alerts/preview", {{"warning_id", wid}});
  ASSERT_EQ(preview.status, 200) << preview.describe();
  EXPECT_TRUE(preview.json()["ok"].get<bool>()) << preview.json()["issues"].dump();
  EXPECT_EQ(preview.json()["approval"], "warning.approve.orange");
  auto bad = analyst.post("/api/v1/alerts/preview", {{"warning_id", wid}, {"content", {{"urgency", "Soon"}}}});
  ASSERT_EQ(bad.status, 200);
  EXPECT_FALSE(bad.json()["ok"].get<bool>());
  EXPECT_NE(bad.json()["issues"].dump().find("urgency"), std::string::npos) << bad.json()["issues"].dump();

  auto draft = analyst.post("/api/v1/alerts", {{"warning_id", wid}, {"content", {{"instruction", "沿岸取水口暂停取水"}}}});
  ASSERT_EQ(draft.status, 201) << draft.describe();
  std::string aid = draft.json()["id"];
  ASSERT_EQ(analyst.post("/api/v1/alerts/" + aid + "/submit", json::object()).status, 200);
  auto self = analyst.post("/api/v1/alerts/" + aid + "/approve", json::object());
  EXPECT_EQ(self.status, 403) << "an analyst holds no warning.approve.orange: " << self.describe();
  EXPECT_EQ(anyone.get("/api/v1/cap/alerts/" + aid).status, 404) << "not public before it is published";
  auto approved = supervisor.post("/api/v1/alerts/" + aid + "/approve", {{"note", "同意发布"}});
  ASSERT_EQ(approved.status, 200) << approved.describe();
  json a = approved.json();
  EXPECT_EQ(a["state"], "published");
  std::string identifier = a["identifier"];
  EXPECT_EQ(identifier.substr(0, 6), "441300");
  EXPECT_NE(identifier.find('_'), std::string::npos);

  // Public, without signing in: the feed and the document, which the XSD accepts.
  auto feed = anyone.get("/api/v1/cap/feed");
  ASSERT_EQ(feed.status, 200) << feed.describe();
  EXPECT_NE(feed.content_type.find("application/atom+xml"), std::string::npos);
  EXPECT_NE(feed.body.find(identifier), std::string::npos) << feed.body;
  auto doc = anyone.get("/api/v1/cap/alerts/" + aid);
  ASSERT_EQ(doc.status, 200) << doc.describe();
  EXPECT_NE(doc.body.find("沿岸取水口暂停取水"), std::string::npos);
  auto file = root_ / "published.xml";
  std::ofstream(file) << doc.body;
  std::string cmd = "xmllint --noout --schema " + shared_data() + "/cap/CAP-v1.2.xsd " + file.string() + " 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << "the published alert must validate against the CAP 1.2 XSD";

  // The subscriber of 441302 receives it, signed, once.
  ASSERT_TRUE(eventually([&] { return receiver.count() > 0; })) << "no webhook delivery arrived";
  auto got = receiver.received();
  EXPECT_EQ(got[0].alert_id, aid);
  EXPECT_EQ(got[0].body, doc.body);
  EXPECT_FALSE(got[0].delivery_id.empty());
  EXPECT_TRUE(got[0].signature_ok) << got[0].signature_error;
  auto deliveries = supervisor.get("/api/v1/alert-subscribers/" + sub.json()["id"].get<std::string>() + "/deliveries");
  ASSERT_EQ(deliveries.status, 200) << deliveries.describe();
  ASSERT_TRUE(eventually([&] {
    auto d = supervisor.get("/api/v1/alert-subscribers/" + sub.json()["id"].get<std::string>() + "/deliveries");
    return d.json()["deliveries"].size() == 1 && d.json()["deliveries"][0]["state"] == "delivered";
  }));

  // CAP pushed inside an EDXL-DE envelope by a machine holding alert.receive.
  HttpConnection source(node.port, bearer(create_key("alert_source")["key"]));
  std::string envelope = read_file(shared_data() + "/edxl/de/google-cap-library__bushfire_valid.edxlde");
  auto pushed = source.request("POST", "/api/v1/cap/inbox", envelope, {{"Content-Type", "application/xml"}});
  ASSERT_EQ(pushed.status, 200) << pushed.describe();
  json results = pushed.json()["results"];
  ASSERT_GE(results.size(), 1u);
  EXPECT_EQ(results[0]["state"], "received");
  EXPECT_FALSE(results[0]["warning_id"].get<std::string>().empty());
  auto again = source.request("POST", "/api/v1/cap/inbox", envelope, {{"Content-Type", "application/xml"}});
  ASSERT_EQ(again.status, 200);
  EXPECT_TRUE(again.json()["results"][0]["duplicate"].get<bool>());
  auto junk = source.request("POST", "/api/v1/cap/inbox", "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>x y</identifier></alert>",
                             {{"Content-Type", "application/xml"}});
  EXPECT_EQ(junk.status, 422) << junk.describe();
  EXPECT_EQ(junk.json()["results"][0]["state"], "quarantined");
  EXPECT_EQ(analyst.request("POST", "/api/v1/cap/inbox", envelope, {{"Content-Type", "application/xml"}}).status, 403);
  auto quarantined = supervisor.get("/api/v1/alerts?state=quarantined");
  ASSERT_EQ(quarantined.status, 200);
  EXPECT_EQ(quarantined.json()["alerts"].size(), 1u);

  // A restart keeps it all.
  stop(node);
  auto again_node = start();
  HttpConnection after(again_node.port);
  auto feed2 = after.get("/api/v1/cap/feed");
  ASSERT_EQ(feed2.status, 200);
  EXPECT_NE(feed2.body.find(identifier), std::string::npos);
  EXPECT_EQ(receiver.count(), 1u) << "a delivered alert is not sent again after a restart";
}

}  // namespace
}  // namespace liandong::e2e
