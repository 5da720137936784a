// The report commands and duties through Engine::execute over a MemoryJournal, on a fake clock:
// the default rules create each obligation with its deadline (production safety up the chain as
// reports arrive and the grade reaches, environmental tightened by a grade I/II confirmation,
// public health), stricter local rules win, the daily report falls due at 08:00 Beijing time,
// a deadline is overdue at its exact instant (escalated, the next daily duty created), a late report
// is recorded with its delay, a report lacking elements is refused naming each, corrections are new
// versions naming what changed, the receiving level receives or returns, and all of it survives a
// restart and a snapshot.
#include <gtest/gtest.h>

#include "engine/engine.h"
#include "engine/state.h"
#include "engine/testing/memory_journal.h"
#include "plans/parse.h"
#include "reports/rules.h"

namespace liandong::engine {
namespace {

using nlohmann::json;

core::Timestamp at(const char* t) { return *core::parse_rfc3339(t, "t"); }
constexpr core::Millis kMinute{60'000};
constexpr core::Millis kHour{3'600'000};

class ReportTest : public ::testing::Test {
 protected:
  // 2026-12-02 08:30:00 in Beijing.
  ReportTest() : clock_(at("2026-12-02T00:30:00Z")) {}
  void SetUp() override { start(); }

  void start(std::shared_ptr<const reports::RuleSet> rules = nullptr) {
    e_.reset();
    EngineOptions o;
    o.node = "441300";  // 惠州市, with 惠城区 441302 below it
    o.report_rules = std::move(rules);
    o.report_offices = {"441300", "441302"};
    o.jurisdiction_names = {{"441300", "惠州市"}, {"441302", "惠城区"}, {"440000", "广东省"}};
    e_ = std::make_unique<Engine>(o, journal_, clock_, taxonomy::Taxonomy::defaults(), taxonomy::GradeRules::defaults());
    ASSERT_TRUE(e_->start().is_ok());
  }

  core::Result<Outcome> run(Command c, Actor a = "duty-1") { return e_->execute(std::move(c), std::move(a)); }

  std::string incident(const std::string& type, const std::string& jurisdiction = "441302") {
    ReportAlarm a;
    a.jurisdiction = jurisdiction;
    a.channel = "119";
    a.reported_at = clock_.now();
    a.location = core::LonLat{114.41 + 0.01 * n_++, 23.11};
    a.address = "惠城区演达大道 8 号";
    a.type = type;
    a.description = "现场冒烟";
    auto r = run(a, "calltaker-1");
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? r->body["incident_id"].get<std::string>() : "";
  }

  // The active obligations of an incident ("" = the offices' own), by (from, to, type, channel).
  std::vector<Obligation> owed(const std::string& incident_id, bool active_only = true) {
    auto v = e_->view();
    std::vector<Obligation> out;
    for (size_t i = 0; i < v->obligations.size(); ++i)
      if (v->obligations[i].incident_id == incident_id && (!active_only || v->obligations[i].active()))
        out.push_back(v->obligations[i]);
    return out;
  }

  // A copy: the list is often a temporary.
  std::optional<Obligation> find(const std::vector<Obligation>& list, const std::string& from, const std::string& to,
                                 const std::string& type = "initial", const std::string& channel = "written") {
    for (const auto& o : list)
      if (o.jurisdiction == from && o.to_jurisdiction == to && o.report_type == type && o.channel == channel) return o;
    return std::nullopt;
  }

  std::string draft(const std::string& type, const std::string& incident_id, const std::string& from = "",
                    const std::string& to = "") {
    DraftReport d;
    d.type = type;
    d.incident_id = incident_id;
    d.jurisdiction = from;
    d.to_jurisdiction = to;
    d.contact = "值班员张三 0752-1234567";
    auto r = run(d);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? r->body["id"].get<std::string>() : "";
  }

  ReportRecord report(const std::string& id) { return *e_->view()->find_report(id); }

  // Fills what a person must: cause, trend, next steps, and the figures.
  void complete(const std::string& id) {
    reports::Content c = report(id).content;
    c.cause_nature = "电气线路短路引发火灾，正在调查";
    c.trend = "火势已得到控制";
    c.next_steps = "继续清理现场，排查隐患";
    c.scope = c.scope.empty() ? "影响周边两栋楼宇" : c.scope;
    c.course = c.course.empty() ? "08:30 接报" : c.course;
    c.measures = c.measures.empty() ? "消防救援力量到场处置" : c.measures;
    c.consequences = {0, 2, 0, 30, 500000};
    auto r = run(EditReport{id, c});
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  }

  // Runs FireTimers through the writer (which also fires due timers by itself on its clock).
  size_t fire() {
    auto r = run(FireTimers{}, "system");
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? r->body["fired"].get<size_t>() : 0;
  }

  core::FakeClock clock_;
  engine::testing::MemoryJournal journal_;
  std::unique_ptr<Engine> e_;
  int n_ = 0;
};

TEST_F(ReportTest, ProductionSafetyOwesTheUnitsHourAndEachLevelsTwoHoursAsFarAsTheGradeReaches) {
  core::Timestamp t0 = clock_.now();
  std::string inc = incident("fire");
  auto list = owed(inc);
  auto unit = find(list, "441302", "441302");
  ASSERT_TRUE(unit.has_value()) << "the unit reports to the county authority";
  EXPECT_EQ(unit->from_tier, "unit");
  EXPECT_EQ(unit->due_at, t0 + kHour);
  auto county = find(list, "441302", "441300");
  ASSERT_TRUE(county.has_value());
  EXPECT_EQ(county->due_at, t0 + 2 * kHour);
  EXPECT_EQ(county->trigger, "first_knowledge");
  EXPECT_FALSE(county->basis.empty());
  EXPECT_FALSE(find(list, "441300", "440000").has_value()) << "the city does not know yet";

  // The county reports on time: the city now knows, but an ungraded fire goes no further.
  clock_.advance(30 * kMinute);
  std::string r = draft("initial", inc);
  EXPECT_EQ(report(r).jurisdiction, "441302");
  EXPECT_EQ(report(r).to_jurisdiction, "441300");
  complete(r);
  auto submitted = run(SubmitReport{r, ""});
  ASSERT_TRUE(submitted.is_ok()) << submitted.status().to_string();
  auto settled = owed(inc, false);
  auto done = find(settled, "441302", "441300");
  ASSERT_TRUE(done.has_value());
  EXPECT_EQ(done->status, kObligationFulfilled);
  EXPECT_FALSE(done->late);
  EXPECT_EQ(done->report_id, r);
  EXPECT_FALSE(report(r).late);
  EXPECT_FALSE(find(owed(inc), "441300", "440000").has_value());

  // Grade II confirmed 10 minutes later: the city owes the province within 2 hours of it.
  clock_.advance(10 * kMinute);
  auto g = run(ConfirmGrade{inc, core::Grade::kII, "死亡 12 人"}, "leader-1");
  ASSERT_TRUE(g.is_ok()) << g.status().to_string();
  auto city = find(owed(inc), "441300", "440000");
  ASSERT_TRUE(city.has_value());
  EXPECT_EQ(city->due_at, clock_.now() + 2 * kHour);
  // Nothing is owed twice.
  size_t initials = 0;
  for (const auto& o : owed(inc, false))
    if (o.report_type == "initial" && o.jurisdiction == "441302" && o.to_jurisdiction == "441300") ++initials;
  EXPECT_EQ(initials, 1u);
}

TEST_F(ReportTest, EnvironmentalGivesFourHoursThenTwoOnceGradeTwoIsConfirmed) {
  core::Timestamp t0 = clock_.now();
  std::string inc = incident("water_pollution");
  auto county = find(owed(inc), "441302", "441300");
  ASSERT_TRUE(county.has_value());
  EXPECT_EQ(county->due_at, t0 + 4 * kHour);
  clock_.advance(15 * kMinute);
  ASSERT_TRUE(run(ConfirmGrade{inc, core::Grade::kII, "饮用水源地受影响"}, "leader-1").is_ok());
  county = find(owed(inc), "441302", "441300");
  ASSERT_TRUE(county.has_value());
  EXPECT_EQ(county->due_at, clock_.now() + 2 * kHour) << "the stricter deadline wins";
}

TEST_F(ReportTest, PublicHealthGivesTwoHoursAtTheCounty) {
  core::Timestamp t0 = clock_.now();
  std::string inc = incident("infectious_disease");
  auto county = find(owed(inc), "441302", "441300");
  ASSERT_TRUE(county.has_value());
  EXPECT_EQ(county->due_at, t0 + 2 * kHour);
}

// A plan whose level II owes the city an initial report within 30 minutes of activation.
constexpr const char* kPlan = R"(key: fire_reports
title: 火灾事故应急预案
owner: fire
scope:
  types: [fire]
levels:
  II:
    when: {grades: [I, II]}
    lead: fire
    tasks:
      respond: {owner: fire, description: 出动灭火, deadline: 10m}
    reports:
      - {type: initial, to: city, within: 30m}
)";

TEST_F(ReportTest, APlansReportListTightensWhatTheRulesAsk) {
  auto parsed = plans::parse_plan(kPlan, "plan.yaml");
  ASSERT_TRUE(parsed.ok());
  auto created = run(CreatePlan{"", kPlan, *parsed.plan}, "author-1");
  ASSERT_TRUE(created.is_ok()) << created.status().to_string();
  std::string plan = created->body["id"];
  ASSERT_TRUE(run(ChangePlanVersion{plan, 1, "submitted", ""}, "author-1").is_ok());
  ASSERT_TRUE(run(ChangePlanVersion{plan, 1, "reviewed", "ok"}, "reviewer-1").is_ok());
  ASSERT_TRUE(run(ChangePlanVersion{plan, 1, "approved", ""}, "approver-1").is_ok());
  core::Timestamp t0 = clock_.now();
  std::string inc = incident("fire");
  EXPECT_EQ(find(owed(inc), "441302", "441300")->due_at, t0 + 2 * kHour);
  clock_.advance(5 * kMinute);
  auto g = run(ConfirmGrade{inc, core::Grade::kII, "死亡 10 人"}, "leader-1");
  ASSERT_TRUE(g.is_ok()) << g.status().to_string();
  ASSERT_FALSE(e_->view()->activations_of(inc).empty()) << "the plan activated";
  auto o = find(owed(inc), "441302", "441300");
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->due_at, clock_.now() + 30 * kMinute) << "the plan's 30 minutes are stricter than the rule's 2 hours";
  EXPECT_NE(o->basis.find("预案"), std::string::npos) << o->basis;
  EXPECT_EQ(o->rule_id, e_->view()->activations_of(inc).front()->id);
  size_t initials = 0;
  for (const auto& x : owed(inc, false))
    if (x.report_type == "initial" && x.jurisdiction == "441302" && x.to_jurisdiction == "441300") ++initials;
  EXPECT_EQ(initials, 1u) << "tightened, not owed twice";
}

TEST_F(ReportTest, StricterLocalRulesWin) {
  auto local = reports::parse_rules(
      "rules:\n"
      "  - id: hc_phone\n"
      "    families: [production_safety]\n"
      "    from: county\n"
      "    to: city\n"
      "    type: initial\n"
      "    channel: phone\n"
      "    trigger: first_knowledge\n"
      "    within: 30m\n"
      "    jurisdiction: \"441302\"\n"
      "    basis: 惠州市突发事件信息报送办法（示例）\n"
      "  - id: hc_written\n"
      "    families: [production_safety]\n"
      "    from: county\n"
      "    to: city\n"
      "    type: initial\n"
      "    trigger: first_knowledge\n"
      "    within: 1h\n"
      "    jurisdiction: \"441302\"\n"
      "    basis: 惠州市突发事件信息报送办法（示例）\n",
      "report_rules.yaml", true);
  ASSERT_TRUE(local.is_ok()) << local.status().to_string();
  auto merged = reports::overlay(reports::default_rules(), *local);
  ASSERT_TRUE(merged.is_ok()) << merged.status().to_string();
  start(std::make_shared<const reports::RuleSet>(*merged));
  core::Timestamp t0 = clock_.now();
  std::string inc = incident("fire");
  auto list = owed(inc);
  auto phone = find(list, "441302", "441300", "initial", "phone");
  ASSERT_TRUE(phone.has_value());
  EXPECT_EQ(phone->due_at, t0 + 30 * kMinute);
  auto written = find(list, "441302", "441300");
  ASSERT_TRUE(written.has_value());
  EXPECT_EQ(written->due_at, t0 + kHour);
  // Elsewhere the national rule stands.
  std::string other = incident("fire", "441300");
  EXPECT_FALSE(find(owed(other), "441300", "440000").has_value()) << "an ungraded incident of the city goes no further";
  auto unscoped = find(owed(other), "441300", "441300");
  EXPECT_FALSE(unscoped.has_value()) << "a city's own incident has no unit-to-county duty";
}

TEST_F(ReportTest, OverdueAtTheExactDeadlineEscalatedAndALateReportRecordsItsDelay) {
  core::Timestamp t0 = clock_.now();
  std::string inc = incident("fire");
  clock_.set(t0 + 2 * kHour - core::Millis(1));
  fire();
  EXPECT_EQ(find(owed(inc), "441302", "441300")->status, kObligationOpen);
  clock_.set(t0 + 2 * kHour);
  fire();  // the writer may fire it first by itself: either way it is done when this returns
  auto o = find(owed(inc), "441302", "441300");
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->status, kObligationOverdue);
  EXPECT_EQ(o->overdue_at, t0 + 2 * kHour);
  EXPECT_EQ(o->escalated_to, "supervisor");
  auto v = e_->view();
  bool told = false;
  for (size_t i = 0; i < v->notifications.size(); ++i)
    told = told || (v->notifications[i].role == "supervisor" && v->notifications[i].incident_id == inc);
  EXPECT_TRUE(told) << "the overdue report is escalated to the supervisor";

