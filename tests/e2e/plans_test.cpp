// Plans on the real binary over loopback: the plan library (YAML and JSON bodies, the validator's
// 422 with line and path, the validate route), the version life-cycle with its permissions (a
// second person reviews and approves), drill and review dates, the diff of two versions;
// activation on a confirmed grade with its tasks, the recommendation taking the plan's force,
// task routes and dependencies, a deadline passed on the test clock, the live stream; a drill with
// injects and its after-action review (JSON and HTML).
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "core/time.h"
#include "harness.h"

namespace liandong::e2e {
namespace {

using nlohmann::json;

// Level IV: two tasks; level II: the same two and two more (the evacuation waits for the cordon).
constexpr const char* kPlan = R"(key: fire_general
title: 火灾事故应急预案
owner: fire
scope:
  types: [fire]
levels:
  II:
    when: {grades: [I, II]}
    lead: fire
    command_post: 市级现场指挥部
    participants: [police, health]
    forces:
      - {type: engine, count: 4}
    tasks:
      respond: {owner: fire, description: 出动灭火, deadline: 10m}
      cordon: {owner: police, description: 设置警戒, deadline: 20m}
      evacuate: {owner: police, description: 疏散群众, deadline: 30m, after: [cordon]}
      hospital: {owner: health, description: 医院准备, deadline: 45m, role: incident_commander}
    notifications:
      - {role: supervisor, channel: phone}
  IV:
    when: {grades: [IV]}
    lead: fire
    participants: [police]
    forces:
      - {type: engine, count: 2}
    tasks:
      respond: {owner: fire, description: 出动灭火, deadline: 15m}
      cordon: {owner: police, description: 设置警戒, deadline: 30m}
    notifications:
      - {role: duty_officer}
    reports:
      - {type: initial, to: county, within: 1h}
)";

// Line 10 has a deadline that is no duration.
constexpr const char* kBadPlan = R"(key: bad
title: 坏预案
owner: fire
scope: {types: [fire]}
levels:
  IV:
    when: {grades: [IV]}
    lead: fire
    tasks:
      respond: {owner: fire, description: 出动, deadline: soon}
)";

const Headers kYaml = {{"Content-Type", "application/yaml"}};

core::Timestamp parse_time(const json& s) {
  auto t = core::parse_rfc3339(s.get<std::string>(), "time");
  EXPECT_TRUE(t.is_ok()) << s;
  return t.is_ok() ? *t : core::Timestamp{};
}
std::string utc(core::Timestamp t) { return core::format_utc(t); }
int64_t ms_between(const json& from, const json& to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(parse_time(to) - parse_time(from)).count();
}

class PlansTest : public E2eTest {
 protected:
  NodeOptions options() {
    auto o = node_options();
    o.test_clock = true;
    return o;
  }

  static void advance(HttpConnection& http, int64_t ms) {
    auto r = http.post("/api/v1/test/clock", {{"advance_ms", ms}});
    ASSERT_EQ(r.status, 200) << r.describe();
  }

  // Creates the plan (as the harness's key) and has `approver` review and approve it; its id.
  std::string approved_plan(HttpConnection& http, HttpConnection& approver) {
    auto created = http.request("POST", "/api/v1/plans", kPlan, kYaml);
    EXPECT_EQ(created.status, 201) << created.describe();
    std::string id = created.json().value("id", "");
    EXPECT_EQ(http.post("/api/v1/plans/" + id + "/versions/1/status", {{"to", "submitted"}}).status, 200);
    EXPECT_EQ(approver.post("/api/v1/plans/" + id + "/versions/1/status", {{"to", "reviewed"}}).status, 200);
    auto ok = approver.post("/api/v1/plans/" + id + "/versions/1/status", {{"to", "approved"}});
    EXPECT_EQ(ok.status, 200) << ok.describe();
    return id;
  }

  // The tasks of an incident's first activation, by key.
  static std::map<std::string, json> tasks_by_key(const json& activations) {
    std::map<std::string, json> out;
    for (const auto& t : activations["activations"][0]["tasks"]) out[t["key"]] = t;
    return out;
  }
};

