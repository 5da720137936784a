#include "reports/content.h"

#include <array>

#include "core/codes.h"
#include "reports/internal/fields.h"

namespace liandong::reports {
namespace {

struct ElementInfo {
  Element element;
  std::string_view key;
  std::string_view name_zh;
};

constexpr std::array<ElementInfo, 12> kElements = {{
    {Element::kTime, "time", "时间"},
    {Element::kPlace, "place", "地点"},
    {Element::kSource, "source", "信息来源"},
    {Element::kCauseNature, "cause_nature", "起因和性质"},
    {Element::kCourse, "course", "基本经过"},
    {Element::kConsequences, "consequences", "伤亡和损失"},
    {Element::kScope, "scope", "影响范围"},
    {Element::kTrend, "trend", "发展趋势"},
    {Element::kMeasures, "measures", "已采取的措施"},
    {Element::kNextSteps, "next_steps", "下一步工作"},
    {Element::kReportingUnit, "reporting_unit", "报告单位"},
    {Element::kContact, "contact", "联系人和电话"},
}};

constexpr std::array<Element, 12> kAll = {
    Element::kTime,    Element::kPlace,     Element::kSource,        Element::kCauseNature,
    Element::kCourse,  Element::kConsequences, Element::kScope,      Element::kTrend,
    Element::kMeasures, Element::kNextSteps, Element::kReportingUnit, Element::kContact};

// Blank: empty, or only ASCII whitespace and the ideographic space U+3000 (E3 80 80).
bool blank(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
    } else if (s.compare(i, 3, "\xE3\x80\x80") == 0) {
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

const std::string* text_of(const Content& c, Element e) {
  switch (e) {
    case Element::kPlace: return &c.place;
    case Element::kSource: return &c.source;
    case Element::kCauseNature: return &c.cause_nature;
    case Element::kCourse: return &c.course;
    case Element::kScope: return &c.scope;
    case Element::kTrend: return &c.trend;
    case Element::kMeasures: return &c.measures;
    case Element::kNextSteps: return &c.next_steps;
    case Element::kReportingUnit: return &c.reporting_unit;
    case Element::kContact: return &c.contact;
    default: return nullptr;  // time and consequences are not texts
  }
}

// Why the element is missing, or "" when it is there.
std::string lack(const Content& c, Element e) {
  if (e == Element::kTime) return c.time ? "" : "the time it happened is not stated";
  if (e == Element::kConsequences) {
    std::string unstated;
    for (const auto& f : internal::kFigureFields) {
      if (!(c.consequences.*f.member)) {
        if (!unstated.empty()) unstated += ", ";
        unstated += f.key;
      }
    }
    return unstated.empty() ? "" : "not stated: " + unstated + " (0 states none)";
  }
  const std::string* text = text_of(c, e);
  if (text->empty()) return "not filled in";
  return blank(*text) ? "only blanks" : "";
}

void check(std::vector<Missing>& out, const Content& c, Element e) {
  std::string why = lack(c, e);
  if (!why.empty()) out.push_back({std::string(key(e)), std::string(name_zh(e)), std::move(why)});
}

bool is_incident_report(std::string_view type) {
  return type == "initial" || type == "progress" || type == "final" || type == "special";
}

}  // namespace

std::span<const Element> all_elements() { return kAll; }

std::string_view key(Element e) { return kElements[static_cast<size_t>(e)].key; }
std::string_view name_zh(Element e) { return kElements[static_cast<size_t>(e)].name_zh; }

std::optional<Element> parse_element(std::string_view k) {
  for (const auto& info : kElements) {
    if (info.key == k) return info.element;
  }
  return std::nullopt;
}

std::vector<Missing> missing_elements(std::string_view type, std::string_view channel,
                                      const Content& c) {
  std::vector<Missing> out;
  if (type == "daily" || type == "bulletin") {
    if (!c.period_from || !c.period_to) {
      out.push_back({"period", "报告期间", "the period's start and end must both be stated"});
    } else if (!(*c.period_from < *c.period_to)) {
      out.push_back({"period", "报告期间", "the period must end after it starts"});
    }
    if (blank(c.body)) out.push_back({"body", "正文", c.body.empty() ? "not filled in" : "only blanks"});
    check(out, c, Element::kReportingUnit);
    check(out, c, Element::kContact);
    return out;
  }
  if (!is_incident_report(type)) {
    std::string known;
    for (auto t : core::report_types()) known += (known.empty() ? "" : ", ") + std::string(t);
    out.push_back({"type", "报告类型",
                   "unknown report type '" + std::string(type.substr(0, 32)) + "' (known: " + known + ")"});
    return out;
  }
  if (channel == "written") {
    for (Element e : kAll) check(out, c, e);
  } else if (channel == "phone") {
    for (Element e : {Element::kTime, Element::kPlace, Element::kSource, Element::kConsequences,
                      Element::kReportingUnit, Element::kContact}) {
      check(out, c, e);
    }
  } else {
    out.push_back({"channel", "报送方式",
                   "unknown channel '" + std::string(channel.substr(0, 32)) + "' (written or phone)"});
  }
  return out;
}

std::vector<std::string> changed_fields(const Content& a, const Content& b) {
  std::vector<std::string> out;
  auto text = [&](std::string_view k, std::string Content::*m) {
    if (a.*m != b.*m) out.emplace_back(k);
  };
  text("title", &Content::title);
  if (a.time != b.time) out.emplace_back("time");
  text("place", &Content::place);
  text("source", &Content::source);
  text("cause_nature", &Content::cause_nature);
  text("course", &Content::course);
  for (const auto& f : internal::kFigureFields) {
    if (a.consequences.*f.member != b.consequences.*f.member) {
      out.push_back("consequences." + std::string(f.key));
    }
  }
  text("scope", &Content::scope);
  text("trend", &Content::trend);
  text("measures", &Content::measures);
  text("next_steps", &Content::next_steps);
  text("reporting_unit", &Content::reporting_unit);
  text("contact", &Content::contact);
  text("body", &Content::body);
  if (a.period_from != b.period_from) out.emplace_back("period_from");
  if (a.period_to != b.period_to) out.emplace_back("period_to");
  return out;
}

}  // namespace liandong::reports
