// Plans in the engine: the version life-cycle, activation on a confirmed grade, level changes,
// stand-down, tasks with dependencies and deadlines (overdue at the exact deadline, escalation),
// drills with injects, and recovery — each through Engine::execute over a MemoryJournal and a
// FakeClock. Timers are fired by moving the clock and poking the engine, then waiting for the
// events the listener hears (never by sleeping).
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>

#include "engine/engine.h"
#include "engine/state.h"
#include "engine/testing/memory_journal.h"
#include "plans/parse.h"

namespace liandong::engine {
namespace {

using core::Code;
using nlohmann::json;

core::Timestamp at(const char* s) { return *core::parse_rfc3339(s); }
std::string utc(core::Timestamp t) { return core::format_utc(t); }
std::string utc(const std::optional<core::Timestamp>& t) { return t ? core::format_utc(*t) : "(none)"; }

constexpr core::Millis kMs{1};
constexpr core::Millis kSecond{1000};
constexpr core::Millis kMinute{60 * 1000};

// Level IV: two tasks. Level II: the same two (shorter deadlines) and two more, one waiting for
// the cordon; its own forces, notifications and reports.
constexpr const char* kFirePlan = R"(key: fire_general
title: 火灾事故应急预案
owner: fire
scope:
  types: [fire]
levels:
  II:
    when: {grades: [I, II]}
    lead: fire
    command_post: 市级现场指挥部
    participants: [police, health]
    forces:
      - {type: engine, count: 4}
      - {type: ladder, count: 1, capabilities: [aerial_32m]}
    tasks:
      respond: {owner: fire, description: 出动灭火, deadline: 10m}
      cordon: {owner: police, description: 设置警戒, deadline: 20m}
      evacuate: {owner: police, description: 疏散群众, deadline: 30m, after: [cordon]}
      hospital: {owner: health, description: 医院准备, deadline: 45m, role: incident_commander}
    notifications:
      - {role: supervisor, channel: phone}
    reports:
      - {type: initial, to: city, within: 30m}
  IV:
    when: {grades: [IV]}
    lead: fire
    command_post: 区级现场指挥部
    participants: [police]
    forces:
      - {type: engine, count: 2}
    tasks:
      respond: {owner: fire, description: 出动灭火, deadline: 15m}
      cordon: {owner: police, description: 设置警戒, deadline: 30m}
    notifications:
      - {role: duty_officer}
    reports:
      - {type: initial, to: county, within: 1h}
)";

plans::Plan parse(const std::string& yaml) {
  auto p = plans::parse_plan(yaml, "plan.yaml");
  std::string why;
  for (const auto& d : p.diagnostics) why += d.text() + "\n";
  EXPECT_TRUE(p.ok()) << why;
  return p.ok() ? *p.plan : plans::Plan{};
}

class PlanTest : public ::testing::Test {
 protected:
  PlanTest() : clock_(at("2026-11-29T05:00:00Z")) {}

  // (Re)starts the engine on the fixture's journal; the listener wakes wait_events().
  void start() {
    e_.reset();
    EngineOptions o;
    o.node = "441200";
    o.report_duties = false;  // obligations to report: report_test.cpp
    e_ = std::make_unique<Engine>(o, journal_, clock_, taxonomy::Taxonomy::defaults(),
                                  taxonomy::GradeRules::defaults());
    e_->set_listener([this](std::span<const Event> events) {
      std::lock_guard lk(mu_);
      heard_ += events.size();
      cv_.notify_all();
    });
    auto st = e_->start();
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  core::Result<Outcome> run(Command c, Actor a = "duty-1") { return e_->execute(std::move(c), std::move(a)); }

  // Agencies: fire at the city (441200), police at the district (441202); no health agency.
  void agencies() {
    ASSERT_TRUE(run(RegisterAgency{{"", "441200", "惠州市消防救援支队", "fire"}}, "admin").is_ok());
    ASSERT_TRUE(run(RegisterAgency{{"", "441202", "惠城区公安分局", "police"}}, "admin").is_ok());
  }

  // A new plan (v1 draft) by "author-1"; its id.
  std::string create(const std::string& yaml = kFirePlan) {
    auto r = run(CreatePlan{"", yaml, parse(yaml)}, "author-1");
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? r->body["id"].get<std::string>() : "";
  }

  // submitted (by its author) → reviewed (reviewer-1) → approved (approver-1).
  void approve(const std::string& plan_id, uint32_t version = 1, Actor author = "author-1") {
    auto s = run(ChangePlanVersion{plan_id, version, "submitted", ""}, author);
    ASSERT_TRUE(s.is_ok()) << s.status().to_string();
    auto r = run(ChangePlanVersion{plan_id, version, "reviewed", "looks right"}, "reviewer-1");
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    auto a = run(ChangePlanVersion{plan_id, version, "approved", ""}, "approver-1");
    ASSERT_TRUE(a.is_ok()) << a.status().to_string();
  }

  std::string approved_plan() {
    std::string id = create();
    approve(id);
    return id;
  }

  // Opens an incident from a fire alarm (proposed grade IV), each far from the others.
  std::string incident(const std::string& jurisdiction = "441202") {
    ReportAlarm a;
    a.jurisdiction = jurisdiction;
    a.channel = "119";
    a.reported_at = clock_.now();
    a.location = core::LonLat{114.0 + 0.1 * incidents_++, 23.1};
    a.type = "fire";
    a.description = "smoke on the third floor";
    auto r = run(a, "calltaker-1");
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? r->body["incident_id"].get<std::string>() : "";
  }

  core::Result<Outcome> confirm(const std::string& incident_id, core::Grade g, const std::string& reason = "") {
    return run(ConfirmGrade{incident_id, g, reason}, "commander-1");
  }

  // Copies, so that they outlive the view they came from.
  Activation activation(const std::string& id) {
    auto v = e_->view();
    const Activation* a = v->find_activation(id);
    EXPECT_NE(a, nullptr) << id;
    return a ? *a : Activation{};
  }
  std::vector<Activation> activations_of(const std::string& incident_id) {
    auto v = e_->view();
    std::vector<Activation> out;
    for (const auto* a : v->activations_of(incident_id)) out.push_back(*a);
    return out;
  }
  Task task(const std::string& id) {
    auto v = e_->view();
    const Task* t = v->find_task(id);
    EXPECT_NE(t, nullptr) << id;
    return t ? *t : Task{};
  }
  // The activation's tasks by key (the newest with that key).
  std::map<std::string, Task> tasks_of(const std::string& activation_id) {
    std::map<std::string, Task> out;
    for (const auto& id : activation(activation_id).task_ids) {
      Task t = task(id);
      out[t.key] = t;
    }
    return out;
  }
  std::vector<Notification> notifications() {
    auto v = e_->view();
    std::vector<Notification> out;
    for (size_t i = 0; i < v->notifications.size(); ++i) out.push_back(v->notifications[i]);
    return out;
  }
  PlanRecord plan(const std::string& id) {
    auto v = e_->view();
    const PlanRecord* p = v->find_plan(id);
    EXPECT_NE(p, nullptr) << id;
    return p ? *p : PlanRecord{};
  }
  Incident incident_rec(const std::string& id) {
    auto v = e_->view();
    const Incident* i = v->find_incident(id);
    EXPECT_NE(i, nullptr) << id;
    return i ? *i : Incident{};
  }

  std::vector<Event> events_since(size_t n) {
    auto all = journal_.events();
    return {all.begin() + static_cast<std::ptrdiff_t>(std::min(n, all.size())), all.end()};
  }
  // The event types, leaving out the obligations a plan's report list makes (and their
  // escalations): report_test.cpp checks those.
  static std::vector<std::string> types(const std::vector<Event>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) {
      if (e.type.rfind("report.", 0) == 0) continue;
      if (e.type == "notification.sent") {
        auto n = e.data.find("notification");
        auto m = n != e.data.end() && n->is_object() ? n->find("message") : e.data.end();
        if (n != e.data.end() && n->is_object() && m != n->end() && m->is_string() &&
            m->get<std::string>().rfind("信息报送", 0) == 0)
          continue;
      }
      out.push_back(e.type);
    }
    return out;
  }