  clock_.advance(10 * kMinute);
  std::string r = draft("initial", inc);
  complete(r);
  ASSERT_TRUE(run(SubmitReport{r, ""}).is_ok());
  auto late = find(owed(inc, false), "441302", "441300");
  EXPECT_EQ(late->status, kObligationFulfilled);
  EXPECT_TRUE(late->late);
  EXPECT_EQ(late->delay_ms, 10 * 60'000);
  EXPECT_TRUE(report(r).late);
  EXPECT_EQ(report(r).delay_ms, 10 * 60'000);
  EXPECT_TRUE(report(r).versions.front().late);
}

TEST_F(ReportTest, TheDailyReportFallsDueAtEightBeijingTime) {
  clock_.set(at("2026-12-02T07:59:00+08:00"));
  ASSERT_TRUE(run(EnsureReportDuty{}, "system").is_ok());
  auto daily = owed("");
  auto county = find(daily, "441302", "441300", "daily");
  ASSERT_TRUE(county.has_value());
  EXPECT_EQ(county->due_at, at("2026-12-02T08:00:00+08:00"));
  EXPECT_EQ(county->trigger, "daily");
  // Idempotent.
  ASSERT_TRUE(run(EnsureReportDuty{}, "system").is_ok());
  EXPECT_EQ(owed("").size(), daily.size());

  clock_.set(at("2026-12-02T08:00:00+08:00"));
  fire();
  auto after = owed("");
  const Obligation* overdue = nullptr;
  const Obligation* next = nullptr;
  for (const auto& o : after) {
    if (o.jurisdiction == "441302" && o.report_type == "daily") (o.status == kObligationOverdue ? overdue : next) = &o;
  }
  ASSERT_NE(overdue, nullptr);
  ASSERT_NE(next, nullptr);
  EXPECT_EQ(next->due_at, at("2026-12-03T08:00:00+08:00"));

  // The late daily report settles the overdue day, not tomorrow's.
  clock_.advance(20 * kMinute);
  DraftReport d;
  d.type = "daily";
  d.jurisdiction = "441302";
  d.contact = "值班员张三";
  auto made = run(d);
  ASSERT_TRUE(made.is_ok()) << made.status().to_string();
  std::string id = made->body["id"];
  const auto& content = report(id).content;
  ASSERT_TRUE(content.period_from && content.period_to);
  EXPECT_EQ(*content.period_from, at("2026-12-01T00:00:00+08:00"));
  EXPECT_EQ(*content.period_to, at("2026-12-02T00:00:00+08:00"));
  auto sent = run(SubmitReport{id, ""});
  ASSERT_TRUE(sent.is_ok()) << sent.status().to_string();
  EXPECT_EQ(report(id).number, 1u);
  std::vector<Obligation> mine;
  for (const auto& o : owed("", false))
    if (o.jurisdiction == "441302" && o.report_type == "daily") mine.push_back(o);
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].status, kObligationFulfilled);
  EXPECT_TRUE(mine[0].late);
  EXPECT_EQ(mine[0].delay_ms, 20 * 60'000);
  EXPECT_EQ(mine[1].status, kObligationOpen);
}

TEST_F(ReportTest, AReportLackingElementsIsRefusedNamingEach) {
  std::string inc = incident("fire");
  std::string r = draft("initial", inc);
  const auto& c = report(r).content;
  EXPECT_FALSE(c.place.empty()) << "the draft is pre-filled from the record";
  EXPECT_FALSE(c.source.empty());
  EXPECT_TRUE(c.time.has_value());
  EXPECT_EQ(c.reporting_unit, "惠城区应急管理局");
  auto refused = run(SubmitReport{r, ""});
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.status().code(), core::Code::kInvalidArgument);
  for (const char* name : {"起因和性质", "发展趋势", "下一步工作", "伤亡和损失"})
    EXPECT_NE(refused.status().message().find(name), std::string::npos) << name << " in " << refused.status().message();
  EXPECT_EQ(report(r).status, kReportDraft);
  EXPECT_TRUE(report(r).versions.empty());
}

