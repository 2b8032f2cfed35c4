// Harness tables: the tables Rehearse itself keeps inside a database it
// migrates, and the one catalog question migration code asks about them.
//
//   schema_migrations  the ledger of applied versions (migration_ledger.h)
//   rehearse_identity  the database's identity token (database_identity.h)
//
// They live in the database, not beside it, so that they move with it
// (a copied SQLite file, a cloned template) and are part of every snapshot:
// a rollback must restore the ledger too. Code that fills or compares user
// data (the schema-driven filler, dialect_parity) should skip them; this
// header is where it learns their names.
#ifndef REHEARSE_MIGRATE_HARNESS_TABLES_H_
#define REHEARSE_MIGRATE_HARNESS_TABLES_H_

#include <string_view>

#include "harness/common/status.h"
#include "harness/db/database.h"

namespace rehearse {

inline constexpr const char* kMigrationLedgerTable = "schema_migrations";
inline constexpr const char* kDatabaseIdentityTable = "rehearse_identity";

// True for the tables above.
bool IsHarnessTable(std::string_view name);

// Sets *exists to whether a table named `name` exists in the current schema
// (PostgreSQL: the first schema of the search path, "public" under the
// session settings OpenPostgres pins; SQLite: main). Works inside and outside
// a transaction.
Status HarnessTableExists(Database* db, std::string_view name, bool* exists);

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_HARNESS_TABLES_H_
