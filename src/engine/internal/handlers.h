// The command handlers: validate a command against the state, emit its events, give its answer.
#pragma once

#include "engine/commands.h"
#include "engine/internal/tx.h"

namespace liandong::engine::internal {

core::Result<Outcome> handle(Tx& tx, const Command& command);

}  // namespace liandong::engine::internal
