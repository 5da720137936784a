// Writing CAP 1.2: the XML of an Alert, in UTF-8 with an XML declaration, in the namespace
// urn:oasis:names:tc:emergency:cap:1.2, elements in the XSD's order, text (Chinese included)
// as it is in the model, escaped where XML needs it.
//
// An alert that validate() (validate.h) accepts gives a document that validates against the CAP
// 1.2 XSD and that read_cap() reads back to an equal Alert. write_cap writes what it is given:
// validate first; an invalid model gives an invalid document, never a crash. Numbers (coordinates,
// radius, altitude, ceiling) are written in the shortest decimal form that reads back exactly.
// Pure function, thread-safe.
#pragma once

#include <string>

#include "alerts/cap.h"

namespace liandong::alerts {

std::string write_cap(const Alert& alert);

}  // namespace liandong::alerts
