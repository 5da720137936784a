// Recovery reproduces the state: a mixed workload (alarms, joins, status changes, grade
// confirmations, priority, nuisance, split, merge, edits, locating) on a node that snapshots every
// 100 events, so that recovery loads a snapshot and replays the journal after it. The state read
// through the API must be identical after SIGKILL + restart, after SIGTERM + restart, and after
// restarting with the snapshots deleted (the journal alone).
#include <sqlite3.h>

#include "harness.h"

namespace liandong::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct StoreFigures {
  int64_t head = 0;           // highest event seq
  int64_t last_snapshot = 0;  // highest snapshot seq (0: none)
  int64_t snapshots = 0;
};

// Reads the store of a stopped node (read-only: no checkpoint, the files stay as the node left them):
// the journal's head from journal.db, the snapshots from the files beside it (journal.db.snapshots/).
StoreFigures read_store(const fs::path& db_path) {
  StoreFigures f;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  EXPECT_EQ(rc, SQLITE_OK) << "open " << db_path << ": " << sqlite3_errmsg(db);
  if (rc == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT coalesce(max(seq), 0) FROM events", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
      f.head = sqlite3_column_int64(st, 0);
    else
      ADD_FAILURE() << "reading the head: " << sqlite3_errmsg(db);
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  std::error_code ec;
  for (const auto& file : fs::directory_iterator(db_path.string() + ".snapshots", ec)) {
    std::string name = file.path().filename().string();
    if (!name.ends_with(".snap")) continue;
    ++f.snapshots;
    f.last_snapshot = std::max<int64_t>(f.last_snapshot, std::stoll(name.substr(0, name.size() - 5)));
  }
  return f;
}

void delete_snapshots(const fs::path& db_path) {
  std::error_code ec;
  fs::remove_all(db_path.string() + ".snapshots", ec);
  EXPECT_FALSE(ec) << ec.message();
}

class Workload {
 public:
  explicit Workload(HttpConnection& http) : http_(http) {}

  // Reports an alarm; returns its answer.
  json alarm(const json& body, const Headers& headers = {}) {
    auto r = http_.post("/api/v1/alarms", body, headers);
    EXPECT_TRUE(r.status == 201 || r.status == 200) << r.describe();
    json j = r.json();
    if (j.is_object() && j.contains("alarm_id")) alarm_ids_.push_back(j["alarm_id"]);
    return j;
  }
  // POST/PATCH expecting `status`.
  json call(const std::string& method, const std::string& target, const json& body, int status = 200) {
    auto r = http_.request(method, target, body.dump());
    EXPECT_EQ(r.status, status) << method << " " << target << " " << body.dump() << ": " << r.describe();
    return r.json();
  }
  json status(const std::string& inc, const std::string& to, int expect = 200) {
    return call("POST", "/api/v1/incidents/" + inc + "/status", {{"status", to}, {"reason", "e2e " + to}}, expect);
  }

  const std::vector<std::string>& alarm_ids() const { return alarm_ids_; }

 private:
  HttpConnection& http_;
  std::vector<std::string> alarm_ids_;
};

// Runs the mixed workload; about 250 events.
void run_workload(Workload& w) {
  std::vector<std::string> inc;
  std::vector<std::string> second_alarm;
  for (int s = 0; s < 30; ++s) {
    std::string type = s % 3 == 0 ? "traffic_accident" : "fire";
    double lon = 113.5 + s * 0.05, lat = 23.0;
    json a = w.alarm(alarm_json("replay " + std::to_string(s) + " first", lon, lat, type),
                     {{"Idempotency-Key", "replay-" + std::to_string(s)}});
    json b = w.alarm(alarm_json("replay " + std::to_string(s) + " second", lon + 0.0005, lat + 0.0005, type));
    EXPECT_EQ(b.value("joined", false), true) << "a report 70 m away of the same type joins: " << b.dump();
    EXPECT_EQ(a["incident_id"], b["incident_id"]);
    inc.push_back(a.value("incident_id", ""));
    second_alarm.push_back(b.value("alarm_id", ""));
  }
  // An idempotent repeat changes nothing.
  w.alarm(alarm_json("replay 0 first", 113.5, 23.0, "traffic_accident"), {{"Idempotency-Key", "replay-0"}});

  for (const char* to : {"verified", "responding", "contained", "closed"}) w.status(inc[0], to);
  w.status(inc[0], "responding", 409);  // closed is final
  w.status(inc[1], "cancelled");
  for (int i = 2; i < 6; ++i) w.status(inc[i], "responding");
  w.call("POST", "/api/v1/incidents/" + inc[6] + "/priority", {{"priority", "P1"}});
  w.call("POST", "/api/v1/incidents/" + inc[7] + "/priority", {{"priority", "P4"}});
  w.call("POST", "/api/v1/incidents/" + inc[8] + "/grade", {{"grade", "IV"}});
  w.call("POST", "/api/v1/incidents/" + inc[9] + "/grade", {{"grade", "III"}, {"reason", "e2e: escalated"}});
  w.call("PATCH", "/api/v1/incidents/" + inc[10], {{"figures", {{"deaths", 4}, {"injuries", 12}}}});
  w.call("PATCH", "/api/v1/incidents/" + inc[11], {{"title", "e2e title"}, {"description", "e2e description"}});
  w.call("POST", "/api/v1/alarms/" + second_alarm[12] + "/nuisance", {{"reason", "malicious"}});
  w.call("POST", "/api/v1/alarms/" + second_alarm[13] + "/split", json::object(), 201);  // a new incident
  w.call("POST", "/api/v1/incidents/" + inc[14] + "/merge", {{"from", inc[15]}});
  json lone = w.alarm(alarm_json("replay lone", 115.9, 23.9));
  w.call("POST", "/api/v1/alarms/" + lone.value("alarm_id", "") + "/nuisance", {{"reason", "silent"}});
  json unlocated = w.alarm({{"channel", "110"},
                            {"reported_at", now_rfc3339()},
                            {"address", "e2e 路 1 号"},
                            {"type", "public_disorder"},
                            {"description", "replay unlocated"}});
  w.call("POST", "/api/v1/alarms/" + unlocated.value("alarm_id", "") + "/locate",
         {{"location", {{"lon", 114.6}, {"lat", 23.6}}}});
  for (int s = 0; s < 30; ++s)
    w.alarm(alarm_json("replay tail " + std::to_string(s), 113.5 + s * 0.05, 23.5, "flood"));
}

// The state as the API shows it: the journal head, every incident (list and detail with alarms
// and timeline) and every alarm reported.
json capture(HttpConnection& http, const std::vector<std::string>& alarm_ids) {
  json c;
  c["seq"] = health_seq(http);
  c["list"] = all_incidents(http);
  for (const auto& inc : c["list"]) {
    std::string id = inc["id"];
    c["incidents"][id] = get_json(http, "/api/v1/incidents/" + id);
  }
  for (const auto& id : alarm_ids) c["alarms"][id] = get_json(http, "/api/v1/alarms/" + id);
  return c;
}

void expect_same(const json& expected, const json& actual, const std::string& when) {
  if (expected == actual) return;
  std::string diff = json::diff(expected, actual).dump(1);
  ADD_FAILURE() << "state differs " << when << " (JSON patch from before to after):\n" << diff.substr(0, 6000);
}

// The node logs where recovery started: "engine recovered seq=H snapshot_seq=S replayed=H-S".
void expect_recovered(const RunningNode& node, int64_t snapshot_seq, int64_t head) {
  std::string log = read_file(node.process.log_path());
  std::string line = "seq=" + std::to_string(head) + " snapshot_seq=" + std::to_string(snapshot_seq) +
                     " replayed=" + std::to_string(head - snapshot_seq);
  EXPECT_NE(log.find(line), std::string::npos) << "expected recovery from " << line << " in:\n" << log;
}

class ReplayTest : public E2eTest {};

TEST_F(ReplayTest, RestartReproducesTheStateFromSnapshotAndJournal) {
  // The workload and the reads after each restart come from the harness's one key: no per-key
  // request rate.
  write_config("snapshot_every: 100\nlimits:\n  principal_requests_per_second: 0\n");
  auto node = start();
  json expected;
  std::vector<std::string> alarm_ids;
  {
    HttpConnection http(node.port, auth());
    Workload w(http);
    run_workload(w);
    alarm_ids = w.alarm_ids();
    expected = capture(http, alarm_ids);
  }
  ASSERT_FALSE(HasFailure()) << "the workload failed";
  const uint64_t head = expected["seq"];
  ASSERT_GT(head, 200u);
  ASSERT_GE(expected["list"].size(), 30u);

  // SIGKILL: recovery = the newest periodic snapshot + the journal after it.
  node.process.kill();
  StoreFigures f = read_store(data_ / "journal.db");
  EXPECT_EQ(f.head, static_cast<int64_t>(head));
  EXPECT_GE(f.snapshots, 1) << "snapshot_every: 100 wrote no snapshot in " << head << " events";
  EXPECT_LT(f.last_snapshot, f.head) << "no journal after the last snapshot: recovery would not replay";
  std::cerr << "[ replay ] head " << f.head << ", " << f.snapshots << " snapshots, the last at " << f.last_snapshot << "\n";
  node = start();
  expect_recovered(node, f.last_snapshot, f.head);
  {
    HttpConnection http(node.port, auth());
    expect_same(expected, capture(http, alarm_ids), "after SIGKILL and restart");
  }

  // SIGTERM: a clean stop snapshots the head.
  auto st = node.process.terminate(kStopTimeout);
  ASSERT_TRUE(st && st->exited && st->code == 0) << (st ? st->describe() : "did not stop");
  f = read_store(data_ / "journal.db");
  EXPECT_EQ(f.head, static_cast<int64_t>(head)) << "a restart added events";
  EXPECT_EQ(f.last_snapshot, f.head) << "a clean stop writes a snapshot of the head";
  node = start();
  expect_recovered(node, f.head, f.head);
  {
    HttpConnection http(node.port, auth());
    expect_same(expected, capture(http, alarm_ids), "after SIGTERM and restart");
  }

  // Without snapshots: the journal alone.
  st = node.process.terminate(kStopTimeout);
  ASSERT_TRUE(st && st->exited && st->code == 0) << (st ? st->describe() : "did not stop");
  delete_snapshots(data_ / "journal.db");
  node = start();
  expect_recovered(node, 0, f.head);
  {
    HttpConnection http(node.port, auth());
    expect_same(expected, capture(http, alarm_ids), "after deleting the snapshots and restarting");
  }
  int rc = -1;
  json verify = admin("verify", &rc);
  EXPECT_EQ(rc, 0) << verify.dump();
  EXPECT_EQ(verify.value("verified_through", uint64_t{0}), head);
}

}  // namespace
}  // namespace liandong::e2e
