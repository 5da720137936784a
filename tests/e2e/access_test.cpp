// Access control through the real node: the first administrator and API keys made on the command
// line with and without a running node, sign-in and its back-off on the node's (test) clock,
// sessions across restarts and sign-out, key revocation, the stream and lists filtered by
// jurisdiction, and the masked caller with its recorded reveal.
#include <regex>
#include <set>
#include <thread>

#include "harness.h"

namespace liandong::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kAdmin = "chief";
constexpr const char* kAdminPassword = "Correct-Horse-7391";

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class AccessTest : public E2eTest {
 protected:
  // Creates the administrator kAdmin offline (no node running yet); expects success.
  void create_first_admin() {
    auto r = create_admin(kAdmin, kAdminPassword);
    ASSERT_TRUE(r.status.exited && r.status.code == 0) << r.status.describe() << "\n" << r.output;
  }

  // POST /api/v1/people as `admin`: a person holding `role` in `jurisdiction`; their id.
  std::string create_person(HttpConnection& admin, const std::string& name, const std::string& password,
                            const std::string& role, const std::string& jurisdiction, bool subordinates) {
    auto r = admin.post("/api/v1/people", {{"name", name},
                                           {"password", password},
                                           {"jurisdiction", jurisdiction},
                                           {"roles", {{{"role", role},
                                                       {"jurisdiction", jurisdiction},
                                                       {"subordinates", subordinates}}}}});
    EXPECT_EQ(r.status, 201) << "create " << name << ": " << r.describe();
    return r.json().value("id", "");
  }

  // POST /api/v1/test/clock {"advance_ms": ms} (a node started with --test-clock).
  static void advance_clock(HttpConnection& http, int64_t ms) {
    auto r = http.post("/api/v1/test/clock", {{"advance_ms", ms}});
    ASSERT_EQ(r.status, 200) << r.describe();
  }
};

TEST_F(AccessTest, AdministratorCreatedWithoutANodeSignsIn) {
  auto made = create_admin(kAdmin, kAdminPassword);
  ASSERT_TRUE(made.status.exited && made.status.code == 0) << made.status.describe() << "\n" << made.output;
  json person = json_in_output(made.output);
  ASSERT_TRUE(person.is_object()) << made.output;
  EXPECT_EQ(person["name"], kAdmin);
  EXPECT_FALSE(contains(made.output, kAdminPassword)) << "the password was printed:\n" << made.output;
  EXPECT_FALSE(fs::exists(data_ / "admin.sock")) << "no node was running";

  auto node = start();
  HttpConnection http(node.port);
  // Nobody is signed in yet: an /api/v1 route other than the public ones says 401.
  auto anon = http.get("/api/v1/incidents");
  EXPECT_EQ(anon.status, 401) << anon.describe();
  EXPECT_EQ(anon.json().value("code", ""), "unauthenticated") << anon.describe();

  auto r = http.post("/api/v1/session", {{"name", kAdmin}, {"password", kAdminPassword}});
  ASSERT_EQ(r.status, 201) << r.describe();
  std::string token = r.json().value("token", "");
  ASSERT_TRUE(token.starts_with("lds_")) << r.describe();
  auto me = http.get("/api/v1/session", bearer(token));
  ASSERT_EQ(me.status, 200) << me.describe();
  json p = me.json()["principal"];
  EXPECT_EQ(p["name"], kAdmin);
  EXPECT_EQ(p["id"], person["id"]);
  ASSERT_TRUE(p["roles"].is_array() && !p["roles"].empty()) << me.body;
  EXPECT_EQ(p["roles"][0]["role"], "administrator") << me.body;
  EXPECT_EQ(http.get("/api/v1/people", bearer(token)).status, 200);
  // The wrong password is refused.
  auto wrong = http.post("/api/v1/session", {{"name", kAdmin}, {"password", "Not-The-Password-1"}});
  EXPECT_EQ(wrong.status, 401) << wrong.describe();
  EXPECT_EQ(wrong.json().value("code", ""), "sign_in_failed") << wrong.describe();
  stop(node);
  EXPECT_FALSE(contains(read_file(node.process.log_path()), kAdminPassword)) << "the password is in the node's log";
}

