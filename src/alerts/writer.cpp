#include "alerts/writer.h"

#include <pugixml.hpp>

#include "alerts/internal/text.h"
#include "alerts/internal/xml.h"

namespace liandong::alerts {
namespace {

using internal::format_decimal;

void add(pugi::xml_node parent, const char* name, const std::string& text) {
  pugi::xml_node el = parent.append_child(name);
  if (!text.empty()) el.append_child(pugi::node_pcdata).set_value(text.c_str());
}

void add(pugi::xml_node parent, const char* name, const std::optional<std::string>& text) {
  if (text) add(parent, name, *text);
}

void add_pair(pugi::xml_node parent, const char* name, const KeyValue& kv) {
  pugi::xml_node el = parent.append_child(name);
  add(el, "valueName", kv.name);
  add(el, "value", kv.value);
}

void write_area(pugi::xml_node parent, const Area& a) {
  pugi::xml_node el = parent.append_child("area");
  add(el, "areaDesc", a.area_desc);
  for (const Polygon& p : a.polygons) {
    std::string t;
    for (const Point& pt : p.points) {
      if (!t.empty()) t += ' ';
      t += format_decimal(pt.lat) + "," + format_decimal(pt.lon);
    }
    add(el, "polygon", t);
  }
  for (const Circle& c : a.circles)
    add(el, "circle",
        format_decimal(c.lat) + "," + format_decimal(c.lon) + " " + format_decimal(c.radius_km));
  for (const KeyValue& g : a.geocodes) add_pair(el, "geocode", g);
  if (a.altitude) add(el, "altitude", format_decimal(*a.altitude));
  if (a.ceiling) add(el, "ceiling", format_decimal(*a.ceiling));
}

void write_resource(pugi::xml_node parent, const Resource& r) {
  pugi::xml_node el = parent.append_child("resource");
  add(el, "resourceDesc", r.resource_desc);
  add(el, "mimeType", r.mime_type);
  if (r.size) add(el, "size", std::to_string(*r.size));
  add(el, "uri", r.uri);
  add(el, "derefUri", r.deref_uri);
  add(el, "digest", r.digest);
}

void write_info(pugi::xml_node parent, const Info& i) {
  pugi::xml_node el = parent.append_child("info");
  add(el, "language", i.language);
  for (const std::string& c : i.categories) add(el, "category", c);
  add(el, "event", i.event);
  for (const std::string& t : i.response_types) add(el, "responseType", t);
  add(el, "urgency", i.urgency);
  add(el, "severity", i.severity);
  add(el, "certainty", i.certainty);
  add(el, "audience", i.audience);
  for (const KeyValue& kv : i.event_codes) add_pair(el, "eventCode", kv);
  add(el, "effective", i.effective);
  add(el, "onset", i.onset);
  add(el, "expires", i.expires);
  add(el, "senderName", i.sender_name);
  add(el, "headline", i.headline);
  add(el, "description", i.description);
  add(el, "instruction", i.instruction);
  add(el, "web", i.web);
  add(el, "contact", i.contact);
  for (const KeyValue& kv : i.parameters) add_pair(el, "parameter", kv);
  for (const Resource& r : i.resources) write_resource(el, r);
  for (const Area& a : i.areas) write_area(el, a);
}

}  // namespace

std::string write_cap(const Alert& a) {
  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node el = doc.append_child("alert");
  el.append_attribute("xmlns") = std::string(kCapNamespace12).c_str();
  add(el, "identifier", a.identifier);
  add(el, "sender", a.sender);
  add(el, "sent", a.sent);
  add(el, "status", a.status);
  add(el, "msgType", a.msg_type);
  add(el, "source", a.source);
  add(el, "scope", a.scope);
  add(el, "restriction", a.restriction);
  add(el, "addresses", a.addresses);
  for (const std::string& c : a.codes) add(el, "code", c);
  add(el, "note", a.note);
  if (!a.references.empty()) {
    std::string t;
    for (const Reference& r : a.references) {
      if (!t.empty()) t += ' ';
      t += r.sender + "," + r.identifier + "," + r.sent;
    }
    add(el, "references", t);
  }
  add(el, "incidents", a.incidents);
  for (const Info& i : a.infos) write_info(el, i);
  return internal::to_text(doc);
}

}  // namespace liandong::alerts
