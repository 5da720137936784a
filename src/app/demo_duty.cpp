#include "app/demo_duty.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/codes.h"
#include "core/log.h"
#include "plans/parse.h"

namespace liandong::app::demo {

namespace {

using Clock = std::chrono::steady_clock;

// The people the demo's plan steps are done as (two, so that review is by a second person).
const engine::Actor kPlansOffice("demo:plans_office");
const engine::Actor kSupervisor("demo:supervisor");

}  // namespace

std::string examples_dir() { return LIANDONG_PLAN_EXAMPLES; }

core::Status seed_plans(engine::Engine& engine, const std::string& dir) {
  namespace fs = std::filesystem;
  if (!engine.view()->plans.empty()) return core::Status::ok();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    core::log::warn("demo: no example plans", {{"dir", dir}});
    return core::Status::ok();
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  const plans::Known known = engine.plan_codes();
  for (const auto& file : files) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = plans::parse_plan(text.str(), file.filename().string(), known);
    if (!parsed.ok())
      return core::invalid("example plan " + file.string() + ": " +
                           (parsed.diagnostics.empty() ? "invalid" : parsed.diagnostics[0].text()));
    auto created = engine.execute(engine::CreatePlan{"", text.str(), *parsed.plan}, kPlansOffice);
    if (!created) return created.status();
    std::string id = created->body["id"];
    for (auto [to, who] : {std::pair{"submitted", kPlansOffice}, std::pair{"reviewed", kSupervisor},
                           std::pair{"approved", kSupervisor}, std::pair{"filed", kSupervisor}}) {
      auto r = engine.execute(engine::ChangePlanVersion{id, 1, to, "demo"}, who);
      if (!r) return r.status();
    }
  }
  core::log::info("demo plans filed", {{"plans", std::to_string(files.size())}});
  return core::Status::ok();
}

uint64_t DutyDesk::next() {  // splitmix64, as the crews use
  uint64_t z = (rng_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void DutyDesk::start() { thread_ = std::thread([this] { run(); }); }

void DutyDesk::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void DutyDesk::run() {
  while (!stop_) {
    auto started = Clock::now();
    try {
      tick();
    } catch (const std::exception& e) {
      core::log::warn("demo duty desk: a step failed", {{"error", e.what()}});
    }
    while (!stop_ && Clock::now() - started < std::chrono::seconds(1))
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void DutyDesk::tick() {
  auto view = engine_.view();
  auto now = Clock::now();
  // Confirm proposed grades.
  for (size_t i = view->incidents.size(); i-- > 0 && view->incidents.size() - i <= 200;) {
    const auto& inc = view->incidents[i];
    if (inc.exercise || inc.confirmed_grade || !inc.proposed_grade || engine::is_final_status(inc.status)) continue;
    auto [it, fresh] = proposed_seen_.try_emplace(inc.id, now);
    if (fresh) continue;
    if (now - it->second < confirm_after || it->second == Clock::time_point{}) continue;
    it->second = Clock::time_point{};  // decided once
    if (next() % 3 == 0) continue;     // one in three waits for a person
    auto r = engine_.execute(engine::ConfirmGrade{inc.id, *inc.proposed_grade, ""}, engine::Actor("demo"));
    if (!r) core::log::warn("demo: grade not confirmed", {{"incident", inc.id}, {"error", r.status().to_string()}});
  }
  // Work the tasks.
  for (size_t i = 0; i < view->tasks.size(); ++i) {
    const auto& t = view->tasks[i];
    if (t.finished() || t.exercise) {
      work_.erase(t.id);
      continue;
    }
    auto it = work_.find(t.id);
    if (it == work_.end()) {
      auto allowed = std::chrono::duration_cast<std::chrono::milliseconds>(t.deadline - t.created_at);
      Plan p;
      p.accept = now + std::chrono::seconds(10 + next() % 31);
      p.start = p.accept + std::chrono::seconds(5 + next() % 20);
      p.complete = now + std::chrono::milliseconds(allowed.count() * int64_t(40 + next() % 81) / 100);
      it = work_.emplace(t.id, p).first;
    }
    const char* action = nullptr;
    if (t.status == "open" && now >= it->second.accept) action = "accept";
    else if (t.status == "accepted" && now >= it->second.start) action = "start";
    else if (t.status == "in_progress" && now >= it->second.complete) action = "complete";
    if (!action) continue;
    auto r = engine_.execute(engine::UpdateTask{t.id, action, ""}, engine::Actor("demo"));
    if (!r) core::log::warn("demo: task step refused", {{"task", t.id}, {"error", r.status().to_string()}});
  }
  work_alerts(*view, now);
  work_reports(*view, now);
}

void DutyDesk::work_alerts(const engine::View& view, Clock::time_point now) {
  std::set<std::string> alerted;
  for (size_t i = 0; i < view.alerts.size(); ++i)
    if (view.alerts[i].outgoing()) alerted.insert(view.alerts[i].warning_id);
  for (size_t i = view.warnings.size(); i-- > 0 && view.warnings.size() - i <= 200;) {
    const auto& w = view.warnings[i];
    if (!w.open() || w.source == "cap" || alerted.count(w.id)) continue;
    auto [it, fresh] = warning_seen_.try_emplace(w.id, now);
    if (fresh || now - it->second < alert_after || it->second == Clock::time_point{}) continue;
    it->second = Clock::time_point{};  // drafted once
    engine::DraftAlert d;
    d.warning_id = w.id;
    d.cap_status = "Exercise";
    auto drafted = engine_.execute(d, engine::Actor("demo-analyst"));
    if (!drafted) {
      core::log::warn("demo: alert not drafted", {{"warning", w.id}, {"error", drafted.status().to_string()}});
      continue;
    }
    auto submitted = engine_.execute(engine::SubmitAlert{drafted->body.value("id", "")}, engine::Actor("demo-analyst"));
    if (!submitted)
      core::log::warn("demo: alert not submitted", {{"warning", w.id}, {"error", submitted.status().to_string()}});
  }
  for (size_t i = 0; i < view.alerts.size(); ++i) {
    const auto& a = view.alerts[i];
    if (a.state != "pending_approval") {
      pending_seen_.erase(a.id);
      continue;
    }
    auto [it, fresh] = pending_seen_.try_emplace(a.id, now);
    if (fresh || now - it->second < approve_after || it->second == Clock::time_point{}) continue;
    it->second = Clock::time_point{};
    if (next() % 3 == 0) continue;  // one in three waits for a person
    auto r = engine_.execute(engine::ReviewAlert{a.id, true, "演示：值班领导同意发布"}, engine::Actor("demo-supervisor"));
    if (!r) core::log::warn("demo: alert not approved", {{"alert", a.id}, {"error", r.status().to_string()}});
  }
}

}  // namespace liandong::app::demo
