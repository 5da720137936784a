#include "metrics/registry.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

namespace liandong::metrics {
namespace {

TEST(Registry, CounterRendersHelpTypeAndLabels) {
  Registry r;
  auto* f = r.counter("liandong_http_requests_total", "HTTP requests.", {"route", "method", "status"});
  f->with({"/api/v1/alarms", "POST", "201"})->inc();
  f->with({"/api/v1/alarms", "POST", "201"})->inc(2);
  f->with({"/api/v1/health", "GET", "200"})->inc();
  EXPECT_EQ(r.render(),
            "# HELP liandong_http_requests_total HTTP requests.\n"
            "# TYPE liandong_http_requests_total counter\n"
            "liandong_http_requests_total{route=\"/api/v1/alarms\",method=\"POST\",status=\"201\"} 3\n"
            "liandong_http_requests_total{route=\"/api/v1/health\",method=\"GET\",status=\"200\"} 1\n");
}

TEST(Registry, SameChildPointerForSameLabels) {
  Registry r;
  auto* f = r.counter("c_total", "c", {"a"});
  EXPECT_EQ(f->with({"x"}), f->with({"x"}));
  EXPECT_NE(f->with({"x"}), f->with({"y"}));
  EXPECT_EQ(r.counter("c_total", "c", {"a"}), f);
}

TEST(Registry, EscapesLabelValuesAndHelp) {
  Registry r;
  r.gauge("g", "line1\nback\\slash", {"v"})->with({"a\"b\\c\nd"})->set(1.5);
  EXPECT_EQ(r.render(),
            "# HELP g line1\\nback\\\\slash\n"
            "# TYPE g gauge\n"
            "g{v=\"a\\\"b\\\\c\\nd\"} 1.5\n");
}

TEST(Registry, GaugeSetAndAdd) {
  Registry r;
  auto* g = r.gauge("subscribers", "s")->get();
  g->set(3);
  g->add(2);
  g->add(-1.5);
  EXPECT_DOUBLE_EQ(g->value(), 3.5);
  EXPECT_NE(r.render().find("subscribers 3.5\n"), std::string::npos);
}

TEST(Registry, HistogramBucketsAreCumulative) {
  Registry r;
  auto* h = r.histogram("d_seconds", "d", {"route"}, {0.001, 0.01, 0.1})->with({"/x"});
  h->observe(0.0005);
  h->observe(0.001);  // upper bounds are inclusive
  h->observe(0.05);
  h->observe(3);
  EXPECT_EQ(h->count(), 4u);
  EXPECT_EQ(r.render(),
            "# HELP d_seconds d\n"
            "# TYPE d_seconds histogram\n"
            "d_seconds_bucket{route=\"/x\",le=\"0.001\"} 2\n"
            "d_seconds_bucket{route=\"/x\",le=\"0.01\"} 2\n"
            "d_seconds_bucket{route=\"/x\",le=\"0.1\"} 3\n"
            "d_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"
            "d_seconds_sum{route=\"/x\"} 3.0515\n"
            "d_seconds_count{route=\"/x\"} 4\n");
}

TEST(Registry, HistogramWithoutLabels) {
  Registry r;
  r.histogram("h", "h", {}, {1})->get()->observe(0.5);
  EXPECT_NE(r.render().find("h_bucket{le=\"1\"} 1\n"), std::string::npos);
  EXPECT_NE(r.render().find("h_count 1\n"), std::string::npos);
}

TEST(Registry, FamiliesSortedByName) {
  Registry r;
  r.counter("b_total", "b")->get();
  r.counter("a_total", "a")->get();
  auto text = r.render();
  EXPECT_LT(text.find("a_total"), text.find("b_total"));
}

TEST(Registry, MisuseThrows) {
  Registry r;
  r.counter("x_total", "x", {"a"});
  EXPECT_THROW(r.gauge("x_total", "x", {"a"}), std::invalid_argument);
  EXPECT_THROW(r.counter("x_total", "x", {"b"}), std::invalid_argument);
  EXPECT_THROW(r.counter("x_total", "x", {"a"})->with({"1", "2"}), std::invalid_argument);
  EXPECT_THROW(r.counter("bad name", "x"), std::invalid_argument);
  EXPECT_THROW(r.histogram("h", "h", {"le"}, {1}), std::invalid_argument);
  EXPECT_THROW(r.histogram("h2", "h", {}, {2, 1}), std::invalid_argument);
}

TEST(Registry, ConcurrentUpdatesAreCounted) {
  Registry r;
  auto* c = r.counter("n_total", "n", {"t"});
  auto* h = r.histogram("lat", "l", {}, latency_buckets())->get();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      auto* child = c->with({"same"});
      for (int i = 0; i < 10000; ++i) {
        child->inc();
        h->observe(0.002);
      }
      (void)r.render();  // rendering concurrently with updates is safe
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(c->with({"same"})->value(), 40000u);
  EXPECT_EQ(h->count(), 40000u);
  EXPECT_NEAR(h->sum(), 80.0, 1e-6);
}

}  // namespace
}  // namespace liandong::metrics
