// Dispatch on the real binary over loopback: units imported from CSV, position fixes, an alarm,
// a recommendation by road time, the dispatch of the recommended units, their status reports on a
// test clock, the incident's response intervals and the period's percentiles, the live stream
// (unit events and position telemetry), and the fixes kept across a restart.
#include <cmath>
#include <ctime>
#include <fstream>
#include <set>

#include "harness.h"

namespace liandong::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class DispatchTest : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    graph_ = root_ / "city.ldg";
    auto r = run_liandong({"graph", "synth", "--nodes", "3000", "--seed", "5", "--out", graph_.string()});
    ASSERT_TRUE(r.status.exited && r.status.code == 0) << r.status.describe() << "\n" << r.output;
  }

  NodeOptions options() {
    auto o = node_options();
    o.test_clock = true;
    o.extra_args = {"--graph", graph_.string()};
    return o;
  }

  static void advance(HttpConnection& http, int64_t ms) {
    auto r = http.post("/api/v1/test/clock", {{"advance_ms", ms}});
    ASSERT_EQ(r.status, 200) << r.describe();
  }

  // A point at (fx, fy) of the road network's box.
  static std::pair<double, double> at(const json& bbox, double fx, double fy) {
    double lon0 = bbox[0], lat0 = bbox[1], lon1 = bbox[2], lat1 = bbox[3];
    return {lon0 + (lon1 - lon0) * fx, lat0 + (lat1 - lat0) * fy};
  }

  static json fix(const std::string& unit, const std::string& time, std::pair<double, double> p) {
    return {{"object_id", unit}, {"time", time}, {"lon", p.first}, {"lat", p.second}, {"speed_kmh", 0}};
  }

  // Adds `t` seconds to an RFC 3339 UTC time of the node ("...Z", milliseconds).
  static std::string plus_seconds(const std::string& t, int s) {
    std::tm tm{};
    int ms = 0;
    std::sscanf(t.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                &tm.tm_sec, &ms);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t secs = timegm(&tm) + s;
    std::tm out{};
    gmtime_r(&secs, &out);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", out.tm_year + 1900, out.tm_mon + 1,
                  out.tm_mday, out.tm_hour, out.tm_min, out.tm_sec, ms);
    return buf;
  }

  fs::path graph_;
};

