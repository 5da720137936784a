// The rule checks behind validate(), shared with the reader (which adds its structural issues
// first and then these, skipping a rule issue on a path it already reported).
#pragma once

#include <string>

#include "alerts/cap.h"
#include "alerts/validate.h"

namespace liandong::alerts::internal {

// identifier / sender: not empty; no whitespace, ',', '<' or '&' (codes cap.required,
// cap.identifier.chars). `what` names it in the message.
void check_identifier(Report& r, const std::string& path, const char* what,
                      const std::string& value);

// Every model rule of docs/CAP.md, appended to `r` in document order.
void check_alert(Report& r, const Alert& a);

}  // namespace liandong::alerts::internal
