// Monitoring on the real binary over loopback, on the scenario of the source document: an upstream
// river section exceeds the cadmium limit; readings arrive as lines (a malformed line is refused
// with its number while the good ones are kept) and as JSON; after two readings over the class III
// limit a warning is raised by itself; the chart shows the limit line; the predicted arrival at each
// downstream section, the intake and the border is the hand-computed one; the warning goes through
// its life-cycle and opens an incident.
#include <chrono>
#include <map>
#include <thread>

#include "core/time.h"
#include "harness.h"

namespace liandong::e2e {
namespace {

using nlohmann::json;

// Three reaches with given velocities (hand-computable):
//   r1  10 000 m at 0.5 m/s in 441322 → r2  18 000 m at 1.0 m/s in 441302 → r3  9 000 m at 0.5 m/s in 441900
// Station on section s-up, 2 000 m down r1. From there:
//   end of r1 (border 441322 → 441302):  8 000 / 0.5           = 16 000 s
//   s-mid, 9 000 m down r2:               16 000 + 9 000 / 1.0  = 25 000 s
//   end of r2 (border 441302 → 441900):   16 000 + 18 000 / 1.0 = 34 000 s
//   intake, 1 000 m down r3:              34 000 + 1 000 / 0.5  = 36 000 s
json network() {
  auto reach = [](const char* id, double length, double v, const char* jur, const char* down, double lon0) {
    json p = {{"kind", "reach"}, {"id", id}, {"name", id}, {"river", "测试河"}, {"length_m", length},
              {"velocity_mps", v}, {"area_m2", 300.0}, {"jurisdiction", jur}};
    if (down) p["downstream"] = down;
    return json{{"type", "Feature"},
                {"geometry", {{"type", "LineString"}, {"coordinates", {{lon0, 23.0}, {lon0 + 0.09, 23.0}}}}},
                {"properties", p}};
  };
  auto site = [](const char* kind, const char* id, const char* reach, double offset, double lon) {
    return json{{"type", "Feature"},
                {"geometry", {{"type", "Point"}, {"coordinates", {lon, 23.0}}}},
                {"properties", {{"kind", kind}, {"id", id}, {"name", id}, {"reach", reach}, {"offset_m", offset}}}};
  };
  return {{"type", "FeatureCollection"},
          {"features",
           {reach("r1", 10000, 0.5, "441322", "r2", 114.0), reach("r2", 18000, 1.0, "441302", "r3", 114.1),
            reach("r3", 9000, 0.5, "441900", nullptr, 114.3), site("section", "s-up", "r1", 2000, 114.02),
            site("section", "s-mid", "r2", 9000, 114.15), site("intake", "intake", "r3", 1000, 114.31)}}};
}

std::string plus_seconds(const std::string& t, int64_t s) {
  auto ts = core::parse_rfc3339(t, "t");
  return core::format_utc(*ts + core::Millis(s * 1000));
}

TEST_F(E2eTest, CadmiumUpstreamRaisesAWarningAndPredictsDownstreamArrivals) {
  auto node = start();
  // A monitoring analyst manages stations and the river and handles warnings; a sensor gateway
  // sends readings; the supervisor (the harness's key) opens an incident from the warning.
  Headers analyst = bearer(create_key("monitoring_analyst")["key"]);
  HttpConnection http(node.port, analyst);
  HttpConnection gateway(node.port, bearer(create_key("sensor_gateway")["key"]));
  HttpConnection supervisor(node.port, auth());

  auto loaded = http.post("/api/v1/river", network());
  ASSERT_EQ(loaded.status, 201) << loaded.describe();
  EXPECT_EQ(http.post("/api/v1/river", json{{"type", "FeatureCollection"}, {"features", {{{"type", "Feature"}}}}}).status,
            422);

  json station = {{"jurisdiction", "441322"},
                  {"name", "测试河上游断面"},
                  {"kind", "water_quality"},
                  {"location", {{"lon", 114.02}, {"lat", 23.0}}},
                  {"target_class", 3},
                  {"river_site", "s-up"},
                  {"parameters", {{{"code", "cadmium"}, {"unit", "mg/L"}, {"interval_s", 7200}},
                                  {{"code", "thallium"}, {"unit", "mg/L"}, {"interval_s", 7200}}}}};
  auto created = http.post("/api/v1/monitoring/stations", station);
  ASSERT_EQ(created.status, 201) << created.describe();
  std::string id = created.json()["id"];
  EXPECT_EQ(id, "441300-MON-1");
  station["river_site"] = "nowhere";
  EXPECT_EQ(http.post("/api/v1/monitoring/stations", station).status, 400);

  // The analyst's live stream (every topic it may see): the readings telemetry and the warning.
  // Resuming from a position, as the console does.
  auto stream = std::make_unique<StreamClient>(node.port, "/api/v1/stream?after=" + std::to_string(health_seq(http)),
                                               analyst);
  ASSERT_TRUE(stream->open()) << stream->error();

  // Every two hours, as in the source document; line 3 is malformed, line 5 names no station.
  std::string t0 = "2026-12-01T00:00:00Z";
  std::string lines = "# station parameter time value [quality]\n" + id + " cadmium " + t0 + " 0.002\n" + id +
                      " cadmium 2026-12-01T02:00:00 0.003\n" + id + " cadmium " + plus_seconds(t0, 7200) +
                      " 0.012\n441300-MON-77 cadmium " + t0 + " 0.001\n";
  auto ingested = gateway.request("POST", "/api/v1/readings/lines", lines, {{"Content-Type", "text/plain"}});
  ASSERT_EQ(ingested.status, 200) << ingested.describe();
  json a = ingested.json();
  EXPECT_EQ(a["received"], 4);
  EXPECT_EQ(a["accepted"], 2);
  ASSERT_EQ(a["problems"].size(), 2u) << a.dump();
  EXPECT_EQ(a["problems"][0]["line"], 3);
  EXPECT_EQ(a["problems"][1]["line"], 5);
  EXPECT_TRUE(get_json(http, "/api/v1/warnings")["warnings"].empty()) << "one reading over the limit is not enough";

  // The second reading over the limit, as JSON; a duplicate of the first is accepted again.
  auto more = gateway.post("/api/v1/readings", json::array({{{"station", id}, {"parameter", "cadmium"},
                                                         {"time", plus_seconds(t0, 14400)}, {"value", 0.015}},
                                                        {{"station", id}, {"parameter", "cadmium"}, {"time", t0},
                                                         {"value", 0.002}},
                                                        {{"station", id}, {"parameter", "cadmium"}, {"value", 1}}}));
  ASSERT_EQ(more.status, 200) << more.describe();
  EXPECT_EQ(more.json()["accepted"], 2);
  EXPECT_EQ(more.json()["problems"][0]["field"], "time");

  json warning;
  for (int i = 0; i < 100 && warning.is_null(); ++i) {
    auto ws = get_json(http, "/api/v1/warnings")["warnings"];
    if (!ws.empty()) warning = ws[0];
    else std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_FALSE(warning.is_null()) << "no warning was raised";
  EXPECT_EQ(warning["station_id"], id);
  EXPECT_EQ(warning["parameter"], "cadmium");
  EXPECT_EQ(warning["source"], "detector");
  EXPECT_EQ(warning["status"], "raised");
  // 0.015 mg/L against 0.005: (0.015 − 0.005)/0.005 = 2 — yellow by the default rules (≥ 1).
  EXPECT_EQ(warning["level"], "yellow") << warning.dump();
  bool saw_reading = false, saw_warning = false;
  while (!(saw_reading && saw_warning)) {
    auto frame = stream->read(std::chrono::seconds(10));
    if (!frame) break;
    json f = json::parse(*frame);
    if (f["type"] == "telemetry" && f["topic"] == "readings" && f["data"]["station_id"] == id) saw_reading = true;
    if (f["type"] == "event" && f["event"]["type"] == "warning.raised") saw_warning = true;
  }
  EXPECT_TRUE(saw_reading) << "no readings telemetry on the stream";
  EXPECT_TRUE(saw_warning) << "the warning did not come on the stream";
  stream.reset();

  auto st = get_json(http, "/api/v1/monitoring/stations/" + id);
  EXPECT_EQ(st["level"], "yellow");
  EXPECT_DOUBLE_EQ(st["latest"]["cadmium"]["value"].get<double>(), 0.015);

  // The chart: three readings in time order and the class III limit line.
  auto chart = get_json(http, "/api/v1/monitoring/stations/" + id + "/readings?parameter=cadmium&from=" + t0 +
                                  "&to=" + plus_seconds(t0, 86400));
  ASSERT_EQ(chart["points"].size(), 3u) << chart.dump();
  EXPECT_DOUBLE_EQ(chart["points"][1]["last"].get<double>(), 0.012);
  EXPECT_DOUBLE_EQ(chart["limits"]["target"].get<double>(), 0.005);
  EXPECT_EQ(chart["limits"]["target_class"], "III");

  // Where the cadmium goes: from the station's section at the time of the exceedance.
  std::string at = plus_seconds(t0, 7200);
  auto pred = http.post("/api/v1/river/predict", {{"station_id", id}, {"at", at}, {"mass_kg", 50}});
  ASSERT_EQ(pred.status, 200) << pred.describe();
  json p = pred.json();
  std::map<std::string, std::string> arrival;
  for (const auto& x : p["arrivals"]) arrival[x["site"]] = x["arrival"];
  EXPECT_EQ(arrival["s-mid"], plus_seconds(at, 25000));
  EXPECT_EQ(arrival["intake"], plus_seconds(at, 36000));
  ASSERT_EQ(p["entries"].size(), 2u) << p.dump();
  EXPECT_EQ(p["entries"][0]["jurisdiction"], "441302");
  EXPECT_EQ(p["entries"][0]["at"], plus_seconds(at, 16000));
  EXPECT_EQ(p["entries"][1]["jurisdiction"], "441900");
  EXPECT_EQ(p["entries"][1]["at"], plus_seconds(at, 34000));

  // The life-cycle: confirmed, issued, an incident opened from it, lifted.
  std::string wid = warning["id"];
  EXPECT_EQ(http.post("/api/v1/warnings/" + wid + "/confirm", {{"note", "复核属实"}}).status, 200);
  EXPECT_EQ(http.post("/api/v1/warnings/" + wid + "/confirm", json::object()).status, 409);
  EXPECT_EQ(http.post("/api/v1/warnings/" + wid + "/issue", json::object()).status, 200);
  EXPECT_EQ(http.post("/api/v1/warnings/" + wid + "/link", json::object()).status, 403)
      << "opening an incident needs incident.report";
  auto linked = supervisor.post("/api/v1/warnings/" + wid + "/link", json::object());
  ASSERT_EQ(linked.status, 200) << linked.describe();
  std::string incident = linked.json()["incident_id"];
  EXPECT_EQ(get_json(http, "/api/v1/incidents/" + incident)["type"], "water_pollution");
  EXPECT_EQ(http.post("/api/v1/warnings/" + wid + "/lift", {{"note", "浓度回落"}}).status, 200);
  json lifted = get_json(http, "/api/v1/warnings/" + wid);
  EXPECT_EQ(lifted["status"], "lifted");
  std::vector<std::string> actions;
  for (const auto& s : lifted["steps"]) actions.push_back(s["action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"raised", "confirmed", "issued", "linked", "lifted"}));

  // The station list exports as GeoJSON and CSV, and each reads back in as a new station.
  json geo = get_json(http, "/api/v1/monitoring/stations?format=geojson");
  ASSERT_EQ(geo["features"].size(), 1u) << geo.dump();
  auto from_geo = http.request("POST", "/api/v1/monitoring/stations/import", geo.dump(),
                               {{"Content-Type", "application/geo+json"}});
  ASSERT_EQ(from_geo.status, 201) << from_geo.describe();
  EXPECT_EQ(from_geo.json()["id"], "441300-MON-2");
  EXPECT_EQ(from_geo.json()["river_site"], "s-up");
  auto csv = http.get("/api/v1/monitoring/stations?format=csv");
  ASSERT_EQ(csv.status, 200);
  auto from_csv = http.request("POST", "/api/v1/monitoring/stations/import", csv.body, {{"Content-Type", "text/csv"}});
  ASSERT_EQ(from_csv.status, 201) << from_csv.describe();
  ASSERT_EQ(from_csv.json()["stations"].size(), 2u) << from_csv.describe();
  EXPECT_EQ(from_csv.json()["stations"][0]["parameters"][1]["code"], "thallium");
  EXPECT_EQ(from_csv.json()["stations"][0]["parameters"][0]["interval_s"], 7200);
  auto bad_csv = http.request("POST", "/api/v1/monitoring/stations/import",
                              "name,jurisdiction,kind,lon,lat,parameters\n甲,441302,water_quality,114.1,23.0,cadmium\n"
                              "乙,441302,water_quality,abc,23.0,cadmium\n",
                              {{"Content-Type", "text/csv"}});
  EXPECT_EQ(bad_csv.status, 400) << bad_csv.describe();
  EXPECT_NE(bad_csv.body.find("line 3"), std::string::npos) << bad_csv.body;
  EXPECT_EQ(get_json(http, "/api/v1/monitoring/stations")["stations"].size(), 4u) << "nothing of a refused import";

  // After a restart the station, its condition and the warning are still there (journal), and so
  // are the readings (readings.db).
  stop(node);
  auto again = start();
  HttpConnection http2(again.port, auth());  // the supervisor reads monitoring too
  auto st2 = get_json(http2, "/api/v1/monitoring/stations/" + id);
  EXPECT_EQ(st2["level"], "yellow");
  auto chart2 = get_json(http2, "/api/v1/monitoring/stations/" + id + "/readings?parameter=cadmium&from=" + t0 +
                                    "&to=" + plus_seconds(t0, 86400));
  EXPECT_EQ(chart2["points"].size(), 3u);
  EXPECT_EQ(get_json(http2, "/api/v1/warnings/" + wid)["status"], "lifted");
  stop(again);
}

}  // namespace
}  // namespace liandong::e2e
