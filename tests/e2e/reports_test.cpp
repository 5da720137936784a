// Information reports on the real binary over loopback, on the node's test clock: a fire in a
// county makes the county owe the city an initial report within 2 hours; a draft from the record is
// refused with 422 naming each missing element, completed and submitted; the city's reviewer finds
// it in the inbox and acknowledges it; a report left unwritten is overdue at its deadline; the
// county's daily report renders as a PDF whose text (pdftotext) holds the Chinese heading and the
// period's figures; the statistics count the incidents (JSON and CSV); and all of it after a
// restart.
#include <chrono>
#include <fstream>

#include "core/time.h"
#include "harness.h"

namespace liandong::e2e {
namespace {

using nlohmann::json;

class ReportsTest : public E2eTest {
 protected:
  NodeOptions options() {
    auto o = node_options();
    o.test_clock = true;
    return o;
  }

  static json owed(HttpConnection& http, const std::string& incident, const std::string& from, const std::string& to) {
    auto list = get_json(http, "/api/v1/report-obligations?status=all&incident_id=" + incident);
    for (const auto& o : list["obligations"])
      if (o["jurisdiction"] == from && o["to_jurisdiction"] == to && o["report_type"] == "initial" &&
          o["channel"] == "written")
        return o;
    return nullptr;
  }

