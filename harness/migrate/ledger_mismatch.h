// LedgerMismatch: one way a database's schema_migrations ledger disagrees
// with the migrations source — what the `applied_unchanged` invariant checks.
//
// For each applied version (in version order):
// - kMissingFromSource: the source has no migration of that version, or has
//   one that is not available on this dialect;
// - kChecksumChanged: the migration's checksum on this dialect differs from
//   the one recorded when it was applied (a file edited afterwards);
// - kRenamed: same version, different folder name (reported, as teams grep
//   for the name, but the content may be unchanged).
// A version may give both kChecksumChanged and kRenamed. Pending migrations
// are not mismatches.
#ifndef REHEARSE_MIGRATE_LEDGER_MISMATCH_H_
#define REHEARSE_MIGRATE_LEDGER_MISMATCH_H_

#include <string>
#include <vector>

#include "harness/db/database.h"
#include "harness/migrate/migration.h"
#include "harness/migrate/migration_ledger.h"

namespace rehearse {

struct LedgerMismatch {
  enum class Kind { kChecksumChanged, kMissingFromSource, kRenamed };
  Kind kind;
  MigrationVersion version;
  std::string recorded;          // checksum or name in the ledger
  std::string current;           // checksum or name in the source; empty when missing
  std::string ToString() const;  // one line
};

// `migrations` sorted by version, as a MigrationSource returns them.
std::vector<LedgerMismatch> CompareLedger(const std::vector<AppliedMigration>& applied,
                                          const std::vector<Migration>& migrations,
                                          Dialect dialect);

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_LEDGER_MISMATCH_H_
