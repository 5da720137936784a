#include "harness.h"

#include <thread>

#include <signal.h>
#include <stdlib.h>

#include <ctime>
#include <fstream>
#include <iostream>
#include <stdexcept>

namespace liandong::e2e {

namespace fs = std::filesystem;
using nlohmann::json;

void E2eTest::SetUp() {
  // A node killed mid-write must not kill the test with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  std::string tmpl = (fs::temp_directory_path() / "liandong-e2e-XXXXXX").string();
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr) << "mkdtemp " << tmpl;
  root_ = tmpl;
  data_ = root_ / "data";
}

void E2eTest::TearDown() {
  if (HasFailure()) {
    for (const auto& log : logs_) {
      std::cerr << "----- " << log.string() << " -----\n" << read_file(log) << "----- end of " << log.filename().string()
                << " -----\n";
    }
    std::cerr << "test folder kept: " << root_.string() << "\n";
  } else if (!root_.empty()) {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
}

NodeOptions E2eTest::node_options() const {
  NodeOptions o;
  o.data = data_;
  return o;
}

fs::path E2eTest::new_log(const std::string& name) {
  fs::path p = root_ / (name + "-" + std::to_string(++log_counter_) + ".log");
  logs_.push_back(p);
  return p;
}

RunningNode E2eTest::start(const NodeOptions& o) {
  if (key_record_.is_null() && o.data == data_) api_key();
  auto log = new_log("node");
  RunningNode n = start_node(o, log, kStartTimeout);
  if (!started_once_) {
    started_once_ = true;
    HttpConnection http(n.port);
    setup_seq_ = health_seq(http);
  }
  return n;
}

void E2eTest::stop(RunningNode& node) {
  auto st = node.process.terminate(kStopTimeout);
  EXPECT_TRUE(st && st->exited && st->code == 0) << "on SIGTERM: " << (st ? st->describe() : "did not stop");
  if (!st) node.process.kill();
}

const json& E2eTest::api_key_record() {
  if (key_record_.is_null()) {
    key_record_ = create_key("supervisor");
    if (!key_record_.is_object() || !key_record_["key"].is_string())
      throw std::runtime_error("cannot create the harness's API key: " + key_record_.dump());
  }
  return key_record_;
}

const std::string& E2eTest::api_key() { return api_key_record()["key"].get_ref<const std::string&>(); }

Headers E2eTest::auth() { return bearer(api_key()); }

CommandResult E2eTest::run_liandong(const std::vector<std::string>& args, const std::optional<std::string>& input) {
  std::vector<std::string> argv = {liandong_bin()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string name = args.empty() ? "liandong" : args[0] + (args.size() > 1 ? "-" + args[1] : "");
  return run_command(argv, new_log(name), kStopTimeout, input);
}

json E2eTest::create_key(const std::string& role, const std::string& jurisdiction) {
  std::vector<std::string> args = {"key", "create", "--data", data_.string(), "--role", role};
  if (!jurisdiction.empty()) args.insert(args.end(), {"--jurisdiction", jurisdiction});
  auto r = run_liandong(args);
  EXPECT_TRUE(r.status.exited && r.status.code == 0) << "key create: " << r.status.describe() << "\n" << r.output;
  json j = json_in_output(r.output);
  EXPECT_TRUE(j.is_object() && j["key"].is_string() && j["id"].is_string()) << "key create printed:\n" << r.output;
  return j.is_object() && j["key"].is_string() ? j : json(nullptr);
}

CommandResult E2eTest::create_admin(const std::string& name, const std::string& password) {
  return run_liandong({"admin", "create", "--data", data_.string(), "--name", name, "--password-stdin"}, password + "\n");
}

void E2eTest::write_config(const std::string& yaml) const {
  fs::create_directories(data_);
  std::ofstream(data_ / "liandong.yaml") << yaml;
}

json E2eTest::admin(const std::string& cmd, int* exit_code) {
  auto r = run_command({liandong_bin(), "admin", cmd, "--data", data_.string()}, new_log("admin-" + cmd), kStopTimeout);
  if (exit_code) *exit_code = r.status.exited ? r.status.code : -1;
  json j = json_in_output(r.output);
  if (!j.is_null()) return j;
  auto brace = r.output.find('{');
  if (brace == std::string::npos) return nullptr;
  j = json::parse(r.output.substr(brace), nullptr, false);
  return j.is_discarded() ? json(nullptr) : j;
}

json json_in_output(const std::string& output) {
  size_t begin = output.starts_with("{\n") ? 0 : output.find("\n{\n");
  if (begin == std::string::npos) return nullptr;
  if (output[begin] == '\n') ++begin;
  size_t end = output.find("\n}", begin);
  if (end == std::string::npos) return nullptr;
  json j = json::parse(output.substr(begin, end + 2 - begin), nullptr, false);
  return j.is_discarded() ? json(nullptr) : j;
}

std::string sign_in(HttpConnection& http, const std::string& name, const std::string& password) {
  auto r = http.post("/api/v1/session", {{"name", name}, {"password", password}}, {{"Authorization", ""}});
  EXPECT_EQ(r.status, 201) << "sign-in of " << name << ": " << r.describe();
  json j = r.json();
  if (r.status != 201 || !j.is_object() || !j["token"].is_string()) return {};
  return j["token"];
}

json next_event(StreamClient& stream, std::chrono::milliseconds timeout) {
  for (;;) {
    auto frame = stream.read(timeout);
    if (!frame) return nullptr;
    json f = json::parse(*frame, nullptr, false);
    if (f.is_discarded()) {
      ADD_FAILURE() << "stream frame is not JSON: " << *frame;
      return nullptr;
    }
    EXPECT_NE(f["type"], "lagging") << "a test client should not lag this little";
    if (f["type"] == "event") return f["event"];
  }
}

std::string now_rfc3339() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

json alarm_json(const std::string& description, double lon, double lat, const std::string& type) {
  return {{"channel", "119"},
          {"reported_at", now_rfc3339()},
          {"location", {{"lon", lon}, {"lat", lat}}},
          {"type", type},
          {"description", description}};
}

json get_json(HttpConnection& http, const std::string& target) {
  auto r = http.get(target);
  EXPECT_EQ(r.status, 200) << "GET " << target << ": " << r.describe();
  if (r.status != 200) return nullptr;
  json j = r.json();
  EXPECT_FALSE(j.is_discarded()) << "GET " << target << " is not JSON: " << r.body;
  return j.is_discarded() ? json(nullptr) : j;
}

std::vector<json> all_incidents(HttpConnection& http) {
  std::vector<json> out;
  std::string target = "/api/v1/incidents?limit=500";
  for (int page = 0; page < 10000; ++page) {
    json j = get_json(http, target);
    if (!j.is_object()) return out;
    for (auto& i : j["items"]) out.push_back(i);
    if (j["next_cursor"].is_null()) return out;
    target = "/api/v1/incidents?limit=500&cursor=" + j["next_cursor"].get<std::string>();
  }
  ADD_FAILURE() << "incident paging does not end";
  return out;
}

json poll(HttpConnection& http, const std::string& target, const std::function<bool(const json&)>& done,
          std::chrono::milliseconds every) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  json j;
  for (;;) {
    j = get_json(http, target);
    if (j.is_null() || done(j)) return j;
    if (std::chrono::steady_clock::now() > until) {
      ADD_FAILURE() << "GET " << target << " never reached the expected state: " << j.dump();
      return j;
    }
    std::this_thread::sleep_for(every);
  }
}

uint64_t health_seq(HttpConnection& http) {
  json h = get_json(http, "/api/v1/health");
  return h.is_object() ? h.value("seq", uint64_t{0}) : 0;
}

}  // namespace liandong::e2e
