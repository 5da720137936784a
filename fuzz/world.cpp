#include "world.h"

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>

#include "access/secrets.h"
#include "api/http/responder.h"
#include "engine/event.h"
#include "engine/state.h"
#include "plans/parse.h"
#include "taxonomy/grade_rules.h"
#include "taxonomy/taxonomy.h"

namespace liandong::fuzz {
namespace {

using api::http::Request;
using api::http::Response;
using nlohmann::json;

constexpr const char* kSecret = "fuzz-node-secret";
constexpr const char* kPersonName = "fuzz.dispatcher";
constexpr const char* kPersonPassword = "correct-horse-battery";

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "fuzz world: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

// Records the one answer a Responder delivers, from whichever thread delivers it.
class Recorder final : public api::http::internal::ResponseTarget {
 public:
  void deliver(uint64_t, Response response) override {
    std::lock_guard lock(mu_);
    if (++deliveries_ == 1) response_ = std::move(response);
    cv_.notify_all();
  }
  std::optional<Response> wait(std::chrono::steady_clock::duration timeout) {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, timeout, [&] { return deliveries_ > 0; })) return std::nullopt;
    return std::move(response_);
  }
  int deliveries() {
    std::lock_guard lock(mu_);
    return deliveries_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int deliveries_ = 0;
  Response response_;
};

Request request(std::string method, std::string path, std::string body = {}) {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.body = std::move(body);
  if (!r.body.empty()) r.headers.emplace_back("Content-Type", "application/json");
  r.remote = "127.0.0.1:40000";
  return r;
}

}  // namespace