TEST_F(DispatchTest, AlarmRecommendationDispatchStatusesIntervals) {
  auto node = start(options());
  HttpConnection http(node.port, auth());  // a supervisor: dispatches, reads, reports statuses
  json bbox = get_json(http, "/api/v1/roads/info")["bbox"];
  ASSERT_TRUE(bbox.is_array()) << "no road network";
  // The registry is an administrator's; positions come from a gateway's key.
  json admin_key = create_key("administrator");
  json gateway_key = create_key("sensor_gateway");
  ASSERT_TRUE(admin_key.is_object() && gateway_key.is_object());
  HttpConnection registry(node.port, bearer(admin_key["key"]));
  HttpConnection avl(node.port, bearer(gateway_key["key"]));

  // Registry: an agency, a station, units from CSV (one of them in the neighbouring county).
  auto agency = registry.post("/api/v1/agencies", {{"jurisdiction", "441300"}, {"name", "惠州市消防救援支队"}, {"kind", "119"}});
  ASSERT_EQ(agency.status, 201) << agency.describe();
  std::string agency_id = agency.json()["id"];
  auto [slon, slat] = at(bbox, 0.5, 0.5);
  auto station = registry.post("/api/v1/stations", {{"jurisdiction", "441302"}, {"name", "江北消防站"}, {"agency_id", agency_id},
                                                {"location", {{"lon", slon}, {"lat", slat}}}});
  ASSERT_EQ(station.status, 201) << station.describe();
  std::string station_id = station.json()["id"];
  std::string csv = "call_sign,type,jurisdiction,agency_id,station_id,capabilities,crew\n";
  csv += "江北水罐1,engine,441302," + agency_id + "," + station_id + ",breathing_apparatus;foam,5\n";
  csv += "江北水罐2,engine,441302," + agency_id + "," + station_id + ",breathing_apparatus,5\n";
  csv += "江北登高1,ladder,441302," + agency_id + "," + station_id + ",aerial_32m,4\n";
  csv += "江北急救1,ambulance,441302,,,als,3\n";
  csv += "惠阳水罐1,engine,441303," + agency_id + ",,,5\n";
  auto bad = registry.request("POST", "/api/v1/units/import", csv + "坏的,submarine,441302,,,,\n",
                          {{"Content-Type", "text/csv"}});
  ASSERT_EQ(bad.status, 400) << bad.describe();
  EXPECT_EQ(bad.json()["errors"][0]["line"], 7) << bad.body;  // the bad row, by its line
  EXPECT_EQ(bad.json()["errors"][0]["field"], "type") << bad.body;
  EXPECT_TRUE(get_json(http, "/api/v1/units")["items"].empty()) << "a bad import created units";
  auto imported = registry.request("POST", "/api/v1/units/import", csv, {{"Content-Type", "text/csv"}});
  ASSERT_EQ(imported.status, 201) << imported.describe();
  ASSERT_EQ(imported.json()["created"], 5);
  std::vector<std::string> unit = imported.json()["units"];

  // An alarm in the middle of the city: the node's time comes back with the incident.
  auto [ilon, ilat] = at(bbox, 0.55, 0.45);
  json report = alarm_json("三楼冒烟", ilon, ilat, "fire");
  report["jurisdiction"] = "441302";  // 惠城区: the neighbouring county's units are not its own
  auto alarm = http.post("/api/v1/alarms", report);
  ASSERT_EQ(alarm.status, 201) << alarm.describe();
  std::string incident = alarm.json()["incident_id"];
  std::string t0 = get_json(http, "/api/v1/incidents/" + incident)["opened_at"];

  // Fixes: the engines and the ambulance around the incident, the neighbour's engine nearest.
  json fixes = json::array({fix(unit[0], t0, at(bbox, 0.3, 0.3)), fix(unit[1], t0, at(bbox, 0.7, 0.7)),
                            fix(unit[3], t0, at(bbox, 0.2, 0.8)), fix(unit[4], t0, at(bbox, 0.56, 0.46)),
                            fix(unit[0], t0, at(bbox, 0.3, 0.3)),            // the same again: duplicate
                            fix("441300-UNT-99", t0, at(bbox, 0.5, 0.5))});  // no such unit
  EXPECT_EQ(http.post("/api/v1/positions", fixes).status, 403);  // a supervisor does not send fixes
  auto posted = avl.post("/api/v1/positions", fixes);
  ASSERT_EQ(posted.status, 200) << posted.describe();
  EXPECT_EQ(posted.json()["applied"], 4) << posted.body;
  EXPECT_EQ(posted.json()["duplicate"], 1) << posted.body;
  EXPECT_EQ(posted.json()["rejected"], 1) << posted.body;
  EXPECT_EQ(posted.json()["problems"][1]["index"], 5) << posted.body;
  // The fleet's worker moves the units after the answer (recommendations queue behind it; a plain
  // read of the unit may come first): wait for it.
  json u0 = poll(http, "/api/v1/units/" + unit[0], [](const json& u) {
    auto p = u.find("position");
    return p != u.end() && p->is_object() && p->value("source", "") == "fix";
  });
  EXPECT_EQ(u0["position"]["source"], "fix");
  EXPECT_EQ(u0["position"]["on_road"], true);
  EXPECT_EQ(get_json(http, "/api/v1/units/" + unit[2])["position"]["source"], "station");  // no fix yet

  // Recommendation from the fire's run card (2 engine + 1 ladder + 1 ambulance).
  advance(http, 30'000);
  auto rec = http.post("/api/v1/incidents/" + incident + "/recommend", json::object());
  ASSERT_EQ(rec.status, 200) << rec.describe();
  json r = rec.json();
  EXPECT_EQ(r["method"], "road") << r.dump();
  EXPECT_EQ(r["requirement_source"], "type_default");
  ASSERT_EQ(r["slots"].size(), 3u) << r.dump();
  json picks = json::array();
  std::set<std::string> chosen;
  for (const auto& slot : r["slots"]) {
    EXPECT_EQ(slot["unfilled"], 0) << slot.dump();
    for (const auto& u : slot["units"]) {
      EXPECT_GT(u["eta_s"].get<double>(), 0) << u.dump();
      EXPECT_EQ(u["route"]["type"], "LineString") << u.dump();
      EXPECT_TRUE(u["mutual_aid_rule"].is_null());
      chosen.insert(u["unit_id"]);
      picks.push_back({{"unit_id", u["unit_id"]}, {"eta_s", u["eta_s"]}});
    }
  }
  EXPECT_EQ(chosen, (std::set<std::string>{unit[0], unit[1], unit[2], unit[3]}))
      << "the neighbouring county's engine may not come without a mutual-aid rule: " << r.dump();

  // The stream sees the dispatch and the positions.
  StreamClient stream(node.port, "/api/v1/stream", auth());
  ASSERT_TRUE(stream.open()) << stream.error();
  auto sent = http.post("/api/v1/incidents/" + incident + "/dispatch", {{"units", picks}, {"recommended", true}});
  ASSERT_EQ(sent.status, 200) << sent.describe();
  EXPECT_EQ(sent.json()["status"], "responding");
  EXPECT_EQ(sent.json()["assignments"].size(), 4u);
  json ev = next_event(stream);
  EXPECT_EQ(ev["type"], "unit.dispatched") << ev.dump();
  auto again = http.post("/api/v1/incidents/" + incident + "/dispatch", {{"units", {{{"unit_id", unit[0]}}}}});
  EXPECT_EQ(again.status, 409) << again.describe();
  // Nothing else of the type is free but the neighbour's, which may not come.
  json next = http.post("/api/v1/incidents/" + incident + "/recommend",
                        {{"requirement", {{{"type", "engine"}, {"count", 1}}}}})
                  .json();
  EXPECT_TRUE(next["slots"][0]["units"].empty()) << next.dump();
  EXPECT_NE(next["notice"].get<std::string>().find("unfilled"), std::string::npos) << next.dump();

  // Status reports on the test clock: turnout 50 s, travel 200 s for the first engine.
  advance(http, 50'000);
  for (int i = 0; i < 4; ++i)
    ASSERT_EQ(http.post("/api/v1/units/" + unit[i] + "/status", {{"status", "en_route"}}).status, 200);
  auto moved = avl.post("/api/v1/positions", json::array({fix(unit[0], plus_seconds(t0, 85), at(bbox, 0.4, 0.4))}));
  EXPECT_EQ(moved.json()["applied"], 1) << moved.body;
  bool telemetry = false;
  for (int i = 0; i < 20 && !telemetry; ++i) {
    auto text = stream.read(std::chrono::seconds(5));
    if (!text) break;
    json frame = json::parse(*text, nullptr, false);
    telemetry = frame["type"] == "telemetry" && frame["topic"] == "positions" && frame["data"]["unit_id"] == unit[0];
  }
  EXPECT_TRUE(telemetry) << "no position telemetry on the stream";
  advance(http, 200'000);
  ASSERT_EQ(http.post("/api/v1/units/" + unit[0] + "/status", {{"status", "on_scene"}}).status, 200);
  auto backwards = http.post("/api/v1/units/" + unit[0] + "/status", {{"status", "dispatched"}});
  EXPECT_EQ(backwards.status, 400) << backwards.describe();
  auto invalid = http.post("/api/v1/units/" + unit[0] + "/status", {{"status", "at_hospital"}});
  EXPECT_EQ(invalid.status, 409) << invalid.describe();
  auto recalled = http.post("/api/v1/units/" + unit[3] + "/recall", {{"reason", "not needed"}});
  ASSERT_EQ(recalled.status, 200) << recalled.describe();
  EXPECT_EQ(recalled.json()["status"], "returning");

  json iv = get_json(http, "/api/v1/incidents/" + incident + "/intervals");
  EXPECT_DOUBLE_EQ(iv["call_processing_s"].get<double>(), 30) << iv.dump();
  EXPECT_DOUBLE_EQ(iv["turnout_first_s"].get<double>(), 50) << iv.dump();
  EXPECT_DOUBLE_EQ(iv["travel_first_engine_s"].get<double>(), 200) << iv.dump();
  EXPECT_DOUBLE_EQ(iv["total_s"].get<double>(), 280) << iv.dump();
  json period = get_json(http, "/api/v1/intervals");
  EXPECT_EQ(period["incidents"], 1) << period.dump();
  bool saw = false;
  for (const auto& s : period["overall"])
    if (s["interval"] == "call_processing") {
      saw = true;
      EXPECT_EQ(s["meets_target"], true) << s.dump();  // 30 s against 64 s
    }
  EXPECT_TRUE(saw) << period.dump();

  // The incident cannot be closed while units serve it.
  auto close = http.post("/api/v1/incidents/" + incident + "/status", {{"status", "closed"}});
  EXPECT_EQ(close.status, 409) << close.describe();

  json coverage = get_json(http, "/api/v1/coverage?type=ambulance&target_s=240");
  EXPECT_EQ(coverage["units"], 1) << coverage.dump();  // the recalled ambulance is returning: available again
  EXPECT_GT(coverage["share"].get<double>(), 0) << coverage.dump();

  auto csv_out = http.get("/api/v1/units?format=csv");
  ASSERT_EQ(csv_out.status, 200);
  EXPECT_NE(csv_out.body.find("江北登高1,ladder,441302"), std::string::npos) << csv_out.body;
  stop(node);

  // After a restart the units stand where their newest fixes put them.
  auto again_node = start(options());
  HttpConnection http2(again_node.port, auth());
  json after = get_json(http2, "/api/v1/units/" + unit[0]);
  EXPECT_EQ(after["position"]["source"], "fix") << after.dump();
  EXPECT_EQ(after["status"], "on_scene");
  json track = get_json(http2, "/api/v1/units/" + unit[0] + "/track?from=" + plus_seconds(t0, -60) + "&to=" +
                                   plus_seconds(t0, 3600));
  EXPECT_EQ(track["items"].size(), 2u) << track.dump();
  stop(again_node);
}

}  // namespace
}  // namespace liandong::e2e
