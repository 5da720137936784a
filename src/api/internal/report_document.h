// A report as a document (typeset::Document) for HTML and PDF: the office's red heading, the
// title, the issue number (daily reports and bulletins) or the report's id and version, the local
// date, the elements as numbered sections (a table of casualties and losses), the reporting unit
// and contact at the end.
#pragma once

#include "engine/engine.h"
#include "engine/report_records.h"
#include "typeset/document.h"

namespace liandong::api::internal {

// `version` 0 = the working copy (marked 草稿 when it differs from the last version).
typeset::Document compose_document(const engine::ReportRecord& r, const reports::Content& content, uint32_t version,
                                   const engine::EngineOptions& options);

}  // namespace liandong::api::internal
