// The XSD sequences of CAP 1.2, 1.1 and 1.0 as tables for the reader: each complex element's
// children in order, with how often each may occur.
#pragma once

#include <string_view>
#include <vector>

namespace liandong::alerts::internal::schema {

inline constexpr int kMany = -1;

// The elements of CAP, to switch on.
enum Field {
  kIdentifier,
  kSender,
  kSent,
  kStatus,
  kMsgType,
  kPassword,
  kSource,
  kScope,
  kRestriction,
  kAddresses,
  kCode,
  kNote,
  kReferences,
  kIncidents,
  kInfo,
  kLanguage,
  kCategory,
  kEvent,
  kResponseType,
  kUrgency,
  kSeverity,
  kCertainty,
  kAudience,
  kEventCode,
  kEffective,
  kOnset,
  kExpires,
  kSenderName,
  kHeadline,
  kDescription,
  kInstruction,
  kWeb,
  kContact,
  kParameter,
  kResource,
  kArea,
  kResourceDesc,
  kMimeType,
  kSize,
  kUri,
  kDerefUri,
  kDigest,
  kAreaDesc,
  kPolygon,
  kCircle,
  kGeocode,
  kAltitude,
  kCeiling,
  kValueName,
  kValue
};

// One element of an XSD sequence: its name, how often it may occur, which it is.
struct Particle {
  std::string_view name;
  int min;
  int max;  // 1 or kMany
  Field id;
};

using Sequence = std::vector<Particle>;

// The sequences of the XSDs (1.2; 1.1 and 1.0 where they differ).
inline const Sequence kAlert12 = {{"identifier", 1, 1, kIdentifier},
                                  {"sender", 1, 1, kSender},
                                  {"sent", 1, 1, kSent},
                                  {"status", 1, 1, kStatus},
                                  {"msgType", 1, 1, kMsgType},
                                  {"source", 0, 1, kSource},
                                  {"scope", 1, 1, kScope},
                                  {"restriction", 0, 1, kRestriction},
                                  {"addresses", 0, 1, kAddresses},
                                  {"code", 0, kMany, kCode},
                                  {"note", 0, 1, kNote},
                                  {"references", 0, 1, kReferences},
                                  {"incidents", 0, 1, kIncidents},
                                  {"info", 0, kMany, kInfo}};
// 1.0: <password> after <msgType>; <scope> stays required (1.2 needs it; docs/CAP.md).
inline const Sequence kAlert10 = {{"identifier", 1, 1, kIdentifier},
                                  {"sender", 1, 1, kSender},
                                  {"sent", 1, 1, kSent},
                                  {"status", 1, 1, kStatus},
                                  {"msgType", 1, 1, kMsgType},
                                  {"password", 0, 1, kPassword},
                                  {"source", 0, 1, kSource},
                                  {"scope", 1, 1, kScope},
                                  {"restriction", 0, 1, kRestriction},
                                  {"addresses", 0, 1, kAddresses},
                                  {"code", 0, kMany, kCode},
                                  {"note", 0, 1, kNote},
                                  {"references", 0, 1, kReferences},
                                  {"incidents", 0, 1, kIncidents},
                                  {"info", 0, kMany, kInfo}};
inline const Sequence kInfo12 = {{"language", 0, 1, kLanguage},
                                 {"category", 1, kMany, kCategory},
                                 {"event", 1, 1, kEvent},
                                 {"responseType", 0, kMany, kResponseType},
                                 {"urgency", 1, 1, kUrgency},
                                 {"severity", 1, 1, kSeverity},
                                 {"certainty", 1, 1, kCertainty},
                                 {"audience", 0, 1, kAudience},
                                 {"eventCode", 0, kMany, kEventCode},
                                 {"effective", 0, 1, kEffective},
                                 {"onset", 0, 1, kOnset},
                                 {"expires", 0, 1, kExpires},
                                 {"senderName", 0, 1, kSenderName},
                                 {"headline", 0, 1, kHeadline},
                                 {"description", 0, 1, kDescription},
                                 {"instruction", 0, 1, kInstruction},
                                 {"web", 0, 1, kWeb},
                                 {"contact", 0, 1, kContact},
                                 {"parameter", 0, kMany, kParameter},
                                 {"resource", 0, kMany, kResource},
                                 {"area", 0, kMany, kArea}};
// 1.0: no <responseType> (came in 1.1).
inline const Sequence kInfo10 = [] {
  Sequence s = kInfo12;
  s.erase(s.begin() + 3);
  return s;
}();
// mimeType became required in 1.2; derefUri came in 1.1.
inline const Sequence kResource12 = {{"resourceDesc", 1, 1, kResourceDesc},
                                     {"mimeType", 1, 1, kMimeType},
                                     {"size", 0, 1, kSize},
                                     {"uri", 0, 1, kUri},
                                     {"derefUri", 0, 1, kDerefUri},
                                     {"digest", 0, 1, kDigest}};
inline const Sequence kResource11 = {{"resourceDesc", 1, 1, kResourceDesc},
                                     {"mimeType", 0, 1, kMimeType},
                                     {"size", 0, 1, kSize},
                                     {"uri", 0, 1, kUri},
                                     {"derefUri", 0, 1, kDerefUri},
                                     {"digest", 0, 1, kDigest}};
inline const Sequence kResource10 = {{"resourceDesc", 1, 1, kResourceDesc},
                                     {"mimeType", 0, 1, kMimeType},
                                     {"size", 0, 1, kSize},
                                     {"uri", 0, 1, kUri},
                                     {"digest", 0, 1, kDigest}};
inline const Sequence kAreaSeq = {{"areaDesc", 1, 1, kAreaDesc}, {"polygon", 0, kMany, kPolygon},
                                  {"circle", 0, kMany, kCircle}, {"geocode", 0, kMany, kGeocode},
                                  {"altitude", 0, 1, kAltitude}, {"ceiling", 0, 1, kCeiling}};
inline const Sequence kPair = {{"valueName", 1, 1, kValueName}, {"value", 1, 1, kValue}};

}  // namespace liandong::alerts::internal::schema