World::World() : clock_(*core::parse_rfc3339("2026-11-29T05:00:00Z")) {
  engine::EngineOptions o;
  o.node = "441200";
  engine_ = std::make_unique<engine::Engine>(o, journal_, clock_, taxonomy::Taxonomy::defaults(),
                                             taxonomy::GradeRules::defaults());
  if (auto st = engine_->start(); !st.is_ok()) die("engine start: " + st.to_string());

  api::AccessOptions ao;
  ao.secret = kSecret;
  ao.password_cost = access::PasswordCost::minimum();
  ao.principal_per_second = 0;  // the fuzzer sends thousands of requests a second as one key
  auth_ = std::make_unique<api::Auth>(ao, *engine_, clock_, registry_);

  ctx_.engine = engine_.get();
  ctx_.metrics = &registry_;
  ctx_.auth = auth_.get();
  ctx_.clock = &clock_;
  ctx_.journal = &journal_;
  watch_ = std::make_unique<watch::Watch>(*engine_, readings_, clock_);
  watch_->start();
  ctx_.watch = watch_.get();
  ctx_.readings = &readings_;
  ctx_.verify_journal = [this]() -> json {
    auto events = journal_.events();
    uint64_t bad = 0;
    auto st = engine::verify_chain(0, engine::kGenesisHash, events, &bad);
    return {{"ok", st.is_ok()},
            {"checked", events.size()},
            {"first_bad_seq", st.is_ok() ? json(nullptr) : json(bad)},
            {"message", st.is_ok() ? std::string() : st.message()}};
  };
  ctx_.node.code = "441200";
  ctx_.node.name = "惠州市";
  ctx_.node.tree = json::array({{{"code", "441200"}, {"name", "惠州市"}, {"parent", nullptr}}});
  ctx_.node.boundaries = {{"type", "FeatureCollection"}, {"features", json::array()}};
  api::add_routes(router_, ctx_);

  create_key("fuzz supervisor", "supervisor", "fuzz-supervisor-secret");
  supervisor_token_ = api::Auth::key_token(1, "fuzz-supervisor-secret");
  create_key("fuzz administrator", "administrator", "fuzz-admin-secret");
  admin_token_ = api::Auth::key_token(2, "fuzz-admin-secret");
  create_key("fuzz spare", "cad_bridge", "fuzz-spare-secret");  // for /keys/{id}/revoke
  create_key("fuzz auditor", "auditor", "fuzz-auditor-secret");
  auditor_token_ = api::Auth::key_token(4, "fuzz-auditor-secret");

  auto hash = access::hash_password(kPersonPassword, access::PasswordCost::minimum());
  if (!hash) die("hash_password: " + hash.status().to_string());
  engine::CreatePerson person;
  person.name = kPersonName;
  person.display_name = "Fuzz Dispatcher";
  person.jurisdiction = "441200";
  person.roles = {{"dispatcher", "441200", true, false}};
  person.password_hash = *hash;
  if (auto r = engine_->execute(std::move(person), "fuzz"); !r)
    die("create person: " + r.status().to_string());

  // Through the routes, as clients do: two incidents far apart (one alarm each) and a session.
  auto expect = [&](Request r, As who, int status) {
    authenticate(r, who);
    auto res = dispatch(r);
    if (res.status != status)
      die(r.method + " " + r.path + ": " + std::to_string(res.status) + " " + res.body);
  };
  json fire = {{"channel", "119"},
               {"reported_at", "2026-11-29T12:59:00+08:00"},
               {"location", {{"lon", 114.41}, {"lat", 23.11}}},
               {"address", "江北 1 号"},
               {"type", "fire"},
               {"caller", {{"name", "王小明"}, {"number", "13812345678"}}},
               {"description", "三楼冒烟"}};
  expect(request("POST", "/api/v1/alarms", fire.dump()), As::kSupervisor, 201);
  json crash = {{"channel", "122"},
                {"reported_at", "2026-11-29T13:05:00+08:00"},
                {"location", {{"lon", 114.9}, {"lat", 23.5}}},
                {"type", "traffic_accident"},
                {"description", "两车相撞"}};
  expect(request("POST", "/api/v1/alarms", crash.dump()), As::kSupervisor, 201);
  json sign_in = {{"name", kPersonName}, {"password", kPersonPassword}};
  expect(request("POST", "/api/v1/session", sign_in.dump()), As::kAnonymous, 201);
  json unit = {{"jurisdiction", "441200"}, {"call_sign", "江北水罐1"}, {"type", "engine"}, {"capabilities", {"foam"}}};
  expect(request("POST", "/api/v1/units", unit.dump()), As::kAdministrator, 201);

  // A plan, approved by a second person and activated on the first incident: an activation, a task.
  const std::string yaml =
      "key: fuzz_fire\ntitle: Fuzz fire plan\nowner: \"119\"\nscope:\n  types: [fire]\nlevels:\n  IV:\n"
      "    when: {grades: [IV]}\n    lead: \"119\"\n    tasks:\n      look:\n        owner: \"119\"\n"
      "        description: look\n        deadline: 30m\n";
  auto parsed = plans::parse_plan(yaml, "fuzz.yaml");
  if (!parsed.ok()) die("fuzz plan: " + parsed.diagnostics.at(0).text());
  if (auto r = engine_->execute(engine::CreatePlan{"", yaml, *parsed.plan}, "fuzz"); !r)
    die("create plan: " + r.status().to_string());
  for (const char* to : {"submitted", "reviewed", "approved"})
    if (auto r = engine_->execute(engine::ChangePlanVersion{std::string(kPlan), 1, to, ""},
                                  std::string(to) == "submitted" ? "fuzz" : "fuzz-reviewer");
        !r)
      die(std::string("plan to ") + to + ": " + r.status().to_string());
  if (auto r = engine_->execute(engine::ActivatePlan{std::string(kIncident), std::string(kPlan), "IV", "fuzz"}, "fuzz"); !r)
    die("activate plan: " + r.status().to_string());

  // Monitoring, through the routes: a station (the administrator holds monitoring.manage), a
  // warning raised on it by hand (the supervisor holds warning.issue), a tracked object, a fence.
  json station = {{"jurisdiction", "441200"},
                  {"name", "江北水质站"},
                  {"kind", "water_quality"},
                  {"location", {{"lon", 114.42}, {"lat", 23.12}}},
                  {"parameters", {{{"code", "cadmium"}, {"unit", "mg/L"}, {"interval_s", 3600}}}}};
  expect(request("POST", "/api/v1/monitoring/stations", station.dump()), As::kAdministrator, 201);
  json warning = {{"level", "yellow"},
                  {"title", "镉超标"},
                  {"station_id", std::string(kMonitoringStation)},
                  {"parameter", "cadmium"}};
  expect(request("POST", "/api/v1/warnings", warning.dump()), As::kSupervisor, 201);
  json object = {{"jurisdiction", "441200"}, {"kind", "hazmat_vehicle"}, {"name", "粤L12345"}};
  expect(request("POST", "/api/v1/objects", object.dump()), As::kAdministrator, 201);
  json fence = {{"jurisdiction", "441200"},
                {"name", "水源保护区"},
                {"kind", "water_source_protection"},
                {"area",
                 {{"type", "Polygon"},
                  {"coordinates", {{{114.3, 23.0}, {114.5, 23.0}, {114.5, 23.2}, {114.3, 23.2}, {114.3, 23.0}}}}}},
                {"rules", {{"enter", true}, {"dwell_s", 600}}},
                {"warning_level", "blue"}};
  expect(request("POST", "/api/v1/fences", fence.dump()), As::kAdministrator, 201);
  // Alerts: a draft from the warning, a webhook subscriber, an outside feed (nothing polls it here).
  expect(request("POST", "/api/v1/alerts", json{{"warning_id", std::string(kWarning)}}.dump()), As::kSupervisor, 201);
  json subscriber = {{"name", "区应急局"}, {"url", "http://127.0.0.1:9/hook"}, {"secret", "0123456789abcdef"}};
  expect(request("POST", "/api/v1/alert-subscribers", subscriber.dump()), As::kSupervisor, 201);
  json feed = {{"name", "省气象台"}, {"url", "http://127.0.0.1:9/feed"}};
  expect(request("POST", "/api/v1/alert-feeds", feed.dump()), As::kSupervisor, 201);
  // Reports: an initial report drafted on the incident.
  expect(request("POST", "/api/v1/reports", json{{"type", "initial"}, {"incident_id", std::string(kIncident)}}.dump()),
         As::kSupervisor, 201);

  auto view = engine_->view();
  if (!view->find_monitoring_station(kMonitoringStation) || !view->find_warning(kWarning) ||
      !view->find_tracked_object(kTrackedObject) || !view->find_fence(kFence) || !view->find_alert(kAlert) ||
      !view->find_subscriber(kSubscriber) || !view->find_feed(kFeed) || !view->find_report(kReport))
    die("the seeded monitoring records are not where expected");
  if (!view->find_plan(kPlan) || !view->find_activation(kActivation) || !view->find_task(kTask))
    die("the seeded plan records are not where expected");
  if (!view->find_key(kAuditorKey) || !view->find_alarm(kAlarm) ||
      !view->find_incident(kIncident) || !view->find_incident(kOtherIncident) ||
      !view->find_person(kPerson) || !view->find_key(kSpareKey) || !view->find_session(kSession) ||
      !view->find_unit(kUnit))
    die("the seeded records are not where expected");
}

