// Crash safety of intake: 8 keep-alive clients report alarms as fast as the node answers; the node
// is killed (SIGKILL, or stopped with SIGTERM) once N answers have been acknowledged, then
// restarted on the same folder. Every acknowledged alarm must be there exactly once, nothing may be
// half-written, and retrying the unanswered requests with their Idempotency-Key must not duplicate
// the ones that had been committed after all.
#include <signal.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "harness.h"

namespace liandong::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kClients = 8;

std::string description_of(size_t i) { return "e2e crash alarm #" + std::to_string(i); }
std::string key_of(size_t i) { return "crash-key-" + std::to_string(i); }

// Far enough apart (about 1 km) that no alarm joins another's incident.
json body_of(size_t i) {
  return alarm_json(description_of(i), 113.0 + static_cast<double>(i % 200) * 0.01,
                    22.0 + static_cast<double>(i / 200) * 0.01);
}

struct Attempt {
  bool sent = false;
  bool acked = false;  // a 2xx answer arrived
  std::string alarm_id;
  std::string answer;  // what came instead of a 2xx
};

// The node's state as the API shows it, checked for internal consistency on the way.
struct Snapshot {
  std::map<std::string, std::string> alarm_by_description;  // description → alarm id
  size_t alarms = 0;
  size_t incidents = 0;
  uint64_t seq = 0;
};

struct KillPlan {
  int signal;
  size_t after_acks;
};

// Also names the test in CTest (gtest_discover_tests appends the printed parameter).
void PrintTo(const KillPlan& p, std::ostream* os) {
  *os << (p.signal == SIGKILL ? "SIGKILL" : "SIGTERM") << " after " << p.after_acks << " acks";
}

std::string plan_name(const ::testing::TestParamInfo<KillPlan>& info) {
  return std::string(info.param.signal == SIGKILL ? "Sigkill" : "Sigterm") + "After" +
         std::to_string(info.param.after_acks) + "Acks";
}

class CrashTest : public E2eTest, public ::testing::WithParamInterface<KillPlan> {
 protected:
  std::string auditor_key_;  // for GET /api/v1/audit/verify

  // Reads every incident and each of its alarms; checks that alarm ids are unique, that every
  // alarm id of an incident exists and points back, that descriptions are unique, and that the
  // admin status, health, journal verification and the stream agree.
  Snapshot check_state(uint16_t port) {
    HttpConnection http(port, auth());
    Snapshot s;
    auto incidents = all_incidents(http);
    std::set<std::string> seen_alarms;
    for (const auto& inc : incidents) {
      std::string inc_id = inc["id"];
      for (const auto& id_json : inc["alarm_ids"]) {
        std::string id = id_json;
        EXPECT_TRUE(seen_alarms.insert(id).second) << "alarm " << id << " is in more than one incident";
        json a = get_json(http, "/api/v1/alarms/" + id);
        if (!a.is_object()) continue;
        EXPECT_EQ(a["incident_id"], inc_id) << "alarm " << id;
        std::string d = a["description"];
        auto [it, fresh] = s.alarm_by_description.emplace(d, id);
        EXPECT_TRUE(fresh) << "description '" << d << "' is on two alarms: " << it->second << " and " << id;
      }
    }
    s.alarms = seen_alarms.size();
    s.incidents = incidents.size();
    s.seq = health_seq(http);

    json status = admin("status");
    EXPECT_EQ(status.value("alarms", size_t{0}), s.alarms) << status.dump();
    EXPECT_EQ(status.value("incidents", size_t{0}), s.incidents) << status.dump();
    EXPECT_EQ(status.value("seq", uint64_t{0}), s.seq) << status.dump();
    // The whole chain verified by the running node (over HTTP, as an auditor: the admin socket's
    // client gives up after 5 s, less than a sanitizer build needs for thousands of events).
    auto v = http.get("/api/v1/audit/verify", bearer(auditor_key_));
    EXPECT_EQ(v.status, 200) << v.describe();
    json verify = v.json();
    EXPECT_EQ(verify.value("ok", false), true) << v.body;
    EXPECT_EQ(verify.value("checked", uint64_t{0}), s.seq) << v.body;

    // The journal as the stream replays it: every event after the harness's setup (its API key,
    // which a supervisor's stream does not show) through the head without a gap, one
    // alarm.received per alarm.
    StreamClient ws(port, "/api/v1/stream?after=" + std::to_string(setup_seq_), auth());
    EXPECT_TRUE(ws.open()) << ws.error() << " " << ws.refused_body();
    uint64_t last = setup_seq_;
    size_t received = 0;
    while (last < s.seq) {
      auto frame = ws.read(std::chrono::seconds(30));
      if (!frame) {
        ADD_FAILURE() << "stream ended at seq " << last << " of " << s.seq;
        break;
      }
      json f = json::parse(*frame);
      if (f["type"] != "event") continue;
      uint64_t seq = f["event"]["seq"];
      EXPECT_EQ(seq, last + 1);
      last = seq;
      if (f["event"]["type"] == "alarm.received") ++received;
    }
    EXPECT_EQ(received, s.alarms);
    return s;
  }
};

