#include "harness.h"

#include <signal.h>
#include <stdlib.h>

#include <ctime>
#include <fstream>
#include <iostream>

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
  auto log = new_log("node");
  return start_node(o, log, kStartTimeout);
}

void E2eTest::write_config(const std::string& yaml) const {
  fs::create_directories(data_);
  std::ofstream(data_ / "liandong.yaml") << yaml;
}

json E2eTest::admin(const std::string& cmd, int* exit_code) {
  auto r = run_command({liandong_bin(), "admin", cmd, "--data", data_.string()}, new_log("admin-" + cmd), kStopTimeout);
  if (exit_code) *exit_code = r.status.exited ? r.status.code : -1;
  auto brace = r.output.find('{');
  if (brace == std::string::npos) return nullptr;
  json j = json::parse(r.output.substr(brace), nullptr, false);
  return j.is_discarded() ? json(nullptr) : j;
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

uint64_t health_seq(HttpConnection& http) {
  json h = get_json(http, "/api/v1/health");
  return h.is_object() ? h.value("seq", uint64_t{0}) : 0;
}

}  // namespace liandong::e2e
