#include "access_inprocess.h"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <numeric>
#include <random>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "access/secrets.h"
#include "api/api.h"
#include "core/ids.h"
#include "core/log.h"
#include "engine/testing/memory_journal.h"

namespace liandong::bench {

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;
namespace http = api::http;

constexpr const char* kNode = "441300";
// Huizhou's five counties: incidents are spread over them, as alarms from the whole city would be.
constexpr const char* kCounties[] = {"441302", "441303", "441322", "441323", "441324"};
constexpr const char* kTypes[] = {"fire",          "traffic_accident", "drowning", "food_poisoning",
                                  "public_disorder", "flood",          "landslide", "water_pollution"};

// Keeps the last answer; the list handler answers synchronously, on the calling thread.
class Recorder final : public http::internal::ResponseTarget {
 public:
  void deliver(uint64_t, http::Response r) override {
    status = r.status;
    bytes = r.body.size();
    if (keep_body) body = std::move(r.body);
  }
  int status = 0;
  size_t bytes = 0;
  bool keep_body = false;
  std::string body;
};

double nearest_rank(std::vector<uint32_t>& ns, double q) {
  if (ns.empty()) return 0;
  std::sort(ns.begin(), ns.end());
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(ns.size())));
  return ns[std::clamp<size_t>(rank, 1, ns.size()) - 1] / 1000.0;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

uint64_t thread_cpu_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

template <typename T>
void keep(const T& value) {
  asm volatile("" : : "r,m"(value) : "memory");
}

// The node, its people and credentials, and the two routers.
class Fixture {
 public:
  explicit Fixture(int incidents) {
    engine::EngineOptions eo;
    eo.node = kNode;
    engine_ = std::make_unique<engine::Engine>(eo, journal_, clock_, taxonomy::Taxonomy::defaults(),
                                               taxonomy::GradeRules::defaults());
    if (auto st = engine_->start(); !st.is_ok()) throw std::runtime_error("engine start: " + st.to_string());
    api::AccessOptions ao;
    ao.secret = access::random_hex(32);
    ao.password_cost = access::PasswordCost::minimum();
    // The per-principal limiter stays in the measured path, with a rate it never reaches.
    ao.principal_per_second = 1e9;
    ao.principal_burst = 1e9;
    secret_ = ao.secret;
    auth_ = std::make_unique<api::Auth>(ao, *engine_, clock_, registry_);
    ctx_.engine = engine_.get();
    ctx_.metrics = &registry_;
    ctx_.auth = auth_.get();
    ctx_.clock = &clock_;
    ctx_.journal = &journal_;
    ctx_.verify_journal = [] { return json{{"ok", true}}; };
    ctx_.node.code = kNode;
    ctx_.node.name = "惠州市";
    ctx_.node.boundaries = {{"type", "FeatureCollection"}, {"features", json::array()}};
    api::add_routes(guarded_, ctx_);

    seed(incidents);
    auto hash = access::hash_password("bench-access-password-2026", access::PasswordCost::minimum());
    if (!hash) throw std::runtime_error(hash.status().to_string());
    auto admin = exec(engine::CreatePerson{"bench.admin", "Administrator", "", kNode,
                                           {{"administrator", kNode, true, false}}, *hash})["id"];
    auto dispatcher = exec(engine::CreatePerson{"bench.dispatcher", "Dispatcher", "", kCounties[0],
                                                {{"dispatcher", kCounties[0], true, false}}, *hash})["id"];
    admin_token_ = open_session(admin);
    dispatcher_token_ = open_session(dispatcher);
    std::string key_secret = access::random_token("", 32);
    auto key = exec(engine::CreateKey{"bench cad_bridge", {"cad_bridge", kNode, true, false},
                                      access::keyed_hash(secret_, key_secret)});
    key_token_ = api::Auth::key_token(seq_of(key["id"]), key_secret);
  }
  ~Fixture() {
    auth_.reset();
    engine_->stop();
  }

  // A router over the same handlers whose guard only hands every request `principal`.
  std::unique_ptr<http::Router> unguarded(std::shared_ptr<const access::Principal> principal) {
    auto r = std::make_unique<http::Router>();
    api::add_routes(*r, ctx_);
    r->set_guard([principal](http::Request& req, const http::RouteInfo&, http::Responder&) {
      req.principal = principal;
      return true;
    });
    return r;
  }