  // Moves the clock by `d`, pokes the engine and waits (up to 30 s, event-driven) until it has
  // committed something; the events it committed. Fails the test when nothing comes.
  std::vector<Event> advance_and_fire(core::Millis d) {
    size_t before = journal_.size();
    clock_.advance(d);
    e_->poke();
    std::unique_lock lk(mu_);
    bool heard = cv_.wait_for(lk, std::chrono::seconds(30), [&] { return heard_ > before; });
    lk.unlock();
    EXPECT_TRUE(heard) << "no timer fired after the clock moved to " << utc(clock_.now());
    // A FireTimers the writer may still be committing is finished once a command round-trips.
    EXPECT_TRUE(run(FireTimers{}, "system").is_ok());
    return events_since(before);
  }
  // Moves the clock by `d` and pokes; then asserts that neither the poke nor an explicit
  // FireTimers produced any event.
  void advance_expect_nothing(core::Millis d) {
    size_t before = journal_.size();
    clock_.advance(d);
    e_->poke();
    auto r = run(FireTimers{}, "system");
    ASSERT_TRUE(r.is_ok());
    EXPECT_EQ(r->body["fired"], 0);
    EXPECT_EQ(types(events_since(before)), std::vector<std::string>{}) << "at " << utc(clock_.now());
  }

