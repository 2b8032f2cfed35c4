// MigrationOverride: a variant of one migration of a chain made by swapping
// some of its SQL files for others — how a negative case says "0002 with the
// seed's SQL rollback as its down" without a copy of 0002's up.
//
// Contract of ApplyOverride(override, chain):
// - `files` maps a migration file name ("up.sql", "down.sql",
//   "up.postgres.sql", ... as in a migration folder) to the path of the file
//   that replaces it. "up.sql"/"down.sql" replace that direction on both
//   dialects, a dialect's name on that dialect only.
// - The migration of `version` must be in *chain; every file must be
//   readable; each dialect keeps an up exactly when it keeps a down.
//   Otherwise kInvalidInput naming the version or the file, and *chain is
//   unchanged.
// - A data migration becomes a SQL migration: the files given are all it
//   runs (a dialect without them is no longer available), its data files are
//   dropped, and Migration::code_replaced tells the Migrator to set aside the
//   C++ registered under its version (the known-bad variant of 0001, seed
//   003's start-up file, replaces a data migration).
// - The replaced texts are what runs; checksums are recomputed over them, so
//   the variant is as different from the original as an edited file is.
#ifndef REHEARSE_MIGRATE_MIGRATION_OVERRIDE_H_
#define REHEARSE_MIGRATE_MIGRATION_OVERRIDE_H_

#include <map>
#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/migrate/migration.h"

namespace rehearse {

struct MigrationOverride {
  MigrationVersion version;
  std::map<std::string, std::string> files;  // migration file name -> replacement path
};

Status ApplyOverride(const MigrationOverride& override, std::vector<Migration>* chain);

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_MIGRATION_OVERRIDE_H_
