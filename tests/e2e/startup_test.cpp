// Starting and stopping `liandong`: one node per store, usage for every subcommand, configuration
// errors that name file and line, and a store that belongs to one jurisdiction. (A clean SIGTERM
// stop while requests are in flight is CrashTest/KillPoints.*Sigterm*.)
#include <thread>

#include "harness.h"

namespace liandong::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class StartupTest : public E2eTest {
 protected:
  // Runs `liandong serve` on data_ expecting it to refuse to start; returns its output.
  std::string expect_refused(const NodeOptions& o) {
    auto r = run_command(serve_argv(o), new_log("refused"), kStartTimeout);
    EXPECT_TRUE(r.status.exited) << r.status.describe();
    EXPECT_NE(r.status.code, 0) << "started although it should not have:\n" << r.output;
    return r.output;
  }
};

TEST_F(StartupTest, SecondServeOnTheSameStoreIsRefused) {
  auto first = start();
  std::string out = expect_refused(node_options());
  EXPECT_NE(out.find("in use"), std::string::npos) << out;
  EXPECT_NE(out.find("journal.db"), std::string::npos) << "names the store: " << out;
  EXPECT_NE(out.find(std::to_string(first.process.pid())), std::string::npos) << "names the holder: " << out;
  // The first node is unaffected.
  HttpConnection http(first.port, auth());
  EXPECT_EQ(http.get("/api/v1/health").status, 200);
  json status = admin("status");
  EXPECT_EQ(status.value("pid", 0), first.process.pid()) << status.dump();
}

// Regression: a refused second node used to remove DIR/node.addr, the running node's address file.
TEST_F(StartupTest, RefusedSecondServeLeavesTheRunningNodesAddressAlone) {
  auto first = start();
  expect_refused(node_options());
  std::string addr = read_file(data_ / "node.addr");
  EXPECT_EQ(addr, "127.0.0.1:" + std::to_string(first.port) + "\n") << "node.addr of the running node was removed";
}

TEST_F(StartupTest, HelpForEverySubcommand) {
  struct Case {
    std::vector<std::string> args;
    std::vector<std::string> mentions;
  };
  for (const auto& c : std::vector<Case>{{{"serve", "--help"}, {"--data", "--listen", "--jurisdiction", "--test-clock"}},
                                         {{"demo", "--help"}, {"--data", "--listen", "--interval-ms"}},
                                         {{"admin", "--help"}, {"status", "verify", "create"}},
                                         {{"admin", "status", "--help"}, {"--data"}},
                                         {{"admin", "create", "--help"}, {"--data", "--name", "--password-stdin"}},
                                         {{"key", "create", "--help"}, {"--data", "--role", "--jurisdiction"}},
                                         {{"audit", "verify", "--help"}, {"--data"}},
                                         {{"--help"}, {"serve", "demo", "admin", "key", "audit"}}}) {
    std::vector<std::string> argv = {liandong_bin()};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    auto r = run_command(argv, new_log("help"), kStartTimeout);
    std::string what = c.args[0] + (c.args.size() > 1 ? " " + c.args[1] : "");
    EXPECT_TRUE(r.status.exited && r.status.code == 0) << what << ": " << r.status.describe();
    EXPECT_NE(r.output.find("Usage"), std::string::npos) << what << ":\n" << r.output;
    for (const auto& m : c.mentions) EXPECT_NE(r.output.find(m), std::string::npos) << what << " mentions " << m;
  }
}

TEST_F(StartupTest, ConfigurationErrorsNameFileAndLine) {
  const std::string path = (data_ / "liandong.yaml").string();
  struct Case {
    std::string yaml;
    int line;
  };
  for (const auto& c : std::vector<Case>{{"jurisdiction: \"441300\"\nsnapshot_every: often\n", 2},
                                         {"jurisdiction: \"441300\"\n\nmax_batchh: 10\n", 3},
                                         {"jurisdiction: \"441300\"\nlisten: [unclosed\n", 3},
                                         {"http_threads: {a: 1}\n", 1}}) {
    write_config(c.yaml);
    std::string out = expect_refused(node_options());
    EXPECT_NE(out.find(path + ":" + std::to_string(c.line) + ":"), std::string::npos)
        << "for\n" << c.yaml << "expected " << path << ":" << c.line << " in:\n" << out;
    EXPECT_FALSE(fs::exists(data_ / "node.addr"));
    EXPECT_FALSE(fs::exists(data_ / "journal.db")) << "a node with a bad configuration opened its store";
  }
}

