// bench/run cap, section delivery: issue-to-delivered latency of CAP alerts to 100 webhook
// subscribers on loopback.
//
// The node's path, in this process: an engine on a real SQLite journal (group commit, fsync), the
// alert publisher (app/alert_publisher: journal → deliveries.db) and the webhook deliverer (signed
// POSTs), 100 subscribers at 100 paths of one loopback receiver (webhooks/testing). For each alert
// the clock runs from submitting the draft of a blue warning (published at once: rendered,
// validated, journaled) until the receiver holds all 100 deliveries; the first delivery's time is
// kept too (the identifier's sequence digit allows ten alerts a second; an eleventh waits for the
// next second, outside the clock). The reference is the deliverer alone on its own store, handed the same document: the
// same requests, without the engine, the journal and the publisher. Alerts go one after another.
#include "cap_delivery.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <thread>

#include "app/alert_publisher.h"
#include "core/time.h"
#include "engine/engine.h"
#include "store/sqlite_store.h"
#include "webhooks/deliverer.h"
#include "webhooks/testing/receiver.h"

namespace liandong::bench {

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;
namespace fs = std::filesystem;

constexpr size_t kSubscribers = 100;

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5));
  return v[i];
}

// Waits until the receiver holds `n` requests; false after 60 s.
bool wait_for(const webhooks::testing::Receiver& r, size_t n, Clock::time_point* first = nullptr, size_t first_n = 0) {
  auto end = Clock::now() + std::chrono::seconds(60);
  bool seen_first = first == nullptr;
  while (Clock::now() < end) {
    size_t c = r.count();
    if (!seen_first && c > first_n) {
      *first = Clock::now();
      seen_first = true;
    }
    if (c >= n) return true;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return false;
}

struct Timing {
  std::vector<double> all_ms, first_ms;
};

}  // namespace