TEST_F(PlansTest, LibraryLifeCycleDiffAndDueDates) {
  auto node = start(options());
  HttpConnection http(node.port, auth());  // a supervisor, the plans' author
  json approver_key = create_key("supervisor");
  json duty_key = create_key("duty_officer");
  ASSERT_TRUE(approver_key.is_object() && duty_key.is_object());
  HttpConnection approver(node.port, bearer(approver_key["key"]));
  HttpConnection duty(node.port, bearer(duty_key["key"]));

  // YAML as the body.
  auto created = http.request("POST", "/api/v1/plans", kPlan, kYaml);
  ASSERT_EQ(created.status, 201) << created.describe();
  json p = created.json();
  std::string id = p["id"];
  EXPECT_EQ(id, "441300-PLN-1");
  EXPECT_EQ(p["key"], "fire_general");
  EXPECT_EQ(p["latest_status"], "draft");
  EXPECT_TRUE(p["effective_version"].is_null());
  EXPECT_EQ(p["versions"][0]["source"], kPlan);
  EXPECT_EQ(p["versions"][0]["author"], api_key_record()["id"]);
  // JSON {source} as the body; the same key twice is a conflict.
  std::string other = std::string(kPlan).replace(5, 12, "fire_county");
  auto created2 = http.post("/api/v1/plans", {{"source", other}, {"jurisdiction", "441302"}});
  ASSERT_EQ(created2.status, 201) << created2.describe();
  EXPECT_EQ(created2.json()["jurisdiction"], "441302");
  EXPECT_EQ(http.request("POST", "/api/v1/plans", kPlan, kYaml).status, 409);
  EXPECT_EQ(http.request("POST", "/api/v1/plans", kPlan, {{"Content-Type", "application/xml"}}).status, 415);
  // Someone without plan.edit may not create one.
  EXPECT_EQ(duty.request("POST", "/api/v1/plans", other, kYaml).status, 403);

  // A bad plan: 422 invalid_plan, each problem with its line and path; YAML or JSON alike.
  for (bool as_json : {false, true}) {
    auto bad = as_json ? http.post("/api/v1/plans", {{"source", kBadPlan}, {"name", "bad.yaml"}})
                       : http.request("POST", "/api/v1/plans", kBadPlan, kYaml);
    ASSERT_EQ(bad.status, 422) << bad.describe();
    json b = bad.json();
    EXPECT_EQ(b["code"], "invalid_plan");
    ASSERT_EQ(b["diagnostics"].size(), 1u) << b.dump();
    EXPECT_EQ(b["diagnostics"][0]["line"], 10);
    EXPECT_EQ(b["diagnostics"][0]["path"], "levels.IV.tasks.respond.deadline");
    EXPECT_EQ(b["diagnostics"][0]["severity"], "error");
    std::string text = b["diagnostics"][0]["text"];
    EXPECT_EQ(text.rfind(std::string(as_json ? "bad.yaml" : "plan.yaml") + ":10: levels.IV.tasks.respond.deadline: ", 0),
              0u)
        << text;
  }
  // Validation alone saves nothing; the duty officer may check a plan.
  auto valid = duty.request("POST", "/api/v1/plans/validate", kPlan, kYaml);
  ASSERT_EQ(valid.status, 200) << valid.describe();
  EXPECT_EQ(valid.json()["ok"], true);
  EXPECT_EQ(valid.json()["errors"], 0);
  EXPECT_EQ(valid.json()["plan"]["key"], "fire_general");
  auto invalid = http.post("/api/v1/plans/validate", {{"source", kBadPlan}});
  ASSERT_EQ(invalid.status, 200) << invalid.describe();
  EXPECT_EQ(invalid.json()["ok"], false);
  EXPECT_EQ(invalid.json()["errors"], 1);
  EXPECT_EQ(invalid.json()["diagnostics"][0]["line"], 10);
  EXPECT_TRUE(invalid.json()["plan"].is_null());
  EXPECT_EQ(get_json(http, "/api/v1/plans")["plans"].size(), 2u);

  // The life-cycle: submitted by the author; reviewed and approved by another supervisor only.
  const std::string status = "/api/v1/plans/" + id + "/versions/1/status";
  EXPECT_EQ(http.post(status, {{"to", "reviewed"}}).status, 409);  // not submitted yet
  ASSERT_EQ(http.post(status, {{"to", "submitted"}}).status, 200);
  auto refused = duty.post(status, {{"to", "reviewed"}});
  EXPECT_EQ(refused.status, 403) << refused.describe();  // no plan.approve
  auto self = http.post(status, {{"to", "reviewed"}});
  EXPECT_EQ(self.status, 403) << self.describe();  // the author
  EXPECT_EQ(self.json()["code"], "forbidden");
  ASSERT_EQ(approver.post(status, {{"to", "reviewed"}, {"note", "ok"}}).status, 200);
  EXPECT_EQ(http.post(status, {{"to", "approved"}}).status, 403);
  EXPECT_EQ(duty.post(status, {{"to", "approved"}}).status, 403);
  auto back = approver.post(status, {{"to", "draft"}});
  EXPECT_EQ(back.status, 400) << back.describe();  // returning needs a note
  auto approved = approver.post(status, {{"to", "approved"}});
  ASSERT_EQ(approved.status, 200) << approved.describe();
  EXPECT_EQ(approved.json()["effective_version"], 1);
  EXPECT_EQ(http.get("/api/v1/plans/441300-PLN-9").status, 404);

  // The library: drill due a year after approval, review three years after the review.
  json plan = get_json(http, "/api/v1/plans/" + id);
  json steps = plan["versions"][0]["steps"];
  ASSERT_EQ(steps.size(), 4u) << steps.dump();
  EXPECT_EQ(steps[3]["status"], "approved");
  EXPECT_EQ(steps[3]["by"], approver_key["id"]);
  const core::Timestamp approved_at = parse_time(steps[3]["at"]);
  EXPECT_EQ(plan["drill_due_at"], utc(approved_at + std::chrono::hours(24 * 365)));
  EXPECT_EQ(plan["review_due_at"], utc(approved_at + std::chrono::hours(24 * 1095)));
  EXPECT_EQ(plan["drill_overdue"], false);
  EXPECT_EQ(plan["review_overdue"], false);
  EXPECT_EQ(plan["levels"], json({"II", "IV"}));
  json listed = get_json(http, "/api/v1/plans?status=approved")["plans"];
  ASSERT_EQ(listed.size(), 1u) << listed.dump();
  EXPECT_EQ(listed[0]["id"], id);
  EXPECT_EQ(listed[0]["drill_due_at"], plan["drill_due_at"]);
  EXPECT_EQ(get_json(http, "/api/v1/plans?q=fire_county")["plans"].size(), 1u);
  EXPECT_EQ(get_json(http, "/api/v1/plans?q=nothing-like-it")["plans"].size(), 0u);
  EXPECT_EQ(http.get("/api/v1/plans?sort=x").status, 400);

  // A revision: v2 is a draft, v1 stays in force under revision; the diff shows the change.
  std::string v2 = std::string(kPlan) + "drill_every_days: 180\n";
  auto revised = http.request("POST", "/api/v1/plans/" + id + "/versions", v2, kYaml);
  ASSERT_EQ(revised.status, 201) << revised.describe();
  EXPECT_EQ(revised.json()["latest_version"], 2);
  EXPECT_EQ(revised.json()["effective_version"], 1);
  EXPECT_EQ(revised.json()["versions"][0]["status"], "under_revision");
  auto bad_revision = http.request("POST", "/api/v1/plans/" + id + "/versions", kBadPlan, kYaml);
  EXPECT_EQ(bad_revision.status, 422) << bad_revision.describe();
  json diff = get_json(http, "/api/v1/plans/" + id + "/diff");
  EXPECT_EQ(diff["from"], 1);
  EXPECT_EQ(diff["to"], 2);
  std::string unified = diff["unified"];
  EXPECT_NE(unified.find("+drill_every_days: 180"), std::string::npos) << unified;
  bool added = false;
  for (const auto& l : diff["lines"]) added |= l["op"] == "+" && l["text"] == "drill_every_days: 180";
  EXPECT_TRUE(added) << diff.dump();
  EXPECT_EQ(http.get("/api/v1/plans/" + id + "/diff?from=3").status, 400);

  // Three years on, both the drill and the review are overdue.
  advance(http, 1096LL * 24 * 3600 * 1000);
  plan = get_json(http, "/api/v1/plans/" + id);
  EXPECT_EQ(plan["drill_overdue"], true);
  EXPECT_EQ(plan["review_overdue"], true);
  listed = get_json(http, "/api/v1/plans?q=fire_general")["plans"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["review_overdue"], true);

  // Approving v2 supersedes v1.
  ASSERT_EQ(http.post("/api/v1/plans/" + id + "/versions/2/status", {{"to", "submitted"}}).status, 200);
  ASSERT_EQ(approver.post("/api/v1/plans/" + id + "/versions/2/status", {{"to", "reviewed"}}).status, 200);
  auto v2_ok = approver.post("/api/v1/plans/" + id + "/versions/2/status", {{"to", "approved"}});
  ASSERT_EQ(v2_ok.status, 200) << v2_ok.describe();
  EXPECT_EQ(v2_ok.json()["versions"][0]["status"], "superseded");
  EXPECT_EQ(v2_ok.json()["effective_version"], 2);
  plan = get_json(http, "/api/v1/plans/" + id);
  EXPECT_EQ(plan["review_overdue"], false);  // just reviewed
  stop(node);
}