  testing::MemoryJournal journal_;
  core::FakeClock clock_;
  std::unique_ptr<Engine> e_;
  int incidents_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  size_t heard_ = 0;
};

// --- Plans and their life-cycle ------------------------------------------------------------------

TEST_F(PlanTest, CreateReviewApproveNeedsASecondPerson) {
  start();
  std::string id = create();
  EXPECT_EQ(id, "441200-PLN-1");
  PlanRecord p = plan(id);
  EXPECT_EQ(p.key, "fire_general");
  EXPECT_EQ(p.jurisdiction, "441200");
  ASSERT_EQ(p.versions.size(), 1u);
  EXPECT_EQ(p.versions[0].status, "draft");
  EXPECT_EQ(p.versions[0].author, "author-1");
  EXPECT_EQ(p.versions[0].source, kFirePlan);
  EXPECT_EQ(p.versions[0].plan.title, "火灾事故应急预案");
  EXPECT_EQ(p.effective(), nullptr);

  // The key is the plan's: a second plan with it is refused.
  EXPECT_EQ(run(CreatePlan{"", kFirePlan, parse(kFirePlan)}, "author-2").status().code(), Code::kConflict);
  // Skipping a step, or moving to a status set only by the engine, is refused.
  EXPECT_EQ(run(ChangePlanVersion{id, 1, "approved", ""}, "approver-1").status().code(), Code::kConflict);
  EXPECT_EQ(run(ChangePlanVersion{id, 1, "under_revision", ""}, "approver-1").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(run(ChangePlanVersion{id, 1, "superseded", ""}, "approver-1").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(run(ChangePlanVersion{id, 2, "submitted", ""}, "author-1").status().code(), Code::kNotFound);
  EXPECT_EQ(run(ChangePlanVersion{"441200-PLN-9", 1, "submitted", ""}, "author-1").status().code(), Code::kNotFound);

  ASSERT_TRUE(run(ChangePlanVersion{id, 1, "submitted", ""}, "author-1").is_ok());
  // The author may not review nor approve their own version.
  auto self = run(ChangePlanVersion{id, 1, "reviewed", ""}, "author-1");
  EXPECT_EQ(self.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(self.status().field(), "to");
  ASSERT_TRUE(run(ChangePlanVersion{id, 1, "reviewed", ""}, "reviewer-1").is_ok());
  EXPECT_EQ(run(ChangePlanVersion{id, 1, "approved", ""}, "author-1").status().code(), Code::kPermissionDenied);
  EXPECT_EQ(plan(id).versions[0].status, "reviewed");
  clock_.advance(kMinute);
  auto ok = run(ChangePlanVersion{id, 1, "approved", "ok"}, "approver-1");
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  EXPECT_EQ(ok->body["effective_version"], 1);

  p = plan(id);
  EXPECT_EQ(p.versions[0].status, "approved");
  ASSERT_NE(p.effective(), nullptr);
  EXPECT_EQ(p.effective()->number, 1u);
  ASSERT_TRUE(p.last_reviewed_at.has_value());
  EXPECT_EQ(*p.last_reviewed_at, clock_.now());
  std::vector<std::string> steps;
  for (const auto& s : p.versions[0].steps) steps.push_back(s.status + "/" + s.by);
  EXPECT_EQ(steps, (std::vector<std::string>{"draft/author-1", "submitted/author-1", "reviewed/reviewer-1",
                                             "approved/approver-1"}));
}

TEST_F(PlanTest, ReturnToDraftNeedsANote) {
  start();
  std::string id = create();
  ASSERT_TRUE(run(ChangePlanVersion{id, 1, "submitted", ""}, "author-1").is_ok());
  auto bare = run(ChangePlanVersion{id, 1, "draft", ""}, "reviewer-1");
  EXPECT_EQ(bare.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(bare.status().field(), "note");
  // While submitted the text is frozen.
  EXPECT_EQ(run(SavePlanDraft{id, kFirePlan, parse(kFirePlan)}, "author-1").status().code(), Code::kConflict);
  ASSERT_TRUE(run(ChangePlanVersion{id, 1, "draft", "the cordon needs a deadline per district"}, "reviewer-1").is_ok());
  PlanRecord p = plan(id);
  EXPECT_EQ(p.versions[0].status, "draft");
  EXPECT_EQ(p.versions[0].steps.back().note, "the cordon needs a deadline per district");
  // A draft is saved over in place (no new version).
  auto saved = run(SavePlanDraft{id, kFirePlan, parse(kFirePlan)}, "author-1");
  ASSERT_TRUE(saved.is_ok()) << saved.status().to_string();
  EXPECT_FALSE(saved->created);
  EXPECT_EQ(plan(id).versions.size(), 1u);
}

TEST_F(PlanTest, RevisionKeepsTheOldVersionInForceUntilTheNewIsApproved) {
  start();
  agencies();
  std::string id = approved_plan();
  std::string v2 = std::string(kFirePlan) + "drill_every_days: 180\n";
  EXPECT_EQ(run(SavePlanDraft{id, v2, parse(std::string(v2).replace(5, 12, "other_key"))}, "author-2")
                .status()
                .field(),
            "key");

  auto saved = run(SavePlanDraft{id, v2, parse(v2)}, "author-2");
  ASSERT_TRUE(saved.is_ok()) << saved.status().to_string();
  EXPECT_TRUE(saved->created);
  PlanRecord p = plan(id);
  ASSERT_EQ(p.versions.size(), 2u);
  EXPECT_EQ(p.versions[0].status, "under_revision");
  EXPECT_EQ(p.versions[1].status, "draft");
  EXPECT_EQ(p.versions[1].author, "author-2");
  EXPECT_EQ(p.versions[1].plan.drill_every_days, 180u);
  // A second save replaces the draft.
  ASSERT_TRUE(run(SavePlanDraft{id, v2, parse(v2)}, "author-2").is_ok());
  EXPECT_EQ(plan(id).versions.size(), 2u);

  // The version under revision still activates.
  std::string inc1 = incident();
  ASSERT_TRUE(confirm(inc1, core::Grade::kIV).is_ok());
  auto acts = activations_of(inc1);
  ASSERT_EQ(acts.size(), 1u);
  EXPECT_EQ(acts[0].plan_version, 1u);

  // Approving v2 (by others than its author) supersedes v1; new activations take v2.
  approve(id, 2, "author-2");
  p = plan(id);
  EXPECT_EQ(p.versions[0].status, "superseded");
  EXPECT_EQ(p.versions[0].steps.back().note, "superseded by v2");
  EXPECT_EQ(p.versions[1].status, "approved");
  EXPECT_EQ(p.effective()->number, 2u);
  std::string inc2 = incident();
  ASSERT_TRUE(confirm(inc2, core::Grade::kIV).is_ok());
  ASSERT_EQ(activations_of(inc2).size(), 1u);
  EXPECT_EQ(activations_of(inc2)[0].plan_version, 2u);
  // The activation of v1 keeps its version.
  EXPECT_EQ(activation(acts[0].id).plan_version, 1u);
  EXPECT_TRUE(activation(acts[0].id).active());
}

TEST_F(PlanTest, OnlyApprovedFiledOrUnderRevisionVersionsActivate) {
  start();
  agencies();
  std::string id = create();
  // A draft does not activate; nor does a submitted or reviewed version.
  std::string inc = incident();
  ASSERT_TRUE(confirm(inc, core::Grade::kIV).is_ok());
  EXPECT_TRUE(activations_of(inc).empty());
  ASSERT_TRUE(run(ChangePlanVersion{id, 1, "submitted", ""}, "author-1").is_ok());
  ASSERT_TRUE(run(ChangePlanVersion{id, 1, "reviewed", ""}, "reviewer-1").is_ok());
  inc = incident();
  ASSERT_TRUE(confirm(inc, core::Grade::kIV).is_ok());
  EXPECT_TRUE(activations_of(inc).empty());
  // By hand neither.
  auto manual = run(ActivatePlan{inc, id, "IV", "big smoke"});
  EXPECT_EQ(manual.status().code(), Code::kConflict);
  EXPECT_EQ(manual.status().field(), "plan_id");

  ASSERT_TRUE(run(ChangePlanVersion{id, 1, "approved", ""}, "approver-1").is_ok());
  ASSERT_TRUE(run(ChangePlanVersion{id, 1, "filed", "备案 2026-12"}, "approver-1").is_ok());
  inc = incident();
  ASSERT_TRUE(confirm(inc, core::Grade::kIV).is_ok());
  EXPECT_EQ(activations_of(inc).size(), 1u) << "a filed version activates";

  ASSERT_TRUE(run(ChangePlanVersion{id, 1, "retired", "replaced by the county plan"}, "approver-1").is_ok());
  EXPECT_TRUE(plan(id).retired());
  inc = incident();
  ASSERT_TRUE(confirm(inc, core::Grade::kIV).is_ok());
  EXPECT_TRUE(activations_of(inc).empty()) << "a retired plan does not activate";
  EXPECT_EQ(run(SavePlanDraft{id, kFirePlan, parse(kFirePlan)}, "author-1").status().code(), Code::kConflict);
}

// --- Activation on the confirmed grade -----------------------------------------------------------

TEST_F(PlanTest, ConfirmedGradeActivatesTheMatchingLevel) {
  start();
  agencies();
  std::string plan_id = approved_plan();
  clock_.advance(5 * kMinute);
  std::string inc = incident();
  // A proposed grade (IV here) activates nothing until a person confirms it.
  ASSERT_TRUE(incident_rec(inc).proposed_grade.has_value());
  EXPECT_TRUE(activations_of(inc).empty());
  EXPECT_TRUE(run(UpdateIncident{inc, json{{"figures", {{"injuries", 2}}}}}).is_ok());
  EXPECT_TRUE(activations_of(inc).empty());

  clock_.advance(kMinute);
  const core::Timestamp t0 = clock_.now();
  size_t before = journal_.size();
  auto r = confirm(inc, core::Grade::kIV);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(types(events_since(before)),
            (std::vector<std::string>{"incident.grade_confirmed", "activation.started", "task.created", "task.created",
                                      "notification.sent"}));

  auto acts = activations_of(inc);
  ASSERT_EQ(acts.size(), 1u);
  const Activation& a = acts[0];
  EXPECT_EQ(a.id, "441200-ACT-1");
  EXPECT_EQ(a.plan_id, plan_id);
  EXPECT_EQ(a.plan_version, 1u);
  EXPECT_EQ(a.level, "IV");
  EXPECT_EQ(a.status, "active");
  EXPECT_TRUE(a.automatic);
  EXPECT_FALSE(a.exercise);
  EXPECT_EQ(a.jurisdiction, "441202");
  EXPECT_EQ(a.activated_at, t0);
  EXPECT_EQ(a.lead, "fire");
  EXPECT_EQ(a.command_post, "区级现场指挥部");
  EXPECT_EQ(a.forces, (std::vector<plans::Force>{{"engine", 2, {}}}));
  ASSERT_EQ(a.reports_due.size(), 1u);
  EXPECT_EQ(a.reports_due[0].type, "initial");
  EXPECT_EQ(a.reports_due[0].recipient_level, "county");
  EXPECT_EQ(a.reports_due[0].due_at, t0 + 60 * kMinute);
  ASSERT_EQ(a.history.size(), 1u);
  EXPECT_EQ(a.history[0].to, "IV");
  EXPECT_EQ(a.history[0].by, "commander-1");
  EXPECT_EQ(a.history[0].reason, "grade confirmed IV");

  auto tasks = tasks_of(a.id);
  ASSERT_EQ(tasks.size(), 2u);
  const Task& respond = tasks["respond"];
  EXPECT_EQ(respond.id, "441200-TSK-1");
  EXPECT_EQ(respond.status, "open");
  EXPECT_EQ(respond.level, "IV");
  EXPECT_EQ(respond.owner, "fire");
  EXPECT_EQ(respond.agency_id, "441200-AGY-1");  // the fire agency of the city above the district
  EXPECT_EQ(respond.role, "duty_officer");
  EXPECT_EQ(respond.description, "出动灭火");
  EXPECT_EQ(respond.incident_id, inc);
  EXPECT_EQ(respond.created_at, t0);
  EXPECT_EQ(respond.deadline, t0 + 15 * kMinute);
  EXPECT_FALSE(respond.exercise);
  EXPECT_EQ(tasks["cordon"].agency_id, "441200-AGY-2");  // the district's police
  EXPECT_EQ(tasks["cordon"].deadline, t0 + 30 * kMinute);

  auto ns = notifications();
  ASSERT_EQ(ns.size(), 1u);
  EXPECT_EQ(ns[0].role, "duty_officer");
  EXPECT_EQ(ns[0].channel, "console");
  EXPECT_EQ(ns[0].delivery, "logged");
  EXPECT_FALSE(ns[0].exercise);
  EXPECT_EQ(ns[0].activation_id, a.id);
  EXPECT_EQ(ns[0].incident_id, inc);
  EXPECT_EQ(ns[0].at, t0);
  EXPECT_NE(ns[0].message.find("火灾事故应急预案 IV级响应"), std::string::npos) << ns[0].message;

  // The incident's timeline says so.
  bool noted = false;
  for (const auto& e : incident_rec(inc).timeline)
    noted |= e.summary.find("plan " + plan_id + " v1 activated at level IV (on the confirmed grade)") != std::string::npos;
  EXPECT_TRUE(noted);

  // Confirming the same grade again changes nothing.
  before = journal_.size();
  ASSERT_TRUE(confirm(inc, core::Grade::kIV).is_ok());
  EXPECT_EQ(types(events_since(before)), std::vector<std::string>{"incident.grade_confirmed"});
}

TEST_F(PlanTest, RegradeUpAddsOnlyTheNewTasksAndDownStandsThemDown) {
  start();
  agencies();
  approved_plan();
  std::string inc = incident();
  const core::Timestamp t0 = clock_.now();
  ASSERT_TRUE(confirm(inc, core::Grade::kIV).is_ok());
  std::string act = activations_of(inc)[0].id;
  auto at_iv = tasks_of(act);

  clock_.advance(7 * kMinute);
  const core::Timestamp t1 = clock_.now();
  size_t before = journal_.size();
  ASSERT_TRUE(confirm(inc, core::Grade::kII, "the fire spread to the warehouse").is_ok());
  EXPECT_EQ(types(events_since(before)),
            (std::vector<std::string>{"incident.grade_confirmed", "activation.level_changed", "task.created",
                                      "task.created", "notification.sent"}));
  Activation a = activation(act);
  EXPECT_EQ(a.level, "II");
  EXPECT_EQ(a.status, "active");
  EXPECT_EQ(a.command_post, "市级现场指挥部");
  EXPECT_EQ(a.forces, (std::vector<plans::Force>{{"engine", 4, {}}, {"ladder", 1, {"aerial_32m"}}}));
  ASSERT_EQ(a.reports_due.size(), 2u);  // the county's from IV, the city's from II
  EXPECT_EQ(a.reports_due[1].recipient_level, "city");
  EXPECT_EQ(a.reports_due[1].due_at, t1 + 30 * kMinute);
  EXPECT_EQ(a.reports_due[1].level, "II");
  ASSERT_EQ(a.history.size(), 2u);
  EXPECT_EQ(a.history[1].from, "IV");
  EXPECT_EQ(a.history[1].to, "II");
  EXPECT_EQ(a.history[1].reason, "grade confirmed II");

  auto tasks = tasks_of(act);
  ASSERT_EQ(a.task_ids.size(), 4u);
  // Common keys stay, with their deadlines from level IV.
  EXPECT_EQ(tasks["respond"].id, at_iv["respond"].id);
  EXPECT_EQ(tasks["respond"].deadline, t0 + 15 * kMinute);
  EXPECT_EQ(tasks["respond"].level, "IV");
  EXPECT_EQ(tasks["cordon"].deadline, t0 + 30 * kMinute);
  // New ones count from the level change.
  EXPECT_EQ(tasks["evacuate"].level, "II");
  EXPECT_EQ(tasks["evacuate"].deadline, t1 + 30 * kMinute);
  EXPECT_EQ(tasks["evacuate"].status, "waiting");  // after the cordon, still open
  EXPECT_EQ(tasks["evacuate"].depends_on, std::vector<std::string>{at_iv["cordon"].id});
  EXPECT_EQ(tasks["hospital"].deadline, t1 + 45 * kMinute);
  EXPECT_EQ(tasks["hospital"].role, "incident_commander");
  EXPECT_EQ(tasks["hospital"].agency_id, "");  // no health agency registered
  auto ns = notifications();
  ASSERT_EQ(ns.size(), 2u);
  EXPECT_EQ(ns[1].role, "supervisor");
  EXPECT_EQ(ns[1].channel, "phone");
  EXPECT_NE(ns[1].message.find("（升级）"), std::string::npos) << ns[1].message;

  // Down again: the tasks level IV lacks are stood down with the reason.
  clock_.advance(kMinute);
  before = journal_.size();
  ASSERT_TRUE(confirm(inc, core::Grade::kIV, "contained to one floor").is_ok());
  EXPECT_EQ(types(events_since(before)),
            (std::vector<std::string>{"incident.grade_confirmed", "task.stood_down", "task.stood_down",
                                      "activation.level_changed", "notification.sent"}));
  tasks = tasks_of(act);
  EXPECT_EQ(activation(act).level, "IV");
  EXPECT_EQ(activation(act).forces, (std::vector<plans::Force>{{"engine", 2, {}}}));
  EXPECT_EQ(tasks["evacuate"].status, "stood_down");
  ASSERT_FALSE(tasks["evacuate"].notes.empty());
  EXPECT_EQ(tasks["evacuate"].notes.back().action, "stand_down");
  EXPECT_EQ(tasks["evacuate"].notes.back().text, "level II → IV (grade confirmed IV)");
  EXPECT_EQ(tasks["hospital"].status, "stood_down");
  EXPECT_EQ(tasks["respond"].status, "open");
  EXPECT_EQ(tasks["cordon"].status, "open");
  EXPECT_NE(notifications().back().message.find("（降级）"), std::string::npos);

  // Up again: the stood-down tasks come back as new tasks.
  ASSERT_TRUE(confirm(inc, core::Grade::kII, "it spread again").is_ok());
  EXPECT_EQ(activation(act).task_ids.size(), 6u);
  EXPECT_EQ(tasks_of(act)["evacuate"].status, "waiting");

  // A grade no level has stands the activation down, with every unfinished task.
  clock_.advance(kMinute);
  before = journal_.size();
  ASSERT_TRUE(confirm(inc, core::Grade::kIII, "re-assessed").is_ok());
  auto evs = events_since(before);
  ASSERT_FALSE(evs.empty());
  EXPECT_EQ(evs.back().type, "activation.stood_down");
  EXPECT_EQ(evs.back().data["reason"], "grade III meets no level of the plan");
  a = activation(act);
  EXPECT_EQ(a.status, "stood_down");
  EXPECT_EQ(a.level, "");
  EXPECT_EQ(utc(a.stood_down_at), utc(clock_.now()));
  for (const auto& [key, t] : tasks_of(act)) {
    EXPECT_EQ(t.status, "stood_down") << key;
    EXPECT_EQ(t.notes.back().text, "stood down: grade III meets no level of the plan") << key;
  }
  // Nothing of it is left to fire.
  advance_expect_nothing(24 * 60 * kMinute);
}

TEST_F(PlanTest, TheBestFittingPlanActivatesOutOfScopeOnesDoNot) {
  start();
  agencies();
  std::string general = approved_plan();
  // A plan for another type, and one for this district that beats the general one.
  std::string other = create(R"(key: flood
title: 防汛预案
owner: water
scope: {types: [flood]}
levels:
  IV:
    when: {grades: [IV]}
    lead: water
    tasks:
      sandbags: {owner: water, description: 沙袋, deadline: 1h}
)");
  approve(other);
  std::string district = create(R"(key: fire_huicheng
title: 惠城区火灾预案
owner: fire
scope: {types: [fire], jurisdictions: ["441202"]}
levels:
  IV:
    when: {grades: [IV]}
    lead: fire
    tasks:
      respond: {owner: fire, description: 出动, deadline: 10m}
)");
  approve(district);
  std::string inc = incident("441202");
  ASSERT_TRUE(confirm(inc, core::Grade::kIV).is_ok());
  auto acts = activations_of(inc);
  ASSERT_EQ(acts.size(), 1u);
  EXPECT_EQ(acts[0].plan_id, district);
  // Outside that district the general plan applies.
  std::string inc2 = incident("441200");
  ASSERT_TRUE(confirm(inc2, core::Grade::kIV).is_ok());
  acts = activations_of(inc2);
  ASSERT_EQ(acts.size(), 1u);
  EXPECT_EQ(acts[0].plan_id, general);
}

// --- Deadlines ---------------------------------------------------------------------------------

TEST_F(PlanTest, OverdueAtTheExactDeadlineEscalatesOneRoleUp) {
  start();
  agencies();
  approved_plan();
  std::string inc = incident();
  const core::Timestamp t0 = clock_.now();
  ASSERT_TRUE(confirm(inc, core::Grade::kII, "big").is_ok());
  std::string act = activations_of(inc)[0].id;
  auto tasks = tasks_of(act);
  ASSERT_EQ(tasks.size(), 4u);
  ASSERT_EQ(tasks["respond"].deadline, t0 + 10 * kMinute);

  // Nothing is due: pokes and explicit checks produce nothing.
  advance_expect_nothing(kMinute);
  advance_expect_nothing(kMs);
  // The cordon is done early: it never goes overdue.
  ASSERT_TRUE(run(UpdateTask{tasks["cordon"].id, "complete", "tape up"}, "police-1").is_ok());

  // One millisecond before the deadline: nothing.
  clock_.set(t0 + 10 * kMinute - kMs);
  advance_expect_nothing(core::Millis{0});
  EXPECT_FALSE(task(tasks["respond"].id).overdue_at.has_value());

  // At the deadline: the task is overdue and escalated from duty_officer to incident_commander.
  auto evs = advance_and_fire(kMs);
  ASSERT_EQ(types(evs), (std::vector<std::string>{"task.overdue", "notification.sent"}));
  EXPECT_EQ(evs[0].time, t0 + 10 * kMinute);
  EXPECT_EQ(evs[0].data["task_id"], tasks["respond"].id);
  EXPECT_EQ(evs[0].data["escalated_to"], "incident_commander");
  EXPECT_EQ(evs[0].data["deadline"], utc(t0 + 10 * kMinute));
  EXPECT_EQ(evs[0].data["by"], "system");
  Task respond = task(tasks["respond"].id);
  EXPECT_EQ(respond.status, "open");  // overdue is a flag, not a status
  ASSERT_TRUE(respond.overdue_at.has_value());
  EXPECT_EQ(*respond.overdue_at, t0 + 10 * kMinute);
  EXPECT_EQ(respond.escalated_to, "incident_commander");
  Notification n = notifications().back();
  EXPECT_EQ(n.role, "incident_commander");
  EXPECT_EQ(n.task_id, respond.id);
  EXPECT_EQ(n.delivery, "logged");
  EXPECT_EQ(n.at, t0 + 10 * kMinute);
  EXPECT_NE(n.message.find("任务超时"), std::string::npos);

  // It fires once: later pokes produce nothing, nor does the completed cordon at its deadline.
  advance_expect_nothing(kMinute);
  clock_.set(t0 + 20 * kMinute - kMs);
  advance_expect_nothing(core::Millis{0});
  advance_expect_nothing(kMs);  // the cordon's deadline passes: completed, nothing
  EXPECT_FALSE(task(tasks["cordon"].id).overdue_at.has_value());

  // The evacuation (released when the cordon completed) is overdue at its own deadline; the
  // hospital's role is incident_commander, escalated to supervisor.
  clock_.set(t0 + 30 * kMinute - kMs);
  advance_expect_nothing(core::Millis{0});
  evs = advance_and_fire(kMs);
  ASSERT_EQ(types(evs), (std::vector<std::string>{"task.overdue", "notification.sent"}));
  EXPECT_EQ(evs[0].data["task_id"], tasks["evacuate"].id);
  clock_.set(t0 + 45 * kMinute - kMs);
  advance_expect_nothing(core::Millis{0});
  evs = advance_and_fire(kMs);
  ASSERT_EQ(types(evs), (std::vector<std::string>{"task.overdue", "notification.sent"}));
  EXPECT_EQ(evs[0].data["escalated_to"], "supervisor");
  EXPECT_EQ(notifications().back().role, "supervisor");

  // A task completed after its deadline keeps its overdue mark and is noted late.
  ASSERT_TRUE(run(UpdateTask{respond.id, "complete", ""}, "fire-1").is_ok());
  respond = task(respond.id);
  EXPECT_EQ(respond.status, "completed");
  EXPECT_TRUE(respond.overdue_at.has_value());
  bool late = false;
  for (const auto& e : incident_rec(inc).timeline) late |= e.summary == "task respond completed (late)";
  EXPECT_TRUE(late);
  advance_expect_nothing(24 * 60 * kMinute);
}

TEST_F(PlanTest, SeveralTasksDueAtOnceFireInOneRound) {
  start();
  agencies();
  approved_plan();
  std::string inc = incident();
  const core::Timestamp t0 = clock_.now();
  ASSERT_TRUE(confirm(inc, core::Grade::kIV).is_ok());
  // Both tasks of level IV (15 and 30 minutes) are overdue when the clock jumps past both.
  clock_.set(t0 + 31 * kMinute);
  auto evs = advance_and_fire(core::Millis{0});
  EXPECT_EQ(types(evs), (std::vector<std::string>{"task.overdue", "notification.sent", "task.overdue",
                                                  "notification.sent"}));
  for (const auto& e : evs) EXPECT_EQ(e.time, t0 + 31 * kMinute);
}

// --- Tasks and their dependencies --------------------------------------------------------------

TEST_F(PlanTest, WaitingTaskRefusesActionsUntilItsPredecessorCompletes) {
  start();
  agencies();
  approved_plan();
  std::string inc = incident();
  const core::Timestamp t0 = clock_.now();
  ASSERT_TRUE(confirm(inc, core::Grade::kII, "big").is_ok());
  auto tasks = tasks_of(activations_of(inc)[0].id);
  const std::string cordon = tasks["cordon"].id, evacuate = tasks["evacuate"].id;
  EXPECT_EQ(tasks["evacuate"].status, "waiting");
  EXPECT_EQ(tasks["evacuate"].depends_on, std::vector<std::string>{cordon});

  for (const char* action : {"accept", "start", "complete"}) {
    auto r = run(UpdateTask{evacuate, action, ""}, "police-1");
    EXPECT_EQ(r.status().code(), Code::kConflict) << action;
    EXPECT_EQ(r.status().message(), "task " + evacuate + " waits for " + cordon + " (cordon)") << action;
  }
  // A note is always welcome.
  ASSERT_TRUE(run(UpdateTask{evacuate, "note", "buses ordered"}, "police-1").is_ok());
  EXPECT_EQ(run(UpdateTask{evacuate, "note", ""}, "police-1").status().field(), "note");
  EXPECT_EQ(run(UpdateTask{evacuate, "finish", ""}, "police-1").status().field(), "action");
  EXPECT_EQ(run(UpdateTask{"441200-TSK-99", "accept", ""}, "police-1").status().code(), Code::kNotFound);

  // The cordon: accept → start → complete, with times; completing it releases the evacuation.
  clock_.advance(kMinute);
  auto acc = run(UpdateTask{cordon, "accept", ""}, "police-1");
  ASSERT_TRUE(acc.is_ok()) << acc.status().to_string();
  EXPECT_EQ(acc->body["status"], "accepted");
  EXPECT_EQ(run(UpdateTask{cordon, "accept", ""}, "police-1").status().code(), Code::kConflict);
  clock_.advance(kMinute);
  ASSERT_TRUE(run(UpdateTask{cordon, "start", ""}, "police-1").is_ok());
  clock_.advance(kMinute);
  size_t before = journal_.size();
  auto done = run(UpdateTask{cordon, "complete", "tape up"}, "police-1");
  ASSERT_TRUE(done.is_ok()) << done.status().to_string();
  auto evs = events_since(before);
  ASSERT_EQ(types(evs), (std::vector<std::string>{"task.updated", "task.released"}));
  EXPECT_EQ(evs[1].data["task_id"], evacuate);
  EXPECT_EQ(evs[1].data["after"], cordon);
  Task c = task(cordon);
  EXPECT_EQ(c.status, "completed");
  EXPECT_EQ(utc(c.accepted_at), utc(t0 + kMinute));
  EXPECT_EQ(utc(c.started_at), utc(t0 + 2 * kMinute));
  EXPECT_EQ(utc(c.completed_at), utc(t0 + 3 * kMinute));
  EXPECT_EQ(task(evacuate).status, "open");
  EXPECT_EQ(task(evacuate).notes.back().action, "release");
  // Finished tasks refuse everything but a note... and a note too.
  EXPECT_EQ(run(UpdateTask{cordon, "start", ""}, "police-1").status().code(), Code::kConflict);
  EXPECT_EQ(run(UpdateTask{cordon, "note", "x"}, "police-1").status().code(), Code::kConflict);

  // Start without accepting: accepted_at is set with it.
  ASSERT_TRUE(run(UpdateTask{evacuate, "start", ""}, "police-1").is_ok());
  EXPECT_EQ(utc(task(evacuate).accepted_at), utc(clock_.now()));
  EXPECT_EQ(task(evacuate).status, "in_progress");
  EXPECT_EQ(run(UpdateTask{evacuate, "accept", ""}, "police-1").status().code(), Code::kConflict);
  ASSERT_TRUE(run(UpdateTask{evacuate, "complete", ""}, "police-1").is_ok());
}

// --- Activation by hand, level changes, stand-down ----------------------------------------------

TEST_F(PlanTest, ManualActivationNeedsAReasonAndAnApprovedPlan) {
  start();
  agencies();
  std::string id = approved_plan();
  std::string inc = incident();
  auto no_reason = run(ActivatePlan{inc, id, "II", ""});
  EXPECT_EQ(no_reason.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(no_reason.status().field(), "reason");
  EXPECT_EQ(run(ActivatePlan{inc, id, "V", "x"}).status().field(), "level");
  EXPECT_EQ(run(ActivatePlan{inc, id, "III", "x"}).status().field(), "level");  // the plan has no III
  EXPECT_EQ(run(ActivatePlan{inc, "441200-PLN-9", "II", "x"}).status().code(), Code::kNotFound);
  EXPECT_EQ(run(ActivatePlan{"441200-INC-99", id, "II", "x"}).status().code(), Code::kNotFound);

  const core::Timestamp t0 = clock_.now();
  auto r = run(ActivatePlan{inc, id, "II", "chemical store next door"});
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_TRUE(r->created);
  EXPECT_EQ(r->body["level"], "II");
  EXPECT_EQ(r->body["automatic"], false);
  EXPECT_EQ(r->body["tasks"].size(), 4u);
  std::string act = r->body["id"];
  EXPECT_EQ(activation(act).history[0].reason, "chemical store next door");
  EXPECT_EQ(activation(act).history[0].by, "duty-1");
  EXPECT_EQ(tasks_of(act)["respond"].deadline, t0 + 10 * kMinute);
  // Activating the same level again answers the activation, unchanged.
  size_t before = journal_.size();
  auto again = run(ActivatePlan{inc, id, "II", "again"});
  ASSERT_TRUE(again.is_ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(journal_.size(), before);

  // A level set by hand stays when a grade is confirmed.
  before = journal_.size();
  ASSERT_TRUE(confirm(inc, core::Grade::kIV).is_ok());
  EXPECT_EQ(types(events_since(before)), std::vector<std::string>{"incident.grade_confirmed"});
  EXPECT_EQ(activation(act).level, "II");

  // Activating the plan at another level changes the level of its activation.
  auto down = run(ActivatePlan{inc, id, "IV", "smaller than feared"});
  ASSERT_TRUE(down.is_ok()) << down.status().to_string();
  EXPECT_FALSE(down->created);
  EXPECT_EQ(down->body["id"], act);
  EXPECT_EQ(activation(act).level, "IV");
  EXPECT_EQ(activations_of(inc).size(), 1u);
}

TEST_F(PlanTest, LevelChangeAndStandDownByHand) {
  start();
  agencies();
  approved_plan();
  std::string inc = incident();
  ASSERT_TRUE(confirm(inc, core::Grade::kIV).is_ok());
  std::string act = activations_of(inc)[0].id;

  EXPECT_EQ(run(ChangeActivationLevel{act, "II", ""}).status().field(), "reason");
  EXPECT_EQ(run(ChangeActivationLevel{act, "III", "x"}).status().field(), "level");
  EXPECT_EQ(run(ChangeActivationLevel{"441200-ACT-9", "II", "x"}).status().code(), Code::kNotFound);
  auto up = run(ChangeActivationLevel{act, "II", "wind picked up"}, "commander-1");
  ASSERT_TRUE(up.is_ok()) << up.status().to_string();
  EXPECT_EQ(up->body["level"], "II");
  EXPECT_EQ(up->body["tasks"].size(), 4u);
  Activation a = activation(act);
  EXPECT_EQ(a.history.back().reason, "wind picked up");
  EXPECT_EQ(a.history.back().by, "commander-1");
  // Same level: nothing happens.
  size_t before = journal_.size();
  ASSERT_TRUE(run(ChangeActivationLevel{act, "II", "again"}).is_ok());
  EXPECT_EQ(journal_.size(), before);

  EXPECT_EQ(run(StandDown{act, ""}).status().field(), "reason");
  ASSERT_TRUE(run(UpdateTask{tasks_of(act)["respond"].id, "complete", ""}, "fire-1").is_ok());
  before = journal_.size();
  auto sd = run(StandDown{act, "fire out"}, "commander-1");
  ASSERT_TRUE(sd.is_ok()) << sd.status().to_string();
  // The three unfinished tasks, then the activation.
  EXPECT_EQ(types(events_since(before)), (std::vector<std::string>{"task.stood_down", "task.stood_down",
                                                                   "task.stood_down", "activation.stood_down"}));
  a = activation(act);
  EXPECT_EQ(a.status, "stood_down");
  EXPECT_EQ(a.history.back().from, "II");
  EXPECT_EQ(a.history.back().to, "");
  EXPECT_EQ(a.history.back().reason, "fire out");
  auto tasks = tasks_of(act);
  EXPECT_EQ(tasks["respond"].status, "completed");
  EXPECT_EQ(tasks["cordon"].notes.back().text, "stood down: fire out");
  // A stood-down activation takes no more changes.
  EXPECT_EQ(run(StandDown{act, "again"}).status().code(), Code::kConflict);
  EXPECT_EQ(run(ChangeActivationLevel{act, "IV", "x"}).status().code(), Code::kConflict);
  // Nothing fires for it later.
  advance_expect_nothing(24 * 60 * kMinute);
}

// An automatic activation whose level a person set keeps that level when a grade is confirmed
// later, as one activated by hand does (docs/API.md "Activation").
TEST_F(PlanTest, ALevelSetByHandStaysWhenAGradeIsConfirmed) {
  start();
  agencies();
  std::string plan_id = approved_plan();
  for (bool through_activate : {false, true}) {
    std::string inc = incident();
    ASSERT_TRUE(confirm(inc, core::Grade::kIV).is_ok());
    std::string act = activations_of(inc)[0].id;
    ASSERT_TRUE(activation(act).automatic);
    auto up = through_activate ? run(ActivatePlan{inc, plan_id, "II", "chemical store next door"}, "commander-1")
                               : run(ChangeActivationLevel{act, "II", "chemical store next door"}, "commander-1");
    ASSERT_TRUE(up.is_ok()) << up.status().to_string();
    EXPECT_EQ(up->body["automatic"], false);
    EXPECT_FALSE(activation(act).automatic);

    size_t before = journal_.size();
    ASSERT_TRUE(confirm(inc, core::Grade::kIV).is_ok());
    EXPECT_EQ(types(events_since(before)), std::vector<std::string>{"incident.grade_confirmed"});
    EXPECT_EQ(activation(act).level, "II");
    ASSERT_TRUE(confirm(inc, core::Grade::kIII, "re-assessed").is_ok());
    EXPECT_EQ(activation(act).status, "active");
    EXPECT_EQ(activation(act).level, "II");
    EXPECT_EQ(tasks_of(act)["evacuate"].status, "waiting");
  }
  // The flag survives a restart (it is in the journal).
  e_->stop();
  journal_.drop_snapshot();
  start();
  EXPECT_FALSE(activation("441200-ACT-1").automatic);
}

TEST_F(PlanTest, ClosingTheIncidentStandsItsActivationsDown) {
  start();
  agencies();
  approved_plan();
  std::string inc = incident();
  ASSERT_TRUE(confirm(inc, core::Grade::kIV).is_ok());
  std::string act = activations_of(inc)[0].id;
  size_t before = journal_.size();
  ASSERT_TRUE(run(ChangeStatus{inc, "closed", "out"}).is_ok());
  EXPECT_EQ(types(events_since(before)), (std::vector<std::string>{"task.stood_down", "task.stood_down",
                                                                   "activation.stood_down",
                                                                   "incident.status_changed"}));
  EXPECT_EQ(activation(act).status, "stood_down");
  EXPECT_EQ(activation(act).history.back().reason, "incident closed");
  // A closed incident takes no activation.
  EXPECT_EQ(run(ActivatePlan{inc, activation(act).plan_id, "IV", "x"}).status().code(), Code::kConflict);
  advance_expect_nothing(24 * 60 * kMinute);
}

TEST_F(PlanTest, MergingAnIncidentAwayStandsItsActivationDown) {
  start();
  agencies();
  approved_plan();
  std::string a = incident(), b = incident();
  ASSERT_TRUE(confirm(b, core::Grade::kIV).is_ok());
  std::string act = activations_of(b)[0].id;
  ASSERT_TRUE(run(MergeIncidents{a, b}).is_ok());
  EXPECT_EQ(activation(act).status, "stood_down");
  EXPECT_EQ(activation(act).history.back().reason, "merged into " + a);
}

// --- Drills ------------------------------------------------------------------------------------

TEST_F(PlanTest, DrillIsAnExerciseWithInjectsOnTheClock) {
  start();
  agencies();
  std::string plan_id = approved_plan();
  Unit u;
  u.jurisdiction = "441200";
  u.call_sign = "E1";
  u.type = "engine";
  auto unit = run(RegisterUnit{u}, "admin");
  ASSERT_TRUE(unit.is_ok()) << unit.status().to_string();

  StartDrill d;
  d.plan_id = plan_id;
  d.level = "IV";
  d.location = core::LonLat{114.40, 23.10};
  d.address = "演练场";
  d.injects = {{60 * kSecond, "task", json{{"task", "respond"}, {"do", "complete"}}, false},
               {120 * kSecond, "confirm_grade", json{{"grade", "II"}}, false},
               {180 * kSecond, "figures", json{{"figures", {{"injuries", 4}}}}, false},
               {240 * kSecond, "note", json{{"text", "媒体到场"}}, false},
               {300 * kSecond, "task", json{{"task", "nothing"}, {"do", "complete"}}, false}};
  EXPECT_EQ(run(StartDrill{plan_id, "III", "", "", "", {}, "", {}}).status().field(), "level");
  StartDrill bad = d;
  bad.injects[1].action = "explode";
  EXPECT_EQ(run(bad).status().field(), "injects[1].action");

  const core::Timestamp t0 = clock_.now();
  auto r = run(d, "trainer-1");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_TRUE(r->created);
  std::string inc = r->body["incident"]["id"], act = r->body["id"];
  EXPECT_EQ(r->body["exercise"], true);
  EXPECT_EQ(r->body["level"], "IV");
  Incident drill = incident_rec(inc);
  EXPECT_TRUE(drill.exercise);
  EXPECT_EQ(drill.type, "fire");
  EXPECT_EQ(drill.status, "verified");
  ASSERT_TRUE(drill.confirmed_grade.has_value());
  EXPECT_EQ(*drill.confirmed_grade, core::Grade::kIV);
  EXPECT_TRUE(plan(plan_id).last_drilled_at.has_value());
  for (const auto& [key, t] : tasks_of(act)) EXPECT_TRUE(t.exercise) << key;
  ASSERT_EQ(notifications().size(), 1u);
  EXPECT_TRUE(notifications()[0].exercise);
  EXPECT_EQ(notifications()[0].delivery, "suppressed_exercise");

  // Real units are never sent to a drill; a real alarm at the same place is a new incident.
  auto sent = run(DispatchUnits{inc, {{unit->body["id"].get<std::string>(), std::nullopt}}, false});
  EXPECT_EQ(sent.status().code(), Code::kConflict);
  ReportAlarm real;
  real.channel = "119";
  real.reported_at = clock_.now();
  real.location = d.location;
  real.type = "fire";
  real.description = "真的着火了";
  auto alarm = run(real, "calltaker-1");
  ASSERT_TRUE(alarm.is_ok());
  EXPECT_EQ(alarm->body["joined"], false);
  EXPECT_NE(alarm->body["incident_id"], inc);

  // Nothing before the first inject's time.
  advance_expect_nothing(60 * kSecond - kMs);
  auto evs = advance_and_fire(kMs);
  ASSERT_EQ(types(evs), (std::vector<std::string>{"drill.inject", "task.updated"}));
  EXPECT_EQ(evs[0].data["summary"], "task respond complete");
  Task respond = tasks_of(act)["respond"];
  EXPECT_EQ(respond.status, "completed");
  ASSERT_TRUE(respond.completed_at.has_value());
  EXPECT_EQ(*respond.completed_at, t0 + 60 * kSecond);
  EXPECT_EQ(respond.notes.back().text, "drill inject");

  // Grade II: the level changes, the new tasks are exercises too.
  evs = advance_and_fire(60 * kSecond);
  EXPECT_EQ(types(evs), (std::vector<std::string>{"drill.inject", "incident.grade_confirmed", "activation.level_changed",
                                                  "task.created", "task.created", "notification.sent"}));
  EXPECT_EQ(activation(act).level, "II");
  for (const auto& [key, t] : tasks_of(act)) EXPECT_TRUE(t.exercise) << key;
  EXPECT_EQ(tasks_of(act)["hospital"].deadline, t0 + 120 * kSecond + 45 * kMinute);
  for (const auto& n : notifications())
    if (n.incident_id == inc) {
      EXPECT_EQ(n.delivery, "suppressed_exercise") << n.id;
    }

  evs = advance_and_fire(60 * kSecond);
  EXPECT_EQ(types(evs), (std::vector<std::string>{"drill.inject", "incident.updated"}));
  EXPECT_EQ(incident_rec(inc).figures.injuries, 4);
  evs = advance_and_fire(60 * kSecond);
  EXPECT_EQ(types(evs), std::vector<std::string>{"drill.inject"});
  EXPECT_EQ(evs[0].data["summary"], "媒体到场");
  // An inject that cannot run is recorded as skipped.
  evs = advance_and_fire(60 * kSecond);
  ASSERT_EQ(types(evs), std::vector<std::string>{"drill.inject"});
  EXPECT_EQ(evs[0].data["summary"], "skipped: no task 'nothing'");
  for (const auto& in : activation(act).injects) EXPECT_TRUE(in.done);

  // Overdue in a drill escalates in exercise mode.
  clock_.set(t0 + 15 * kMinute);  // the cordon's IV deadline is 30m, hospital 45m after 2m
  advance_expect_nothing(core::Millis{0});
  clock_.set(t0 + 30 * kMinute);
  evs = advance_and_fire(core::Millis{0});
  ASSERT_EQ(types(evs), (std::vector<std::string>{"task.overdue", "notification.sent"}));
  EXPECT_EQ(notifications().back().delivery, "suppressed_exercise");
  EXPECT_TRUE(notifications().back().exercise);

  // The drill's incident never joins the real one's activations.
  EXPECT_TRUE(activations_of(alarm->body["incident_id"].get<std::string>()).empty());
}

// Injects due at the same time run in the order they were given, also past the tenth.
TEST_F(PlanTest, InjectsDueTogetherRunInTheirOrder) {
  start();
  std::string plan_id = approved_plan();
  StartDrill d;
  d.plan_id = plan_id;
  d.level = "IV";
  for (int i = 0; i < 11; ++i) d.injects.push_back({kMinute, "note", json{{"text", "n" + std::to_string(i)}}, false});
  d.injects[2] = {kMinute, "confirm_grade", json{{"grade", "II"}}, false};
  d.injects[10] = {kMinute, "task", json{{"task", "hospital"}, {"do", "complete"}}, false};
  auto r = run(d);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  auto evs = advance_and_fire(kMinute);
  std::vector<size_t> order;
  for (const auto& e : evs)
    if (e.type == "drill.inject") order.push_back(e.data["index"].get<size_t>());
  EXPECT_EQ(order, (std::vector<size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(tasks_of(r->body["id"])["hospital"].status, "completed");
}

TEST_F(PlanTest, StandingADrillDownCancelsItsPendingInjects) {
  start();
  std::string plan_id = approved_plan();
  StartDrill d;
  d.plan_id = plan_id;
  d.level = "IV";
  d.injects = {{10 * kMinute, "confirm_grade", json{{"grade", "II"}}, false}};
  auto r = run(d);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  ASSERT_TRUE(run(StandDown{r->body["id"], "exercise over"}).is_ok());
  advance_expect_nothing(24 * 60 * kMinute);
}

// --- Recovery ----------------------------------------------------------------------------------

TEST_F(PlanTest, RestartKeepsPlansActivationsTasksAndTimers) {
  start();
  agencies();
  std::string plan_id = approved_plan();
  std::string inc = incident();
  const core::Timestamp t0 = clock_.now();
  ASSERT_TRUE(confirm(inc, core::Grade::kII, "big").is_ok());
  std::string act = activations_of(inc)[0].id;
  auto tasks = tasks_of(act);
  ASSERT_TRUE(run(UpdateTask{tasks["cordon"].id, "complete", ""}, "police-1").is_ok());
  StartDrill d;
  d.plan_id = plan_id;
  d.level = "IV";
  d.injects = {{12 * kMinute, "task", json{{"task", "cordon"}, {"do", "complete"}}, false}};
  auto drill = run(d);
  ASSERT_TRUE(drill.is_ok()) << drill.status().to_string();
  auto drill_tasks = tasks_of(drill->body["id"]);
  clock_.set(t0 + 10 * kMinute);
  ASSERT_EQ(types(advance_and_fire(core::Millis{0})), (std::vector<std::string>{"task.overdue", "notification.sent"}));

  auto dump = [&] {
    auto v = e_->view();
    json j;
    for (size_t i = 0; i < v->plans.size(); ++i) j["plans"].push_back(to_json(v->plans[i], true));
    for (size_t i = 0; i < v->activations.size(); ++i) j["activations"].push_back(to_json(v->activations[i]));
    for (size_t i = 0; i < v->tasks.size(); ++i) j["tasks"].push_back(to_json(v->tasks[i]));
    for (size_t i = 0; i < v->notifications.size(); ++i) j["notifications"].push_back(to_json(v->notifications[i]));
    return j;
  };
  const json before = dump();
  ASSERT_EQ(before["tasks"].size(), 6u);

  // From the snapshot written at stop.
  e_->stop();
  start();
  EXPECT_EQ(dump(), before);
  // From the journal alone.
  e_->stop();
  journal_.drop_snapshot();
  start();
  EXPECT_EQ(dump(), before);

  // The timers pending before the restart still fire, each at its time: the drill's inject at
  // +12m, the drill's respond at +15m, the evacuation (released with the cordon) at +30m.
  clock_.set(t0 + 12 * kMinute - kMs);
  advance_expect_nothing(core::Millis{0});
  auto evs = advance_and_fire(kMs);
  ASSERT_EQ(types(evs), (std::vector<std::string>{"drill.inject", "task.updated"}));
  EXPECT_EQ(evs[1].data["task_id"], drill_tasks["cordon"].id);
  clock_.set(t0 + 15 * kMinute - kMs);
  advance_expect_nothing(core::Millis{0});
  evs = advance_and_fire(kMs);
  ASSERT_EQ(types(evs), (std::vector<std::string>{"task.overdue", "notification.sent"}));
  EXPECT_EQ(evs[0].data["task_id"], drill_tasks["respond"].id);
  clock_.set(t0 + 30 * kMinute - kMs);
  advance_expect_nothing(core::Millis{0});
  evs = advance_and_fire(kMs);
  ASSERT_EQ(types(evs), (std::vector<std::string>{"task.overdue", "notification.sent"}));
  EXPECT_EQ(evs[0].data["task_id"], tasks["evacuate"].id);

  // A timer that fell due while the node was down fires when it starts.
  e_->stop();
  clock_.set(t0 + 50 * kMinute);
  const size_t n = journal_.size();
  start();
  {
    std::unique_lock lk(mu_);
    ASSERT_TRUE(cv_.wait_for(lk, std::chrono::seconds(30), [&] { return heard_ > n; }));
  }
  ASSERT_TRUE(run(FireTimers{}, "system").is_ok());
  evs = events_since(n);
  ASSERT_EQ(types(evs), (std::vector<std::string>{"task.overdue", "notification.sent"}));
  EXPECT_EQ(evs[0].data["task_id"], tasks["hospital"].id);
}

// --- Findings ----------------------------------------------------------------------------------

TEST_F(PlanTest, FindingsAreKeptOnThePlan) {
  start();
  std::string id = approved_plan();
  std::string inc = incident();
  EXPECT_EQ(run(AddPlanFinding{id, inc, ""}).status().field(), "text");
  EXPECT_EQ(run(AddPlanFinding{id, "441200-INC-99", "x"}).status().code(), Code::kNotFound);
  auto r = run(AddPlanFinding{id, inc, "警戒组到场晚 5 分钟"}, "reviewer-1");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  PlanRecord p = plan(id);
  ASSERT_EQ(p.findings.size(), 1u);
  EXPECT_EQ(p.findings[0].by, "reviewer-1");
  EXPECT_EQ(p.findings[0].incident_id, inc);
  EXPECT_EQ(p.findings[0].text, "警戒组到场晚 5 分钟");
}

}  // namespace
}  // namespace liandong::engine
