#include "api/internal/report_document.h"

#include "reports/hierarchy.h"
#include "reports/prefill.h"

namespace liandong::api::internal {

namespace {

std::string name_of(const engine::EngineOptions& o, const std::string& code) {
  if (code == reports::kNationalCode) return "国家";
  auto it = o.jurisdiction_names.find(code);
  return it == o.jurisdiction_names.end() ? code : it->second;
}

std::string local(const engine::EngineOptions& o, core::Timestamp t) {
  auto s = core::format_in_zone(t, o.zone);
  return s ? *s : core::format_utc(t);
}

// 2026年12月2日8时5分, the local time of `t`.
std::string when_zh(const engine::EngineOptions& o, core::Timestamp t) {
  std::string rfc3339 = local(o, t);
  if (rfc3339.size() < 16) return reports::date_zh(t, o.zone);
  return reports::date_zh(t, o.zone) + std::to_string(std::stoi(rfc3339.substr(11, 2))) + "时" +
         std::to_string(std::stoi(rfc3339.substr(14, 2))) + "分";
}

// 突发事件信息初报 …; the daily report is the duty office's 值班信息日报.
std::string title_of(const std::string& type) {
  if (type == "daily") return "值班信息日报";
  return "突发事件信息" + std::string(reports::type_name_zh(type));
}

std::string figure(const std::optional<int64_t>& v, const char* unit) {
  return v ? std::to_string(*v) + " " + unit : std::string("不详");
}

const char* kNumerals[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"};

// Body text: a line starting with a Chinese numeral and "、" opens a section.
void body_sections(const std::string& body, typeset::Document& doc) {
  std::string line;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t nl = body.find('\n', pos);
    line = body.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? body.size() + 1 : nl + 1;
    if (line.empty()) continue;
    bool heading = false;
    for (const char* n : kNumerals)
      if (line.rfind(std::string(n) + "、", 0) == 0 && line.size() < 60) heading = true;
    if (heading || doc.sections.empty()) doc.sections.push_back({heading ? line : "", {}, std::nullopt});
    if (!heading) doc.sections.back().paragraphs.push_back(line);
  }
}

}  // namespace

typeset::Document compose_document(const engine::ReportRecord& r, const reports::Content& c, uint32_t version,
                                   const engine::EngineOptions& o) {
  typeset::Document doc;
  doc.issuer = name_of(o, r.jurisdiction) + "应急管理局";
  doc.title = title_of(r.type);
  if (r.exercise) doc.title += "（演练）";
  core::Timestamp dated = version ? r.versions[version - 1].submitted_at
                                  : (!r.versions.empty() ? r.versions.back().submitted_at : r.updated_at);
  doc.date = reports::date_zh(dated, o.zone);
  std::string year = local(o, dated).substr(0, 4);
  doc.number = r.number ? year + "年第" + std::to_string(r.number) + "期" : r.id;
  if (version) doc.number += "（第" + std::to_string(version) + "版）";
  else if (r.versions.empty() || !(r.versions.back().content == c)) doc.classification = "草稿";
  if (!c.title.empty()) doc.sections.push_back({"", {c.title}, std::nullopt});
  if (r.type == "daily" || r.type == "bulletin") {
    if (c.period_from && c.period_to)
      doc.sections.push_back({"", {"统计时段：" + when_zh(o, *c.period_from) + "至" + when_zh(o, *c.period_to)},
                              std::nullopt});
    body_sections(c.body, doc);
  } else {
    size_t n = 0;
    auto add = [&](const char* heading, const std::string& text) {
      if (text.empty()) return;
      doc.sections.push_back({std::string(kNumerals[n++]) + "、" + heading, {text}, std::nullopt});
    };
    std::string basic;
    if (c.time) basic += "时间：" + when_zh(o, *c.time) + "\n";
    if (!c.place.empty()) basic += "地点：" + c.place + "\n";
    if (!c.source.empty()) basic += "信息来源：" + c.source;
    add("基本情况", basic);
    add("起因和性质", c.cause_nature);
    add("基本经过", c.course);
    typeset::Section losses{std::string(kNumerals[n++]) + "、伤亡和损失", {}, typeset::Table{}};
    losses.table->header = {"死亡", "受伤", "失踪", "受影响人数", "直接经济损失"};
    losses.table->rows.push_back({figure(c.consequences.deaths, "人"), figure(c.consequences.injuries, "人"),
                                  figure(c.consequences.missing, "人"), figure(c.consequences.affected, "人"),
                                  figure(c.consequences.direct_loss_yuan, "元")});
    doc.sections.push_back(std::move(losses));
    add("影响范围", c.scope);
    add("发展趋势", c.trend);
    add("已采取的措施", c.measures);
    add("下一步工作", c.next_steps);
    if (!c.body.empty()) add("其他情况", c.body);
  }
  if (version && !r.versions[version - 1].changed.empty()) {
    std::string changed;
    for (const auto& f : r.versions[version - 1].changed) changed += (changed.empty() ? "" : "、") + f;
    doc.sections.push_back({"更正说明", {r.versions[version - 1].note + "（更正：" + changed + "）"}, std::nullopt});
  }
  if (!c.reporting_unit.empty()) doc.closing.push_back("报告单位：" + c.reporting_unit);
  if (!c.contact.empty()) doc.closing.push_back("联系人及电话：" + c.contact);
  doc.distribution = "报：" + (r.to_jurisdiction == reports::kNationalCode ? std::string("应急管理部")
                                                                      : name_of(o, r.to_jurisdiction) + "应急管理局");
  return doc;
}

}  // namespace liandong::api::internal