  std::shared_ptr<const access::Principal> principal_of(const http::Request& req) const {
    auto c = auth_->identify(req);
    if (!c || !c->principal->signed_in()) throw std::runtime_error("the bench credentials do not identify");
    return c->principal;
  }

  const http::Router& guarded() const { return guarded_; }
  api::Auth& auth() { return *auth_; }
  std::shared_ptr<const engine::View> view() const { return engine_->view(); }
  const std::string& admin_token() const { return admin_token_; }
  const std::string& dispatcher_token() const { return dispatcher_token_; }
  const std::string& key_token() const { return key_token_; }

 private:
  json exec(engine::Command c) {
    auto r = engine_->execute(std::move(c), engine::Actor("bench", "in-process"));
    if (!r) throw std::runtime_error("seeding: " + r.status().to_string());
    return r->body;
  }
  static uint64_t seq_of(const json& id) {
    auto p = core::parse_id(id.get<std::string>());
    if (!p) throw std::runtime_error("bad id " + id.dump());
    return p->seq;
  }
  std::string open_session(const json& person_id) {
    std::string secret = access::random_token("", 32);
    auto s = exec(engine::OpenSession{person_id.get<std::string>(), access::keyed_hash(secret_, secret),
                                      clock_.now() + std::chrono::hours(12)});
    return "lds_" + std::to_string(seq_of(s["id"])) + "." + secret;
  }
  // Alarms far apart and of eight merge groups: each opens its own incident.
  void seed(int incidents) {
    for (int i = 0; i < incidents; ++i) {
      int cell = i / 8;
      core::LonLat at{113.95 + 0.02 * (cell % 60), 22.65 + 0.02 * (cell / 60)};
      auto r = exec(engine::ReportAlarm{kCounties[i % 5], "110", clock_.now(), engine::Caller{"王先生", "13812345678"},
                                        at, "bench address " + std::to_string(i), std::nullopt, kTypes[i % 8],
                                        "bench incident " + std::to_string(i), {}, std::nullopt, ""});
      if (r.value("joined", false)) throw std::runtime_error("seeding: an alarm joined an incident");
    }
  }

  engine::testing::MemoryJournal journal_;
  core::SystemClock clock_;
  metrics::Registry registry_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<api::Auth> auth_;
  api::ApiContext ctx_;
  http::Router guarded_;
  std::string secret_, admin_token_, dispatcher_token_, key_token_;
};

http::Request list_request(int limit, const std::string& token) {
  http::Request r;
  r.method = "GET";
  r.path = "/api/v1/incidents";
  r.query = {{"limit", std::to_string(limit)}};
  r.headers = {{"Host", "127.0.0.1:8080"}, {"Accept", "application/json"}, {"User-Agent", "bench_access"}};
  if (!token.empty()) r.headers.emplace_back("Authorization", "Bearer " + token);
  r.remote = "127.0.0.1:40000";
  return r;
}

struct Plan {
  std::string name, reference;
  const http::Router* router;
  http::Request request;
  std::shared_ptr<const access::Principal> principal;
  std::vector<double> round_us;  // mean µs per request, per round
  std::vector<uint32_t> ns;      // every request
};

// Records the list scans for `p` (newest first, as the handler does): up to limit + 1 visible.
size_t scanned_by(const engine::View& v, const access::Principal& p, size_t limit) {
  size_t scanned = 0, visible = 0;
  for (size_t i = v.incidents.size(); i > 0; --i) {
    ++scanned;
    if (!p.may("incident.read", {v.incidents[i - 1].jurisdiction})) continue;
    if (visible++ == limit) break;
  }
  return scanned;
}

}  // namespace

