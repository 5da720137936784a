// GET /metrics on a running node after some traffic: request counts by route, journal commit
// latency, live stream subscribers.
#include "harness.h"

namespace liandong::e2e {
namespace {

using nlohmann::json;

// The value of the sample line starting with `series ` in a Prometheus text, or -1.
double sample(const std::string& text, const std::string& series) {
  size_t pos = 0;
  while ((pos = text.find(series + " ", pos)) != std::string::npos) {
    if (pos == 0 || text[pos - 1] == '\n') return std::stod(text.substr(pos + series.size() + 1));
    pos += series.size();
  }
  return -1;
}

class MetricsTest : public E2eTest {};

TEST_F(MetricsTest, ExposesRequestsCommitsAndSubscribers) {
  auto node = start();
  HttpConnection http(node.port, auth());
  StreamClient ws(node.port, "/api/v1/stream", auth());
  ASSERT_TRUE(ws.open()) << ws.error() << " " << ws.refused_body();
  for (int i = 0; i < 5; ++i) {
    auto r = http.post("/api/v1/alarms", alarm_json("metrics " + std::to_string(i), 114.0 + i * 0.01, 23.0));
    ASSERT_EQ(r.status, 201) << r.describe();
  }
  EXPECT_EQ(http.get("/api/v1/alarms/441300-ALM-999").status, 404);
  // The subscriber has certainly been registered once it has an event.
  ASSERT_TRUE(ws.read(std::chrono::seconds(30))) << "no event on the stream";

  auto r = http.get("/metrics");
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(r.content_type.rfind("text/plain", 0), 0u) << r.content_type;
  const std::string& m = r.body;
  EXPECT_NE(m.find("# TYPE liandong_http_requests_total counter"), std::string::npos) << m;
  EXPECT_EQ(sample(m, R"(liandong_http_requests_total{route="/api/v1/alarms",method="POST",status="201"})"), 5) << m;
  EXPECT_EQ(sample(m, R"(liandong_http_requests_total{route="/api/v1/alarms/{id}",method="GET",status="404"})"), 1)
      << m;
  EXPECT_NE(m.find("# TYPE liandong_journal_commit_seconds histogram"), std::string::npos) << m;
  double commits = sample(m, "liandong_journal_commit_seconds_count");
  EXPECT_GE(commits, 1) << m;
  // One commit per alarm at most (group commit), and the one at start that makes the duty offices'
  // daily-report obligations.
  EXPECT_LE(commits, 6) << "one commit per alarm at most (group commit)";
  EXPECT_GT(sample(m, "liandong_journal_commit_seconds_sum"), 0) << m;
  EXPECT_NE(m.find("# TYPE liandong_stream_subscribers gauge"), std::string::npos) << m;
  EXPECT_EQ(sample(m, "liandong_stream_subscribers"), 1) << m;
}

}  // namespace
}  // namespace liandong::e2e