  std::string pdf_text(const std::string& pdf) {
    auto file = root_ / "daily.pdf";
    std::ofstream(file, std::ios::binary) << pdf;
    auto out = root_ / "daily.txt";
    std::string cmd = "pdftotext -layout " + file.string() + " " + out.string();
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    std::ifstream in(out);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
};

TEST_F(ReportsTest, ACountyReportsUpOnTimeTheCityReceivesItAndTheDailyReportIsAPdf) {
  auto node = start(options());
  HttpConnection http(node.port, auth());
  HttpConnection duty(node.port, bearer(create_key("duty_officer", "441302")["key"]));
  HttpConnection reviewer(node.port, bearer(create_key("report_reviewer", "441300")["key"]));

  auto alarm = alarm_json("化工厂仓库起火", 114.41, 23.11);
  alarm["jurisdiction"] = "441302";
  auto made = http.post("/api/v1/alarms", alarm);
  ASSERT_EQ(made.status, 201) << made.describe();
  std::string inc = made.json()["incident_id"];
  auto incident = get_json(http, "/api/v1/incidents/" + inc);

  json o = owed(duty, inc, "441302", "441300");
  ASSERT_TRUE(o.is_object()) << "the county owes the city an initial report";
  auto opened = core::parse_rfc3339(incident["opened_at"].get<std::string>(), "opened_at");
  auto due = core::parse_rfc3339(o["due_at"].get<std::string>(), "due_at");
  ASSERT_TRUE(opened && due);
  EXPECT_EQ(*due - *opened, std::chrono::hours(2));
  EXPECT_EQ(o["status"], "open");

  // A draft from the record, refused until a person adds what it lacks.
  auto draft = duty.post("/api/v1/reports", {{"type", "initial"}, {"incident_id", inc}});
  ASSERT_EQ(draft.status, 201) << draft.describe();
  json r = draft.json();
  std::string id = r["id"];
  EXPECT_EQ(r["to_jurisdiction"], "441300");
  EXPECT_FALSE(r["content"]["place"].get<std::string>().empty());
  EXPECT_FALSE(r["missing"].empty());
  auto refused = duty.post("/api/v1/reports/" + id + "/submit", json::object());
  ASSERT_EQ(refused.status, 422) << refused.describe();
  EXPECT_EQ(refused.json()["code"], "report.incomplete");
  std::string names = refused.json()["missing"].dump();
  for (const char* name : {"起因和性质", "发展趋势", "下一步工作"})
    EXPECT_NE(names.find(name), std::string::npos) << name << " in " << names;
  HttpConnection neighbour(node.port, bearer(create_key("duty_officer", "441303")["key"]));
  EXPECT_EQ(neighbour.post("/api/v1/reports/" + id + "/submit", json::object()).status, 404)
      << "another county's duty officer may not even see the report";

  json content = r["content"];
  content["cause_nature"] = "仓库电气线路短路起火，正在调查";
  content["trend"] = "火势已控制";
  content["next_steps"] = "清理现场，排查周边企业隐患";
  content["scope"] = "仓库及相邻厂房";
  content["measures"] = "消防救援站两车到场处置";
  content["course"] = content["course"].get<std::string>().empty() ? "接报后立即出动" : content["course"];
  content["consequences"] = {{"deaths", 0}, {"injuries", 2}, {"missing", 0}, {"affected", 40}, {"direct_loss_yuan", 800000}};
  auto edited = duty.request("PATCH", "/api/v1/reports/" + id, json{{"content", content}}.dump());
  ASSERT_EQ(edited.status, 200) << edited.describe();
  EXPECT_TRUE(edited.json()["missing"].empty()) << edited.json()["missing"].dump();
  auto sent = duty.post("/api/v1/reports/" + id + "/submit", json::object());
  ASSERT_EQ(sent.status, 200) << sent.describe();
  EXPECT_EQ(sent.json()["status"], "submitted");
  EXPECT_FALSE(sent.json()["late"].get<bool>());
  EXPECT_EQ(owed(duty, inc, "441302", "441300")["status"], "fulfilled");

  // The city's inbox; the county's duty officer may not acknowledge its own report.
  auto inbox = get_json(reviewer, "/api/v1/reports?to=441300");
  ASSERT_EQ(inbox["reports"].size(), 1u) << inbox.dump();
  EXPECT_EQ(inbox["reports"][0]["id"], id);
  EXPECT_TRUE(inbox["reports"][0]["may_review"].get<bool>());
  EXPECT_EQ(duty.post("/api/v1/reports/" + id + "/receive", json::object()).status, 403);
  auto received = reviewer.post("/api/v1/reports/" + id + "/receive", json::object());
  ASSERT_EQ(received.status, 200) << received.describe();
  EXPECT_EQ(received.json()["status"], "received");

  // A second fire nobody reports on goes overdue at its deadline.
  auto second = alarm_json("另一处仓库起火", 114.47, 23.15);
  second["jurisdiction"] = "441302";
  std::string other = http.post("/api/v1/alarms", second).json()["incident_id"];
  ASSERT_EQ(http.post("/api/v1/test/clock", {{"advance_ms", 2 * 3600 * 1000}}).status, 200);
  // Gently (every 250 ms): the per-key rate limit (429) would answer a tight loop.
  const auto gently = std::chrono::milliseconds(250);
  auto overdue = [](const json& j) {
    for (const auto& x : j["obligations"])
      if (x["to_jurisdiction"] == "441300" && x["report_type"] == "initial" && x["status"] == "overdue") return true;
    return false;
  };
  poll(duty, "/api/v1/report-obligations?status=all&incident_id=" + other, overdue, gently);

  // The county's daily report of today, as a PDF with its heading and figures.
  std::string today = core::format_utc(*core::parse_rfc3339(incident["opened_at"].get<std::string>(), "t") -
                                       std::chrono::hours(1));
  std::string later = core::format_utc(*core::parse_rfc3339(incident["opened_at"].get<std::string>(), "t") +
                                       std::chrono::hours(1));
  auto daily = duty.post("/api/v1/reports",
                         {{"type", "daily"}, {"jurisdiction", "441302"}, {"period_from", today}, {"period_to", later}});
  ASSERT_EQ(daily.status, 201) << daily.describe();
  std::string did = daily.json()["id"];
  std::string body = daily.json()["content"]["body"];
  EXPECT_NE(body.find("共接报突发事件2起"), std::string::npos) << body;
  auto daily_sent = duty.post("/api/v1/reports/" + did + "/submit", json::object());
  ASSERT_EQ(daily_sent.status, 200) << daily_sent.describe();
  EXPECT_EQ(daily_sent.json()["number"], 1);
  auto pdf = duty.get("/api/v1/reports/" + did + "/document?format=pdf");
  ASSERT_EQ(pdf.status, 200) << pdf.describe();
  EXPECT_EQ(pdf.body.substr(0, 4), "%PDF");
  std::string text = pdf_text(pdf.body);
  EXPECT_NE(text.find("惠城区应急管理局"), std::string::npos) << text;
  EXPECT_NE(text.find("值班信息日报"), std::string::npos) << text;
  EXPECT_NE(text.find("共接报突发事件2起"), std::string::npos) << text;
  EXPECT_NE(text.find("第1期"), std::string::npos) << text;
  auto html = duty.get("/api/v1/reports/" + did + "/document?format=html");
  ASSERT_EQ(html.status, 200);
  EXPECT_NE(html.body.find("值班信息日报"), std::string::npos);

  // Statistics: both fires, with the report timeliness (one on time, one overdue).
  auto counted = [](const json& j) {
    return j.contains("total") && j["total"]["incidents"] == 2 && j["total"]["reports_late"].get<int>() >= 1;
  };
  auto stats = poll(http, "/api/v1/stats/incidents?group_by=category,jurisdiction", counted, gently);
  ASSERT_EQ(stats["rows"].size(), 1u) << stats.dump();
  EXPECT_EQ(stats["rows"][0]["key"], json({"accident_disaster", "441302"}));
  EXPECT_GE(stats["total"]["reports_on_time"].get<int>(), 1);
  auto csv = http.get("/api/v1/stats/incidents?group_by=jurisdiction&format=csv");
  ASSERT_EQ(csv.status, 200) << csv.describe();
  EXPECT_NE(csv.body.find("441302"), std::string::npos) << csv.body;
  EXPECT_EQ(http.get("/api/v1/stats/incidents?group_by=weekday").status, 400);

  // A restart keeps it all.
  stop(node);
  auto again = start(options());
  HttpConnection after(again.port, auth());
  auto kept = get_json(after, "/api/v1/reports/" + id);
  EXPECT_EQ(kept["status"], "received");
  EXPECT_EQ(kept["versions"].size(), 1u);
  auto stats_after = get_json(after, "/api/v1/stats/incidents");
  EXPECT_EQ(stats_after["total"]["incidents"], 2) << stats_after.dump();
}

}  // namespace
}  // namespace liandong::e2e
