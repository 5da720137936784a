// The authorization matrix, generated from the route table: every route × every role (and nobody)
// × a record of the caller's own jurisdiction and of another, each with the outcome the role table
// says it must have. A route added without a permission cannot be registered (route_info throws),
// and one registered outside the table fails RoutesAreExactlyTheTable.
//
// Also here: CSRF with the session cookie, masking and the recorded reveal, sign-in back-off on a
// fake clock, the per-principal rate limit, and the stream filter.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "access/secrets.h"
#include "api/api.h"
#include "api/http/internal/test_client.h"
#include "api/http/server.h"
#include "api/route_table.h"
#include "plans/parse.h"
#include "river/network.h"
#include "core/ids.h"
#include "engine/testing/memory_journal.h"

namespace liandong::api {
namespace {

using nlohmann::json;
using http::testing::HttpClient;
namespace bhttp = boost::beast::http;

constexpr const char* kNode = "441300";
constexpr const char* kOwn = "441302";    // every test person works here (with subordinates)
constexpr const char* kOther = "441303";  // a sibling county

constexpr const char* kRiver = R"({"type":"FeatureCollection","features":[
 {"type":"Feature","geometry":{"type":"LineString","coordinates":[[114.0,23.0],[114.1,23.0]]},
  "properties":{"kind":"reach","id":"r1","length_m":10000,"velocity_mps":0.5,"area_m2":200,"jurisdiction":"441302","downstream":"r2"}},
 {"type":"Feature","geometry":{"type":"LineString","coordinates":[[114.1,23.0],[114.2,23.0]]},
  "properties":{"kind":"reach","id":"r2","length_m":10000,"velocity_mps":1.0,"area_m2":300,"jurisdiction":"441303"}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[114.02,23.0]},
  "properties":{"kind":"section","id":"s1","reach":"r1","offset_m":2000}}]})";

const char* kHumanRoles[] = {"call_taker",   "dispatcher", "duty_officer",       "supervisor",
                             "incident_commander", "agency_liaison", "monitoring_analyst", "report_reviewer",
                             "auditor",      "administrator"};

class AuthzTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine::EngineOptions o;
    o.node = kNode;
    engine_ = std::make_unique<engine::Engine>(o, journal_, clock_, taxonomy::Taxonomy::defaults(),
                                               taxonomy::GradeRules::defaults());
    ASSERT_TRUE(engine_->start().is_ok());
    AccessOptions ao;
    ao.secret = "matrix-secret";
    ao.password_cost = access::PasswordCost::minimum();
    ao.principal_per_second = 0;  // no rate limit in the matrix
    auth_ = std::make_unique<Auth>(ao, *engine_, clock_, registry_);
    ctx_.engine = engine_.get();
    ctx_.metrics = &registry_;
    ctx_.test_clock = &clock_;
    ctx_.auth = auth_.get();
    ctx_.clock = &clock_;
    ctx_.journal = &journal_;
    ctx_.verify_journal = [] { return json{{"ok", true}}; };
    ctx_.node.code = kNode;
    ctx_.node.boundaries = {{"type", "FeatureCollection"}, {"features", json::array()}};
    add_routes(router_, ctx_);
    server_ = std::make_unique<http::Server>(http::ServerOptions{}, router_, nullptr, registry_);
    ASSERT_TRUE(server_->start().is_ok());
    hash_ = *access::hash_password("a long enough password", access::PasswordCost::minimum());
    // Records in each county for routes whose {id} names one.
    for (const char* j : {kOwn, kOther}) {
      Records& r = records_[j];
      auto alarm = exec(engine::ReportAlarm{j, "110", clock_.now(), engine::Caller{"王先生", "13812345678"},
                                            core::LonLat{114.4 + (j == kOwn ? 0 : 0.5), 23.1}, "", std::nullopt,
                                            "fire", "smoke", {}, std::nullopt, ""});
      r.alarm = alarm["alarm_id"];
      r.incident = alarm["incident_id"];
      r.person = exec(engine::CreatePerson{std::string("target.") + j, "", "", j, {}, hash_})["id"];
      r.key = exec(engine::CreateKey{"target", {"cad_bridge", j}, access::keyed_hash("x", j)})["id"];
      auto p = exec(engine::CreatePerson{std::string("holder.") + j, "", "", j, {}, hash_})["id"];
      r.session = exec(engine::OpenSession{p, access::keyed_hash("y", j), clock_.now() + std::chrono::hours(1)})["id"];
      engine::Unit u;
      u.jurisdiction = j;
      u.call_sign = std::string("E-") + j;
      u.type = "engine";
      r.unit = exec(engine::RegisterUnit{u})["id"];
      // A plan of the county, approved, activated by hand on its incident: a plan, an activation, a task.
      std::string yaml = std::string("key: matrix_") + j +
                         "\ntitle: Matrix\nowner: \"119\"\nscope:\n  types: [fire]\nlevels:\n  IV:\n"
                         "    when: {grades: [IV]}\n    lead: \"119\"\n    tasks:\n      look:\n"
                         "        owner: \"119\"\n        description: look\n        deadline: 30m\n";
      auto parsed = plans::parse_plan(yaml, "matrix.yaml");
      EXPECT_TRUE(parsed.ok()) << (parsed.diagnostics.empty() ? "" : parsed.diagnostics[0].text());
      r.plan = exec(engine::CreatePlan{j, yaml, *parsed.plan})["id"];
      for (const char* to : {"submitted", "reviewed", "approved"})
        EXPECT_TRUE(engine_->execute(engine::ChangePlanVersion{r.plan, 1, to, ""}, std::string(to) == "submitted" ? "test" : "reviewer"));
      auto act = exec(engine::ActivatePlan{r.incident, r.plan, "IV", "matrix"});
      r.activation = act["id"];
      r.task = act["tasks"][0]["id"];
      // Monitoring: a station, a warning raised on it, a fence (and a tracked object beside them).
      engine::MonitoringStation st;
      st.jurisdiction = j;
      st.name = std::string("matrix river ") + j;
      st.kind = "water_quality";
      st.sampling = "automatic";
      st.location = core::LonLat{114.4 + (j == kOwn ? 0 : 0.5), 23.1};
      st.parameters = {engine::StationParameter{"cadmium", "mg/L", 3600, std::nullopt, 0}};
      r.station = exec(engine::RegisterMonitoringStations{{st}})["id"];
      engine::RaiseWarning w;
      w.level = "yellow";
      w.title = "matrix";
      w.station_id = r.station;
      w.parameter = "cadmium";
      r.warning = exec(w)["id"];
      EXPECT_EQ(engine_->view()->find_warning(r.warning)->jurisdiction, j);
      engine::TrackedObject obj;
      obj.jurisdiction = j;
      obj.kind = "hazmat_vehicle";
      obj.name = std::string("粤L-") + j;
      exec(engine::RegisterTrackedObject{obj});
      r.fence = exec(engine::CreateFence{fence_in(j)})["id"];
      // Alerts: an orange warning drafted into an alert and submitted (it waits for approval); a
      // webhook subscriber and its first delivery's id; an outside feed.
      engine::RaiseWarning orange;
      orange.level = "orange";
      orange.title = "matrix orange";
      orange.jurisdiction = j;
      orange.location = core::LonLat{114.4, 23.1};
      std::string ow = exec(orange)["id"];
      engine::DraftAlert draft;
      draft.warning_id = ow;
      r.alert = exec(draft)["id"];
      exec(engine::SubmitAlert{r.alert});
      engine::Subscriber sub;
      sub.jurisdiction = j;
      sub.name = "matrix";
      sub.url = "http://127.0.0.1:9/hook";
      sub.secret = "0123456789abcdef";
      r.subscriber = exec(engine::CreateSubscriber{sub})["id"];
      r.delivery = r.subscriber + ".1";
      engine::FeedRecord feed;
      feed.jurisdiction = j;
      feed.name = "matrix";
      feed.url = "http://127.0.0.1:9/feed";
      r.feed = exec(engine::CreateFeed{feed})["id"];
      // Reports: the unit's initial report to its county authority (the county reviews it).
      engine::DraftReport report;
      report.type = "initial";
      report.incident_id = r.incident;
      report.jurisdiction = j;
      report.to_jurisdiction = j;
      r.report = exec(report)["id"];
    }
    // The node's river network (GET /api/v1/river answers 404 without one): a reach in each county.
    auto net = river::Network::from_geojson(kRiver);
    ASSERT_TRUE(net.is_ok()) << net.status().to_string();
    exec(engine::LoadRiverNetwork{kRiver, std::make_shared<const river::Network>(std::move(*net))});
    for (const char* role : kHumanRoles)
      callers_[role] = exec(engine::CreatePerson{role, "", "", kOwn, {{role, kOwn, true, false}}, hash_})["id"];
  }
  void TearDown() override {
    server_->stop(std::chrono::milliseconds(500));
    auth_.reset();
    engine_->stop();
  }

  static engine::FenceRecord fence_in(const std::string& j) {
    engine::FenceRecord f;
    f.jurisdiction = j;
    f.name = "matrix fence";
    f.kind = "restricted_zone";
    f.area = square();
    f.on_enter = true;
    return f;
  }
  static json square() {
    return {{"type", "Polygon"},
            {"coordinates", {{{114.3, 23.0}, {114.5, 23.0}, {114.5, 23.2}, {114.3, 23.2}, {114.3, 23.0}}}}};
  }

  json exec(engine::Command c) {
    auto r = engine_->execute(std::move(c), "test");
    EXPECT_TRUE(r) << r.status().to_string();
    return r ? r->body : json();
  }

  // A fresh session for `person_id`; the Bearer token.
  std::string session_for(const std::string& person_id) {
    std::string secret = access::random_token("", 24);
    auto r = exec(engine::OpenSession{person_id, access::keyed_hash("matrix-secret", secret),
                                      clock_.now() + std::chrono::hours(1)});
    auto id = core::parse_id(r.value("id", ""));
    return "lds_" + std::to_string(id->seq) + "." + secret;
  }

  struct Answer {
    int status;
    json body;
    http::testing::HttpResponse raw;
  };
  Answer call(const std::string& method, const std::string& target, const std::string& body,
              std::vector<std::pair<std::string, std::string>> headers = {}) {
    HttpClient c(server_->port());
    c.headers = std::move(headers);
    c.send(bhttp::string_to_verb(method), target, body);
    auto r = c.read();
    return {static_cast<int>(r.result_int()), json::parse(r.body(), nullptr, false), r};
  }

  struct Records {
    std::string alarm, incident, person, key, session, unit, plan, activation, task, station, warning, fence;
    std::string alert, subscriber, delivery, feed, report;
  };
  std::string id_for(std::string_view scope, const char* where) {
    const Records& r = records_[where];
    if (scope == "alarm") return r.alarm;
    if (scope == "incident") return r.incident;
    if (scope == "person") return r.person;
    if (scope == "key") return r.key;
    if (scope == "unit") return r.unit;
    if (scope == "plan") return r.plan;
    if (scope == "activation") return r.activation;
    if (scope == "task") return r.task;
    if (scope == "monitoring_station") return r.station;
    if (scope == "warning") return r.warning;
    if (scope == "fence") return r.fence;
    if (scope == "alert") return r.alert;
    if (scope == "subscriber") return r.subscriber;
    if (scope == "delivery") return r.delivery;
    if (scope == "feed") return r.feed;
    if (scope == "report") return r.report;
    EXPECT_EQ(scope, "session") << "no record for scope " << scope << " (add one to Records)";
    return r.session;
  }

  // A body that gets past validation for the routes that create something in a jurisdiction, so
  // that the jurisdiction check decides; "{}" (an invalid body, changing nothing) elsewhere.
  std::string body_for(const RouteSpec& r, const char* where) {
    static int n = 0;
    if (r.pattern == "/api/v1/alarms")
      return json{{"channel", "119"}, {"reported_at", "2026-11-29T12:59:00+08:00"}, {"type", "fire"},
                  {"address", "matrix " + std::to_string(++n)}, {"jurisdiction", where}}
          .dump();
    if (r.pattern == "/api/v1/people")
      return json{{"name", "p" + std::to_string(++n)}, {"password", "a long enough password"}, {"jurisdiction", where}}
          .dump();
    if (r.pattern == "/api/v1/keys")
      return json{{"name", "k"}, {"role", "cad_bridge"}, {"jurisdiction", where}}.dump();
    if (r.pattern == "/api/v1/units")
      return json{{"jurisdiction", where}, {"call_sign", "m" + std::to_string(++n)}, {"type", "engine"}}.dump();
    if (r.pattern == "/api/v1/units/import")
      return json{{"type", "FeatureCollection"},
                  {"features", {{{"type", "Feature"},
                                 {"geometry", nullptr},
                                 {"properties", {{"jurisdiction", where}, {"call_sign", "i" + std::to_string(++n)},
                                                 {"type", "engine"}}}}}}}
          .dump();
    if (r.pattern == "/api/v1/stations")
      return json{{"jurisdiction", where}, {"name", "s"}, {"location", {{"lon", 114.4}, {"lat", 23.1}}}}.dump();
    if (r.pattern == "/api/v1/agencies")
      return json{{"jurisdiction", where}, {"name", "a"}, {"kind", "119"}}.dump();
    if (r.pattern == "/api/v1/monitoring/stations")
      return json{{"jurisdiction", where},
                  {"name", "m" + std::to_string(++n)},
                  {"kind", "water_quality"},
                  {"location", {{"lon", 114.4}, {"lat", 23.1}}},
                  {"parameters", {{{"code", "cadmium"}, {"unit", "mg/L"}}}}}
          .dump();
    if (r.pattern == "/api/v1/warnings")
      return json{{"jurisdiction", where}, {"level", "blue"}, {"title", "w" + std::to_string(++n)}}.dump();
    if (r.pattern == "/api/v1/objects")
      return json{{"jurisdiction", where}, {"kind", "vessel"}, {"name", "o" + std::to_string(++n)}}.dump();
    if (r.pattern == "/api/v1/fences")
      return json{{"jurisdiction", where}, {"name", "f"}, {"kind", "restricted_zone"}, {"area", square()},
                  {"rules", {{"enter", true}}}}
          .dump();
    // Without an incident, linking opens one (incident.report, which a monitoring analyst lacks).
    if (r.pattern == "/api/v1/warnings/{id}/link") return json{{"incident_id", records_[where].incident}}.dump();
    if (r.method == "POST" && (r.pattern == "/api/v1/alerts" || r.pattern == "/api/v1/alerts/preview"))
      return json{{"warning_id", records_[where].warning}}.dump();
    if (r.method == "POST" && r.pattern == "/api/v1/reports")
      return json{{"type", "daily"}, {"jurisdiction", where}}.dump();
    if (r.method == "GET" || r.method == "DELETE") return "";
    return "{}";
  }

  engine::testing::MemoryJournal journal_;
  core::FakeClock clock_{*core::parse_rfc3339("2026-11-29T05:00:00Z")};
  metrics::Registry registry_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<Auth> auth_;
  ApiContext ctx_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::string hash_;
  std::map<std::string, Records> records_;
  std::map<std::string, std::string> callers_;
};