TEST_F(AccessTest, WeakPasswordIsRefusedWithAndWithoutANode) {
  // Without a node: on the store.
  auto r = create_admin("weakling", "short1");
  EXPECT_TRUE(r.status.exited && r.status.code != 0) << "a 6-character password was accepted: " << r.status.describe()
                                                     << "\n" << r.output;
  EXPECT_TRUE(contains(r.output, "10")) << "the message says how long a password must be:\n" << r.output;
  // Without --password-stdin: refused, with a hint.
  auto no_stdin = run_liandong({"admin", "create", "--data", data_.string(), "--name", "weakling"});
  EXPECT_TRUE(no_stdin.status.exited && no_stdin.status.code != 0) << no_stdin.output;
  EXPECT_TRUE(contains(no_stdin.output, "--password-stdin")) << no_stdin.output;

  // With a node: through its admin socket.
  auto node = start();
  ASSERT_TRUE(fs::exists(data_ / "admin.sock"));
  auto through = create_admin("weakling", "tiny-pw");
  EXPECT_TRUE(through.status.exited && through.status.code != 0)
      << "a 7-character password was accepted: " << through.status.describe() << "\n" << through.output;
  EXPECT_TRUE(contains(through.output, "10")) << through.output;
  // A password equal to the name, long enough, is refused too.
  auto same = create_admin("dispatcher01", "dispatcher01");
  EXPECT_TRUE(same.status.exited && same.status.code != 0) << same.output;

  // Nobody of that name exists.
  HttpConnection http(node.port);
  for (const char* pw : {"short1", "tiny-pw"}) {
    auto s = http.post("/api/v1/session", {{"name", "weakling"}, {"password", pw}});
    EXPECT_EQ(s.status, 401) << s.describe();
  }
  stop(node);
  std::string log = read_file(node.process.log_path());
  EXPECT_FALSE(contains(log, "tiny-pw")) << "a password is in the node's log:\n" << log;
}

TEST_F(AccessTest, AdministratorCreatedThroughARunningNode) {
  auto node = start();
  ASSERT_TRUE(fs::exists(data_ / "admin.sock"));
  const std::string password = "Through-The-Socket-42";
  auto made = create_admin("second", password);
  ASSERT_TRUE(made.status.exited && made.status.code == 0) << made.status.describe() << "\n" << made.output;
  json person = json_in_output(made.output);
  EXPECT_EQ(person.value("name", ""), "second") << made.output;
  EXPECT_FALSE(contains(made.output, password)) << made.output;

  // The running node knows the person at once (the store is the node's: it went through the socket).
  HttpConnection http(node.port);
  std::string token = sign_in(http, "second", password);
  ASSERT_FALSE(token.empty());
  auto people = http.get("/api/v1/people", bearer(token));
  ASSERT_EQ(people.status, 200) << people.describe();
  EXPECT_FALSE(contains(people.body, "$argon2")) << "password hashes are not shown: " << people.body;
  // A failed attempt with another distinctive password.
  auto wrong = http.post("/api/v1/session", {{"name", "second"}, {"password", "Wrong-But-Distinctive-77"}});
  EXPECT_EQ(wrong.status, 401) << wrong.describe();

  stop(node);
  std::string log = read_file(node.process.log_path());
  EXPECT_FALSE(contains(log, password)) << "the password is in the node's log:\n" << log;
  EXPECT_FALSE(contains(log, "Wrong-But-Distinctive-77")) << "a tried password is in the node's log:\n" << log;
  EXPECT_FALSE(contains(log, token.substr(token.find('.') + 1))) << "a session token is in the node's log:\n" << log;
}

