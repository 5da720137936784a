#include "engine/alert_cap.h"

#include <fmt/format.h>

#include "alerts/cap.h"
#include "alerts/national_id.h"
#include "alerts/reader.h"
#include "alerts/validate.h"
#include "alerts/writer.h"

namespace liandong::engine {

namespace {

std::optional<std::string> opt(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

std::string cap_time_text(core::Timestamp t) { return alerts::beijing_time(t); }

alerts::Info info_of(const AlertContent& c) {
  alerts::Info info;
  info.language = c.language;
  info.categories = c.categories;
  info.event = c.event;
  info.response_types = c.response_types;
  info.urgency = c.urgency;
  info.severity = c.severity;
  info.certainty = c.certainty;
  if (c.onset) info.onset = cap_time_text(*c.onset);
  if (c.expires) info.expires = cap_time_text(*c.expires);
  info.sender_name = opt(c.sender_name);
  info.headline = opt(c.headline);
  info.description = opt(c.description);
  info.instruction = opt(c.instruction);
  info.web = opt(c.web);
  info.contact = opt(c.contact);
  if (!c.area_desc.empty() || !c.polygons.empty() || !c.circles.empty() || !c.geocodes.empty()) {
    alerts::Area area;
    area.area_desc = c.area_desc.empty() ? "见预警内容" : c.area_desc;
    for (const auto& ring : c.polygons) {
      alerts::Polygon p;
      for (const auto& q : ring) p.points.push_back(alerts::Point{q.lat, q.lon});
      area.polygons.push_back(std::move(p));
    }
    for (const auto& k : c.circles) area.circles.push_back(alerts::Circle{k.centre.lat, k.centre.lon, k.radius_km});
    for (const auto& g : c.geocodes) area.geocodes.push_back(alerts::KeyValue{"GB/T 2260", g});
    info.areas.push_back(std::move(area));
  }
  return info;
}

AlertContent content_of(const alerts::Info& info) {
  AlertContent c;
  c.language = info.language.value_or("en-US");
  c.categories = info.categories;
  c.event = info.event;
  c.response_types = info.response_types;
  c.urgency = info.urgency;
  c.severity = info.severity;
  c.certainty = info.certainty;
  if (info.onset)
    if (auto t = alerts::cap_time(*info.onset)) c.onset = *t;
  if (info.expires)
    if (auto t = alerts::cap_time(*info.expires)) c.expires = *t;
  c.sender_name = info.sender_name.value_or("");
  c.headline = info.headline.value_or("");
  c.description = info.description.value_or("");
  c.instruction = info.instruction.value_or("");
  c.web = info.web.value_or("");
  c.contact = info.contact.value_or("");
  for (const auto& area : info.areas) {
    if (!c.area_desc.empty()) c.area_desc += "；";
    c.area_desc += area.area_desc;
    for (const auto& p : area.polygons) {
      std::vector<core::LonLat> ring;
      for (const auto& q : p.points) ring.push_back({q.lon, q.lat});
      if (!ring.empty()) c.polygons.push_back(std::move(ring));
    }
    for (const auto& k : area.circles) c.circles.push_back(AlertCircle{{k.lon, k.lat}, k.radius_km});
    for (const auto& g : area.geocodes)
      if (g.value.size() == 6 && g.value.find_first_not_of("0123456789") == std::string::npos)
        c.geocodes.push_back(g.value);
  }
  return c;
}

nlohmann::json issues_json(const alerts::Report& report) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& i : report.issues)
    out.push_back({{"severity", alerts::severity_name(i.severity)},
                   {"code", i.code},
                   {"path", i.path},
                   {"message", i.message}});
  return out;
}

}  // namespace

std::string national_identifier(std::string_view division, std::string_view body_code, core::Timestamp at,
                                int sequence) {
  return alerts::format_national_id(
      alerts::NationalId{std::string(division), std::string(body_code), at, sequence});
}

std::string reference_of(const AlertRecord& a) {
  return a.sender + "," + a.identifier + "," + (a.sent ? cap_time_text(*a.sent) : std::string());
}

namespace {

alerts::Alert cap_of(const AlertRecord& a) {
  alerts::Alert cap;
  cap.identifier = a.identifier;
  cap.sender = a.sender;
  cap.sent = a.sent ? cap_time_text(*a.sent) : std::string();
  cap.status = a.cap_status;
  cap.msg_type = a.msg_type;
  cap.scope = a.scope;
  cap.source = opt(a.warning_id.empty() ? std::string() : "Liandong " + a.warning_id);
  for (const auto& r : a.references) {
    auto c1 = r.find(','), c2 = r.find(',', c1 == std::string::npos ? c1 : c1 + 1);
    if (c1 == std::string::npos || c2 == std::string::npos) {
      cap.references.push_back(alerts::Reference{r, "", ""});  // the validator names it
      continue;
    }
    cap.references.push_back(alerts::Reference{r.substr(0, c1), r.substr(c1 + 1, c2 - c1 - 1), r.substr(c2 + 1)});
  }
  cap.infos.push_back(info_of(a.content));
  return cap;
}

}  // namespace

Rendered preview_cap(const AlertRecord& a) {
  alerts::Alert cap = cap_of(a);
  alerts::Report report = alerts::validate(cap);
  return Rendered{alerts::write_cap(cap), issues_json(report), report.ok()};
}

core::Result<std::string> render_cap(const AlertRecord& a) {
  alerts::Alert cap = cap_of(a);
  alerts::Report report = alerts::validate(cap);
  if (!report.ok()) {
    std::string message = "the alert would not be valid CAP 1.2: ";
    auto errors = report.errors();
    for (size_t i = 0; i < errors.size(); ++i)
      message += (i ? "; " : "") + errors[i].code + " at " + errors[i].path + ": " + errors[i].message;
    return core::invalid(message, errors.front().path);
  }
  return alerts::write_cap(cap);
}

Received read_received(std::string_view xml) {
  Received out;
  alerts::ReadOutcome r = alerts::read_cap(xml);
  out.report = issues_json(r.report);
  out.accepted = r.accepted();
  if (!r.alert) return out;
  const alerts::Alert& cap = *r.alert;
  AlertRecord& a = out.record;
  a.direction = "incoming";
  a.identifier = cap.identifier;
  a.sender = cap.sender;
  if (auto t = alerts::cap_time(cap.sent)) a.sent = *t;
  a.msg_type = cap.msg_type;
  a.cap_status = cap.status;
  a.scope = cap.scope;
  for (const auto& ref : cap.references) a.references.push_back(ref.sender + "," + ref.identifier + "," + ref.sent);
  const alerts::Info* chosen = nullptr;
  for (const auto& info : cap.infos)
    if (!chosen && info.language && info.language->rfind("zh", 0) == 0) chosen = &info;
  if (!chosen && !cap.infos.empty()) chosen = &cap.infos.front();
  if (chosen) a.content = content_of(*chosen);
  return out;
}

}  // namespace liandong::engine
