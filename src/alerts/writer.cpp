#include "alerts/writer.h"

#include "alerts/internal/text.h"
#include "alerts/internal/xml.h"

namespace liandong::alerts {
namespace {

using internal::format_decimal;
using internal::XmlOut;

void opt(XmlOut& x, std::string_view name, const std::optional<std::string>& text) {
  if (text) x.leaf(name, *text);
}

void pair(XmlOut& x, std::string_view name, const KeyValue& kv) {
  x.open(name);
  x.leaf("valueName", kv.name);
  x.leaf("value", kv.value);
  x.close();
}

void write_area(XmlOut& x, const Area& a) {
  x.open("area");
  x.leaf("areaDesc", a.area_desc);
  for (const Polygon& p : a.polygons) {
    std::string t;
    for (const Point& pt : p.points) {
      if (!t.empty()) t += ' ';
      t += format_decimal(pt.lat) + "," + format_decimal(pt.lon);
    }
    x.leaf("polygon", t);
  }
  for (const Circle& c : a.circles)
    x.leaf("circle",
           format_decimal(c.lat) + "," + format_decimal(c.lon) + " " + format_decimal(c.radius_km));
  for (const KeyValue& g : a.geocodes) pair(x, "geocode", g);
  if (a.altitude) x.leaf("altitude", format_decimal(*a.altitude));
  if (a.ceiling) x.leaf("ceiling", format_decimal(*a.ceiling));
  x.close();
}

void write_resource(XmlOut& x, const Resource& r) {
  x.open("resource");
  x.leaf("resourceDesc", r.resource_desc);
  x.leaf("mimeType", r.mime_type);
  if (r.size) x.leaf("size", std::to_string(*r.size));
  opt(x, "uri", r.uri);
  opt(x, "derefUri", r.deref_uri);
  opt(x, "digest", r.digest);
  x.close();
}

void write_info(XmlOut& x, const Info& i) {
  x.open("info");
  opt(x, "language", i.language);
  for (const std::string& c : i.categories) x.leaf("category", c);
  x.leaf("event", i.event);
  for (const std::string& t : i.response_types) x.leaf("responseType", t);
  x.leaf("urgency", i.urgency);
  x.leaf("severity", i.severity);
  x.leaf("certainty", i.certainty);
  opt(x, "audience", i.audience);
  for (const KeyValue& kv : i.event_codes) pair(x, "eventCode", kv);
  opt(x, "effective", i.effective);
  opt(x, "onset", i.onset);
  opt(x, "expires", i.expires);
  opt(x, "senderName", i.sender_name);
  opt(x, "headline", i.headline);
  opt(x, "description", i.description);
  opt(x, "instruction", i.instruction);
  opt(x, "web", i.web);
  opt(x, "contact", i.contact);
  for (const KeyValue& kv : i.parameters) pair(x, "parameter", kv);
  for (const Resource& r : i.resources) write_resource(x, r);
  for (const Area& a : i.areas) write_area(x, a);
  x.close();
}

}  // namespace

std::string write_cap(const Alert& a) {
  XmlOut x;
  x.open("alert", {{"xmlns", kCapNamespace12}});
  x.leaf("identifier", a.identifier);
  x.leaf("sender", a.sender);
  x.leaf("sent", a.sent);
  x.leaf("status", a.status);
  x.leaf("msgType", a.msg_type);
  opt(x, "source", a.source);
  x.leaf("scope", a.scope);
  opt(x, "restriction", a.restriction);
  opt(x, "addresses", a.addresses);
  for (const std::string& c : a.codes) x.leaf("code", c);
  opt(x, "note", a.note);
  if (!a.references.empty()) {
    std::string t;
    for (const Reference& r : a.references) {
      if (!t.empty()) t += ' ';
      t += r.sender + "," + r.identifier + "," + r.sent;
    }
    x.leaf("references", t);
  }
  opt(x, "incidents", a.incidents);
  for (const Info& i : a.infos) write_info(x, i);
  x.close();
  return x.take();
}

}  // namespace liandong::alerts
