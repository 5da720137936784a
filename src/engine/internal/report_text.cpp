#include "engine/internal/report_text.h"

#include <fmt/format.h>

#include <map>

#include "core/jurisdiction.h"
#include "reports/rules.h"

namespace liandong::engine::internal {

namespace {

std::string_view category_zh(core::Category c) {
  switch (c) {
    case core::Category::kNaturalDisaster: return "自然灾害";
    case core::Category::kAccidentDisaster: return "事故灾难";
    case core::Category::kPublicHealth: return "公共卫生事件";
    case core::Category::kSocialSafety: return "社会安全事件";
  }
  return "";
}

// "2026-12-02T08:05:00+08:00" → {"2026-12-02", "08:05"} in the zone.
std::pair<std::string, std::string> local_parts(const Tx& tx, core::Timestamp t) {
  auto s = core::format_in_zone(t, tx.rules().zone);
  std::string text = s ? *s : core::format_utc(t);
  return {text.substr(0, 10), text.size() >= 16 ? text.substr(11, 5) : std::string()};
}

bool in_area(const std::string& code, const std::string& office) {
  auto c = core::JurisdictionCode::parse(code);
  auto o = core::JurisdictionCode::parse(office);
  return c && o && c->within(*o);
}

}  // namespace

std::string jurisdiction_name(const Tx& tx, const std::string& code) {
  if (code == reports::kNationalCode) return "国家";
  if (const auto* names = tx.rules().jurisdiction_names) {
    auto it = names->find(code);
    if (it != names->end()) return it->second;
  }
  return code;
}

std::string office_name(const Tx& tx, const std::string& code) { return jurisdiction_name(tx, code) + "应急管理局"; }

reports::IncidentFacts incident_facts(const Tx& tx, const Incident& inc) {
  const View& v = tx.view();
  reports::IncidentFacts f;
  f.id = inc.id;
  f.title = inc.title;
  f.type = inc.type;
  if (const auto* t = tx.rules().taxonomy->find(inc.type)) f.type_name_zh = t->name_zh;
  f.category = core::to_string(inc.category);
  auto grade = inc.confirmed_grade ? inc.confirmed_grade : inc.proposed_grade;
  f.grade = grade ? std::string(core::to_string(*grade)) : std::string();
  f.address = inc.address;
  f.location = inc.location;
  f.jurisdiction_name = jurisdiction_name(tx, inc.jurisdiction);
  f.opened_at = inc.opened_at;
  if (!inc.alarm_ids.empty())
    if (const Alarm* a = v.find_alarm(inc.alarm_ids.front())) {
      f.first_channel = a->channel;
      f.first_reported_at = a->reported_at;
    }
  f.figures = inc.figures;
  const auto& g = inc.figures;
  // Figures all zero may mean "not known yet": a person states them rather than the draft.
  f.figures_known = g.deaths || g.serious_injuries || g.injuries || g.missing || g.affected || g.evacuated ||
                    g.direct_loss_yuan;
  for (const auto& e : inc.timeline) f.timeline.push_back({e.time, e.summary});
  for (const auto& a : inc.assignments) {
    std::string agency;
    if (const Agency* ag = v.find_agency(a.agency_id)) agency = ag->name + " ";
    f.dispatches.push_back({a.dispatched_at, agency + a.call_sign + "（" + a.unit_type + "）出动"});
    if (a.on_scene_at) f.dispatches.push_back({*a.on_scene_at, a.call_sign + " 到达现场"});
  }
  std::sort(f.dispatches.begin(), f.dispatches.end(),
            [](const reports::FactLine& x, const reports::FactLine& y) { return x.at < y.at; });
  for (const Activation* act : v.activations_of(inc.id)) {
    f.tasks.push_back({act->activated_at, "启动预案 " + act->plan_id + "（" + act->level + " 级响应）"});
    for (const auto& tid : act->task_ids)
      if (const Task* t = v.find_task(tid))
        f.tasks.push_back({t->created_at, t->description + "（" + t->status + "）"});
  }
  for (size_t i = 0; i < v.warnings.size(); ++i) {
    const Warning& w = v.warnings[i];
    if (w.incident_id == inc.id && w.open()) f.warnings.push_back({w.raised_at, w.title + "（" + w.level + "预警）"});
  }
  return f;
}

std::pair<core::Timestamp, core::Timestamp> default_period(const Tx& tx, std::optional<core::Timestamp> from,
                                                           std::optional<core::Timestamp> to) {
  const auto day = std::chrono::hours(24);
  core::Timestamp today = reports::next_daily(tx.now() - day, 0, tx.rules().zone);  // last local midnight
  core::Timestamp pt = to ? *to : today;
  core::Timestamp pf = from ? *from : pt - day;
  return {pf, pt};
}

std::string period_title(const Tx& tx, const std::string& type, const std::string& office, core::Timestamp from,
                         core::Timestamp to) {
  std::string d1 = reports::date_zh(from, tx.rules().zone), d2 = reports::date_zh(to - core::Millis(1), tx.rules().zone);
  std::string when = d1 == d2 ? d1 : d1 + "至" + d2;
  std::string what = type == "daily" ? "值班信息日报" : type == "bulletin" ? "突发事件信息简报" : "专报";
  return jurisdiction_name(tx, office) + what + "（" + when + "）";
}

std::string period_body(const Tx& tx, const std::string& office, core::Timestamp from, core::Timestamp to) {
  const View& v = tx.view();
  std::map<std::string, int> by_category;
  int total = 0, graded = 0;
  int64_t deaths = 0, injuries = 0, missing = 0;
  std::string major;
  for (size_t i = 0; i < v.incidents.size(); ++i) {
    const Incident& inc = v.incidents[i];
    if (inc.opened_at < from || !(inc.opened_at < to) || inc.exercise || !inc.merged_into.empty() ||
        inc.status == kStatusCancelled || !in_area(inc.jurisdiction, office))
      continue;
    ++total;
    ++by_category[std::string(category_zh(inc.category))];
    deaths += inc.figures.deaths;
    injuries += inc.figures.serious_injuries + inc.figures.injuries;
    missing += inc.figures.missing;
    if (inc.confirmed_grade) {
      ++graded;
      auto [d, hm] = local_parts(tx, inc.opened_at);
      major += fmt::format("{}. {} {}，{}（{}，{}级），死亡{}人、受伤{}人。\n", graded, d.substr(5), hm, inc.title,
                           jurisdiction_name(tx, inc.jurisdiction), core::to_string(*inc.confirmed_grade),
                           inc.figures.deaths, inc.figures.serious_injuries + inc.figures.injuries);
    }
  }
  std::string cats;
  for (const auto& [name, n] : by_category) cats += (cats.empty() ? "" : "，") + name + std::to_string(n) + "起";
  int due = 0, on_time = 0, late = 0, open = 0;
  for (size_t i = 0; i < v.obligations.size(); ++i) {
    const Obligation& o = v.obligations[i];
    if (o.due_at < from || !(o.due_at < to) || o.exercise || !in_area(o.jurisdiction, office)) continue;
    if (o.status == kObligationCancelled) continue;
    ++due;
    if (o.status == kObligationFulfilled) (o.late ? late : on_time)++;
    else ++open;
  }
  std::string body = "一、总体情况\n";
  body += fmt::format("本期共接报突发事件{}起{}；死亡{}人、受伤{}人、失踪{}人。\n", total,
                      cats.empty() ? "" : "（" + cats + "）", deaths, injuries, missing);
  body += "二、较大以上及已定级事件\n";
  body += major.empty() ? "本期无已定级事件。\n" : major;
  body += "三、信息报送情况\n";
  body += fmt::format("本期应报{}件，按时报送{}件，迟报{}件，尚未报送{}件。\n", due, on_time, late, open);
  return body;
}

uint32_t next_number(const Tx& tx, const ReportRecord& r) {
  auto year = local_parts(tx, tx.now()).first.substr(0, 4);
  uint32_t n = 0;
  const View& v = tx.view();
  for (size_t i = 0; i < v.reports.size(); ++i) {
    const ReportRecord& x = v.reports[i];
    if (x.id == r.id || x.type != r.type || x.jurisdiction != r.jurisdiction || x.versions.empty()) continue;
    if (local_parts(tx, x.versions.front().submitted_at).first.substr(0, 4) == year) n = std::max(n, x.number);
  }
  return n + 1;
}

}  // namespace liandong::engine::internal
