// Numbered schema migrations of the store file (see migrations.cpp for the schema itself).
//
// The file records what it has applied in schema_migrations(version, applied_at). Version N is
// kMigrations[N-1]; a migration is never edited once released, only new ones appended.
#pragma once

#include "core/status.h"
#include "store/internal/sqlite_db.h"

namespace liandong::store::internal {

// The newest schema version this build knows.
int latest_schema_version();

// The file's schema version: 0 for a new (empty) file. Reads only. kDataLoss when the file is not
// SQLite; kUnavailable when the version is newer than latest_schema_version().
core::Result<int> read_schema_version(Db& db);

// Applies every pending migration in one transaction (all or nothing). Refuses a newer file as
// read_schema_version() does.
core::Status migrate(Db& db);

}  // namespace liandong::store::internal
