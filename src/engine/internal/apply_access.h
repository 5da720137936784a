// Applying the access events (person.*, key.*, session.*, access.refused, personal.revealed) to a
// view. Part of State::apply; deterministic.
#pragma once

#include "engine/event.h"
#include "engine/view.h"

namespace liandong::engine::internal {

// Whether `type` is one of the access events.
bool is_access_event(std::string_view type);

// Applies an access event; kDataLoss when it does not fit the view.
core::Status apply_access(View& v, const Event& e);

// Snapshot parts: adds "people", "keys", "sessions" to `j`; loads them (absent = none, for
// snapshots written before access existed).
void serialize_access(const View& v, nlohmann::json& j);
core::Status load_access(const nlohmann::json& j, View& v);

}  // namespace liandong::engine::internal