TEST_F(PlansTest, ActivationTasksDeadlineAndStream) {
  auto node = start(options());
  HttpConnection http(node.port, auth());
  json approver_key = create_key("supervisor");
  ASSERT_TRUE(approver_key.is_object());
  HttpConnection approver(node.port, bearer(approver_key["key"]));
  std::string plan_id = approved_plan(http, approver);
  // The supervisor's stream carries every topic (the client sends no subscribe frame); the plan's
  // events are on topic "tasks".
  auto stream = std::make_unique<StreamClient>(node.port, "/api/v1/stream", auth());
  ASSERT_TRUE(stream->open()) << stream->error();

  json report = alarm_json("仓库冒烟", 114.41, 23.11, "fire");
  report["jurisdiction"] = "441302";
  auto alarm = http.post("/api/v1/alarms", report);
  ASSERT_EQ(alarm.status, 201) << alarm.describe();
  std::string incident = alarm.json()["incident_id"];
  // A proposed grade activates nothing.
  json acts = get_json(http, "/api/v1/incidents/" + incident + "/activations");
  EXPECT_TRUE(acts["activations"].empty()) << acts.dump();
  // Without a plan in force the recommendation takes the type's default force.
  auto rec = http.post("/api/v1/incidents/" + incident + "/recommend", json::object());
  ASSERT_EQ(rec.status, 200) << rec.describe();
  EXPECT_EQ(rec.json()["requirement_source"], "type_default");

  auto confirmed = http.post("/api/v1/incidents/" + incident + "/grade", {{"grade", "IV"}});
  ASSERT_EQ(confirmed.status, 200) << confirmed.describe();
  acts = get_json(http, "/api/v1/incidents/" + incident + "/activations");
  ASSERT_EQ(acts["activations"].size(), 1u) << acts.dump();
  json a = acts["activations"][0];
  const std::string act = a["id"];
  EXPECT_EQ(a["plan_id"], plan_id);
  EXPECT_EQ(a["plan_title"], "火灾事故应急预案");
  EXPECT_EQ(a["level"], "IV");
  EXPECT_EQ(a["automatic"], true);
  EXPECT_EQ(a["forces"], json::parse(R"([{"type":"engine","count":2,"capabilities":[]}])"));
  auto tasks = tasks_by_key(acts);
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(ms_between(a["activated_at"], tasks["respond"]["deadline"]), 15 * 60 * 1000);
  EXPECT_EQ(ms_between(a["activated_at"], tasks["cordon"]["deadline"]), 30 * 60 * 1000);
  EXPECT_EQ(tasks["respond"]["status"], "open");
  ASSERT_EQ(acts["notifications"].size(), 1u);
  EXPECT_EQ(acts["notifications"][0]["delivery"], "logged");
  EXPECT_EQ(acts["notifications"][0]["role"], "duty_officer");

  // The recommendation now takes the plan's force.
  rec = http.post("/api/v1/incidents/" + incident + "/recommend", json::object());
  ASSERT_EQ(rec.status, 200) << rec.describe();
  EXPECT_EQ(rec.json()["requirement_source"], "plan " + plan_id + " level IV (" + act + ")");
  EXPECT_EQ(rec.json()["requirement"][0]["type"], "engine") << rec.body;
  EXPECT_EQ(rec.json()["requirement"][0]["count"], 2) << rec.body;

  // Re-graded II: the evacuation waits for the cordon; task routes refuse it until then.
  ASSERT_EQ(http.post("/api/v1/incidents/" + incident + "/grade", {{"grade", "II"}, {"reason", "spreading"}}).status,
            200);
  acts = get_json(http, "/api/v1/incidents/" + incident + "/activations");
  tasks = tasks_by_key(acts);
  ASSERT_EQ(tasks.size(), 4u) << acts.dump();
  EXPECT_EQ(acts["activations"][0]["level"], "II");
  EXPECT_EQ(ms_between(a["activated_at"], tasks["respond"]["deadline"]), 15 * 60 * 1000);  // kept
  const std::string respond = tasks["respond"]["id"], cordon = tasks["cordon"]["id"],
                    evacuate = tasks["evacuate"]["id"];
  EXPECT_EQ(tasks["evacuate"]["status"], "waiting");
  auto waits = http.post("/api/v1/tasks/" + evacuate + "/accept", json::object());
  EXPECT_EQ(waits.status, 409) << waits.describe();
  EXPECT_NE(waits.json()["message"].get<std::string>().find(cordon + " (cordon)"), std::string::npos) << waits.body;
  EXPECT_EQ(http.request("POST", "/api/v1/tasks/" + cordon + "/accept", "").status, 200);  // no body at all
  EXPECT_EQ(http.post("/api/v1/tasks/" + cordon + "/start", json::object()).status, 200);
  auto done = http.post("/api/v1/tasks/" + cordon + "/complete", {{"note", "警戒线已拉好"}});
  ASSERT_EQ(done.status, 200) << done.describe();
  EXPECT_EQ(done.json()["status"], "completed");
  EXPECT_EQ(get_json(http, "/api/v1/tasks/" + evacuate)["status"], "open");
  EXPECT_EQ(http.post("/api/v1/tasks/" + evacuate + "/notes", json::object()).status, 400);  // a note needs text
  EXPECT_EQ(http.post("/api/v1/tasks/" + evacuate + "/notes", {{"note", "车辆已调"}}).status, 200);

  // The deadline on the test clock: nothing a millisecond before, overdue at it.
  std::string now = get_json(http, "/api/v1/tasks?incident_id=" + incident)["now"];
  int64_t to_deadline = ms_between(now, tasks["respond"]["deadline"]);
  ASSERT_GT(to_deadline, 1);
  advance(http, to_deadline - 1);
  EXPECT_EQ(get_json(http, "/api/v1/tasks/" + respond)["overdue"], false);
  advance(http, 1);
  json t = poll(http, "/api/v1/tasks/" + respond, [](const json& j) { return j["overdue"] == true; });
  EXPECT_EQ(t["overdue_at"], tasks["respond"]["deadline"]);
  EXPECT_EQ(t["escalated_to"], "incident_commander");
  json overdue = get_json(http, "/api/v1/tasks?overdue=true&incident_id=" + incident)["tasks"];
  ASSERT_EQ(overdue.size(), 1u) << overdue.dump();
  EXPECT_EQ(overdue[0]["id"], respond);
  json told = get_json(http, "/api/v1/notifications?role=incident_commander")["notifications"];
  ASSERT_EQ(told.size(), 1u) << told.dump();
  EXPECT_EQ(told[0]["task_id"], respond);
  EXPECT_EQ(told[0]["delivery"], "logged");

  // The stream carried the plan's events.
  std::set<std::string> seen;
  for (int i = 0; i < 200 && !seen.count("task.overdue"); ++i) {
    json e = next_event(*stream, std::chrono::seconds(10));
    if (e.is_null()) break;
    std::string type = e["type"];
    if (type.rfind("task.", 0) == 0 || type.rfind("activation.", 0) == 0 || type.rfind("notification.", 0) == 0)
      seen.insert(type);
  }
  for (const char* type : {"activation.started", "task.created", "activation.level_changed", "task.updated",
                           "task.released", "task.overdue", "notification.sent"})
    EXPECT_TRUE(seen.count(type)) << type << " not on the stream";
  stream.reset();  // closed before the node stops (a node waits for open streams to close)

  // A level set by hand: the tasks level IV lacks are stood down; a later grade leaves the level.
  EXPECT_EQ(http.post("/api/v1/activations/" + act + "/level", {{"level", "IV"}}).status, 400);  // no reason
  auto lowered = http.post("/api/v1/activations/" + act + "/level", {{"level", "IV"}, {"reason", "已控制"}});
  ASSERT_EQ(lowered.status, 200) << lowered.describe();
  const json low = lowered.json();
  EXPECT_EQ(low["level"], "IV");
  EXPECT_EQ(low["automatic"], false);
  for (const auto& task : low["tasks"])
    if (task["key"] == "hospital") {
      EXPECT_EQ(task["status"], "stood_down") << task.dump();
    }
  ASSERT_EQ(http.post("/api/v1/incidents/" + incident + "/grade", {{"grade", "II"}, {"reason", "复核"}}).status, 200);
  EXPECT_EQ(get_json(http, "/api/v1/activations/" + act)["level"], "IV");
  // Activating by hand needs a reason.
  EXPECT_EQ(http.post("/api/v1/incidents/" + incident + "/activations", {{"plan_id", plan_id}, {"level", "II"}}).status,
            400);

  // Stand-down needs a reason; then nothing is left open.
  EXPECT_EQ(http.post("/api/v1/activations/" + act + "/stand-down", json::object()).status, 400);
  auto down = http.post("/api/v1/activations/" + act + "/stand-down", {{"reason", "火已扑灭"}});
  ASSERT_EQ(down.status, 200) << down.describe();
  EXPECT_EQ(down.json()["status"], "stood_down");
  EXPECT_TRUE(get_json(http, "/api/v1/tasks?open=true&incident_id=" + incident)["tasks"].empty());
  EXPECT_EQ(http.post("/api/v1/activations/" + act + "/stand-down", {{"reason", "again"}}).status, 409);
  stop(node);
}

