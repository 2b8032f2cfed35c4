// MigrationSource: where migrations come from. Reading is kept apart from
// running (Migrator) so that other layouts teams already have —
// golang-migrate's flat N_name.up.sql/.down.sql, ory/pop's per-dialect flat
// files, dbmate's single file with -- migrate:up / -- migrate:down, Flyway's
// V/U files — become further sources without touching the runner.
//
// Contract for every source:
// - Load() either returns OK with every migration, sorted by version, each
//   validated (see migration.h), or returns kInvalidInput naming the path of
//   the offending file or folder (Status::file()), with *out left empty. No
//   database is involved in loading, so bad input never touches one.
// - Loading twice from unchanged input gives equal results (same order, same
//   checksums).
//
// CheckMigrationSequence holds the rules every source shares:
// - versions strictly increasing and unique as numbers (0001 and 1 collide);
// - version gaps, when the numbering is sequential. DESIGN counts "a version
//   gap" as bad input, but a gap only means something when versions count
//   1, 2, 3: timestamp versions (20240101120000) are gappy by nature. So the
//   numbering is *sequential* when every version is below 1,000,000 (at most
//   six significant digits; the smallest timestamp style, yyyymmdd, has
//   eight), and then each version must be the previous one plus one. The
//   first version may be anything, because squashed histories start late
//   (0042 after a squash). Teams that number 10, 20, 30 on purpose turn the
//   rule off with GapRule::kNone.
#ifndef REHEARSE_MIGRATE_MIGRATION_SOURCE_H_
#define REHEARSE_MIGRATE_MIGRATION_SOURCE_H_

#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/migrate/migration.h"

namespace rehearse {

class MigrationSource {
 public:
  virtual ~MigrationSource() = default;

  // What this source reads, for messages ("migrations/", a URL, ...).
  virtual std::string Describe() const = 0;

  virtual Status Load(std::vector<Migration>* out) = 0;
};

enum class GapRule {
  kSequentialOnly,  // gaps are errors when numbering is sequential (the default)
  kNone,            // never check gaps
};

// Sorts *migrations by version and applies the shared rules above. Errors name
// the origin of the migrations involved (At(origin, 0)).
Status CheckMigrationSequence(GapRule gaps, std::vector<Migration>* migrations);

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_MIGRATION_SOURCE_H_
