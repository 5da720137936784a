// The after-action review of an incident or drill: the timeline from the journal, each task's
// actual time against its deadline, each response interval against its target, and what was late
// and by how much. Read from a View; pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "dispatch/interval_summary.h"
#include "engine/view.h"

namespace liandong::api::internal {

// docs/API.md "Review". `now` judges tasks still open (late by now − deadline when overdue).
nlohmann::json build_review(const engine::View& view, const engine::Incident& incident, const dispatch::Targets& targets,
                            core::Timestamp now);
// The review as a printable HTML document (UTF-8, self-contained, no scripts).
std::string review_html(const nlohmann::json& review);

}  // namespace liandong::api::internal