InProcessResult run_in_process(const InProcessOptions& o) {
  core::log::set_level(core::log::Level::kWarn);
  Fixture fx(o.incidents);
  auto admin_req = list_request(o.limit, fx.admin_token());
  auto key_req = list_request(o.limit, fx.key_token());
  auto county_req = list_request(o.limit, fx.dispatcher_token());
  auto admin = fx.principal_of(admin_req), key = fx.principal_of(key_req), county = fx.principal_of(county_req);
  auto open_admin = fx.unguarded(admin), open_key = fx.unguarded(key), open_county = fx.unguarded(county);

  std::vector<Plan> plans;
  plans.push_back({"list, no auth (administrator)", "", open_admin.get(), list_request(o.limit, ""), admin, {}, {}});
  plans.push_back({"list, session token (administrator)", "list, no auth (administrator)", &fx.guarded(), admin_req,
                   admin, {}, {}});
  plans.push_back({"list, no auth (API key)", "", open_key.get(), list_request(o.limit, ""), key, {}, {}});
  plans.push_back({"list, API key (cad_bridge)", "list, no auth (API key)", &fx.guarded(), key_req, key, {}, {}});
  plans.push_back({"list, no auth (county dispatcher)", "", open_county.get(), list_request(o.limit, ""), county, {},
                   {}});
  plans.push_back({"list, session token (county dispatcher)", "list, no auth (county dispatcher)", &fx.guarded(),
                   county_req, county, {}, {}});

  auto recorder = std::make_shared<Recorder>();
  InProcessResult out;
  out.incidents = o.incidents;
  out.rounds = o.rounds;
  std::vector<InProcessVariant> variants(plans.size());
  auto view = fx.view();
  for (size_t k = 0; k < plans.size(); ++k) {
    // One answer checked in full: 200, the expected items, the same answer with and without the guard.
    http::Request r = plans[k].request;
    recorder->keep_body = true;
    plans[k].router->dispatch(r, http::Responder(recorder, 0));
    recorder->keep_body = false;
    if (recorder->status != 200)
      throw std::runtime_error(plans[k].name + " answered " + std::to_string(recorder->status) + ": " + recorder->body);
    auto body = json::parse(recorder->body);
    variants[k].name = plans[k].name;
    variants[k].reference = plans[k].reference;
    variants[k].items = body["items"].size();
    variants[k].body_bytes = recorder->body.size();
    variants[k].scanned = scanned_by(*view, *plans[k].principal, static_cast<size_t>(o.limit));
    if (variants[k].items == 0) throw std::runtime_error(plans[k].name + ": an empty list");
    plans[k].ns.reserve(static_cast<size_t>(o.requests) * static_cast<size_t>(o.rounds));
  }
  for (size_t k = 0; k < plans.size(); ++k)
    for (size_t j = 0; j < plans.size(); ++j)
      if (plans[j].name == plans[k].reference && variants[j].body_bytes != variants[k].body_bytes)
        throw std::runtime_error(plans[k].name + " and " + plans[j].name + " answered differently");

  // Warm-up: caches, the allocator, the principal cache.
  for (auto& p : plans)
    for (int i = 0; i < std::min(o.requests, 500); ++i) {
      http::Request r = p.request;
      p.router->dispatch(r, http::Responder(recorder, 0));
    }

  // Rounds of requests interleaved one by one, in a fresh random order for every turn, so that
  // whatever else the machine does, and whatever one variant leaves in the caches, falls on every
  // variant alike. The cost of a request is the CPU time of this thread (preemption by other
  // processes is not the code's cost); latency percentiles are wall time.
  std::vector<uint64_t> total_cpu_ns(plans.size());
  std::vector<size_t> order(plans.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937 rng(20261129);
  for (int round = 0; round < o.rounds; ++round) {
    std::fill(total_cpu_ns.begin(), total_cpu_ns.end(), 0);
    for (int i = 0; i < o.requests; ++i) {
      std::shuffle(order.begin(), order.end(), rng);
      for (size_t k : order) {
        auto& p = plans[k];
        uint64_t c0 = thread_cpu_ns();
        auto t0 = Clock::now();
        http::Request r = p.request;  // the server builds a Request per request, too
        p.router->dispatch(r, http::Responder(recorder, static_cast<uint64_t>(i)));
        auto ns = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count());
        total_cpu_ns[k] += thread_cpu_ns() - c0;
        if (recorder->status != 200) throw std::runtime_error(p.name + " answered " + std::to_string(recorder->status));
        p.ns.push_back(static_cast<uint32_t>(std::min<uint64_t>(ns, UINT32_MAX)));
      }
    }
    for (size_t k = 0; k < plans.size(); ++k)
      plans[k].round_us.push_back(static_cast<double>(total_cpu_ns[k]) / 1000.0 / o.requests);
  }

  for (size_t k = 0; k < plans.size(); ++k) {
    auto& v = variants[k];
    double us = median(plans[k].round_us);
    v.mean_us = us;
    v.per_s = us > 0 ? 1e6 / us : 0;
    v.requests = plans[k].ns.size();
    v.p50_us = nearest_rank(plans[k].ns, 0.50);
    v.p99_us = nearest_rank(plans[k].ns, 0.99);
    for (size_t j = 0; j < plans.size(); ++j) {
      if (plans[j].name != plans[k].reference) continue;
      std::vector<double> paired;  // rounds are adjacent in time: pair them
      for (size_t r = 0; r < plans[k].round_us.size(); ++r)
        paired.push_back((plans[k].round_us[r] - plans[j].round_us[r]) / plans[k].round_us[r]);
      v.overhead = median(paired);
    }
  }
  out.variants = std::move(variants);

  // The guard alone, on the list route: what authentication costs per request, measured directly.
  const http::RouteInfo* info = nullptr;
  auto routes = fx.guarded().routes();
  for (const auto& r : routes)
    if (r.method == "GET" && r.pattern == "/api/v1/incidents") info = &r.info;
  if (!info) throw std::runtime_error("no GET /api/v1/incidents route");
  auto guard_us = [&](const http::Request& tmpl) {
    http::Responder unused(recorder, 0);  // the guard answers only when it refuses
    std::vector<double> rounds;
    const int n = std::max(o.requests * 5, 20000);
    for (int round = 0; round < o.rounds; ++round) {
      std::vector<http::Request> reqs(static_cast<size_t>(n), tmpl);
      uint64_t c0 = thread_cpu_ns();
      for (auto& r : reqs)
        if (!fx.auth().guard(r, *info, unused)) throw std::runtime_error("the guard refused the bench caller");
      rounds.push_back(static_cast<double>(thread_cpu_ns() - c0) / 1000.0 / n);
    }
    return median(rounds);
  };
  out.guard_session_us = guard_us(admin_req);
  out.guard_key_us = guard_us(key_req);

  // One keyed hash of a token's secret part, the guard's main arithmetic.
  {
    std::string secret = access::random_hex(32), token = access::random_token("", 32);
    std::vector<double> rounds;
    for (int round = 0; round < o.rounds; ++round) {
      const int n = 20000;
      size_t sum = 0;
      uint64_t c0 = thread_cpu_ns();
      for (int i = 0; i < n; ++i) sum += access::keyed_hash(secret, token).size();
      keep(sum);
      rounds.push_back(static_cast<double>(thread_cpu_ns() - c0) / n);
    }
    out.keyed_hash_ns = median(rounds);
  }

  // Principal::may over the records a list scans, in the handler's order, for each caller.
  std::vector<std::string> codes;
  for (size_t i = view->incidents.size(); i > 0; --i) codes.push_back(view->incidents[i - 1].jurisdiction);
  auto may_ns = [&](const access::Principal& p) {
    std::vector<double> rounds;
    for (int round = 0; round < o.rounds; ++round) {
      const int reps = 2000;
      size_t yes = 0;
      uint64_t c0 = thread_cpu_ns();
      for (int r = 0; r < reps; ++r)
        for (const auto& c : codes) yes += p.may("incident.read", {c}) ? 1 : 0;
      keep(yes);
      rounds.push_back(static_cast<double>(thread_cpu_ns() - c0) /
                       (static_cast<double>(reps) * static_cast<double>(codes.size())));
    }
    return median(rounds);
  };
  for (size_t k = 0; k < plans.size(); ++k) {
    out.variants[k].may_ns = may_ns(*plans[k].principal);
    out.variants[k].filter_us = out.variants[k].may_ns * static_cast<double>(out.variants[k].scanned) / 1000.0;
  }
  return out;
}

}  // namespace liandong::bench
