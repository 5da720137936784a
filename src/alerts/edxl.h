// Unwrapping EDXL-DE 1.0 envelopes (OASIS Emergency Data Exchange Language Distribution Element,
// urn:oasis:names:tc:emergency:EDXL:DE:1.0) that carry CAP alerts (docs/CAP.md "EDXL-DE").
//
// read_edxl_de reads the envelope's routing fields and every CAP <alert> found in its
// contentObject/xmlContent/embeddedXMLContent, each re-serialised as a standalone UTF-8 XML
// document (the namespaces it uses declared on its root) for read_cap to judge: the envelope does
// not vouch for what it carries, so one bad alert does not hide the good ones. Same hostile-XML
// guards as read_cap (no DOCTYPE, bounded size and depth). Pure function, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "alerts/reader.h"
#include "core/status.h"

namespace liandong::alerts {

inline constexpr std::string_view kEdxlDeNamespace = "urn:oasis:names:tc:emergency:EDXL:DE:1.0";

struct Envelope {
  std::string distribution_id;
  std::string sender_id;
  std::string date_time_sent;
  std::string distribution_status;         // Actual, Exercise, System, Test
  std::string distribution_type;           // Report, Update, Cancel, ...
  std::vector<std::string> cap_documents;  // each embedded CAP alert, a standalone XML document
};

// kInvalidArgument (kTooLarge over limits.max_bytes) with a message naming what is wrong: not
// XML or hostile XML (the xml.* reason), a root that is not EDXLDistribution in the EDXL-DE 1.0
// namespace, a missing or repeated routing element. An envelope with no CAP alert is valid and
// gives no documents (content of other kinds is skipped).
core::Result<Envelope> read_edxl_de(std::string_view xml, const ReadLimits& limits = {});

}  // namespace liandong::alerts