TEST_F(AccessTest, KeysWithAndWithoutANodeAndRevocation) {
  create_first_admin();
  // Without a node: on the store.
  json bridge = create_key("cad_bridge");
  ASSERT_TRUE(bridge.is_object());
  const std::string bridge_key = bridge["key"];
  EXPECT_TRUE(bridge_key.starts_with("ldk_")) << bridge.dump();

  auto node = start();
  HttpConnection http(node.port);
  EXPECT_EQ(http.get("/api/v1/incidents", bearer(bridge_key)).status, 200);
  auto reported = http.post("/api/v1/alarms", alarm_json("from the CAD bridge", 114.4, 23.1), bearer(bridge_key));
  EXPECT_EQ(reported.status, 201) << reported.describe();
  // cad_bridge has no incident.manage.
  std::string inc = reported.json().value("incident_id", "");
  auto refused = http.post("/api/v1/incidents/" + inc + "/priority", {{"priority", "P1"}}, bearer(bridge_key));
  EXPECT_EQ(refused.status, 403) << refused.describe();

  // With the node running: through its admin socket, usable at once.
  json live = create_key("supervisor");
  ASSERT_TRUE(live.is_object());
  EXPECT_NE(live["id"], bridge["id"]);
  const std::string live_key = live["key"];
  EXPECT_EQ(http.get("/api/v1/incidents", bearer(live_key)).status, 200);
  auto priority = http.post("/api/v1/incidents/" + inc + "/priority", {{"priority", "P1"}}, bearer(live_key));
  EXPECT_EQ(priority.status, 200) << priority.describe();

  // Credentials that do not check out: 401, never anonymous access.
  std::string forged = live_key;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  for (const std::string& token : {forged, std::string("ldk_999.AAAAAAAAAAAAAAAAAAAAAAAA"), std::string("nonsense")}) {
    auto r = http.get("/api/v1/incidents", bearer(token));
    EXPECT_EQ(r.status, 401) << token << ": " << r.describe();
  }

  // Revocation needs people.manage: a supervisor key may not, an administrator may.
  std::string revoke = "/api/v1/keys/" + live["id"].get<std::string>() + "/revoke";
  auto by_key = http.post(revoke, json::object(), bearer(bridge_key));
  EXPECT_EQ(by_key.status, 403) << by_key.describe();
  std::string admin = sign_in(http, kAdmin, kAdminPassword);
  ASSERT_FALSE(admin.empty());
  auto revoked = http.post(revoke, json::object(), bearer(admin));
  ASSERT_EQ(revoked.status, 200) << revoked.describe();
  auto after = http.get("/api/v1/incidents", bearer(live_key));
  EXPECT_EQ(after.status, 401) << after.describe();
  EXPECT_EQ(after.json().value("code", ""), "unauthenticated") << after.describe();
  StreamClient stream(node.port, "/api/v1/stream", bearer(live_key));
  EXPECT_FALSE(stream.open());
  EXPECT_EQ(stream.refused_status(), 401) << stream.error();
  // The other keys still work; and the revocation survives a restart.
  EXPECT_EQ(http.get("/api/v1/incidents", bearer(bridge_key)).status, 200);
  stop(node);
  node = start();
  HttpConnection again(node.port);
  EXPECT_EQ(again.get("/api/v1/incidents", bearer(live_key)).status, 401);
  EXPECT_EQ(again.get("/api/v1/incidents", bearer(bridge_key)).status, 200);
  EXPECT_EQ(again.get("/api/v1/incidents", auth()).status, 200);
}

