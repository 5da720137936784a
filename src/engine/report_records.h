// The records of information reports in the live state (issue "Information reports"): reports
// (初报, 续报, 终报, 日报, 简报, 专报) drafted from the record and submitted up the chain of
// jurisdictions, each submission an immutable version; and the obligations to report, created from
// the report rules and the plans' report lists, with their deadlines and what became of them.
//
// A report has one working copy (`content`) and the versions submitted so far. Submitting freezes
// the working copy as the next version; a correction is a later version that names the fields it
// changed and why. The receiving level acknowledges receipt or returns the report with a reason.
// Plain values; the engine replaces a record to change it. to_json gives the API and snapshot form
// (docs/API.md "Reports"); from_json is its inverse and fails with kInvalidArgument.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "reports/content.h"

namespace liandong::engine {

// Report statuses.
inline constexpr const char* kReportDraft = "draft";          // never submitted
inline constexpr const char* kReportSubmitted = "submitted";  // the last version awaits receipt
inline constexpr const char* kReportReceived = "received";    // the receiving level acknowledged it
inline constexpr const char* kReportReturned = "returned";    // sent back for completion

struct ReportVersion {
  uint32_t number = 0;  // 1, 2, …
  reports::Content content;
  core::Timestamp submitted_at{};
  std::string by;
  std::vector<std::string> changed;  // fields changed since the previous version (empty for the first)
  std::string note;                  // what the correction is about
  bool late = false;                 // submitted after the deadline of an obligation it settled
  int64_t delay_ms = 0;
};

struct ReportReturn {
  std::string by;
  core::Timestamp at{};
  std::string reason;
  uint32_t version = 0;  // the version returned
};

struct Receipt {
  std::string by;
  core::Timestamp at{};
  uint32_t version = 0;  // the version acknowledged
};

struct ReportRecord {
  std::string id;               // 441200-RPT-3
  std::string type;             // initial | progress | final | daily | bulletin | special
  std::string channel = "written";  // written | phone (a telephone report noted by the duty office)
  std::string jurisdiction;     // the reporting office
  std::string to_jurisdiction;  // the receiving office (may lie above the node, e.g. "000000")
  std::string from_tier;        // unit | county | city | province
  std::string incident_id;      // "" for daily reports and period bulletins
  std::string status = kReportDraft;
  uint32_t number = 0;          // daily and bulletin: the issue number of its office and year
  reports::Content content;     // the working copy
  std::vector<ReportVersion> versions;
  std::vector<std::string> obligation_ids;  // obligations it settled
  bool late = false;            // its first settling was after a deadline
  int64_t delay_ms = 0;
  std::optional<Receipt> received;
  std::vector<ReportReturn> returns;
  bool exercise = false;
  std::string created_by;
  core::Timestamp created_at{}, updated_at{};
};

// Obligation statuses.
inline constexpr const char* kObligationOpen = "open";
inline constexpr const char* kObligationOverdue = "overdue";      // past due, not yet settled
inline constexpr const char* kObligationFulfilled = "fulfilled";  // settled (late when `late`)
inline constexpr const char* kObligationCancelled = "cancelled";  // no longer owed (incident merged away)

struct Obligation {
  std::string id;               // 441200-OBL-9
  std::string jurisdiction;     // who must report
  std::string to_jurisdiction;  // to whom
  std::string from_tier, to_tier;
  std::string report_type;
  std::string channel = "written";
  std::string incident_id;      // "" for an office's daily report
  std::string trigger;          // first_knowledge | grade_confirmed | grade_changed | daily | closed | plan
  std::string rule_id;          // the rule, or the activation id for a plan's report list
  std::string basis;            // the regulation or plan it comes from
  int daily_minute = -1;        // daily obligations: local minute of the day (the next one follows)
  core::Timestamp created_at{}, due_at{};
  std::string status = kObligationOpen;
  std::optional<core::Timestamp> overdue_at, fulfilled_at;
  std::string report_id;
  bool late = false;
  int64_t delay_ms = 0;
  std::string escalated_to;     // the role told when it went overdue
  bool exercise = false;
  bool active() const { return status == kObligationOpen || status == kObligationOverdue; }
};

nlohmann::json to_json(const ReportRecord& r);
nlohmann::json to_json(const Obligation& o);
core::Result<ReportRecord> report_from_json(const nlohmann::json& j);
core::Result<Obligation> obligation_from_json(const nlohmann::json& j);

}  // namespace liandong::engine
