// The audit trail is the journal's hash chain: a node journals some alarms and stops; then, each on
// a fresh copy of the data folder, one event is deleted, edited or moved with SQLite directly, and
// `liandong audit verify --data DIR` must fail and name the first broken seq, the one touched. An
// untouched copy verifies; so does the running node, for an auditor, over HTTP.
#include <sqlite3.h>

#include <regex>

#include "harness.h"

namespace liandong::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Runs `sql` on the store at `db_path` (a stopped node's); fails the test on an error.
void exec(const fs::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK)
      << "open " << db_path << ": " << sqlite3_errmsg(db);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (err ? err : "");
  sqlite3_free(err);
  EXPECT_GT(sqlite3_changes(db), 0) << "changed nothing: " << sql;
  sqlite3_close(db);
}

// The seqs of `type` events, ascending.
std::vector<int64_t> seqs_of(const fs::path& db_path, const std::string& type) {
  std::vector<int64_t> out;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT seq FROM events WHERE type = ?1 ORDER BY seq", -1, &st, nullptr) == SQLITE_OK) {
    sqlite3_bind_text(st, 1, type.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(st) == SQLITE_ROW) out.push_back(sqlite3_column_int64(st, 0));
  } else {
    ADD_FAILURE() << sqlite3_errmsg(db);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

// The first seq `audit verify` names as broken ("... seq N ..." or "... event N ..."), or -1.
int64_t named_seq(const std::string& output) {
  std::smatch m;
  if (!std::regex_search(output, m, std::regex(R"((?:seq|event) (\d+))"))) return -1;
  return std::stoll(m[1]);
}

struct Tamper {
  std::string name;
  // SQL run on the copy; {T} is replaced by the target seq, {U} by the next one.
  std::string sql;
};

void PrintTo(const Tamper& t, std::ostream* os) { *os << t.name; }

class AuditTest : public E2eTest {
 protected:
  // A node on data_ journals alarms (several incidents, one with a caller), then stops cleanly.
  // Returns the journal head.
  uint64_t journal_some_alarms() {
    auto node = start();
    HttpConnection http(node.port, auth());
    for (int i = 0; i < 12; ++i) {
      json body = alarm_json("audit alarm " + std::to_string(i), 114.0 + i * 0.05, 23.0, i % 2 ? "fire" : "flood");
      if (i == 5) body["caller"] = {{"name", "李四"}, {"number", "13900001111"}};
      auto r = http.post("/api/v1/alarms", body);
      EXPECT_EQ(r.status, 201) << r.describe();
    }
    uint64_t head = health_seq(http);
    stop(node);
    return head;
  }

  // A copy of the stopped node's data folder (without its lock file).
  fs::path copy_of_data(const std::string& name) {
    fs::path to = root_ / name;
    fs::create_directories(to);
    for (const auto& entry : fs::directory_iterator(data_)) {
      auto file = entry.path().filename().string();
      if (file.ends_with(".lock") || file == "admin.sock" || file == "node.addr") continue;
      fs::copy(entry.path(), to / file, fs::copy_options::recursive);
    }
    return to;
  }

  CommandResult verify(const fs::path& dir) { return run_liandong({"audit", "verify", "--data", dir.string()}); }
};

TEST_F(AuditTest, UntouchedJournalVerifies) {
  const uint64_t head = journal_some_alarms();
  auto r = verify(data_);
  EXPECT_TRUE(r.status.exited && r.status.code == 0) << r.status.describe() << "\n" << r.output;
  EXPECT_NE(r.output.find(std::to_string(head)), std::string::npos) << "names how far it checked:\n" << r.output;
  auto copy = verify(copy_of_data("copy"));
  EXPECT_TRUE(copy.status.exited && copy.status.code == 0) << copy.status.describe() << "\n" << copy.output;
}

TEST_F(AuditTest, RunningNodeVerifiesForAnAuditor) {
  auto node = start();
  HttpConnection http(node.port, auth());
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(http.post("/api/v1/alarms", alarm_json("verify " + std::to_string(i), 114.0 + i * 0.05, 23.0)).status, 201);
  // An auditor key, made through the running node's admin socket.
  json auditor = create_key("auditor");
  ASSERT_TRUE(auditor.is_object());
  const uint64_t head = health_seq(http);
  auto r = http.get("/api/v1/audit/verify", bearer(auditor["key"].get<std::string>()));
  ASSERT_EQ(r.status, 200) << r.describe();
  json j = r.json();
  EXPECT_EQ(j["ok"], true) << r.body;
  EXPECT_GE(j.value("checked", uint64_t{0}), head) << r.body;
  EXPECT_TRUE(j["first_bad_seq"].is_null()) << r.body;
  // Verifying needs audit.read: the supervisor key has none, nobody anonymous.
  EXPECT_EQ(http.get("/api/v1/audit/verify").status, 403);
  EXPECT_EQ(http.get("/api/v1/audit/verify", {{"Authorization", ""}}).status, 401);
  // The command line goes through the running node too.
  auto cli = verify(data_);
  EXPECT_TRUE(cli.status.exited && cli.status.code == 0) << cli.status.describe() << "\n" << cli.output;
}

class AuditTamperTest : public AuditTest, public ::testing::WithParamInterface<Tamper> {};

TEST_P(AuditTamperTest, VerifyNamesTheFirstBrokenSeq) {
  const Tamper& t = GetParam();
  const uint64_t head = journal_some_alarms();
  ASSERT_FALSE(HasFailure());
  // The target: an alarm in the middle of the journal, well after the harness's setup events.
  auto received = seqs_of(data_ / "journal.db", "alarm.received");
  ASSERT_EQ(received.size(), 12u);
  const int64_t target = received[6];
  ASSERT_LT(static_cast<uint64_t>(target + 1), head);

  fs::path dir = copy_of_data(t.name);
  std::string sql = std::regex_replace(t.sql, std::regex(R"(\{T\})"), std::to_string(target));
  sql = std::regex_replace(sql, std::regex(R"(\{U\})"), std::to_string(target + 1));
  exec(dir / "journal.db", sql);
  ASSERT_FALSE(HasFailure());

  auto r = verify(dir);
  EXPECT_TRUE(r.status.exited && r.status.code != 0) << t.name << " was not noticed: " << r.status.describe() << "\n"
                                                     << r.output;
  EXPECT_EQ(named_seq(r.output), target) << t.name << " at seq " << target << "; audit verify said:\n" << r.output;

  // The original folder is untouched and still verifies.
  auto original = verify(data_);
  EXPECT_TRUE(original.status.exited && original.status.code == 0) << original.output;
}

INSTANTIATE_TEST_SUITE_P(
    Tampering, AuditTamperTest,
    ::testing::Values(
        Tamper{"DeleteAnEvent", "DELETE FROM events WHERE seq = {T}"},
        Tamper{"EditAnEventsData",
               "UPDATE events SET data = replace(data, 'audit alarm 6', 'audit alarm X') WHERE seq = {T}"},
        Tamper{"EditAnEventsType", "UPDATE events SET type = 'alarm.nuisance' WHERE seq = {T}"},
        // Reorder: the two rows exchange their places in the chain.
        Tamper{"SwapTwoEventsSeq",
               "BEGIN; UPDATE events SET seq = -1 WHERE seq = {T}; UPDATE events SET seq = {T} WHERE seq = {U}; "
               "UPDATE events SET seq = {U} WHERE seq = -1; COMMIT"},
        // Reorder by content: each row takes the other's data.
        Tamper{"SwapTwoEventsData",
               "UPDATE events SET data = CASE seq WHEN {T} THEN (SELECT data FROM events WHERE seq = {U}) "
               "ELSE (SELECT data FROM events WHERE seq = {T}) END WHERE seq IN ({T}, {U})"}),
    [](const ::testing::TestParamInfo<Tamper>& info) { return info.param.name; });

}  // namespace
}  // namespace liandong::e2e
