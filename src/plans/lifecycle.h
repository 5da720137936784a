// The life-cycle of a plan version: draft → submitted → reviewed → approved → filed (备案), then
// under_revision while a newer version is drafted, and retired or superseded at the end.
//
//   draft          → submitted (author sends it for review)
//   submitted      → reviewed (a reviewer, not the author) | draft (returned with a reason)
//   reviewed       → approved (an approver, not the author) | draft (returned)
//   approved       → filed (registered with the authority above) | under_revision | retired
//   filed          → under_revision | retired
//   under_revision → retired | superseded (when the newer version is approved) | filed (revision abandoned)
//
// Only approved, filed and under_revision versions may activate (a version under revision stays in
// force until its successor is approved). Pure functions; thread-safe.
#pragma once

#include <span>
#include <string_view>

namespace liandong::plans {

inline constexpr std::string_view kDraft = "draft";
inline constexpr std::string_view kSubmitted = "submitted";
inline constexpr std::string_view kReviewed = "reviewed";
inline constexpr std::string_view kApproved = "approved";
inline constexpr std::string_view kFiled = "filed";
inline constexpr std::string_view kUnderRevision = "under_revision";
inline constexpr std::string_view kRetired = "retired";
inline constexpr std::string_view kSuperseded = "superseded";

std::span<const std::string_view> version_statuses();
bool is_version_status(std::string_view s);
bool is_valid_version_transition(std::string_view from, std::string_view to);
// approved, filed, under_revision.
bool may_activate(std::string_view status);
// retired, superseded: nothing more happens to the version.
bool is_final_version_status(std::string_view status);

}  // namespace liandong::plans
