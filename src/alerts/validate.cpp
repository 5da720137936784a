#include "alerts/validate.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "alerts/internal/rules.h"
#include "alerts/internal/text.h"

namespace liandong::alerts {

const char* severity_name(Severity s) { return s == Severity::kError ? "error" : "warning"; }

bool Report::ok() const {
  return std::none_of(issues.begin(), issues.end(),
                      [](const Issue& i) { return i.severity == Severity::kError; });
}

std::vector<Issue> Report::errors() const {
  std::vector<Issue> out;
  for (const Issue& i : issues)
    if (i.severity == Severity::kError) out.push_back(i);
  return out;
}

std::vector<Issue> Report::warnings() const {
  std::vector<Issue> out;
  for (const Issue& i : issues)
    if (i.severity == Severity::kWarning) out.push_back(i);
  return out;
}

std::vector<std::string> Report::error_codes() const {
  std::set<std::string> codes;
  for (const Issue& i : issues)
    if (i.severity == Severity::kError) codes.insert(i.code);
  return {codes.begin(), codes.end()};
}

std::string Report::to_string() const {
  std::string out;
  for (const Issue& i : issues) {
    out += severity_name(i.severity);
    out += ' ' + i.code + ' ' + i.path + ": " + i.message + '\n';
  }
  return out;
}

void Report::error(std::string code, std::string path, std::string message) {
  issues.push_back({Severity::kError, std::move(code), std::move(path), std::move(message)});
}

void Report::warning(std::string code, std::string path, std::string message) {
  issues.push_back({Severity::kWarning, std::move(code), std::move(path), std::move(message)});
}

namespace internal {
namespace {

std::string indexed(const std::string& parent, const char* name, size_t i) {
  return parent + "/" + name + "[" + std::to_string(i + 1) + "]";
}

template <size_t N>
void check_enum(Report& r, const std::string& path, const char* what, const std::string& value,
                const std::array<std::string_view, N>& allowed) {
  if (is_one_of(value, allowed)) return;
  std::string list;
  for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  r.error("cap.enum", path, std::string(what) + " '" + excerpt(value) + "' is not one of " + list);
}

void check_time(Report& r, const std::string& path, const std::string& value) {
  auto t = cap_time(value);
  if (!t) r.error("cap.datetime", path, t.status().message());
}

void check_html(Report& r, const std::string& path, const std::optional<std::string>& text) {
  if (text && has_html(*text))
    r.warning("cap.text.html", path,
              "the text holds HTML markup; CAP text is plain text and receivers show it as is");
}

void check_point(Report& r, const std::string& path, double lat, double lon, const char* what) {
  if (!std::isfinite(lat) || !std::isfinite(lon) || lat < -90 || lat > 90 || lon < -180 ||
      lon > 180) {
    r.error("cap.coordinate.range", path,
            std::string(what) + " " + format_decimal(std::isfinite(lat) ? lat : 0) + "," +
                format_decimal(std::isfinite(lon) ? lon : 0) +
                (std::isfinite(lat) && std::isfinite(lon) ? "" : " (not a finite number)") +
                " is outside latitude -90..90, longitude -180..180 (WGS-84 degrees, lat,lon)");
  }
}

void check_area(Report& r, const std::string& path, const Area& a) {
  if (trim_xml_space(a.area_desc).empty())
    r.warning("cap.empty", path + "/areaDesc", "areaDesc is empty; it should describe the area");
  for (size_t i = 0; i < a.polygons.size(); ++i) {
    const std::string p = indexed(path, "polygon", i);
    const auto& pts = a.polygons[i].points;
    if (pts.empty()) {
      r.warning("cap.polygon.empty", p,
                "the polygon is empty; it is ignored (the XSD allows it, CAP means none)");
      continue;
    }
    bool in_range = true;
    for (size_t k = 0; k < pts.size() && in_range; ++k) {
      const size_t before = r.issues.size();
      check_point(r, p, pts[k].lat, pts[k].lon, ("point " + std::to_string(k + 1)).c_str());
      in_range = r.issues.size() == before;
    }
    if (pts.size() < 4) {
      r.error("cap.polygon.points", p,
              "a polygon needs at least 4 points (3 corners and the first repeated to close it); "
              "it has " +
                  std::to_string(pts.size()));
    } else if (!(pts.front() == pts.back())) {
      r.error("cap.polygon.closed", p,
              "the polygon is not closed: its last point must repeat the first (" +
                  format_decimal(pts.front().lat) + "," + format_decimal(pts.front().lon) + ")");
    }
  }
  for (size_t i = 0; i < a.circles.size(); ++i) {
    const std::string p = indexed(path, "circle", i);
    const Circle& c = a.circles[i];
    check_point(r, p, c.lat, c.lon, "the centre");
    if (!std::isfinite(c.radius_km) || c.radius_km < 0)
      r.error("cap.circle.form", p, "the radius must be a number of kilometres, 0 or more");
  }
  if (a.altitude && !std::isfinite(*a.altitude))
    r.error("cap.decimal", path + "/altitude", "altitude is not a finite decimal number");
  if (a.ceiling && !std::isfinite(*a.ceiling))
    r.error("cap.decimal", path + "/ceiling", "ceiling is not a finite decimal number");
  if (a.ceiling && !a.altitude)
    r.error("cap.ceiling.altitude", path + "/ceiling",
            "ceiling is given without altitude; CAP allows ceiling only with altitude");
}

void check_resource(Report& r, const std::string& path, const Resource& res) {
  if (trim_xml_space(res.resource_desc).empty())
    r.warning("cap.empty", path + "/resourceDesc", "resourceDesc is empty");
  if (trim_xml_space(res.mime_type).empty())
    r.warning("cap.empty", path + "/mimeType", "mimeType is empty");
  if (res.size && *res.size < 0)
    r.error("cap.resource.size", path + "/size", "size is a number of bytes, 0 or more");
}

void check_info(Report& r, const std::string& path, const Info& info) {
  if (info.language && !is_language_tag(*info.language))
    r.error(
        "cap.language", path + "/language",
        "'" + excerpt(*info.language) + "' is not a language tag (RFC 3066, e.g. zh-CN, en-US)");
  if (info.categories.empty())
    r.error("cap.required", path + "/category", "an info needs at least one category");
  for (size_t i = 0; i < info.categories.size(); ++i)
    check_enum(r, indexed(path, "category", i), "category", info.categories[i], kCategories);
  if (trim_xml_space(info.event).empty())
    r.warning("cap.empty", path + "/event", "event is empty; it should name the event type");
  for (size_t i = 0; i < info.response_types.size(); ++i)
    check_enum(r, indexed(path, "responseType", i), "responseType", info.response_types[i],
               kResponseTypes);
  check_enum(r, path + "/urgency", "urgency", info.urgency, kUrgencies);
  check_enum(r, path + "/severity", "severity", info.severity, kSeverities);
  check_enum(r, path + "/certainty", "certainty", info.certainty, kCertainties);
  if (info.effective) check_time(r, path + "/effective", *info.effective);
  if (info.onset) check_time(r, path + "/onset", *info.onset);
  if (info.expires) check_time(r, path + "/expires", *info.expires);
  check_html(r, path + "/headline", info.headline);
  check_html(r, path + "/description", info.description);
  check_html(r, path + "/instruction", info.instruction);
  for (size_t i = 0; i < info.resources.size(); ++i)
    check_resource(r, indexed(path, "resource", i), info.resources[i]);
  for (size_t i = 0; i < info.areas.size(); ++i)
    check_area(r, indexed(path, "area", i), info.areas[i]);
}

}  // namespace

void check_identifier(Report& r, const std::string& path, const char* what,
                      const std::string& value) {
  if (value.empty()) {
    r.error("cap.required", path, std::string(what) + " is empty");
    return;
  }
  for (char c : value) {
    if (is_xml_space(c) || c == ',' || c == '<' || c == '&') {
      const std::string shown = c == ' '   ? "a space"
                                : c == ',' ? "a comma"
                                : c == '<' ? "'<'"
                                : c == '&' ? "'&'"
                                           : "whitespace";
      r.error("cap.identifier.chars", path,
              std::string(what) + " '" + excerpt(value) + "' holds " + shown +
                  "; CAP forbids spaces, commas, '<' and '&' in it");
      return;
    }
  }
}

void check_alert(Report& r, const Alert& a) {
  check_identifier(r, "/alert/identifier", "identifier", a.identifier);
  check_identifier(r, "/alert/sender", "sender", a.sender);
  check_time(r, "/alert/sent", a.sent);
  check_enum(r, "/alert/status", "status", a.status, kStatuses);
  check_enum(r, "/alert/msgType", "msgType", a.msg_type, kMsgTypes);
  check_enum(r, "/alert/scope", "scope", a.scope, kScopes);
  if (a.scope == "Private" && (!a.addresses || trim_xml_space(*a.addresses).empty()))
    r.error("cap.scope.addresses", "/alert/addresses",
            "scope is Private, so addresses must name the recipients");
  if (a.scope == "Restricted" && (!a.restriction || trim_xml_space(*a.restriction).empty()))
    r.error("cap.scope.restriction", "/alert/restriction",
            "scope is Restricted, so restriction must say the rule for recipients");
  check_html(r, "/alert/note", a.note);
  for (size_t i = 0; i < a.references.size(); ++i) {
    const Reference& ref = a.references[i];
    const std::string which = "reference " + std::to_string(i + 1) + " ";
    Report inner;
    check_identifier(inner, "", "its sender", ref.sender);
    check_identifier(inner, "", "its identifier", ref.identifier);
    check_time(inner, "", ref.sent);
    for (const Issue& is : inner.issues)
      r.error("cap.references.form", "/alert/references",
              which + "(sender,identifier,sent): " + is.message);
  }
  if (a.references.empty() && (a.msg_type == "Update" || a.msg_type == "Cancel"))
    r.warning("cap.references.missing", "/alert/references",
              "an " + a.msg_type + " should name the messages it replaces in references");
  for (size_t i = 0; i < a.infos.size(); ++i)
    check_info(r, indexed("/alert", "info", i), a.infos[i]);
}

}  // namespace internal

Report validate(const Alert& alert) {
  Report r;
  internal::check_alert(r, alert);
  return r;
}

}  // namespace liandong::alerts