World::~World() {
  watch_->stop();   // answers what it holds; its commands to the engine are queued before the stop
  engine_->stop();  // answers and joins everything queued, so no callback outlives auth_
  auth_.reset();
}

void World::create_key(const std::string& name, const std::string& role,
                       const std::string& secret) {
  auto r = engine_->execute(
      engine::CreateKey{name, {role, "441200"}, access::keyed_hash(kSecret, secret)}, "fuzz");
  if (!r) die("create key " + name + ": " + r.status().to_string());
}

void World::authenticate(Request& req, As who) const {
  if (who == As::kAnonymous) return;
  const std::string& token = who == As::kSupervisor      ? supervisor_token_
                             : who == As::kAdministrator ? admin_token_
                                                         : auditor_token_;
  req.headers.insert(req.headers.begin(), {"Authorization", "Bearer " + token});
}

Response World::dispatch(Request& req) {
  auto recorder = std::make_shared<Recorder>();
  router_.dispatch(req, api::http::Responder(recorder, 1));
  auto answer = recorder->wait(kAnswerTimeout);
  if (!answer)
    die("no answer to " + req.method + " " + req.path + " (route " + req.route + ") within " +
        std::to_string(kAnswerTimeout.count()) + " s");
  static const bool verbose = std::getenv("LIANDONG_FUZZ_VERBOSE") != nullptr;
  if (verbose)
    std::fprintf(stderr, "fuzz world: %s %s -> %d %.300s\n", req.method.c_str(), req.path.c_str(),
                 answer->status, answer->body.c_str());
  check_answer(req, *answer);
  check_new_events();
  return std::move(*answer);
}

void World::check_new_events() {
  auto events = journal_.read_after(seen_seq_, static_cast<size_t>(-1));
  if (!events || events->empty()) return;
  seen_seq_ = events->back().seq;
  for (const auto& e : *events) {
    try {
      (void)engine::to_json_text(e);  // what the StreamHub sends every subscriber
    } catch (const std::exception& ex) {
      die("serialising event " + std::to_string(e.seq) + " (" + e.type +
          ") for the stream threw: " + ex.what());
    }
  }
  try {
    (void)engine::serialize_view(*engine_->view());  // what a snapshot stores
  } catch (const std::exception& ex) {
    die("serialising the state for a snapshot threw: " + std::string(ex.what()));
  }
}

World& world_for_input() {
  static World* world = nullptr;
  static uint64_t inputs = 0;
  static const uint64_t per_world = [] {
    const char* v = std::getenv("LIANDONG_FUZZ_INPUTS_PER_WORLD");
    return v && std::atoll(v) > 0 ? static_cast<uint64_t>(std::atoll(v)) : kInputsPerWorld;
  }();
  if (!world || ++inputs % per_world == 0) {
    delete world;
    // Never destroyed at exit: the engine's threads could outlive the statics they use.
    world = new World();
  }
  return *world;
}

void check_answer(const Request& req, const Response& res) {
  auto where = req.method + " " + req.path + " (route " + req.route + ")";
  if (res.status < 200 || res.status > 599) die(where + ": status " + std::to_string(res.status));
  if (res.status == 500) die(where + ": 500 " + res.body);
  if (res.content_type.starts_with("application/json") && !json::accept(res.body))
    die(where + ": the answer is not valid JSON: " + res.body.substr(0, 200));
}

}  // namespace liandong::fuzz