// The oracle: what the role table says, computed without the Auth code.
bool role_has(const std::string& role, std::string_view permission) {
  const auto* r = access::RoleCatalog::defaults().find(role);
  return r && std::find(r->permissions.begin(), r->permissions.end(), permission) != r->permissions.end();
}

bool targets_jurisdiction(const RouteSpec& r) {
  return r.method == "POST" && (r.pattern == "/api/v1/alarms" || r.pattern == "/api/v1/people" ||
                                r.pattern == "/api/v1/keys" || r.pattern == "/api/v1/units" ||
                                r.pattern == "/api/v1/units/import" || r.pattern == "/api/v1/stations" ||
                                r.pattern == "/api/v1/agencies" || r.pattern == "/api/v1/monitoring/stations" ||
                                r.pattern == "/api/v1/warnings" || r.pattern == "/api/v1/objects" ||
                                r.pattern == "/api/v1/fences" || r.pattern == "/api/v1/alerts" ||
                                r.pattern == "/api/v1/alerts/preview" || r.pattern == "/api/v1/reports");
}

TEST_F(AuthzTest, RoutesAreExactlyTheTable) {
  std::set<std::string> table, served;
  for (const auto& r : route_table()) table.insert(std::string(r.method) + " " + std::string(r.pattern));
  for (const auto& r : router_.routes()) served.insert(r.method + " " + r.pattern);
  EXPECT_EQ(served, table);
  for (const auto& r : route_table()) {
    EXPECT_FALSE(r.permission.empty()) << r.pattern;
    if (r.permission != "public" && r.permission != "signed_in") {
      EXPECT_TRUE(access::RoleCatalog::defaults().is_permission(r.permission)) << r.pattern << " " << r.permission;
    }
    EXPECT_EQ(r.scope.empty(), r.pattern.find("{id}") == std::string_view::npos) << r.pattern;
  }
  for (const auto& t : topic_table()) EXPECT_TRUE(access::RoleCatalog::defaults().is_permission(t.permission));
}

