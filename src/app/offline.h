// Command-line tools on a data folder no node is running on: they open the store themselves (its
// lock keeps a node from starting meanwhile, and refuses them while a node holds it).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "access/roles.h"
#include "app/config.h"
#include "core/status.h"
#include "engine/engine.h"
#include "reports/rules.h"
#include "store/sqlite_store.h"

namespace liandong::app {

// Opens DIR's store for `config.jurisdiction` (creating it on first use), recovers an engine on it,
// runs `fn`, and stops the engine (which writes a snapshot). kConflict when the store belongs to
// another jurisdiction; kDataLoss when its journal is damaged.
core::Result<nlohmann::json> with_offline_engine(
    const std::string& data_dir, const NodeConfig& config,
    const std::function<core::Result<nlohmann::json>(engine::Engine&, store::SqliteStore&)>& fn);

// The roles of DIR/roles.yaml over the defaults; null (the defaults) when there is no such file.
// Errors name the file and line.
core::Result<std::shared_ptr<const access::RoleCatalog>> load_roles(const std::string& data_dir);

// The report rules: the national defaults tightened by DIR/report_rules.yaml (reports::overlay);
// the defaults alone when there is no such file. Errors name the file and line.
core::Result<std::shared_ptr<const reports::RuleSet>> load_report_rules(const std::string& data_dir);

// Verifies DIR's journal without starting an engine: {ok, checked, first_bad_seq, message}.
core::Result<nlohmann::json> verify_offline(const std::string& data_dir);

}  // namespace liandong::app
