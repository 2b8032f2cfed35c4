// MigrationLedger: the schema_migrations table that records which versions a
// database has applied:
//
//   schema_migrations (version    TEXT PRIMARY KEY,  -- as written: "0003"
//                      name       TEXT NOT NULL,     -- "add_timezone"
//                      checksum   TEXT NOT NULL,     -- migration.h, per dialect
//                      applied_at TEXT NOT NULL)     -- the harness clock
//
// Contract:
// - Every function takes a Database that may be inside a transaction and
//   joins it, so that recording a version commits or rolls back with the
//   migration itself.
// - Ensure() creates the table when missing (same columns on both dialects;
//   SQLite spells out NOT NULL on the key, which it would otherwise allow to
//   be NULL) and is a no-op otherwise.
// - Read() returns the applied versions in version order (numeric, so "10"
//   follows "9"); a missing table means nothing applied, not an error. A
//   table of that name with other columns (another tool's schema_migrations,
//   golang-migrate's has version/dirty) is kInvalidInput saying so.
// - applied_at is whatever the caller passes: a fixed harness clock, never
//   the wall clock, so the same inputs give the same database digest.
#ifndef REHEARSE_MIGRATE_MIGRATION_LEDGER_H_
#define REHEARSE_MIGRATE_MIGRATION_LEDGER_H_

#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "harness/migrate/migration_version.h"

namespace rehearse {

struct AppliedMigration {
  MigrationVersion version;
  std::string name;
  std::string checksum;
  std::string applied_at;
};

class MigrationLedger {
 public:
  static Status Ensure(Database* db);
  static Status Read(Database* db, std::vector<AppliedMigration>* out);
  // Inserts one row; recording a version already present is kDatabase (the
  // key), which the Migrator never attempts.
  static Status Record(Database* db, const AppliedMigration& applied);
  // Deletes the row of `version` (matched as written in the ledger or by
  // number); not an error when absent.
  static Status Erase(Database* db, const MigrationVersion& version);
};

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_MIGRATION_LEDGER_H_