TEST_F(AuthzTest, EveryRouteEveryRoleOwnAndOtherJurisdiction) {
  int cases = 0;
  std::vector<std::string> roles(std::begin(kHumanRoles), std::end(kHumanRoles));
  roles.push_back("");  // nobody
  for (const auto& r : route_table()) {
    if (r.pattern == "/api/v1/session" && r.method == "POST") continue;  // sign-in: its own tests
    for (const auto& role : roles) {
      for (const char* where : {kOwn, kOther}) {
        bool place_matters = !r.scope.empty() || targets_jurisdiction(r);
        if (!place_matters && where == kOther) continue;
        std::string target(r.pattern);
        if (auto pos = target.find("{id}"); pos != std::string::npos) target.replace(pos, 4, id_for(r.scope, where));
        if (auto pos = target.find("{n}"); pos != std::string::npos) target.replace(pos, 3, "1");
        std::vector<std::pair<std::string, std::string>> headers;
        if (!role.empty()) headers.emplace_back("Authorization", "Bearer " + session_for(callers_[role]));
        auto a = call(std::string(r.method), target, body_for(r, where), headers);
        ++cases;
        std::string what = std::string(r.method) + " " + target + " as " + (role.empty() ? "nobody" : role) + " (" +
                           where + "): " + std::to_string(a.status) + " " + a.body.dump();
        if (r.permission == "public") {
          EXPECT_NE(a.status, 401) << what;
          EXPECT_NE(a.status, 403) << what;
        } else if (role.empty()) {
          EXPECT_EQ(a.status, 401) << what;
          EXPECT_EQ(a.body.value("code", ""), "unauthenticated") << what;
        } else if (r.permission == "signed_in") {
          EXPECT_NE(a.status, 401) << what;
          EXPECT_NE(a.status, 403) << what;
        } else if (!role_has(role, r.permission)) {
          EXPECT_EQ(a.status, 403) << what;
          EXPECT_EQ(a.body.value("code", ""), "forbidden") << what;
        } else if (where == kOther) {
          // Held, but not over another county: a record there is indistinguishable from one that
          // does not exist (the caller may not even read it); creating there is forbidden.
          int expected = r.scope.empty() ? 403 : 404;
          EXPECT_EQ(a.status, expected) << what;
        } else {
          EXPECT_NE(a.status, 401) << what;
          EXPECT_NE(a.status, 403) << what;
          EXPECT_NE(a.status, 404) << what;
        }
      }
    }
  }
  EXPECT_GT(cases, 500);
}

