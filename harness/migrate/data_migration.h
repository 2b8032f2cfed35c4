// DataMigration: a migration step written in C++ for logic SQL cannot say
// well (rows rewritten by an algorithm), registered under the version of a
// migration folder whose migration.json says "kind": "data".
//
// Contract for implementations:
// - Up() and Down() run inside the transaction the Migrator opened (unless
//   the folder says "transaction": false) and must not Begin, Commit or
//   Rollback themselves. Returning a non-OK Status makes the Migrator roll
//   the whole migration back.
// - Up() records in out->payload every previous value Down() needs to put
//   the database back exactly; the Migrator has already filled the envelope
//   (version, identity, dialect, scope, created_at) and writes the artifact
//   before it commits. With options.dry_run the Migrator rolls everything
//   back afterwards whatever Up() does; Up() may use the flag to skip work
//   that only matters for a real run.
// - Up() (not a dry run) sets out->payload["restores"] to the number of rows
//   whose previous values it recorded — what Down() would put back. 0 says
//   the artifact restores nothing (Up found every row in its final form, as
//   when a canary is applied twice to one client), and the CLI warns.
// - Down() receives an artifact the Migrator has already verified against the
//   live database and scope (rollback_artifact.h). Where the rows it would
//   restore were changed after Up (the application went on working), it
//   refuses with kConflict naming them, unless options.force: restoring would
//   silently undo that work.
// - options.scope narrows the change (a client id for canaries); "" means the
//   whole database. The implementation defines what a scope means.
// - Neither reads the wall clock: "now" is options.now.
//
// DataMigrationRegistry maps versions to implementations. It is a plain
// object the caller builds and passes in (MigratorOptions::registry), not a
// global, so tests and an external --migrations DIR (which has no code) each
// get the registry they mean.
#ifndef REHEARSE_MIGRATE_DATA_MIGRATION_H_
#define REHEARSE_MIGRATE_DATA_MIGRATION_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "harness/migrate/migration_version.h"
#include "harness/migrate/rollback_artifact.h"

namespace rehearse {

struct DataMigrationOptions {
  bool dry_run = false;
  std::string scope;   // "" = whole database
  std::string now;     // the harness clock, in the canonical timestamp text
  std::string folder;  // the migration's folder, where its data files are
};

struct DataMigrationDownOptions {
  bool force = false;  // restore even over changes made after Up
};

class DataMigration {
 public:
  virtual ~DataMigration() = default;
  virtual Status Up(Database* db, const DataMigrationOptions& options, RollbackArtifact* out) = 0;
  virtual Status Down(Database* db, const RollbackArtifact& artifact,
                      const DataMigrationDownOptions& options) = 0;
};

class DataMigrationRegistry {
 public:
  // Registers `migration` under `version`. kInvalidInput for a version that
  // is not digits or is already registered (as a number: "3" and "0003"
  // collide). With a `name` (the folder's, "timers_timezone" in
  // 0001_timers_timezone), the code belongs to that migration alone: another
  // chain's migration under the same number (a scenario's own folder, an
  // outside --migrations DIR, a known-bad stand-in) does not pick it up.
  // `code_digest` identifies the code's bytes (a build-time hash of its
  // sources): the Migrator folds it into the migration's ledger checksum, so
  // an applied migration whose code changed is reported as applied_unchanged
  // fails. Empty: the checksum covers the folder's files only.
  Status Register(std::string_view version, std::unique_ptr<DataMigration> migration,
                  std::string name = "", std::string code_digest = "");

  // The implementation registered under `version` for a migration called
  // `name` (any name when it was registered without one), or null. The
  // registry keeps ownership.
  DataMigration* Find(const MigrationVersion& version, std::string_view name) const;
  // The code_digest registered with what Find returns ("" when none).
  std::string CodeDigest(const MigrationVersion& version, std::string_view name) const;

 private:
  struct Entry {
    std::string name;
    std::unique_ptr<DataMigration> code;
    std::string code_digest;
  };
  std::map<MigrationVersion, Entry> migrations_;
};

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_DATA_MIGRATION_H_
