#include "alerts/reader.h"

#include <set>
#include <vector>

#include "alerts/internal/rules.h"
#include "alerts/internal/schema.h"
#include "alerts/internal/text.h"
#include "alerts/internal/xml.h"

namespace liandong::alerts {
namespace {

using internal::excerpt;
using namespace internal::schema;  // NOLINT: the XSD tables
using internal::trim_xml_space;

// The prefix of a qualified name ("cap" of "cap:alert"; "" when none).
std::string_view prefix_of(std::string_view qname) {
  const size_t colon = qname.find(':');
  return colon == std::string_view::npos ? std::string_view() : qname.substr(0, colon);
}

class Reader {
 public:
  Reader(Report& r, int version, std::string_view ns) : r_(r), version_(version), ns_(ns) {}

  Alert read_alert(pugi::xml_node root);

  // Paths that got a structural error, so the rule pass does not report them twice.
  const std::set<std::string>& error_paths() const { return error_paths_; }

 private:
  void error(const std::string& code, const std::string& path, const std::string& message) {
    r_.error(code, path, message);
    error_paths_.insert(path);
  }

  // Walks the element children of `parent` against the sequence `seq`, reporting unknown, out of
  // order, repeated and missing elements; calls on(index into seq, child, child's path) for each
  // child that is a known element of the sequence (also when out of order, to read what is there).
  template <typename On>
  void walk(pugi::xml_node parent, const std::string& path, const Sequence& seq,
            bool signature_tail, On&& on);

  void check_attributes(pugi::xml_node el, const std::string& path);
  std::string text(pugi::xml_node el, const std::string& path);

  Info read_info(pugi::xml_node el, const std::string& path);
  Resource read_resource(pugi::xml_node el, const std::string& path);
  Area read_area(pugi::xml_node el, const std::string& path);
  KeyValue read_pair(pugi::xml_node el, const std::string& path);
  Polygon read_polygon(const std::string& text, const std::string& path);
  std::optional<Circle> read_circle(const std::string& text, const std::string& path);
  std::vector<Reference> read_references(const std::string& text, const std::string& path);
  std::optional<double> read_decimal(const std::string& text, const std::string& path,
                                     const char* what);

