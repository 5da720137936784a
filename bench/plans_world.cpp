#include "plans_world.h"

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/log.h"
#include "plans/parse.h"

namespace liandong::bench {

namespace {

using nlohmann::json;

constexpr const char* kCounties[] = {"441302", "441303", "441322", "441323", "441324"};
constexpr const char* kCountyKinds[] = {"119", "110", "120"};
constexpr const char* kCityKinds[] = {"122",    "emergency_management", "health", "publicity",
                                      "transport", "urban_management",   "environment"};
// Task owners (agency kinds; quoted where YAML would read a number) and roles, in rotation.
constexpr const char* kOwners[] = {"\"119\"", "\"120\"", "\"110\"", "\"122\"", "emergency_management",
                                   "health",  "publicity", "transport", "urban_management", "environment"};
constexpr const char* kRoles[] = {"dispatcher", "duty_officer", "incident_commander", "agency_liaison", "duty_officer"};
// Places: a grid of 0.01° (about 1 km, beyond the 300 m duplicate radius) over Huizhou.
constexpr int kGridLon = 140, kGridLat = 130;

std::string key(char prefix, int i) {
  char b[8];
  std::snprintf(b, sizeof b, "%c%02d", prefix, i);
  return b;
}

std::string task_line(const std::string& k, int i, int minutes, const std::vector<std::string>& after) {
  std::ostringstream o;
  o << "      " << k << ": {owner: " << kOwners[i % 10] << ", description: 基准任务 " << k
    << " 按预案落实处置措施, deadline: " << minutes << "m, role: " << kRoles[i % 5];
  if (!after.empty()) {
    o << ", after: [";
    for (size_t j = 0; j < after.size(); ++j) o << (j ? ", " : "") << after[j];
    o << "]";
  }
  o << "}\n";
  return o.str();
}

// The predecessors of task t<i> at both levels: every fifth follows the one before it, every
// seventh (not fifth) the two before the one before it. 16 of 50 tasks wait.
std::vector<std::string> big_after(int i) {
  if (i % 5 == 0) return {key('t', i - 1)};
  if (i % 7 == 0) return {key('t', i - 3), key('t', i - 2)};
  return {};
}

// Every task owner takes part at every level (the validator wants an owner to be the lead, a
// participant or in an activated working group).
std::string participants() {
  std::string o = "    participants:\n";
  for (const char* kind : kOwners) o += std::string("      ") + kind + ": [按预案参与处置]\n";
  return o;
}

}  // namespace

std::string big_plan_yaml() {
  std::ostringstream o;
  o << "# bench/run plans: a fire plan whose level III has 50 tasks (16 with predecessors); level I\n"
       "# keeps t01-t40, drops t41-t50 and adds u01-u10.\n"
       "key: bench_fire\n"
       "title: 基准火灾事故应急预案\n"
       "owner: \"119\"\n"
       "scope:\n"
       "  types: [fire]\n"
       "  jurisdictions: [\"441300\"]\n"
       "levels:\n"
       "  I:\n"
       "    when: {grades: [I]}\n"
       "    lead: \"119\"\n"
       "    command_post: 市火灾事故应急指挥部\n"
    << participants()
    << "    forces:\n"
       "      - {type: engine, count: 12}\n"
       "      - {type: ladder, count: 3}\n"
       "      - {type: ambulance, count: 6}\n"
       "    tasks:\n";
  for (int i = 1; i <= 40; ++i) o << task_line(key('t', i), i, 10 + 7 * i, big_after(i));
  for (int j = 1; j <= 10; ++j) o << task_line(key('u', j), j, 20 + 9 * j, {key('t', 4 * j)});
  o << "    notifications:\n"
       "      - {role: supervisor, agency: \"119\", channel: console}\n"
       "      - {role: incident_commander, agency: \"110\", channel: phone}\n"
       "      - {role: duty_officer, agency: emergency_management, channel: sms}\n"
       "    reports:\n"
       "      - {type: initial, to: province, within: 30m}\n"
       "      - {type: final, to: province, within: 3d}\n"
       "  III:\n"
       "    when: {grades: [III]}\n"
       "    lead: \"119\"\n"
       "    command_post: 起火地消防救援大队现场指挥部\n"
    << participants()
    << "    forces:\n"
       "      - {type: engine, count: 4}\n"
       "      - {type: ambulance, count: 2}\n"
       "    tasks:\n";
  for (int i = 1; i <= 50; ++i) o << task_line(key('t', i), i, 10 + 7 * i, big_after(i));
  o << "    notifications:\n"
       "      - {role: supervisor, agency: \"119\", channel: console}\n"
       "      - {role: duty_officer, agency: emergency_management, channel: sms}\n"
       "    reports:\n"
       "      - {type: initial, to: city, within: 30m}\n"
       "      - {type: progress, to: city, within: 2h}\n";
  return o.str();
}

std::string small_plan_yaml() {
  std::ostringstream o;
  o << "# bench/run plans: the background incidents' plan, 10 tasks due 1 h ... 10 h after activation.\n"
       "key: bench_traffic\n"
       "title: 基准道路交通事故应急预案\n"
       "owner: \"122\"\n"
       "scope:\n"
       "  types: [traffic_accident]\n"
       "  jurisdictions: [\"441300\"]\n"
       "levels:\n"
       "  IV:\n"
       "    when: {grades: [IV]}\n"
       "    lead: \"122\"\n"
    << participants()
    << "    forces:\n"
       "      - {type: patrol, count: 1}\n"
       "    tasks:\n";
  for (int k = 1; k <= 10; ++k) {
    std::vector<std::string> after;
    if (k % 3 == 1 && k > 1) after.push_back(key('s', k - 1));
    o << task_line(key('s', k), k, 60 * k, after);
  }
  o << "    notifications:\n"
       "      - {role: duty_officer, agency: \"122\", channel: console}\n";
  return o.str();
}

World::World(std::string label, engine::JournalStore& store, core::Timestamp start)
    : label_(std::move(label)), start_(start), clock_(start) {
  engine::EngineOptions eo;
  eo.node = kPlansNode;
  // No snapshot during the run: a batch is then always exactly the one command submitted.
  eo.snapshot_every = uint64_t{1} << 62;
  engine_ = std::make_unique<engine::Engine>(eo, store, clock_, taxonomy::Taxonomy::defaults(),
                                             taxonomy::GradeRules::defaults());
  engine_->set_commit_observer([this](const engine::CommitStats& s) {
    std::lock_guard lk(mu_);
    if (!have_writer_) {
      writer_tid_ = static_cast<pid_t>(::gettid());
      if (::pthread_getcpuclockid(::pthread_self(), &writer_clock_) != 0)
        throw std::runtime_error("pthread_getcpuclockid failed");
      have_writer_ = true;
    }
    stats_.push_back(s);
    cv_.notify_all();
  });
  if (auto st = engine_->start(); !st.is_ok()) throw std::runtime_error(label_ + ": engine start: " + st.to_string());
}

World::~World() { engine_->stop(); }

json World::exec(engine::Command command, const engine::Actor& by) {
  std::string name = engine::command_name(command);
  size_t before = batches();
  auto r = engine_->execute(std::move(command), by);
  if (!r) throw std::runtime_error(label_ + ": " + name + ": " + r.status().to_string());
  // The observer runs after the answer: wait for it, so that the next command's batch is counted
  // from the right place.
  if (!wait_batch(before, core::Millis{10000}, nullptr))
    throw std::runtime_error(label_ + ": no commit figures for " + name);
  return std::move(r->body);
}

size_t World::batches() const {
  std::lock_guard lk(mu_);
  return stats_.size();
}

bool World::wait_batch(size_t after, core::Millis timeout, engine::CommitStats* out) {
  std::unique_lock lk(mu_);
  if (!cv_.wait_for(lk, timeout, [&] { return stats_.size() > after; })) return false;
  if (out) *out = stats_[after];
  return true;
}

BatchFigures World::measured(engine::Command command, json* answer) {
  std::string name = engine::command_name(command);
  size_t before = batches();
  uint64_t cpu0 = writer_cpu_ns();
  auto t0 = std::chrono::steady_clock::now();
  auto r = engine_->execute(std::move(command), "bench.duty");
  auto t1 = std::chrono::steady_clock::now();
  if (!r) throw std::runtime_error(label_ + ": " + name + ": " + r.status().to_string());
  engine::CommitStats s;
  if (!wait_batch(before, core::Millis{10000}, &s)) throw std::runtime_error(label_ + ": no commit figures for " + name);
  if (batches() != before + 1 || s.commands != 1)
    throw std::runtime_error(label_ + ": " + name + " did not commit in a batch of its own");
  if (answer) *answer = std::move(r->body);
  BatchFigures f;
  f.handle_s = s.handle_seconds;
  f.append_s = s.append_seconds;
  f.wall_s = std::chrono::duration<double>(t1 - t0).count();
  f.cpu_s = static_cast<double>(writer_cpu_ns() - cpu0) * 1e-9;
  f.events = s.events;
  f.commands = s.commands;
  return f;
}

void World::build(int incidents, bool activate, core::Millis spread, std::mt19937_64& rng) {
  for (const char* county : kCounties)
    for (const char* kind : kCountyKinds)
      exec(engine::RegisterAgency{{"", county, std::string(kind) + " " + county, kind}});
  for (const char* kind : kCityKinds) exec(engine::RegisterAgency{{"", kPlansNode, std::string(kind) + " 惠州市", kind}});

  for (const auto& [yaml, file] : {std::pair{big_plan_yaml(), "bench_fire.yaml"},
                                   std::pair{small_plan_yaml(), "bench_traffic.yaml"}}) {
    auto parsed = plans::parse_plan(yaml, file);
    std::string problems;
    for (const auto& d : parsed.diagnostics) problems += "\n  " + d.text();
    if (!parsed.ok()) throw std::runtime_error(std::string(file) + " does not parse:" + problems);
    if (!problems.empty()) core::log::warn("bench plan has warnings", {{"file", file}, {"warnings", problems}});
    std::string id = exec(engine::CreatePlan{"", yaml, *parsed.plan}, "bench.author")["id"];
    exec(engine::ChangePlanVersion{id, 1, "submitted", ""}, "bench.author");
    exec(engine::ChangePlanVersion{id, 1, "reviewed", "checked"}, "bench.reviewer");
    exec(engine::ChangePlanVersion{id, 1, "approved", "approved"}, "bench.approver");
  }

  for (int i = 0; i < incidents; ++i) {
    engine::ReportAlarm a;
    a.channel = "122";
    a.type = "traffic_accident";
    a.description = "bench background incident";
    size_t k = places_++;
    a.jurisdiction = kCounties[k % 5];
    a.location = core::LonLat{113.9 + 0.01 * static_cast<double>(k % kGridLon),
                              22.6 + 0.01 * static_cast<double>(k / kGridLon)};
    a.reported_at = clock_.now();
    auto r = exec(a);
    if (r.value("joined", false)) throw std::runtime_error(label_ + ": a background alarm joined an incident");
    background_.push_back(r["incident_id"]);
  }
  if (activate) {
    std::uniform_int_distribution<int64_t> at(0, spread.count() - 1);
    std::vector<int64_t> offsets(background_.size());
    for (auto& o : offsets) o = at(rng);
    std::sort(offsets.begin(), offsets.end());
    for (size_t i = 0; i < background_.size(); ++i) {
      clock_.set(start_ + core::Millis{offsets[i]});
      exec(engine::ConfirmGrade{background_[i], core::Grade::kIV, "bench: background grade IV"});
    }
  }
  clock_.set(start_ + spread);
}

void World::stand_down_background() {
  for (const auto& inc : background_) exec(engine::StandDown{active_activation(inc), "bench: no timers"});
}

std::string World::new_fire_incident() {
  size_t k = places_++;
  if (k >= static_cast<size_t>(kGridLon * kGridLat)) throw std::runtime_error("out of distinct places for incidents");
  engine::ReportAlarm a;
  a.channel = "119";
  a.type = "fire";
  a.description = "bench fire";
  a.jurisdiction = kCounties[k % 5];
  a.location = core::LonLat{113.9 + 0.01 * static_cast<double>(k % kGridLon),
                            22.6 + 0.01 * static_cast<double>(k / kGridLon)};
  a.reported_at = clock_.now();
  auto r = exec(a);
  if (r.value("joined", false)) throw std::runtime_error(label_ + ": a bench fire joined an incident");
  return r["incident_id"];
}

std::string World::active_activation(const std::string& incident_id) const {
  auto v = engine_->view();
  for (const engine::Activation* a : v->activations_of(incident_id))
    if (a->active()) return a->id;
  throw std::runtime_error(label_ + ": incident " + incident_id + " has no active plan");
}

uint64_t World::writer_cpu_ns() const {
  std::lock_guard lk(mu_);
  return have_writer_ ? thread_cpu_ns(writer_clock_) : 0;
}

uint64_t World::writer_sleeps() const { return thread_sleeps(writer_tid_); }

uint64_t thread_cpu_ns(clockid_t clock) {
  timespec ts{};
  if (::clock_gettime(clock, &ts) != 0) return 0;
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

uint64_t thread_sleeps(pid_t tid) {
  std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("voluntary_ctxt_switches:", 0) == 0) return std::stoull(line.substr(line.find(':') + 1));
  return 0;
}

Sleeper::Sleeper() {
  thread_ = std::thread([this] {
    std::unique_lock lk(mu_);
    tid_ = static_cast<pid_t>(::gettid());
    ::pthread_getcpuclockid(::pthread_self(), &clock_);
    ready_ = true;
    cv_.notify_all();
    while (!stop_) cv_.wait_for(lk, std::chrono::seconds(1), [this] { return stop_; });
  });
  std::unique_lock lk(mu_);
  cv_.wait(lk, [this] { return ready_; });
}

Sleeper::~Sleeper() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

}  // namespace liandong::bench
