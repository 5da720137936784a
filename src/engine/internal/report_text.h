// What report drafts are made of, read from the live state: the facts of an incident for
// reports::prefill, the period of a daily report or bulletin and its generated body, the office's
// name and the issue number. Pure reads of the Tx's view and rules.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "engine/internal/tx.h"
#include "reports/prefill.h"

namespace liandong::engine::internal {

// "禅城区应急管理局" (the code when its name is unknown).
std::string office_name(const Tx& tx, const std::string& code);
std::string jurisdiction_name(const Tx& tx, const std::string& code);
reports::IncidentFacts incident_facts(const Tx& tx, const Incident& inc);
// The period asked for, or by default the previous local day (00:00 to 00:00 in the zone).
std::pair<core::Timestamp, core::Timestamp> default_period(const Tx& tx, std::optional<core::Timestamp> from,
                                                           std::optional<core::Timestamp> to);
std::string period_title(const Tx& tx, const std::string& type, const std::string& office, core::Timestamp from,
                         core::Timestamp to);
// The record of the period in the office's area: incidents by category, the graded and the
// casualties, the reports owed and how timely.
std::string period_body(const Tx& tx, const std::string& office, core::Timestamp from, core::Timestamp to);
// The next issue number of the office's daily reports (or bulletins) in the local year.
uint32_t next_number(const Tx& tx, const ReportRecord& r);

}  // namespace liandong::engine::internal
