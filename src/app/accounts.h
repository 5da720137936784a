// Accounts on the command line and the admin socket: the first administrator, API keys, and the
// node's secret (issue "Access and audit").
//
// `liandong admin create` and `liandong key create` go through the admin socket when a node runs
// on DIR (one writer per store), and otherwise open the store themselves (its lock keeps a node
// from starting meanwhile). Both paths end in the functions here.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "access/secrets.h"
#include "core/status.h"
#include "engine/engine.h"
#include "store/sqlite_store.h"

namespace liandong::app {

// The node's secret for hashing session tokens and API keys: read from the store's metadata, or
// made and stored on first use. Never logged, never in the journal.
core::Result<std::string> node_secret(store::SqliteStore& store);

// Creates an administrator (role administrator over the whole node). {"id","name"}.
core::Result<nlohmann::json> create_administrator(engine::Engine& engine, const std::string& name,
                                                  const std::string& password, size_t min_length,
                                                  access::PasswordCost cost, const engine::Actor& actor);

// Creates an API key with `role` in `jurisdiction` (with its subordinates). {"id", "key", ...};
// the key is shown only here.
core::Result<nlohmann::json> create_api_key(engine::Engine& engine, const std::string& secret,
                                            const std::string& name, const std::string& role,
                                            const std::string& jurisdiction, const engine::Actor& actor);

}  // namespace liandong::app
