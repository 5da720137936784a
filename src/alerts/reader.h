// Reading CAP documents: CAP 1.2, and CAP 1.1 and 1.0 mapped onto the 1.2 model (the mapping is
// in docs/CAP.md "Versions").
//
// read_cap checks what the XSD of the document's version says (element order, required elements,
// cardinality, enumerations, number and date forms, no unknown elements or attributes) and the
// rules the XSD cannot say (validate.h), reporting each with its code and path. It is safe on
// hostile input: a DOCTYPE is refused (so no external entity is ever fetched and no entity bomb
// expands), the size and nesting depth are bounded, nothing is read from a file or the network.
// Encodings other than UTF-8 are converted (e.g. ISO-8859-1 named in the XML declaration).
//
// Pure function, thread-safe; the outcome owns its data.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "alerts/cap.h"
#include "alerts/validate.h"

namespace liandong::alerts {

struct ReadLimits {
  size_t max_bytes = size_t(4) << 20;  // xml.too_large beyond
  int max_depth = 32;                  // xml.too_deep beyond (a CAP alert nests 5 deep)
};

struct ReadOutcome {
  // The alert as read, when the document is well-formed XML whose root is a CAP alert of a known
  // version (also when it has errors: what could be read, for showing). nullopt otherwise
  // (xml.* codes, cap.namespace, cap.root).
  std::optional<Alert> alert;
  int version = 0;  // 12, 11 or 10 as the namespace says; 0 when not a CAP alert
  Report report;    // structural issues first, then rule issues (validate.h), each once

  // An alert without errors (warnings allowed): what a caller may act on.
  bool accepted() const { return alert.has_value() && report.ok(); }
};

ReadOutcome read_cap(std::string_view xml, const ReadLimits& limits = {});

}  // namespace liandong::alerts
