#include "reports/prefill.h"

#include <date/date.h>
#include <date/tz.h>

#include <cstdio>

namespace liandong::reports {
namespace {

// The local calendar fields of an instant in `zone` (UTC when the zone is unknown).
struct Local {
  unsigned month, day, hour, minute;
  int days;  // days since the epoch, local
};

Local local_of(core::Timestamp t, const date::time_zone* tz) {
  auto secs = std::chrono::floor<std::chrono::seconds>(t);
  auto lt = tz ? tz->to_local(secs) : date::local_seconds{secs.time_since_epoch()};
  auto day = std::chrono::floor<date::days>(lt);
  date::year_month_day ymd{day};
  auto tod = lt - day;
  return {static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
          static_cast<unsigned>(tod / std::chrono::hours{1}),
          static_cast<unsigned>(tod % std::chrono::hours{1} / std::chrono::minutes{1}),
          static_cast<int>(day.time_since_epoch().count())};
}

const date::time_zone* find_zone(std::string_view zone) {
  try {
    return date::locate_zone(std::string(zone));
  } catch (const std::exception&) {
    return nullptr;
  }
}

std::string lines(const std::vector<FactLine>& facts, const date::time_zone* tz, int first_day) {
  std::string out;
  for (const auto& f : facts) {
    Local l = local_of(f.at, tz);
    char buf[48];
    if (l.days == first_day) {
      std::snprintf(buf, sizeof buf, "%02u:%02u ", l.hour, l.minute);
    } else {
      std::snprintf(buf, sizeof buf, "%u月%u日 %02u:%02u ", l.month, l.day, l.hour, l.minute);
    }
    if (!out.empty()) out += '\n';
    out += buf;
    out += f.text;
  }
  return out;
}

std::string channel_words(std::string_view channel) {
  if (channel == "110") return "110 报警电话";
  if (channel == "119") return "119 火警电话";
  if (channel == "120") return "120 急救电话";
  if (channel == "122") return "122 交通事故报警电话";
  if (channel == "12345") return "12345 政务服务便民热线";
  if (channel == "sensor") return "监测设备告警";
  if (channel == "linkage") return "联动单位通报";
  if (channel == "manual") return "值班人员登记";
  return std::string(channel) + " 渠道";
}


std::string place_of(const IncidentFacts& f) {
  std::string where;
  if (!f.address.empty()) {
    where = f.address;
    if (f.address.find(f.jurisdiction_name) != std::string::npos) return where;
  } else if (f.location) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f,%.6f", f.location->lon, f.location->lat);
    where = buf;
  } else {
    return "";
  }
  if (f.jurisdiction_name.empty()) return where;
  return f.address.empty() ? f.jurisdiction_name + "（" + where + "）" : f.jurisdiction_name + where;
}

}  // namespace

Content prefill(std::string_view type, const IncidentFacts& f, std::string_view zone,
                std::string_view reporting_unit, std::string_view contact) {
  const date::time_zone* tz = find_zone(zone);
  Content c;
  c.title = "关于" + f.title + "的" + std::string(type_name_zh(type));
  const core::Timestamp when = f.first_reported_at.value_or(f.opened_at);
  c.time = when;
  c.place = place_of(f);
  const Local at = local_of(when, tz);
  if (!f.first_channel.empty()) {
    char buf[48];
    std::snprintf(buf, sizeof buf, " %u月%u日%02u时%02u分接报", at.month, at.day, at.hour, at.minute);
    c.source = channel_words(f.first_channel) + buf;
  }
  c.course = lines(f.timeline, tz, at.days);
  if (f.figures_known) {
    const auto& g = f.figures;
    c.consequences = {g.deaths, g.injuries + g.serious_injuries, g.missing, g.affected,
                      g.direct_loss_yuan};
  }
  std::string measures = lines(f.dispatches, tz, at.days);
  std::string tasks = lines(f.tasks, tz, at.days);
  if (!measures.empty() && !tasks.empty()) measures += '\n';
  c.measures = measures + tasks;
  c.scope = lines(f.warnings, tz, at.days);
  c.reporting_unit = std::string(reporting_unit);
  c.contact = std::string(contact);
  return c;
}

std::string_view type_name_zh(std::string_view type) {
  if (type == "initial") return "初报";
  if (type == "progress") return "续报";
  if (type == "final") return "终报";
  if (type == "special") return "专报";
  if (type == "daily") return "日报";
  if (type == "bulletin") return "简报";
  return "报告";
}

std::string date_zh(core::Timestamp t, std::string_view zone) {
  const date::time_zone* tz = find_zone(zone);
  auto secs = std::chrono::floor<std::chrono::seconds>(t);
  auto lt = tz ? tz->to_local(secs) : date::local_seconds{secs.time_since_epoch()};
  date::year_month_day ymd{std::chrono::floor<date::days>(lt)};
  return std::to_string(static_cast<int>(ymd.year())) + "年" + std::to_string(static_cast<unsigned>(ymd.month())) +
         "月" + std::to_string(static_cast<unsigned>(ymd.day())) + "日";
}

}  // namespace liandong::reports