TEST_P(CrashTest, AcknowledgedAlarmsSurviveExactlyOnce) {
  const KillPlan plan = GetParam();
  // Snapshots are written all along, so that kills also land while one is being written and
  // recovery starts from a snapshot plus journal. All clients use the harness's one key: no
  // per-key request rate.
  write_config("snapshot_every: 100\nlimits:\n  principal_requests_per_second: 0\n");
  json auditor = create_key("auditor");
  ASSERT_TRUE(auditor.is_object());
  auditor_key_ = auditor["key"];
  auto node = start();
  const Headers headers = auth();
  const size_t cap = plan.after_acks * 2 + 2000;  // a bound in case the kill never comes
  std::vector<Attempt> attempts(cap);
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::condition_variable cv;
  size_t acks = 0, finished = 0;

  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, port = node.port] {
      HttpConnection http(port, headers);
      while (!stop) {
        size_t i = next++;
        if (i >= cap) break;
        Attempt& a = attempts[i];
        a.sent = true;
        auto r = http.post("/api/v1/alarms", body_of(i), {{"Idempotency-Key", key_of(i)}});
        if (!r.ok()) {
          a.answer = r.describe();
          break;  // the node is gone or stopping
        }
        a.acked = true;
        a.alarm_id = r.json().value("alarm_id", "");
        std::lock_guard lock(mu);
        if (++acks == plan.after_acks) cv.notify_all();
      }
      std::lock_guard lock(mu);
      ++finished;
      cv.notify_all();
    });
  }
  {
    std::unique_lock lock(mu);
    cv.wait_for(lock, std::chrono::minutes(3), [&] { return acks >= plan.after_acks || finished == kClients; });
  }
  std::optional<ExitStatus> st =
      plan.signal == SIGKILL ? node.process.kill() : node.process.terminate(kStopTimeout);
  if (!st) st = node.process.kill();  // SIGTERM did not stop it; reported below
  stop = true;
  for (auto& t : clients) t.join();
  if (plan.signal == SIGKILL) {
    EXPECT_FALSE(st->exited) << st->describe();
  } else {
    EXPECT_TRUE(st->exited && st->code == 0) << "on SIGTERM: " << st->describe();
    EXPECT_FALSE(fs::exists(data_ / "node.addr")) << "a cleanly stopped node leaves no address behind";
    EXPECT_FALSE(fs::exists(data_ / "admin.sock"));
  }

  size_t acked = 0, unanswered = 0;
  for (const auto& a : attempts) {
    if (a.acked) ++acked;
    else if (a.sent) ++unanswered;
  }
  ASSERT_GE(acked, plan.after_acks) << "the clients stopped before the kill; first refusal: "
                                    << [&] {
                                         for (const auto& a : attempts)
                                           if (a.sent && !a.acked) return a.answer;
                                         return std::string("none");
                                       }();
  EXPECT_GT(unanswered, 0u) << "the node was not stopped part-way";
  std::cerr << "[ crash ] " << acked << " acknowledged, " << unanswered << " unanswered when stopped\n";

  // Restart on the same folder: every acknowledged alarm exactly once, nothing half-written.
  node = start();
  Snapshot before = check_state(node.port);
  for (size_t i = 0; i < cap; ++i) {
    const Attempt& a = attempts[i];
    auto it = before.alarm_by_description.find(description_of(i));
    if (a.acked) {
      ASSERT_NE(it, before.alarm_by_description.end()) << "acknowledged alarm #" << i << " (" << a.alarm_id << ") is lost";
      EXPECT_EQ(it->second, a.alarm_id) << "alarm #" << i;
    } else if (!a.sent) {
      EXPECT_EQ(it, before.alarm_by_description.end()) << "alarm #" << i << " was never sent but exists";
    }
  }

  size_t committed_unanswered = 0;
  std::map<std::string, size_t> refusals;
  for (size_t i = 0; i < cap; ++i) {
    if (!attempts[i].sent || attempts[i].acked) continue;
    ++refusals[attempts[i].answer.substr(0, 120)];
    if (before.alarm_by_description.count(description_of(i))) ++committed_unanswered;
  }
  std::cerr << "[ crash ] of the unanswered, " << committed_unanswered << " had been committed; answers:";
  for (const auto& [answer, n] : refusals) std::cerr << " " << n << "× '" << answer << "'";
  std::cerr << "\n";
  if (plan.signal == SIGTERM) {
    EXPECT_EQ(committed_unanswered, 0u) << "a clean stop committed requests it did not answer";
  }

  // Retry what went unanswered, and some acknowledged ones, with the same Idempotency-Key.
  HttpConnection http(node.port, auth());
  size_t created = 0;
  for (size_t i = 0; i < cap; ++i) {
    const Attempt& a = attempts[i];
    if (!a.sent || (a.acked && i % 50 != 0)) continue;
    auto r = http.post("/api/v1/alarms", body_of(i), {{"Idempotency-Key", key_of(i)}});
    auto it = before.alarm_by_description.find(description_of(i));
    if (it != before.alarm_by_description.end()) {
      EXPECT_EQ(r.status, 200) << "retry of committed alarm #" << i << ": " << r.describe();
      EXPECT_EQ(r.json().value("alarm_id", ""), it->second) << "retry of alarm #" << i;
    } else {
      EXPECT_EQ(r.status, 201) << "retry of uncommitted alarm #" << i << ": " << r.describe();
      ++created;
    }
  }
  Snapshot after = check_state(node.port);
  EXPECT_EQ(after.alarms, before.alarms + created);
  for (size_t i = 0; i < cap; ++i) {
    if (!attempts[i].sent) continue;
    EXPECT_TRUE(after.alarm_by_description.count(description_of(i))) << "alarm #" << i;
  }
  auto end = node.process.terminate(kStopTimeout);
  EXPECT_TRUE(end && end->exited && end->code == 0) << (end ? end->describe() : "did not stop");
}

INSTANTIATE_TEST_SUITE_P(KillPoints, CrashTest,
                         ::testing::Values(KillPlan{SIGKILL, 50}, KillPlan{SIGKILL, 500}, KillPlan{SIGKILL, 2000},
                                           KillPlan{SIGTERM, 300}),
                         plan_name);

}  // namespace
}  // namespace liandong::e2e