TEST_F(ReportTest, CorrectionsAreNewVersionsAndTheReceivingLevelReceivesOrReturns) {
  std::string inc = incident("fire");
  std::string r = draft("initial", inc);
  complete(r);
  ASSERT_TRUE(run(SubmitReport{r, ""}).is_ok());
  auto returned = run(ReviewReport{r, "return", ""}, "city-reviewer");
  EXPECT_FALSE(returned.is_ok()) << "a return needs a reason";
  ASSERT_TRUE(run(ReviewReport{r, "return", "请补充受伤人员去向"}, "city-reviewer").is_ok());
  EXPECT_EQ(report(r).status, kReportReturned);
  EXPECT_EQ(report(r).returns.at(0).reason, "请补充受伤人员去向");

  auto same = run(SubmitReport{r, "补充"});
  EXPECT_EQ(same.status().code(), core::Code::kConflict) << "nothing changed";
  reports::Content c = report(r).content;
  c.measures += "\n2 名伤员送惠州市中心人民医院救治";
  ASSERT_TRUE(run(EditReport{r, c}).is_ok());
  EXPECT_EQ(run(SubmitReport{r, ""}).status().field(), "note");
  ASSERT_TRUE(run(SubmitReport{r, "补充伤员去向"}).is_ok());
  ReportRecord now = report(r);
  ASSERT_EQ(now.versions.size(), 2u);
  EXPECT_EQ(now.versions[1].changed, std::vector<std::string>{"measures"});
  EXPECT_EQ(now.versions[1].note, "补充伤员去向");
  EXPECT_NE(now.versions[0].content.measures, now.versions[1].content.measures) << "version 1 is unchanged";
  ASSERT_TRUE(run(ReviewReport{r, "receive", ""}, "city-reviewer").is_ok());
  EXPECT_EQ(report(r).status, kReportReceived);
  EXPECT_EQ(report(r).received->version, 2u);
  EXPECT_EQ(run(ReviewReport{r, "receive", ""}, "city-reviewer").status().code(), core::Code::kConflict);
}

