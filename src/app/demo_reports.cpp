// The demo duty desk's reports (see demo_duty.h): obligations answered by drafts from the record
// with the elements a person adds filled in; submitted reports acknowledged by the receiving office.
#include <set>

#include "app/demo_duty.h"
#include "core/jurisdiction.h"
#include "core/log.h"
#include "reports/content.h"

namespace liandong::app::demo {

namespace {

using Clock = std::chrono::steady_clock;

// What a duty officer adds to a draft: the judgement the record cannot give.
reports::Content completed(reports::Content c) {
  auto fill = [](std::string& field, const char* text) {
    if (field.find_first_not_of(" \t\r\n") == std::string::npos) field = text;
  };
  fill(c.place, "现场位置待核实");
  fill(c.source, "值班室接报");
  fill(c.cause_nature, "起因正在调查，初步判断为意外事件（演示）");
  fill(c.course, "值班室接报后立即核实并调度处置力量");
  fill(c.scope, "影响范围限于事发地周边，未波及周边社区");
  fill(c.trend, "事态已得到初步控制，暂无扩大趋势");
  fill(c.measures, "已调派救援力量赶赴现场处置");
  fill(c.next_steps, "继续跟踪处置进展，及时续报");
  fill(c.body, "本期值班情况正常（演示）。");
  fill(c.contact, "值班员 0758-12345678");
  auto zero = [](std::optional<int64_t>& v) {
    if (!v) v = 0;
  };
  zero(c.consequences.deaths);
  zero(c.consequences.injuries);
  zero(c.consequences.missing);
  zero(c.consequences.affected);
  zero(c.consequences.direct_loss_yuan);
  return c;
}

}  // namespace

void DutyDesk::work_reports(const engine::View& view, Clock::time_point now) {
  const engine::Actor duty("demo-duty");
  for (size_t i = view.obligations.size(); i-- > 0 && view.obligations.size() - i <= 400;) {
    const auto& o = view.obligations[i];
    if (!o.active() || o.exercise || o.from_tier == "unit" || o.channel != "written") continue;
    auto [it, fresh] = owed_seen_.try_emplace(o.id, now);
    if (fresh || now - it->second < report_after || it->second == Clock::time_point{}) continue;
    it->second = Clock::time_point{};  // answered (or left) once
    if (next() % 4 == 0) continue;     // one in four is left for a person
    engine::DraftReport d;
    d.type = o.report_type;
    d.incident_id = o.incident_id;
    d.jurisdiction = o.jurisdiction;
    d.to_jurisdiction = o.to_jurisdiction;
    d.contact = "值班员 0758-12345678";
    auto drafted = engine_.execute(d, duty);
    if (!drafted) {
      core::log::warn("demo: report not drafted", {{"obligation", o.id}, {"error", drafted.status().to_string()}});
      continue;
    }
    std::string id = drafted->body.value("id", "");
    const auto* r = engine_.view()->find_report(id);
    if (!r) continue;
    auto edited = engine_.execute(engine::EditReport{id, completed(r->content)}, duty);
    auto submitted = edited ? engine_.execute(engine::SubmitReport{id, ""}, duty) : edited;
    if (!submitted)
      core::log::warn("demo: report not submitted", {{"report", id}, {"error", submitted.status().to_string()}});
  }
  for (size_t i = view.reports.size(); i-- > 0 && view.reports.size() - i <= 400;) {
    const auto& r = view.reports[i];
    if (r.status != engine::kReportSubmitted || r.to_jurisdiction == r.jurisdiction) {
      sent_seen_.erase(r.id);
      continue;
    }
    auto [it, fresh] = sent_seen_.try_emplace(r.id, now);
    if (fresh || now - it->second < receive_after || it->second == Clock::time_point{}) continue;
    it->second = Clock::time_point{};
    if (next() % 3 == 0) continue;  // one in three waits for a person in the inbox
    // Only an office of this node can acknowledge (the province is another node's).
    auto code = core::JurisdictionCode::parse(r.to_jurisdiction);
    auto node = core::JurisdictionCode::parse(view.node);
    if (!code || !node || !code->within(*node)) continue;
    auto done = engine_.execute(engine::ReviewReport{r.id, "receive", ""}, engine::Actor("demo-supervisor"));
    if (!done) core::log::warn("demo: report not received", {{"report", r.id}, {"error", done.status().to_string()}});
  }
}

}  // namespace liandong::app::demo