TEST_F(AuthzTest, ARecordTheCallerMayReadButNotChangeIsForbiddenNotHidden) {
  // A dispatcher in 441302 who also audits the whole city: sees 441303's incident, may not change it.
  auto id = exec(engine::CreatePerson{"two.hats", "", "", kOwn,
                                      {{"dispatcher", kOwn, true, false}, {"auditor", kNode, true, false}}, hash_})["id"];
  auto token = session_for(id);
  std::string other = records_[kOther].incident;
  EXPECT_EQ(call("GET", "/api/v1/incidents/" + other, "", {{"Authorization", "Bearer " + token}}).status, 200);
  auto a = call("POST", "/api/v1/incidents/" + other + "/status", R"({"status":"verified"})",
                {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(a.status, 403) << a.body.dump();
  EXPECT_NE(a.body.value("message", "").find("incident.manage"), std::string::npos);
  auto own = call("POST", "/api/v1/incidents/" + records_[kOwn].incident + "/status", R"({"status":"verified"})",
                  {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(own.status, 200) << own.body.dump();
}

TEST_F(AuthzTest, ListsShowOnlyWhatTheCallerMaySee) {
  auto token = session_for(callers_["dispatcher"]);
  auto a = call("GET", "/api/v1/incidents", "", {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(a.status, 200);
  ASSERT_EQ(a.body["items"].size(), 1u) << a.body.dump();
  EXPECT_EQ(a.body["items"][0]["jurisdiction"], kOwn);
  auto admin = session_for(callers_["administrator"]);
  auto people = call("GET", "/api/v1/people", "", {{"Authorization", "Bearer " + admin}});
  ASSERT_EQ(people.status, 200);
  for (const auto& p : people.body["people"]) EXPECT_EQ(p["jurisdiction"], kOwn) << p.dump();
  EXPECT_EQ(people.body.dump().find("password_hash"), std::string::npos);
  auto auditor = session_for(callers_["auditor"]);
  auto trail = call("GET", "/api/v1/audit?limit=1000", "", {{"Authorization", "Bearer " + auditor}});
  ASSERT_EQ(trail.status, 200);
  ASSERT_FALSE(trail.body["events"].empty());
  for (const auto& e : trail.body["events"]) EXPECT_EQ(e["jurisdiction"], kOwn) << e.dump();
  EXPECT_EQ(trail.body.dump().find("$argon2id$"), std::string::npos);
  EXPECT_EQ(trail.body.dump().find("13812345678"), std::string::npos);  // callers masked in the trail
}

TEST_F(AuthzTest, CookieSessionsNeedTheCsrfHeaderForChanges) {
  auto in = call("POST", "/api/v1/session",
                 json{{"name", "dispatcher"}, {"password", "a long enough password"}, {"cookie", true}}.dump());
  ASSERT_EQ(in.status, 201) << in.body.dump();
  EXPECT_FALSE(in.body.contains("token"));
  std::string set_cookie(in.raw[bhttp::field::set_cookie]);
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  std::string csrf = in.body["csrf_token"];
  size_t events = journal_.size();
  std::string alarm = json{{"channel", "119"}, {"reported_at", "2026-11-29T12:59:00+08:00"}, {"type", "fire"},
                           {"address", "csrf"}}
                          .dump();
  auto no_header = call("POST", "/api/v1/alarms", alarm, {{"Cookie", cookie}});
  EXPECT_EQ(no_header.status, 403);
  EXPECT_EQ(no_header.body["code"], "csrf_failed");
  auto wrong = call("POST", "/api/v1/alarms", alarm, {{"Cookie", cookie}, {"X-CSRF-Token", std::string(64, 'a')}});
  EXPECT_EQ(wrong.status, 403);
  // Refusals changed nothing but are in the trail (journaled without holding up the answer).
  for (int i = 0; i < 200 && journal_.size() < events + 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  auto evs = journal_.events();
  ASSERT_EQ(evs.size(), events + 2);
  EXPECT_EQ(evs.back().type, "access.refused");
  EXPECT_EQ(evs.back().data["code"], "csrf_failed");
  auto ok = call("POST", "/api/v1/alarms", alarm, {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(ok.status, 201) << ok.body.dump();
  EXPECT_EQ(call("GET", "/api/v1/incidents", "", {{"Cookie", cookie}}).status, 200);  // reads need no header
  auto out = call("DELETE", "/api/v1/session", "", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(std::string(out.raw[bhttp::field::set_cookie]).find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(call("GET", "/api/v1/incidents", "", {{"Cookie", cookie}}).status, 401);
}

TEST_F(AuthzTest, CallersAreMaskedAndEveryRevealIsRecorded) {
  auto dispatcher = session_for(callers_["dispatcher"]);
  std::string alarm = records_[kOwn].alarm;
  auto masked = call("GET", "/api/v1/alarms/" + alarm, "", {{"Authorization", "Bearer " + dispatcher}});
  ASSERT_EQ(masked.status, 200);
  EXPECT_EQ(masked.body["caller"]["number"], "138****5678");
  EXPECT_EQ(masked.body["caller"]["name"], "王**");
  EXPECT_EQ(masked.body["caller"]["masked"], true);
  auto refused = call("GET", "/api/v1/alarms/" + alarm + "?reveal=personal", "", {{"Authorization", "Bearer " + dispatcher}});
  EXPECT_EQ(refused.status, 403);
  auto detail = call("GET", "/api/v1/incidents/" + records_[kOwn].incident, "", {{"Authorization", "Bearer " + dispatcher}});
  EXPECT_EQ(detail.body["alarms"][0]["caller"]["number"], "138****5678");

  auto supervisor = session_for(callers_["supervisor"]);
  size_t before = journal_.size();
  auto shown = call("GET", "/api/v1/alarms/" + alarm + "?reveal=personal", "", {{"Authorization", "Bearer " + supervisor}});
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(shown.body["caller"]["number"], "13812345678");
  EXPECT_EQ(shown.body["caller"]["masked"], false);
  auto evs = journal_.events();
  ASSERT_EQ(evs.size(), before + 1);
  EXPECT_EQ(evs.back().type, "personal.revealed");
  EXPECT_EQ(evs.back().data["record_id"], alarm);
  EXPECT_EQ(evs.back().data["by"], callers_["supervisor"]);
  EXPECT_FALSE(evs.back().data.value("by_address", "").empty());
  // The event stream's form of the alarm is masked too.
  for (const auto& e : evs)
    if (e.type == "alarm.received") {
      EXPECT_EQ(engine::to_json_text(e).find("13812345678"), std::string::npos);
    }
}

TEST_F(AuthzTest, FailedSignInsSlowTheSourceDownOnTheClock) {
  auto attempt = [&](const char* pw) {
    return call("POST", "/api/v1/session", json{{"name", "auditor"}, {"password", pw}}.dump());
  };
  for (int i = 0; i < 4; ++i) EXPECT_EQ(attempt("wrong password!").status, 401) << i;
  auto slowed = attempt("a long enough password");
  EXPECT_EQ(slowed.status, 429);
  EXPECT_EQ(slowed.body["code"], "slow_down");
  EXPECT_FALSE(std::string(slowed.raw[bhttp::field::retry_after]).empty());
  clock_.advance(std::chrono::seconds(5));
  auto in = attempt("a long enough password");
  EXPECT_EQ(in.status, 201) << in.body.dump();
  EXPECT_EQ(in.body["principal"]["name"], "auditor");
  // The same message for an unknown name and a wrong password.
  EXPECT_EQ(call("POST", "/api/v1/session", json{{"name", "nobody.here"}, {"password", "x"}}.dump()).body["message"],
            attempt("wrong password!").body["message"]);
}

TEST_F(AuthzTest, ThePerPrincipalRateAnswers429) {
  server_->stop(std::chrono::milliseconds(100));
  AccessOptions ao = auth_->options();
  ao.principal_per_second = 1;
  ao.principal_burst = 3;
  Auth limited(ao, *engine_, clock_, registry_);
  ctx_.auth = &limited;
  http::Router router;
  add_routes(router, ctx_);
  http::Server server(http::ServerOptions{}, router, nullptr, registry_);
  ASSERT_TRUE(server.start().is_ok());
  auto token = session_for(callers_["dispatcher"]);
  std::vector<int> statuses;
  for (int i = 0; i < 5; ++i) {
    HttpClient c(server.port());
    c.headers = {{"Authorization", "Bearer " + token}};
    c.send(bhttp::verb::get, "/api/v1/incidents");
    auto r = c.read();
    statuses.push_back(r.result_int());
    if (r.result_int() == 429) {
      EXPECT_EQ(r[bhttp::field::retry_after], "1");
    }
  }
  EXPECT_EQ(statuses, (std::vector<int>{200, 200, 200, 429, 429}));
  clock_.advance(std::chrono::seconds(2));
  HttpClient c(server.port());
  c.headers = {{"Authorization", "Bearer " + token}};
  c.send(bhttp::verb::get, "/api/v1/incidents");
  EXPECT_EQ(c.read().result_int(), 200);
  server.stop(std::chrono::milliseconds(100));
  ctx_.auth = auth_.get();
}

TEST_F(AuthzTest, StreamFilterLetsThroughOnlyTopicsAndPlacesTheCallerMaySee) {
  http::Request req;
  req.headers.emplace_back("Authorization", "Bearer " + session_for(callers_["dispatcher"]));
  auto filter = auth_->stream_filter(req);
  ASSERT_TRUE(filter) << filter.status().to_string();
  int own = 0, other = 0, audit = 0;
  for (const auto& e : journal_.events()) {
    bool pass = (*filter)(e);
    if (pass && e.jurisdiction == kOther) ++other;
    if (pass && e.jurisdiction == kOwn) ++own;
    if (pass && engine::topic_of(e.type) == "audit") ++audit;
  }
  EXPECT_GT(own, 0);
  EXPECT_EQ(other, 0);
  EXPECT_EQ(audit, 0);  // a dispatcher has no audit.read
  http::Request nobody;
  EXPECT_EQ(auth_->stream_filter(nobody).status().code(), core::Code::kUnauthenticated);
}

}  // namespace
}  // namespace liandong::api