TEST_F(ReportTest, ACancelledIncidentOwesNothingAndEverythingSurvivesARestart) {
  std::string inc = incident("fire");
  std::string keep = incident("fire");
  std::string r = draft("initial", keep);
  ASSERT_TRUE(run(ChangeStatus{inc, kStatusCancelled, "误报"}).is_ok());
  auto withdrawn = owed(inc, false);
  ASSERT_FALSE(withdrawn.empty());
  for (const auto& o : withdrawn) EXPECT_EQ(o.status, kObligationCancelled);
  ASSERT_TRUE(run(EnsureReportDuty{}, "system").is_ok());
  std::string before = serialize_view(*e_->view());
  start();
  EXPECT_EQ(serialize_view(*e_->view()), before);
  auto loaded = State::load(before, "441300");
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  EXPECT_EQ(loaded->view().reports.size(), e_->view()->reports.size());
  // Open obligations keep their timers after a snapshot load: the first is the soonest deadline.
  std::optional<core::Timestamp> soonest;
  auto v = e_->view();
  for (size_t i = 0; i < v->obligations.size(); ++i)
    if (v->obligations[i].status == kObligationOpen && (!soonest || v->obligations[i].due_at < *soonest))
      soonest = v->obligations[i].due_at;
  ASSERT_TRUE(soonest.has_value());
  EXPECT_EQ(loaded->next_timer(), soonest);
  EXPECT_EQ(report(r).type, "initial");
}

}  // namespace
}  // namespace liandong::engine
