// Between the engine's alert records and CAP 1.2 documents (the alerts codec, docs/CAP.md).
// Pure functions; thread-compatible.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"
#include "engine/alert_records.h"

namespace liandong::engine {

// The CAP 1.2 document of an outgoing alert: its identifier, sender, sent time, status, msg_type,
// scope, references and one info block from its content, with times in Beijing time (+08:00) and
// the area as CAP polygons ("lat,lon ...") and circles ("lat,lon radius"). The document is checked
// by the codec before it is returned: kInvalidArgument listing every error ("code at path:
// message; ...") when it would not be valid CAP, with the first error's path as the field.
core::Result<std::string> render_cap(const AlertRecord& a);

// The CAP document of an alert as it stands and the codec's issues with it (a composer's live
// preview): the document is written even when it has errors.
struct Rendered {
  std::string xml;
  nlohmann::json issues = nlohmann::json::array();  // [{severity, code, path, message}]
  bool ok = false;                                   // no errors
};
Rendered preview_cap(const AlertRecord& a);

// The GB/T 35965.1 identifier of an alert the node issues: division code, body code, the time in
// Beijing time, and a sequence digit (0–9) that tells alerts of the same second apart.
std::string national_identifier(std::string_view division, std::string_view body_code, core::Timestamp at,
                                int sequence);

// "sender,identifier,sent" of a published or received alert (sent in its CAP form).
std::string reference_of(const AlertRecord& a);

// A received CAP document as an incoming alert record: identifier, sender, sent, msg_type,
// cap_status, scope, references, the content of its first Chinese info block (else its first),
// and the level from its severity. `report` gets the codec's issues; `accepted` whether the
// document is valid. Never fails: a document that is not CAP at all gives accepted = false.
struct Received {
  AlertRecord record;
  nlohmann::json report = nlohmann::json::array();
  bool accepted = false;
};
Received read_received(std::string_view xml);

}  // namespace liandong::engine