  Report& r_;
  int version_;
  std::string_view ns_;
  std::set<std::string> error_paths_;
  bool signature_seen_ = false;
};

template <typename On>
void Reader::walk(pugi::xml_node parent, const std::string& path, const Sequence& seq,
                  bool signature_tail, On&& on) {
  std::vector<int> count(seq.size(), 0);
  size_t pos = 0;
  bool in_tail = false;
  auto missing = [&](size_t m) {
    const std::string name(seq[m].name);
    error("cap.required", path + "/" + name,
          "<" + name + "> is required in <" + std::string(internal::local_name(parent)) + ">");
  };
  const std::string_view parent_prefix = prefix_of(parent.name());
  for (pugi::xml_node child : parent.children()) {
    const pugi::xml_node_type type = child.type();
    if (type == pugi::node_pcdata || type == pugi::node_cdata) {
      if (!trim_xml_space(child.value()).empty())
        error("cap.text.unexpected", path,
              "text '" + excerpt(trim_xml_space(child.value())) + "' directly inside <" +
                  std::string(internal::local_name(parent)) + ">, which holds only elements");
      continue;
    }
    if (type != pugi::node_element) continue;  // comments, processing instructions
    const std::string_view name = internal::local_name(child);
    bool unbound = false;
    // The usual case without a lookup: no declarations of its own and the parent's prefix, so the
    // parent's namespace (walk runs on CAP elements only).
    const std::string_view ns = !child.first_attribute() && prefix_of(child.name()) == parent_prefix
                                    ? ns_
                                    : internal::namespace_of(child, &unbound);
    if (unbound) {
      error("xml.malformed", path + "/" + std::string(name),
            "the prefix of <" + std::string(child.name()) + "> is not declared");
      continue;
    }
    if (ns != ns_) {
      if (signature_tail && ns == kXmlDsigNamespace) {
        in_tail = true;
        if (!signature_seen_) {
          signature_seen_ = true;
          r_.warning("cap.signature", path + "/" + std::string(name),
                     "the alert carries an XML signature; it is not verified and not kept (a "
                     "re-written alert is unsigned)");
        }
        continue;
      }
      error("cap.element.unknown", path + "/" + std::string(name),
            "<" + std::string(name) + "> in namespace '" + excerpt(ns) +
                "' is not part of a CAP <" + std::string(internal::local_name(parent)) + ">");
      continue;
    }
    size_t k = 0;
    while (k < seq.size() && name != seq[k].name) ++k;
    if (k == seq.size()) {
      error("cap.element.unknown", path + "/" + std::string(name),
            "<" + std::string(name) + "> is not an element of <" +
                std::string(internal::local_name(parent)) + "> in CAP " +
                (version_ == 12   ? "1.2"
                 : version_ == 11 ? "1.1"
                                  : "1.0"));
      continue;
    }
    ++count[k];
    const bool many = seq[k].max == kMany;
    std::string child_path = path;
    child_path += '/';
    child_path += name;
    if (many) child_path += "[" + std::to_string(count[k]) + "]";
    if (in_tail) {
      error("cap.order", child_path, "<" + std::string(name) + "> comes after the signature");
    } else if (k >= pos) {
      pos = k;
    } else {
      error("cap.order", child_path,
            "<" + std::string(name) + "> must come before <" + std::string(seq[pos].name) +
                "> (the XSD's element order)");
    }
    if (!many && count[k] > 1) {
      error("cap.cardinality", child_path, "<" + std::string(name) + "> may occur only once");
      continue;
    }
    on(k, child, child_path);
  }
  // Missing elements after the walk, so that one present but out of order is not also missing.
  for (size_t m = 0; m < seq.size(); ++m)
    if (count[m] < seq[m].min) missing(m);
}

void Reader::check_attributes(pugi::xml_node el, const std::string& path) {
  if (!el.first_attribute()) return;
  std::set<std::string_view> seen;
  for (pugi::xml_attribute a : el.attributes()) {
    if (!seen.insert(a.name()).second) {
      error("xml.malformed", path, "attribute '" + excerpt(a.name()) + "' is repeated");
      return;
    }
  }
  for (pugi::xml_attribute a : el.attributes()) {
    if (internal::is_namespace_or_xsi(a, el)) continue;
    error("cap.attribute", path,
          "attribute '" + excerpt(a.name()) + "' is not allowed on <" +
              std::string(internal::local_name(el)) + ">");
  }
}

std::string Reader::text(pugi::xml_node el, const std::string& path) {
  check_attributes(el, path);
  for (pugi::xml_node c : el.children()) {
    if (c.type() == pugi::node_element) {
      error("cap.element.unknown", path + "/" + std::string(internal::local_name(c)),
            "<" + std::string(internal::local_name(el)) + "> holds text, not elements");
      break;
    }
  }
  return internal::text_of(el);
}

std::optional<double> Reader::read_decimal(const std::string& t, const std::string& path,
                                           const char* what) {
  auto v = internal::parse_decimal(t);
  if (!v)
    error("cap.decimal", path,
          std::string(what) + " '" + excerpt(t) + "' is not a decimal number (e.g. 1500 or 12.5)");
  return v;
}

Polygon Reader::read_polygon(const std::string& t, const std::string& path) {
  Polygon p;
  size_t i = 0, n = 0;
  while (i < t.size()) {
    while (i < t.size() && internal::is_xml_space(t[i])) ++i;
    if (i >= t.size()) break;
    size_t j = i;
    while (j < t.size() && !internal::is_xml_space(t[j])) ++j;
    const std::string_view pair = std::string_view(t).substr(i, j - i);
    ++n;
    const size_t comma = pair.find(',');
    std::optional<double> lat, lon;
    if (comma != std::string_view::npos && pair.find(',', comma + 1) == std::string_view::npos) {
      lat = internal::parse_coordinate(pair.substr(0, comma));
      lon = internal::parse_coordinate(pair.substr(comma + 1));
    }
    if (!lat || !lon) {
      error("cap.polygon.form", path,
            "point " + std::to_string(n) + " '" + excerpt(pair) +
                "' is not lat,lon (decimal degrees, points separated by spaces)");
      return {};
    }
    p.points.push_back({*lat, *lon});
    i = j;
  }
  return p;
}

std::optional<Circle> Reader::read_circle(const std::string& t, const std::string& path) {
  const std::string_view s = trim_xml_space(t);
  size_t sp = 0;
  while (sp < s.size() && !internal::is_xml_space(s[sp])) ++sp;
  const std::string_view centre = s.substr(0, sp);
  const std::string_view radius = trim_xml_space(s.substr(sp));
  const size_t comma = centre.find(',');
  std::optional<double> lat, lon, r;
  if (comma != std::string_view::npos && centre.find(',', comma + 1) == std::string_view::npos) {
    lat = internal::parse_coordinate(centre.substr(0, comma));
    lon = internal::parse_coordinate(centre.substr(comma + 1));
  }
  bool one_radius = !radius.empty();
  for (char c : radius) one_radius = one_radius && !internal::is_xml_space(c);
  if (one_radius) r = internal::parse_coordinate(radius);
  if (!lat || !lon || !r) {
    error("cap.circle.form", path,
          "'" + excerpt(s) + "' is not 'lat,lon radius' (decimal degrees, radius in km)");
    return std::nullopt;
  }
  return Circle{*lat, *lon, *r};
}

std::vector<Reference> Reader::read_references(const std::string& t, const std::string& path) {
  std::vector<Reference> refs;
  size_t i = 0, n = 0;
  while (i < t.size()) {
    while (i < t.size() && internal::is_xml_space(t[i])) ++i;
    if (i >= t.size()) break;
    size_t j = i;
    while (j < t.size() && !internal::is_xml_space(t[j])) ++j;
    const std::string_view item = std::string_view(t).substr(i, j - i);
    ++n;
    const size_t a = item.find(',');
    const size_t b = a == std::string_view::npos ? a : item.find(',', a + 1);
    if (b == std::string_view::npos || item.find(',', b + 1) != std::string_view::npos) {
      error("cap.references.form", path,
            "reference " + std::to_string(n) + " '" + excerpt(item) +
                "' is not sender,identifier,sent (references are separated by spaces)");
    } else {
      refs.push_back({std::string(item.substr(0, a)), std::string(item.substr(a + 1, b - a - 1)),
                      std::string(item.substr(b + 1))});
    }
    i = j;
  }
  if (n == 0)
    r_.warning("cap.references.empty", path,
               "references is empty; it is read as no references and not written back");
  return refs;
}

KeyValue Reader::read_pair(pugi::xml_node el, const std::string& path) {
  KeyValue kv;
  if (version_ == 10) {  // 1.0: one string "valueName=value"
    const std::string t = text(el, path);
    const size_t eq = t.find('=');
    if (eq == std::string::npos) {
      r_.warning(
          "cap.mapped", path,
          "CAP 1.0 '" + excerpt(t) + "' has no '='; read as a value with an empty valueName");
      kv.value = t;
    } else {
      kv.name = t.substr(0, eq);
      kv.value = t.substr(eq + 1);
    }
    return kv;
  }
  check_attributes(el, path);
  walk(el, path, kPair, false, [&](size_t k, pugi::xml_node c, const std::string& p) {
    (kPair[k].id == kValueName ? kv.name : kv.value) = text(c, p);
  });
  return kv;
}

Resource Reader::read_resource(pugi::xml_node el, const std::string& path) {
  check_attributes(el, path);
  Resource res;
  bool has_mime = false;
  const Sequence& seq = version_ == 12 ? kResource12 : version_ == 11 ? kResource11 : kResource10;
  walk(el, path, seq, false, [&](size_t k, pugi::xml_node c, const std::string& p) {
    std::string t = text(c, p);
    switch (seq[k].id) {
      case kResourceDesc:
        res.resource_desc = std::move(t);
        break;
      case kMimeType:
        res.mime_type = std::move(t);
        has_mime = true;
        break;
      case kSize:
        res.size = internal::parse_integer(t);
        if (!res.size)
          error("cap.integer", p, "size '" + excerpt(t) + "' is not a whole number of bytes");
        break;
      case kUri:
        res.uri = std::move(t);
        break;
      case kDerefUri:
        res.deref_uri = std::move(t);
        break;
      default:
        res.digest = std::move(t);
        break;
    }
  });
  if (!has_mime && version_ != 12) {
    res.mime_type = "application/octet-stream";
    r_.warning("cap.mapped", path + "/mimeType",
               "CAP 1.0/1.1 resource without mimeType; CAP 1.2 requires one: "
               "application/octet-stream is assumed");
  }
  return res;
}

Area Reader::read_area(pugi::xml_node el, const std::string& path) {
  check_attributes(el, path);
  Area a;
  walk(el, path, kAreaSeq, false, [&](size_t k, pugi::xml_node c, const std::string& p) {
    switch (kAreaSeq[k].id) {
      case kAreaDesc:
        a.area_desc = text(c, p);
        break;
      case kPolygon:
        a.polygons.push_back(read_polygon(text(c, p), p));
        break;
      case kCircle:
        if (auto circle = read_circle(text(c, p), p)) a.circles.push_back(*circle);
        break;
      case kGeocode:
        a.geocodes.push_back(read_pair(c, p));
        break;
      case kAltitude:
        a.altitude = read_decimal(text(c, p), p, "altitude");
        // An unreadable altitude is still there: the ceiling has one.
        if (!a.altitude) error_paths_.insert(path + "/ceiling");
        break;
      default:
        a.ceiling = read_decimal(text(c, p), p, "ceiling");
        break;
    }
  });
  return a;
}

Info Reader::read_info(pugi::xml_node el, const std::string& path) {
  check_attributes(el, path);
  Info info;
  const Sequence& seq = version_ == 10 ? kInfo10 : kInfo12;
  walk(el, path, seq, false, [&](size_t k, pugi::xml_node c, const std::string& p) {
    const Field id = seq[k].id;
    if (id == kParameter) return info.parameters.push_back(read_pair(c, p));
    if (id == kEventCode) return info.event_codes.push_back(read_pair(c, p));
    if (id == kResource) return info.resources.push_back(read_resource(c, p));
    if (id == kArea) return info.areas.push_back(read_area(c, p));
    std::string t = text(c, p);
    switch (id) {
      case kLanguage:
        info.language = std::move(t);
        break;
      case kCategory:
        info.categories.push_back(std::move(t));
        break;
      case kEvent:
        info.event = std::move(t);
        break;
      case kResponseType:
        info.response_types.push_back(std::move(t));
        break;
      case kUrgency:
        info.urgency = std::move(t);
        break;
      case kSeverity:
        info.severity = std::move(t);
        break;
      case kCertainty:
        if (version_ == 10 && t == "Very Likely") {
          r_.warning("cap.mapped", p, "CAP 1.0 certainty 'Very Likely' is read as Likely");
          t = "Likely";
        }
        info.certainty = std::move(t);
        break;
      case kAudience:
        info.audience = std::move(t);
        break;
      case kEffective:
        info.effective = std::move(t);
        break;
      case kOnset:
        info.onset = std::move(t);
        break;
      case kExpires:
        info.expires = std::move(t);
        break;
      case kSenderName:
        info.sender_name = std::move(t);
        break;
      case kHeadline:
        info.headline = std::move(t);
        break;
      case kDescription:
        info.description = std::move(t);
        break;
      case kInstruction:
        info.instruction = std::move(t);
        break;
      case kWeb:
        info.web = std::move(t);
        break;
      default:
        info.contact = std::move(t);
        break;
    }
  });
  return info;
}

Alert Reader::read_alert(pugi::xml_node root) {
  const std::string path = "/alert";
  check_attributes(root, path);
  Alert a;
  const Sequence& seq = version_ == 10 ? kAlert10 : kAlert12;
  walk(root, path, seq, /*signature_tail=*/version_ == 12,
       [&](size_t k, pugi::xml_node c, const std::string& p) {
         const Field id = seq[k].id;
         if (id == kInfo) return a.infos.push_back(read_info(c, p));
         std::string t = text(c, p);
         switch (id) {
           case kIdentifier:
             a.identifier = std::move(t);
             break;
           case kSender:
             a.sender = std::move(t);
             break;
           case kSent:
             a.sent = std::move(t);
             break;
           case kStatus:
             a.status = std::move(t);
             break;
           case kMsgType:
             a.msg_type = std::move(t);
             break;
           case kPassword:
             r_.warning("cap.mapped", p, "CAP 1.0 password is dropped (CAP 1.2 has none)");
             break;
           case kSource:
             a.source = std::move(t);
             break;
           case kScope:
             a.scope = std::move(t);
             break;
           case kRestriction:
             a.restriction = std::move(t);
             break;
           case kAddresses:
             a.addresses = std::move(t);
             break;
           case kCode:
             a.codes.push_back(std::move(t));
             break;
           case kNote:
             a.note = std::move(t);
             break;
           case kReferences:
             a.references = read_references(t, p);
             break;
           default:
             a.incidents = std::move(t);
             break;
         }
       });
  return a;
}

}  // namespace

ReadOutcome read_cap(std::string_view xml, const ReadLimits& limits) {
  ReadOutcome out;
  internal::XmlProblem problem;
  auto doc = internal::parse_untrusted(xml, limits.max_bytes, limits.max_depth, problem);
  if (!doc) {
    out.report.error(problem.code, "/", problem.message);
    return out;
  }
  const pugi::xml_node root = doc->doc.document_element();
  bool unbound = false;
  const std::string_view ns = internal::namespace_of(root, &unbound);
  const std::string_view name = internal::local_name(root);
  if (name != "alert") {
    out.report.error(
        "cap.root", "/" + std::string(name),
        "the root element is <" + excerpt(root.name()) + ">, not a CAP <alert>" +
            (name == "EDXLDistribution" ? " (an EDXL-DE envelope: unwrap it first)" : ""));
    return out;
  }
  if (ns == kCapNamespace12)
    out.version = 12;
  else if (ns == kCapNamespace11)
    out.version = 11;
  else if (ns == kCapNamespace10)
    out.version = 10;
  if (out.version == 0) {
    out.report.error("cap.namespace", "/alert",
                     ns.empty() ? std::string("<alert> has no namespace; CAP 1.2 is ") +
                                      std::string(kCapNamespace12)
                                : "<alert> is in namespace '" + excerpt(ns) + "', not CAP 1.2 (" +
                                      std::string(kCapNamespace12) + "), 1.1 or 1.0");
    return out;
  }
  Reader reader(out.report, out.version, ns);
  Alert alert = reader.read_alert(root);
  Report rules;
  internal::check_alert(rules, alert);
  // A path the reader already faulted (a missing element, an unreadable polygon held empty) is not
  // judged again by the rules.
  for (Issue& i : rules.issues)
    if (!reader.error_paths().count(i.path)) out.report.issues.push_back(std::move(i));
  out.alert = std::move(alert);
  return out;
}

}  // namespace liandong::alerts