TEST_F(AccessTest, StreamNeedsCredentials) {
  auto node = start();
  StreamClient anonymous(node.port, "/api/v1/stream");
  EXPECT_FALSE(anonymous.open());
  EXPECT_EQ(anonymous.refused_status(), 401) << anonymous.error() << " " << anonymous.refused_body();
  StreamClient forged(node.port, "/api/v1/stream", bearer("ldk_1.AAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
  EXPECT_FALSE(forged.open());
  EXPECT_EQ(forged.refused_status(), 401) << forged.error() << " " << forged.refused_body();
  StreamClient keyed(node.port, "/api/v1/stream", auth());
  EXPECT_TRUE(keyed.open()) << keyed.error() << " " << keyed.refused_body();
}

// Repeated failures for one name from one address slow it down (3 free failures; from the 4th on,
// a wait of 1 s doubling with each failure) on the node's clock, here a test clock moved by
// POST /api/v1/test/clock.
TEST_F(AccessTest, SignInBackOffSlowsDownAndLetsTheRightPasswordInAfterTheWait) {
  create_first_admin();
  NodeOptions o = node_options();
  o.test_clock = true;
  auto node = start(o);
  HttpConnection http(node.port);
  auto attempt = [&](const std::string& password) {
    return http.post("/api/v1/session", {{"name", kAdmin}, {"password", password}});
  };
  // Three free failures, and a fourth that earns the first wait.
  for (int i = 0; i < 4; ++i) {
    auto r = attempt("Wrong-Password-" + std::to_string(i));
    ASSERT_EQ(r.status, 401) << "failure " << i + 1 << ": " << r.describe();
    EXPECT_EQ(r.json().value("code", ""), "sign_in_failed");
  }
  // The next attempt waits, even with the right password: slowed down, not locked out.
  auto slowed = attempt(kAdminPassword);
  ASSERT_EQ(slowed.status, 429) << slowed.describe();
  EXPECT_EQ(slowed.json().value("code", ""), "slow_down") << slowed.describe();
  EXPECT_EQ(slowed.header("Retry-After"), "1") << slowed.describe();
  // The clock does not move by itself: still waiting.
  EXPECT_EQ(attempt(kAdminPassword).status, 429);

  // After the wait, one more failure doubles it.
  advance_clock(http, 1000);
  auto fifth = attempt("Wrong-Password-4");
  ASSERT_EQ(fifth.status, 401) << fifth.describe();
  auto doubled = attempt(kAdminPassword);
  ASSERT_EQ(doubled.status, 429) << doubled.describe();
  EXPECT_EQ(doubled.json().value("code", ""), "slow_down");
  ASSERT_EQ(doubled.header("Retry-After"), "2") << doubled.describe();
  const int64_t wait_ms = std::stoll(doubled.header("Retry-After")) * 1000;
  advance_clock(http, wait_ms - 1);
  EXPECT_EQ(attempt(kAdminPassword).status, 429) << "1 ms before the end of the wait";

  // After Retry-After (counted from the failure), the right password works at once.
  advance_clock(http, 1);
  auto ok = attempt(kAdminPassword);
  ASSERT_EQ(ok.status, 201) << ok.describe();
  EXPECT_EQ(http.get("/api/v1/session", bearer(ok.json().value("token", ""))).status, 200);
  // A success clears the name's failures: signing in again needs no wait, and a new failure is a
  // free one again.
  EXPECT_EQ(attempt(kAdminPassword).status, 201);
  EXPECT_EQ(attempt("Wrong-Password-5").status, 401);
}

TEST_F(AccessTest, SessionsSurviveRestartsAndSignOutEndsThem) {
  create_first_admin();
  auto node = start();
  std::string token, session_id;
  {
    HttpConnection http(node.port);
    token = sign_in(http, kAdmin, kAdminPassword);
    ASSERT_FALSE(token.empty());
    auto me = http.get("/api/v1/session", bearer(token));
    ASSERT_EQ(me.status, 200) << me.describe();
    session_id = me.json().value("session_id", "");
    ASSERT_FALSE(session_id.empty()) << me.body;
  }
  // The session is journaled: it survives a clean stop and a SIGKILL.
  for (bool kill : {false, true}) {
    if (kill) node.process.kill();
    else stop(node);
    node = start();
    HttpConnection http(node.port);
    auto me = http.get("/api/v1/session", bearer(token));
    ASSERT_EQ(me.status, 200) << (kill ? "after SIGKILL: " : "after SIGTERM: ") << me.describe();
    EXPECT_EQ(me.json().value("session_id", ""), session_id);
    EXPECT_EQ(me.json()["principal"]["name"], kAdmin);
    EXPECT_EQ(http.get("/api/v1/people", bearer(token)).status, 200);
  }

  HttpConnection http(node.port);
  auto out = http.request("DELETE", "/api/v1/session", "", bearer(token));
  ASSERT_EQ(out.status, 204) << out.describe();
  for (const char* target : {"/api/v1/session", "/api/v1/people", "/api/v1/incidents"}) {
    auto r = http.get(target, bearer(token));
    EXPECT_EQ(r.status, 401) << target << " after sign-out: " << r.describe();
  }
  // Still ended after a restart; a new sign-in gives a new session.
  stop(node);
  node = start();
  HttpConnection again(node.port);
  EXPECT_EQ(again.get("/api/v1/session", bearer(token)).status, 401);
  std::string fresh = sign_in(again, kAdmin, kAdminPassword);
  ASSERT_FALSE(fresh.empty());
  EXPECT_NE(fresh, token);
  EXPECT_EQ(again.get("/api/v1/session", bearer(fresh)).status, 200);
}

// Two dispatchers of two counties of 441300 (without subordinates) each see only their own
// county's incidents and alarms: on the stream and in the incident list.
TEST_F(AccessTest, StreamAndListsAreFilteredByJurisdiction) {
  create_first_admin();
  auto node = start();
  HttpConnection admin(node.port);
  admin.set_default_headers(bearer(sign_in(admin, kAdmin, kAdminPassword)));
  const std::vector<std::string> counties = {"441302", "441303"};
  std::vector<std::string> tokens, person_ids;
  {
    HttpConnection http(node.port);
    for (const auto& c : counties) {
      std::string name = "dispatcher-" + c, password = "Dispatch-" + c + "-pw";
      person_ids.push_back(create_person(admin, name, password, "dispatcher", c, false));
      tokens.push_back(sign_in(http, name, password));
      ASSERT_FALSE(tokens.back().empty());
    }
  }
  const uint64_t before = [&] {
    HttpConnection http(node.port);
    return health_seq(http);
  }();
  std::vector<std::unique_ptr<StreamClient>> streams;
  for (const auto& t : tokens) {
    streams.push_back(std::make_unique<StreamClient>(node.port, "/api/v1/stream?after=" + std::to_string(before),
                                                     bearer(t)));
    ASSERT_TRUE(streams.back()->open()) << streams.back()->error() << " " << streams.back()->refused_body();
  }

  // Alarms in both counties, interleaved, reported with the supervisor key (which covers both).
  HttpConnection http(node.port, auth());
  std::vector<std::set<std::string>> ids(2);  // alarm and incident ids per county
  for (int round = 0; round < 4; ++round) {
    for (size_t c = 0; c < 2; ++c) {
      json body = alarm_json("county " + counties[c] + " #" + std::to_string(round), 113.0 + c * 1.0 + round * 0.05,
                             22.0 + c * 1.0, round % 2 ? "fire" : "flood");
      body["jurisdiction"] = counties[c];
      if (c == 0) body["caller"] = {{"name", "王小明"}, {"number", "13812345678"}};
      auto r = http.post("/api/v1/alarms", body);
      ASSERT_EQ(r.status, 201) << r.describe();
      json j = r.json();
      ids[c].insert(j["alarm_id"].get<std::string>());
      ids[c].insert(j["incident_id"].get<std::string>());
    }
  }
  const uint64_t head = health_seq(http);

  // The lists: only one's own county, no counts or ids of the other.
  EXPECT_EQ(all_incidents(http).size(), 8u) << "the supervisor key sees both counties";
  for (size_t c = 0; c < 2; ++c) {
    HttpConnection own(node.port, bearer(tokens[c]));
    auto r = own.get("/api/v1/incidents?limit=500");
    ASSERT_EQ(r.status, 200) << r.describe();
    json j = r.json();
    ASSERT_EQ(j["items"].size(), 4u) << r.body;
    for (const auto& inc : j["items"]) {
      EXPECT_EQ(inc["jurisdiction"], counties[c]) << inc.dump();
      EXPECT_TRUE(ids[c].count(inc["id"].get<std::string>())) << inc.dump();
    }
    for (const auto& id : ids[1 - c]) EXPECT_FALSE(contains(r.body, "\"" + id + "\"")) << id << " in " << r.body;
    for (auto it = j.begin(); it != j.end(); ++it)
      EXPECT_TRUE(it.key() == "items" || it.key() == "next_cursor") << "unexpected field (a count?): " << it.key();
    // The other county's records: as if they did not exist.
    for (const auto& id : ids[1 - c]) {
      std::string target = contains(id, "-ALM-") ? "/api/v1/alarms/" + id : "/api/v1/incidents/" + id;
      auto hidden = own.get(target);
      EXPECT_EQ(hidden.status, 404) << target << " for " << counties[c] << ": " << hidden.describe();
    }
  }

  // The streams: stopping the node sends each subscriber everything queued for it, then a close
  // frame, so reading until the close sees every event the stream was ever given.
  std::vector<std::vector<json>> received(2);
  std::vector<std::thread> readers;
  for (size_t c = 0; c < 2; ++c)
    readers.emplace_back([&, c] {
      while (auto frame = streams[c]->read(std::chrono::seconds(30))) {
        json f = json::parse(*frame, nullptr, false);
        if (f.is_object() && f["type"] == "event") received[c].push_back(f["event"]);
      }
    });
  stop(node);
  for (auto& t : readers) t.join();
  for (size_t c = 0; c < 2; ++c) {
    EXPECT_TRUE(streams[c]->closed_normally()) << "stream of " << counties[c] << " was not closed with a close frame"
                                               << (streams[c]->timed_out() ? " (timed out)" : "");
    std::set<std::string> seen_alarms;
    for (const json& e : received[c]) {
      const std::string text = e.dump();
      EXPECT_GT(e["seq"].get<uint64_t>(), before) << text;
      EXPECT_LE(e["seq"].get<uint64_t>(), head) << text;
      EXPECT_EQ(e["jurisdiction"], counties[c]) << "stream of " << counties[c] << " got " << text;
      for (const auto& id : ids[1 - c])
        EXPECT_FALSE(contains(text, "\"" + id + "\"")) << "stream of " << counties[c] << " names " << id << ": " << text;
      EXPECT_FALSE(contains(text, "13812345678")) << "a dispatcher's stream shows the caller unmasked: " << text;
      std::string type = e["type"];
      EXPECT_TRUE(type.starts_with("alarm.") || type.starts_with("incident.")) << text;
      if (type == "alarm.received") {
        std::string id = e["data"]["alarm"]["id"];
        EXPECT_TRUE(ids[c].count(id)) << id;
        seen_alarms.insert(id);
      }
    }
    EXPECT_EQ(seen_alarms.size(), 4u) << "stream of " << counties[c] << " missed its own alarms";
    EXPECT_GE(received[c].size(), 8u) << "an alarm and its incident per report";
  }
}

// A caller's name and number are masked for a dispatcher; a supervisor's reveal shows them and is
// recorded with who (data.by) and from where (data.by_address), which an auditor finds in the
// audit trail.
TEST_F(AccessTest, PersonalDataIsMaskedAndTheRevealIsRecorded) {
  create_first_admin();
  auto node = start();
  HttpConnection admin(node.port);
  admin.set_default_headers(bearer(sign_in(admin, kAdmin, kAdminPassword)));
  std::string dispatcher_id = create_person(admin, "dispatcher-a", "Dispatch-A-pw-1", "dispatcher", "441302", false);
  create_person(admin, "auditor-a", "Audit-Trail-pw-1", "auditor", "441300", true);
  HttpConnection dispatcher(node.port), auditor(node.port);
  dispatcher.set_default_headers(bearer(sign_in(dispatcher, "dispatcher-a", "Dispatch-A-pw-1")));
  auditor.set_default_headers(bearer(sign_in(auditor, "auditor-a", "Audit-Trail-pw-1")));

  HttpConnection supervisor(node.port, auth());
  json body = alarm_json("a caller who gave a name", 114.41, 23.11);
  body["jurisdiction"] = "441302";
  body["caller"] = {{"name", "王小明"}, {"number", "13812345678"}};
  auto reported = supervisor.post("/api/v1/alarms", body);
  ASSERT_EQ(reported.status, 201) << reported.describe();
  const std::string alarm = reported.json()["alarm_id"];

  // Masked for the dispatcher, who may not reveal it.
  auto masked = dispatcher.get("/api/v1/alarms/" + alarm);
  ASSERT_EQ(masked.status, 200) << masked.describe();
  json caller = masked.json()["caller"];
  EXPECT_EQ(caller["masked"], true) << masked.body;
  EXPECT_EQ(caller["number"], "138****5678") << masked.body;
  EXPECT_NE(caller["name"], "王小明") << masked.body;
  EXPECT_FALSE(contains(masked.body, "13812345678")) << masked.body;
  auto not_allowed = dispatcher.get("/api/v1/alarms/" + alarm + "?reveal=personal");
  EXPECT_EQ(not_allowed.status, 403) << not_allowed.describe();
  EXPECT_FALSE(contains(not_allowed.body, "13812345678"));
  // Masked in the incident detail too.
  auto incident = dispatcher.get("/api/v1/incidents/" + reported.json()["incident_id"].get<std::string>());
  ASSERT_EQ(incident.status, 200) << incident.describe();
  EXPECT_FALSE(contains(incident.body, "13812345678")) << incident.body;

  // Unmasked for the supervisor on request.
  auto revealed = supervisor.get("/api/v1/alarms/" + alarm + "?reveal=personal");
  ASSERT_EQ(revealed.status, 200) << revealed.describe();
  json rc = revealed.json()["caller"];
  EXPECT_EQ(rc["number"], "13812345678") << revealed.body;
  EXPECT_EQ(rc["name"], "王小明") << revealed.body;
  EXPECT_NE(rc.value("masked", false), true) << revealed.body;
  // Without ?reveal the supervisor sees it masked like everybody.
  EXPECT_EQ(supervisor.get("/api/v1/alarms/" + alarm).json()["caller"]["masked"], true);

  // The trail: who revealed what, from where.
  auto trail = auditor.get("/api/v1/audit?type=personal.");
  ASSERT_EQ(trail.status, 200) << trail.describe();
  json events = trail.json()["events"];
  ASSERT_EQ(events.size(), 1u) << trail.body;
  const json& e = events[0];
  EXPECT_EQ(e["type"], "personal.revealed");
  EXPECT_EQ(e["data"]["by"], api_key_record()["id"]) << e.dump();
  EXPECT_EQ(e["data"]["record_id"], alarm) << e.dump();
  EXPECT_TRUE(std::regex_match(e["data"].value("by_address", ""), std::regex(R"(127\.0\.0\.1(:\d+)?)"))) << e.dump();
  EXPECT_EQ(e["jurisdiction"], "441302");
  // The dispatcher's refused reveal is in the trail too, and nowhere is the number unmasked.
  auto refusals = auditor.get("/api/v1/audit?type=access.refused&by=" + dispatcher_id);
  ASSERT_EQ(refusals.status, 200) << refusals.describe();
  ASSERT_FALSE(refusals.json()["events"].empty()) << refusals.body;
  EXPECT_EQ(refusals.json()["events"][0]["data"]["permission"], "personal.read") << refusals.body;
  auto everything = auditor.get("/api/v1/audit?limit=1000");
  ASSERT_EQ(everything.status, 200);
  EXPECT_FALSE(contains(everything.body, "13812345678")) << "the audit trail shows the caller unmasked";
  EXPECT_TRUE(contains(everything.body, "138****5678"));
  // Only auditors read the trail.
  EXPECT_EQ(supervisor.get("/api/v1/audit?type=personal.").status, 403);
  EXPECT_EQ(dispatcher.get("/api/v1/audit?type=personal.").status, 403);
}

}  // namespace
}  // namespace liandong::e2e