DeliveryResult run_delivery(size_t alerts) {
  DeliveryResult out;
  fs::path dir = fs::temp_directory_path() / ("liandong-bench-cap-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::map<std::string, std::string> secrets;
  for (size_t i = 1; i <= kSubscribers; ++i) secrets["/s" + std::to_string(i)] = "bench-secret-" + std::to_string(i) + "-xxxx";
  webhooks::testing::Receiver receiver(secrets);
  if (auto st = receiver.start(); !st.is_ok()) {
    std::fprintf(stderr, "delivery: receiver: %s\n", st.to_string().c_str());
    out.failed = true;
    return out;
  }
  std::string base = "http://127.0.0.1:" + std::to_string(receiver.port());
  core::SystemClock clock;
  Timing node, reference;

  {
    auto store = store::SqliteStore::open((dir / "liandong.db").string());
    if (!store) {
      std::fprintf(stderr, "delivery: store: %s\n", store.status().to_string().c_str());
      out.failed = true;
      return out;
    }
    engine::EngineOptions eo;
    eo.node = "441300";
    engine::Engine engine(eo, **store, clock, taxonomy::Taxonomy::defaults(), taxonomy::GradeRules::defaults());
    auto publisher = app::AlertPublisher::open((dir / "deliveries.db").string(), engine, **store, clock);
    if (!publisher) {
      std::fprintf(stderr, "delivery: publisher: %s\n", publisher.status().to_string().c_str());
      out.failed = true;
      return out;
    }
    engine.set_listener([p = publisher->get()](std::span<const engine::Event> e) { p->on_events(e); });
    if (!engine.start().is_ok() || !(*publisher)->start().is_ok()) {
      std::fprintf(stderr, "delivery: the engine or the publisher did not start\n");
      out.failed = true;
      return out;
    }
    for (size_t i = 1; i <= kSubscribers; ++i) {
      engine::Subscriber s;
      s.name = "subscriber " + std::to_string(i);
      s.url = base + "/s" + std::to_string(i);
      s.secret = secrets["/s" + std::to_string(i)];
      if (!engine.execute(engine::CreateSubscriber{s}, "bench")) out.failed = true;
    }
    for (size_t a = 0; a < alerts && !out.failed; ++a) {
      engine::RaiseWarning w;
      w.level = "blue";
      w.title = "基准测试预警 " + std::to_string(a);
      w.location = core::LonLat{114.4, 23.1};
      auto raised = engine.execute(w, "bench");
      engine::DraftAlert d;
      d.warning_id = raised ? raised->body.value("id", "") : "";
      auto drafted = engine.execute(d, "bench");
      if (!drafted) {
        out.failed = true;
        break;
      }
      size_t before = receiver.count();
      auto t0 = Clock::now();
      auto submitted = engine.execute(engine::SubmitAlert{drafted->body.value("id", "")}, "bench");
      // The national identifier's sequence digit allows ten alerts a second: wait for the next one.
      while (!submitted && submitted.status().code() == core::Code::kUnavailable) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        t0 = Clock::now();
        submitted = engine.execute(engine::SubmitAlert{drafted->body.value("id", "")}, "bench");
      }
      Clock::time_point first;
      if (!submitted || !wait_for(receiver, before + kSubscribers, &first, before)) {
        std::fprintf(stderr, "delivery: alert %zu not delivered to all subscribers\n", a);
        out.failed = true;
        break;
      }
      node.all_ms.push_back(ms(Clock::now() - t0));
      node.first_ms.push_back(ms(first - t0));
      if (a == 0) out.body = engine.view()->alerts[engine.view()->alerts.size() - 1].xml;
    }
    (*publisher)->stop();
    engine.stop();
  }

  // The reference: the deliverer alone, handed the same document.
  {
    auto dstore = webhooks::DeliveryStore::open((dir / "reference.db").string(), clock);
    if (!dstore || out.body.empty()) {
      out.failed = true;
    } else {
      webhooks::Deliverer deliverer(**dstore, clock);
      std::vector<webhooks::Subscriber> subs;
      std::vector<std::string> ids;
      for (size_t i = 1; i <= kSubscribers; ++i) {
        subs.push_back(webhooks::Subscriber{"ref-" + std::to_string(i), base + "/s" + std::to_string(i),
                                            secrets["/s" + std::to_string(i)]});
        ids.push_back(subs.back().id);
      }
      if (!deliverer.set_subscribers(subs).is_ok() || !deliverer.start().is_ok()) out.failed = true;
      for (size_t a = 0; a < alerts && !out.failed; ++a) {
        webhooks::Publication p;
        p.seq = a + 1;
        p.alert_id = "ref-" + std::to_string(a);
        p.body = out.body;
        p.published_at = clock.now();
        p.subscriber_ids = ids;
        size_t before = receiver.count();
        auto t0 = Clock::now();
        Clock::time_point first;
        if (!deliverer.publish({p}, p.seq).is_ok() || !wait_for(receiver, before + kSubscribers, &first, before)) {
          out.failed = true;
          break;
        }
        reference.all_ms.push_back(ms(Clock::now() - t0));
        reference.first_ms.push_back(ms(first - t0));
      }
      deliverer.stop();
    }
  }
  receiver.stop();
  fs::remove_all(dir);

  std::printf("\n== delivery: issue-to-delivered latency, %zu alerts one after another, %zu subscribers on loopback\n",
              alerts, kSubscribers);
  std::printf("%-44s %10s %10s %10s %12s\n", "path", "first p50", "all p50", "all p99", "all max (ms)");
  auto row = [&](const char* name, const Timing& t) {
    std::printf("%-44s %10.1f %10.1f %10.1f %12.1f\n", name, percentile(t.first_ms, 0.5), percentile(t.all_ms, 0.5),
                percentile(t.all_ms, 0.99), percentile(t.all_ms, 1.0));
  };
  row("node: submit → journal → publisher → webhooks", node);
  row("reference: the deliverer alone", reference);
  double ratio = percentile(reference.all_ms, 0.5) > 0 ? percentile(node.all_ms, 0.5) / percentile(reference.all_ms, 0.5) : 0;
  std::printf("node / reference (all p50): %.2f\n", ratio);
  out.figures = {{"subscribers", kSubscribers},
                 {"alerts", alerts},
                 {"node_first_p50_ms", percentile(node.first_ms, 0.5)},
                 {"node_all_p50_ms", percentile(node.all_ms, 0.5)},
                 {"node_all_p99_ms", percentile(node.all_ms, 0.99)},
                 {"reference_first_p50_ms", percentile(reference.first_ms, 0.5)},
                 {"reference_all_p50_ms", percentile(reference.all_ms, 0.5)},
                 {"reference_all_p99_ms", percentile(reference.all_ms, 0.99)},
                 {"ratio_all_p50", ratio}};
  return out;
}

}  // namespace liandong::bench