TEST_F(PlansTest, DrillWithInjectsAndReview) {
  auto node = start(options());
  HttpConnection http(node.port, auth());
  json approver_key = create_key("supervisor");
  ASSERT_TRUE(approver_key.is_object());
  HttpConnection approver(node.port, bearer(approver_key["key"]));
  std::string plan_id = approved_plan(http, approver);

  json injects = json::parse(R"([
    {"after_s": 60, "action": "task", "task": "respond", "do": "complete"},
    {"after_s": 120, "action": "confirm_grade", "grade": "II"},
    {"after_s": 180, "action": "note", "text": "媒体到场"}
  ])");
  auto bad = http.post("/api/v1/plans/" + plan_id + "/drills",
                       {{"level", "IV"}, {"injects", json::array({{{"after_s", 5}, {"action", "explode"}}})}});
  EXPECT_EQ(bad.status, 400) << bad.describe();
  auto drill = http.post("/api/v1/plans/" + plan_id + "/drills",
                         {{"level", "IV"},
                          {"location", {{"lon", 114.42}, {"lat", 23.12}}},
                          {"address", "演练场"},
                          {"injects", injects}});
  ASSERT_EQ(drill.status, 201) << drill.describe();
  json d = drill.json();
  const std::string incident = d["incident"]["id"], act = d["id"];
  const json start_at = d["activated_at"];
  EXPECT_EQ(d["exercise"], true);
  EXPECT_EQ(d["incident"]["exercise"], true);
  for (const auto& t : d["tasks"]) EXPECT_EQ(t["exercise"], true) << t.dump();

  // Real units never go to a drill; a real alarm at the same place is its own incident.
  auto sent = http.post("/api/v1/incidents/" + incident + "/dispatch", {{"units", {{{"unit_id", "441300-UNT-1"}}}}});
  EXPECT_EQ(sent.status, 409) << sent.describe();
  auto real = http.post("/api/v1/alarms", alarm_json("真的冒烟了", 114.42, 23.12, "fire"));
  ASSERT_EQ(real.status, 201) << real.describe();
  EXPECT_EQ(real.json()["joined"], false);
  EXPECT_NE(real.json()["incident_id"], incident);

  // The injects run as the clock passes them.
  advance(http, 60'000);
  const std::string target = "/api/v1/activations/" + act;
  json a = poll(http, target, [](const json& j) {
    for (const auto& t : j["tasks"])
      if (t["key"] == "respond") return t["status"] == "completed";
    return false;
  });
  advance(http, 60'000);
  a = poll(http, target, [](const json& j) { return j["level"] == "II"; });
  EXPECT_EQ(a["tasks"].size(), 4u);
  advance(http, 60'000);
  a = poll(http, target, [](const json& j) { return j["injects"][2]["done"] == true; });

  json acts = get_json(http, "/api/v1/incidents/" + incident + "/activations");
  EXPECT_EQ(acts["exercise"], true);
  ASSERT_GE(acts["notifications"].size(), 2u);
  for (const auto& n : acts["notifications"]) {
    EXPECT_EQ(n["delivery"], "suppressed_exercise") << n.dump();
    EXPECT_EQ(n["exercise"], true);
  }

  // The review: the task times are the injects' times.
  json review = get_json(http, "/api/v1/incidents/" + incident + "/review");
  EXPECT_EQ(review["incident"]["exercise"], true);
  EXPECT_EQ(review["incident"]["grade"], "II");
  ASSERT_EQ(review["activations"].size(), 1u);
  EXPECT_EQ(review["activations"][0]["exercise"], true);
  bool found = false;
  for (const auto& t : review["tasks"]) {
    if (t["key"] != "respond") continue;
    found = true;
    EXPECT_EQ(t["status"], "completed");
    EXPECT_EQ(ms_between(start_at, t["completed_at"]), 60'000) << t.dump();
    EXPECT_DOUBLE_EQ(t["taken_s"].get<double>(), 60) << t.dump();
    EXPECT_EQ(t["on_time"], true);
  }
  EXPECT_TRUE(found) << review.dump();
  for (const auto& t : review["tasks"])
    if (t["level"] == "II") {
      EXPECT_EQ(ms_between(start_at, t["created_at"]), 120'000) << t.dump();
    }
  EXPECT_EQ(review["task_summary"]["total"], 4);
  EXPECT_EQ(review["task_summary"]["on_time"], 1);
  bool noted = false;
  for (const auto& e : review["timeline"]) noted |= e["summary"].get<std::string>().find("媒体到场") != std::string::npos;
  EXPECT_TRUE(noted) << review["timeline"].dump();

  auto html = http.get("/api/v1/incidents/" + incident + "/review?format=html");
  ASSERT_EQ(html.status, 200) << html.describe();
  EXPECT_EQ(html.content_type.rfind("text/html", 0), 0u) << html.content_type;
  EXPECT_NE(html.body.find("演练 EXERCISE"), std::string::npos);
  EXPECT_NE(html.body.find("出动灭火"), std::string::npos);
  EXPECT_EQ(http.get("/api/v1/incidents/" + incident + "/review?format=pdf").status, 400);

  // The plan knows it was drilled.
  json plan = get_json(http, "/api/v1/plans/" + plan_id);
  EXPECT_EQ(plan["last_drilled_at"], start_at);
  EXPECT_EQ(plan["drill_due_at"], utc(parse_time(start_at) + std::chrono::hours(24 * 365)));
  stop(node);
}

}  // namespace
}  // namespace liandong::e2e
