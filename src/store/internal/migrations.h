// Numbered schema migrations of a store file: the journal's (see migrations.cpp for its schema)
// or another file's, e.g. the telemetry file's (sqlite_positions.cpp).
//
// The file records what it has applied in schema_migrations(version, applied_at). Version N is
// migrations[N-1]; a migration is never edited once released, only new ones appended.
#pragma once

#include <span>

#include "core/status.h"
#include "store/internal/sqlite_db.h"

namespace liandong::store::internal {

// A file's migrations, oldest first; each runs inside the migration transaction.
using Migrations = std::span<const char* const>;

// The journal file's migrations (the default below).
Migrations journal_migrations();

// The newest schema version this build knows.
int latest_schema_version(Migrations migrations = journal_migrations());

// The file's schema version: 0 for a new (empty) file. Reads only. kDataLoss when the file is not
// SQLite; kUnavailable when the version is newer than latest_schema_version().
core::Result<int> read_schema_version(Db& db, Migrations migrations = journal_migrations());

// Applies every pending migration in one transaction (all or nothing). Refuses a newer file as
// read_schema_version() does.
core::Status migrate(Db& db, Migrations migrations = journal_migrations());

}  // namespace liandong::store::internal