// Regression: values of the right kind but out of range used to be refused without their line.
TEST_F(StartupTest, OutOfRangeConfigurationValuesNameTheLine) {
  const std::string path = (data_ / "liandong.yaml").string();
  for (const auto& [yaml, line] : std::vector<std::pair<std::string, int>>{
           {"jurisdiction: \"441300\"\nsnapshot_every: 5\n", 2}, {"\nmax_batch: 0\n", 2}, {"http_threads: 0\n", 1}}) {
    write_config(yaml);
    std::string out = expect_refused(node_options());
    EXPECT_NE(out.find(path + ":" + std::to_string(line) + ":"), std::string::npos)
        << "expected " << path << ":" << line << " in:\n" << out;
  }
}

TEST_F(StartupTest, StoreOfAnotherJurisdictionIsRefused) {
  uint64_t seq = 0;
  {
    auto node = start();
    HttpConnection http(node.port, auth());
    ASSERT_EQ(http.post("/api/v1/alarms", alarm_json("owned", 114.4, 23.1)).status, 201);
    seq = health_seq(http);
    auto st = node.process.terminate(kStopTimeout);
    ASSERT_TRUE(st && st->exited && st->code == 0);
  }
  NodeOptions other = node_options();
  other.jurisdiction = "441200";
  std::string out = expect_refused(other);
  EXPECT_NE(out.find("belongs to jurisdiction 441300"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(data_ / "node.addr"));

  // The store is untouched and opens under its own code.
  auto node = start();
  HttpConnection http(node.port, auth());
  json h = get_json(http, "/api/v1/health");
  EXPECT_EQ(h["jurisdiction"], "441300");
  EXPECT_EQ(h["seq"], seq);
}

TEST_F(StartupTest, SigtermStopsCleanlyAndRestartContinues) {
  auto node = start();
  EXPECT_TRUE(fs::exists(data_ / "admin.sock"));
  uint64_t seq = 0;
  {
    HttpConnection http(node.port, auth());
    ASSERT_EQ(http.post("/api/v1/alarms", alarm_json("before stop", 114.4, 23.1)).status, 201);
    seq = health_seq(http);
  }
  auto st = node.process.terminate(kStopTimeout);
  ASSERT_TRUE(st) << "did not stop on SIGTERM";
  EXPECT_TRUE(st->exited && st->code == 0) << st->describe();
  EXPECT_FALSE(fs::exists(data_ / "node.addr"));
  EXPECT_FALSE(fs::exists(data_ / "admin.sock"));
  int rc = 0;
  admin("status", &rc);
  EXPECT_NE(rc, 0) << "admin status answered with no node running";

  node = start();
  HttpConnection http(node.port, auth());
  EXPECT_EQ(health_seq(http), seq);
  auto r = http.post("/api/v1/alarms", alarm_json("after restart", 114.5, 23.1));
  EXPECT_EQ(r.status, 201) << r.describe();
  EXPECT_GT(health_seq(http), seq);
}

// A SIGTERM closes open streams with a WebSocket close frame (rather than holding the stop up
// until the server's grace period ends and then cutting them).
TEST_F(StartupTest, SigtermClosesStreamsWithACloseFrame) {
  auto node = start();
  HttpConnection http(node.port, auth());
  ASSERT_EQ(http.post("/api/v1/alarms", alarm_json("streamed", 114.4, 23.1)).status, 201);
  StreamClient ws(node.port, "/api/v1/stream?after=0", auth());
  ASSERT_TRUE(ws.open()) << ws.error() << " " << ws.refused_body();
  ASSERT_TRUE(ws.read(std::chrono::seconds(30))) << "no event on the stream";
  // The client keeps reading (and so answers a close frame) while the node stops.
  std::thread reader([&] {
    while (ws.read(std::chrono::seconds(30))) {
    }
  });
  auto st = node.process.terminate(kStopTimeout);
  reader.join();
  ASSERT_TRUE(st && st->exited && st->code == 0) << (st ? st->describe() : "did not stop");
  EXPECT_TRUE(ws.closed_normally()) << "the stream was cut without a close frame";
}

}  // namespace
}  // namespace liandong::e2e
