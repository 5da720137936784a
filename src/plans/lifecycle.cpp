#include "plans/lifecycle.h"

#include <algorithm>
#include <array>

namespace liandong::plans {
namespace {

constexpr std::array<std::string_view, 8> kStatuses = {
    kDraft, kSubmitted, kReviewed, kApproved, kFiled, kUnderRevision, kRetired, kSuperseded};

struct Edge {
  std::string_view from, to;
};

// The table of lifecycle.h, one row per arrow.
constexpr std::array<Edge, 13> kEdges = {{
    {kDraft, kSubmitted},
    {kSubmitted, kReviewed},
    {kSubmitted, kDraft},
    {kReviewed, kApproved},
    {kReviewed, kDraft},
    {kApproved, kFiled},
    {kApproved, kUnderRevision},
    {kApproved, kRetired},
    {kFiled, kUnderRevision},
    {kFiled, kRetired},
    {kUnderRevision, kRetired},
    {kUnderRevision, kSuperseded},
    {kUnderRevision, kFiled},  // the revision is abandoned
}};

}  // namespace

std::span<const std::string_view> version_statuses() { return kStatuses; }

bool is_version_status(std::string_view s) {
  return std::find(kStatuses.begin(), kStatuses.end(), s) != kStatuses.end();
}

bool is_valid_version_transition(std::string_view from, std::string_view to) {
  return std::any_of(kEdges.begin(), kEdges.end(),
                     [&](const Edge& e) { return e.from == from && e.to == to; });
}

bool may_activate(std::string_view status) {
  return status == kApproved || status == kFiled || status == kUnderRevision;
}

bool is_final_version_status(std::string_view status) {
  return status == kRetired || status == kSuperseded;
}

}  // namespace liandong::plans
