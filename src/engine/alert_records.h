// The records of CAP alerts in the live state (issue "CAP alerts"): alerts the node issues from its
// warnings (drafted, approved, published, superseded or cancelled by later messages) and alerts it
// receives from outside (applied to a warning, or quarantined with their validation report); the
// webhook subscribers published alerts go to; and the outside feeds the node reads.
//
// An alert's content is the CAP `info` a person composes (one language block); the identifier,
// sent time and references are assigned when it is published, and the CAP document as published
// (or received) is kept verbatim in `xml`. Plain values; the engine replaces a record to change it.
// to_json gives the API and snapshot form (docs/API.md "Alerts"); from_json is its inverse and fails
// with kInvalidArgument on a malformed record.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/geo.h"
#include "core/status.h"
#include "core/time.h"

namespace liandong::engine {

// A circle of the alert's area: centre and radius.
struct AlertCircle {
  core::LonLat centre;
  double radius_km = 0;
};

// What a person composes: the CAP info block (zh-CN) and the area. Enumerated values are CAP's
// (category Geo|Met|Safety|Security|Rescue|Fire|Health|Env|Transport|Infra|CBRNE|Other, urgency
// Immediate|Expected|Future|Past|Unknown, severity Extreme|Severe|Moderate|Minor|Unknown, certainty
// Observed|Likely|Possible|Unlikely|Unknown); the CAP codec checks them when the alert is rendered.
struct AlertContent {
  std::string language = "zh-CN";
  std::vector<std::string> categories;
  std::string event;
  std::vector<std::string> response_types;  // Shelter | Evacuate | Prepare | Execute | Avoid | Monitor | ...
  std::string urgency;
  std::string severity;
  std::string certainty;
  std::string sender_name;
  std::string headline;
  std::string description;
  std::string instruction;
  std::string contact;
  std::string web;
  std::optional<core::Timestamp> onset;
  std::optional<core::Timestamp> expires;
  std::string area_desc;
  std::vector<std::vector<core::LonLat>> polygons;  // closed rings (first point = last)
  std::vector<AlertCircle> circles;
  std::vector<std::string> geocodes;  // GB/T 2260 codes of the area (CAP geocode "GB/T 2260")
  bool operator==(const AlertContent&) const = default;
};

struct AlertStep {
  std::string action;  // drafted | edited | submitted | approved | rejected | published | superseded
                       // | cancelled | received | updated | quarantined
  std::string by;
  core::Timestamp at{};
  std::string note;
  std::string permission;  // approvals: the permission the approver held (warning.approve.red ...)
};

struct AlertRecord {
  std::string id;  // 441300-ALR-4
  std::string jurisdiction;
  std::string direction;  // outgoing | incoming
  // outgoing: draft | pending_approval | published | superseded | cancelled
  // incoming: received | superseded | cancelled | quarantined
  std::string state;
  std::string warning_id;        // the warning it was drafted from (outgoing) or raised (incoming)
  std::string msg_type;          // Alert | Update | Cancel
  std::string cap_status;        // Actual | Exercise | Test
  std::string scope = "Public";  // Public | Restricted | Private
  std::string level;             // the warning level it carries: blue | yellow | orange | red
  std::string approval;          // the permission an approver needs, or "" (issued by the drafter)
  std::string replaces;          // the alert this Update/Cancel follows (an id of this node)
  std::string replaced_by;       // the alert that updated or cancelled this one
  AlertContent content;
  // Assigned at publication (outgoing) or read from the message (incoming).
  std::string identifier;
  std::string sender;
  std::optional<core::Timestamp> sent;
  std::vector<std::string> references;  // "sender,identifier,sent" triplets
  std::string xml;                      // the CAP document as published or received
  // Incoming only.
  std::string source;        // a feed id, or "push"
  nlohmann::json report;     // the codec's issues: [{severity, code, path, message}] (null: none)
  std::string drafted_by;
  std::vector<AlertStep> steps;  // oldest first
  core::Timestamp created_at{};
  core::Timestamp updated_at{};

  bool outgoing() const { return direction == "outgoing"; }
  // Published (or received), not yet superseded or cancelled, and not expired at `now`.
  bool current(core::Timestamp now) const;
};

// A webhook subscriber: where published alerts go, which ones, and the shared secret they are
// signed with. The secret is in the journal and snapshots (the publisher needs it after a restart)
// and never in API answers or the stream (to_public_json).
struct Subscriber {
  std::string id;  // 441300-SUB-2
  std::string jurisdiction;
  std::string name;
  std::string url;
  std::string secret;
  std::vector<std::string> areas;       // GB/T 2260 codes: an alert matches when one of its geocodes is
                                        // one of these or lies within one (empty: every area)
  std::vector<std::string> categories;  // CAP categories (empty: all)
  std::string min_level;                // blue | yellow | orange | red ("": all)
  bool exercises = false;               // also Exercise and Test alerts
  int64_t max_age_s = 86400;            // deliveries older than this go to the dead letters
  bool enabled = true;
  bool deleted = false;
  std::string created_by;
  core::Timestamp created_at{};
  core::Timestamp updated_at{};
};

// An outside CAP source the node polls: an Atom or RSS feed of CAP alerts, or one CAP URL.
struct FeedRecord {
  std::string id;  // 441300-FED-1
  std::string jurisdiction;
  std::string name;
  std::string url;
  int64_t interval_s = 60;
  bool open_incidents = true;  // alerts it brings may open incidents (by the rule in docs/ALERTS.md)
  bool enabled = true;
  bool deleted = false;
  std::string created_by;
  core::Timestamp created_at{};
  core::Timestamp updated_at{};
};

nlohmann::json to_json(const AlertContent& c);
nlohmann::json to_json(const AlertRecord& a);
nlohmann::json to_json(const Subscriber& s);  // with the secret
nlohmann::json to_public_json(const Subscriber& s);  // without it
nlohmann::json to_json(const FeedRecord& f);

core::Result<AlertContent> alert_content_from_json(const nlohmann::json& j);
core::Result<AlertRecord> alert_from_json(const nlohmann::json& j);
core::Result<Subscriber> subscriber_from_json(const nlohmann::json& j);
core::Result<FeedRecord> feed_from_json(const nlohmann::json& j);

// Whether a published alert goes to this subscriber (enabled, not deleted; area, category, level and
// status filters). An alert without geocodes counts as in its own jurisdiction.
bool subscriber_matches(const Subscriber& s, const AlertRecord& a);

}  // namespace liandong::engine
