// Validation of CAP alerts: the rules of CAP 1.2 the XSD says (required elements, enumerations)
// and those it cannot say (date-time form, identifier characters, reference triplets, addresses
// for Private scope, closed polygons, circle form, ceiling with altitude, ...).
//
// Each violation is an Issue with a stable `code` (the list and each rule are in docs/CAP.md
// "Validation codes"), a severity, the element's `path` in XPath form with 1-based indexes on
// repeatable elements (e.g. "/alert/info[1]/area[2]/polygon[1]") and a message a person can act
// on. Warnings (e.g. HTML in text, an empty <polygon/>) do not make a report fail.
//
// validate() checks a model built in code (the issuing path validates what it is about to
// publish); read_cap() (reader.h) reports the same codes, plus those only a document can have
// (XML form, element order, unknown elements). Pure functions, thread-safe.
#pragma once

#include <string>
#include <vector>

#include "alerts/cap.h"

namespace liandong::alerts {

enum class Severity { kError, kWarning };

struct Issue {
  Severity severity = Severity::kError;
  std::string code;     // e.g. "cap.datetime"
  std::string path;     // e.g. "/alert/info[1]/onset"
  std::string message;  // what is wrong and what is expected
  bool operator==(const Issue&) const = default;
};

struct Report {
  // Errors and warnings mixed; from read_cap the structural issues first, then the rule issues,
  // each group in document order.
  std::vector<Issue> issues;

  // No errors (warnings allowed).
  bool ok() const;
  std::vector<Issue> errors() const;
  std::vector<Issue> warnings() const;
  // The distinct codes of the errors, sorted (what a test pins).
  std::vector<std::string> error_codes() const;
  // One issue a line: "error cap.enum /alert/status: ...".
  std::string to_string() const;

  void error(std::string code, std::string path, std::string message);
  void warning(std::string code, std::string path, std::string message);
};

// "error" or "warning".
const char* severity_name(Severity s);

// Every rule of docs/CAP.md that applies to a model: required values present, enumerations,
// date-times, identifier and sender characters, references, scope, languages, polygons, circles,
// coordinates, altitude and ceiling, sizes, HTML in text.
Report validate(const Alert& alert);

}  // namespace liandong::alerts
