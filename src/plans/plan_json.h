// The JSON form of a plan (the API's and the journal's; docs/PLANS.md shows it beside the YAML).
// Durations are whole seconds ("deadline_s"); levels are "I".."IV"; figures by their names.
// plan_from_json(to_json(p)) == p for every valid plan. plan_from_json fails with kInvalidArgument
// naming the field on a malformed form (it checks shape, not the plan rules parse_plan checks).
#pragma once

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "plans/plan.h"

namespace liandong::plans {

nlohmann::json to_json(const Plan& plan);
core::Result<Plan> plan_from_json(const nlohmann::json& j);

}  // namespace liandong::plans
