// ArtifactStore: where the Migrator keeps the rollback artifacts of data
// migrations on disk, and finds them again.
//
// Two kinds of place (MigratorOptions::artifact_dir and ::artifact_files):
// - an exact file for a version: it must not exist yet, since an artifact
//   may be the only way back;
// - a folder, with default names
//     <dir>/<version>_<name>.<dialect>.<identity>[.scope-<scope>].rollback.json
//   (<identity>: the first 15 characters of the database's identity, which
//   keeps two databases' artifacts in one folder apart; the scope keeps a
//   canary's apart from a whole-database run's). A name already taken — the
//   same database migrated again after a rollback, a canary repeated — is
//   never overwritten: the next write goes to <...>.2.rollback.json, then .3,
//   and reading takes the newest. An identity or scope that is not
//   [A-Za-z0-9_-]+ is replaced by its digest in the name.
// Every write goes through WriteNewFileAtomically (replacement_file.h), so no
// file is replaced even by a race with another process.
#ifndef REHEARSE_MIGRATE_ARTIFACT_STORE_H_
#define REHEARSE_MIGRATE_ARTIFACT_STORE_H_

#include <map>
#include <string>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "harness/migrate/migration.h"
#include "harness/migrate/rollback_artifact.h"

namespace rehearse {

class ArtifactStore {
 public:
  ArtifactStore(std::string dir, std::map<MigrationVersion, std::string> files, Dialect dialect,
                std::string scope);

  // False when there is no place for m's artifact (no folder, no file).
  bool Has(const Migration& m) const;

  // kInvalidInput naming the file when m's exact file already exists: for a
  // check before anything changes.
  Status CheckFree(const Migration& m) const;

  // Writes `artifact` for m, never over an existing file; *path says where
  // (empty when the store has no place for it).
  Status Write(const Migration& m, const RollbackArtifact& artifact, std::string* path) const;

  // Reads m's artifact for the database of `identity`: its exact file, else
  // the newest default name in the folder. Requires Has(m).
  Status Read(const Migration& m, const std::string& identity, RollbackArtifact* out) const;

 private:
  // The n-th default name of m's artifact (n = 1: the first).
  std::string DefaultPath(const Migration& m, const std::string& identity, int n) const;

  std::string dir_;
  std::map<MigrationVersion, std::string> files_;
  Dialect dialect_;
  std::string scope_;
};

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_ARTIFACT_STORE_H_
