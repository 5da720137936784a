// The CAP 1.2 alert model (OASIS Common Alerting Protocol 1.2), the shape read_cap gives and
// write_cap takes (docs/CAP.md "The model").
//
// Plain values, one struct per CAP element with children, members in the XSD's element order.
// Text is kept as it was (no trimming), so a read → write → read gives the same model. Times
// (sent, effective, onset, expires, a reference's sent) are kept as their text, so a round trip
// keeps them exactly; cap_time() reads them. Enumerations (status, msgType, scope, category,
// responseType, urgency, severity, certainty) are strings, checked by validate() against the
// allowed sets below, so that an unknown value is reported, not lost. Optional elements are
// std::optional; an element that may repeat is a vector, in document order.
//
// Copyable, thread-compatible (no shared state). operator== compares every member.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace liandong::alerts {

// The namespaces read_cap knows (docs/CAP.md "Versions"); write_cap writes kCapNamespace12.
inline constexpr std::string_view kCapNamespace12 = "urn:oasis:names:tc:emergency:cap:1.2";
inline constexpr std::string_view kCapNamespace11 = "urn:oasis:names:tc:emergency:cap:1.1";
inline constexpr std::string_view kCapNamespace10 = "http://www.incident.com/cap/1.0";
// XML-Signature: CAP 1.2 allows <Signature> elements of this namespace after the last <info>.
inline constexpr std::string_view kXmlDsigNamespace = "http://www.w3.org/2000/09/xmldsig#";

// The allowed values of each CAP 1.2 enumeration, in the XSD's order.
inline constexpr std::array<std::string_view, 5> kStatuses = {"Actual", "Exercise", "System",
                                                              "Test", "Draft"};
inline constexpr std::array<std::string_view, 5> kMsgTypes = {"Alert", "Update", "Cancel", "Ack",
                                                              "Error"};
inline constexpr std::array<std::string_view, 3> kScopes = {"Public", "Restricted", "Private"};
inline constexpr std::array<std::string_view, 12> kCategories = {
    "Geo",    "Met", "Safety",    "Security", "Rescue", "Fire",
    "Health", "Env", "Transport", "Infra",    "CBRNE",  "Other"};
inline constexpr std::array<std::string_view, 9> kResponseTypes = {
    "Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess", "AllClear", "None"};
inline constexpr std::array<std::string_view, 5> kUrgencies = {"Immediate", "Expected", "Future",
                                                               "Past", "Unknown"};
inline constexpr std::array<std::string_view, 5> kSeverities = {"Extreme", "Severe", "Moderate",
                                                                "Minor", "Unknown"};
inline constexpr std::array<std::string_view, 5> kCertainties = {"Observed", "Likely", "Possible",
                                                                 "Unlikely", "Unknown"};

// <eventCode>, <parameter>, <geocode>: a <valueName> and its <value>.
struct KeyValue {
  std::string name;
  std::string value;
  bool operator==(const KeyValue&) const = default;
};

// One entry of <references>: the earlier message's "sender,identifier,sent".
struct Reference {
  std::string sender;
  std::string identifier;
  std::string sent;  // CAP date-time text
  bool operator==(const Reference&) const = default;
};

struct Resource {
  std::string resource_desc;
  std::string mime_type;
  std::optional<std::int64_t> size;  // bytes
  std::optional<std::string> uri;
  std::optional<std::string> deref_uri;  // base64 of the resource itself
  std::optional<std::string> digest;     // SHA-1 hex of the resource
  bool operator==(const Resource&) const = default;
};

// WGS-84 decimal degrees.
struct Point {
  double lat = 0;
  double lon = 0;
  bool operator==(const Point&) const = default;
};

// <polygon>: "lat,lon lat,lon ..."; CAP wants it closed (first point == last) with at least four
// points. No points is an empty <polygon/> (a warning).
struct Polygon {
  std::vector<Point> points;
  bool operator==(const Polygon&) const = default;
};

// <circle>: "lat,lon radius" with the radius in kilometres.
struct Circle {
  double lat = 0;
  double lon = 0;
  double radius_km = 0;
  bool operator==(const Circle&) const = default;
};

struct Area {
  std::string area_desc;
  std::vector<Polygon> polygons;
  std::vector<Circle> circles;
  std::vector<KeyValue> geocodes;
  std::optional<double> altitude;  // feet above mean sea level (xs:decimal)
  std::optional<double> ceiling;   // feet; only with altitude
  bool operator==(const Area&) const = default;
};

struct Info {
  std::optional<std::string> language;  // RFC 3066 tag; absent means en-US
  std::vector<std::string> categories;  // at least one, of kCategories
  std::string event;
  std::vector<std::string> response_types;  // of kResponseTypes
  std::string urgency;                      // of kUrgencies
  std::string severity;                     // of kSeverities
  std::string certainty;                    // of kCertainties
  std::optional<std::string> audience;
  std::vector<KeyValue> event_codes;
  std::optional<std::string> effective;  // CAP date-time text
  std::optional<std::string> onset;
  std::optional<std::string> expires;
  std::optional<std::string> sender_name;
  std::optional<std::string> headline;
  std::optional<std::string> description;
  std::optional<std::string> instruction;
  std::optional<std::string> web;
  std::optional<std::string> contact;
  std::vector<KeyValue> parameters;
  std::vector<Resource> resources;
  std::vector<Area> areas;
  bool operator==(const Info&) const = default;
};

struct Alert {
  std::string identifier;
  std::string sender;
  std::string sent;      // CAP date-time text, e.g. "2026-11-29T13:05:00+08:00"
  std::string status;    // of kStatuses
  std::string msg_type;  // of kMsgTypes
  std::optional<std::string> source;
  std::string scope;  // of kScopes
  std::optional<std::string> restriction;
  std::optional<std::string> addresses;  // space-separated; required when scope is Private
  std::vector<std::string> codes;
  std::optional<std::string> note;
  std::vector<Reference> references;  // written as one space-separated <references>
  std::optional<std::string> incidents;
  std::vector<Info> infos;
  bool operator==(const Alert&) const = default;
};

// Reads a CAP date-time "YYYY-MM-DDThh:mm:ss±hh:mm" (surrounding XML whitespace allowed, as the
// XSD's xs:dateTime collapses it). "Z", a missing offset, fractions of a second and impossible
// dates or times are refused with kInvalidArgument saying what is wrong.
core::Result<core::Timestamp> cap_time(std::string_view text);

// True when `value` is one of `allowed` (exact, case-sensitive, as the XSD compares).
template <size_t N>
bool is_one_of(std::string_view value, const std::array<std::string_view, N>& allowed) {
  for (std::string_view a : allowed)
    if (a == value) return true;
  return false;
}

}  // namespace liandong::alerts
