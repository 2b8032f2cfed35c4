// FolderMigrationSource: reads the layout DESIGN.md defines,
//
//   DIR/NNNN_name/up.sql, down.sql                      (both dialects)
//   DIR/NNNN_name/up.postgres.sql, down.postgres.sql    (per dialect)
//   DIR/NNNN_name/up.sqlite.sql,   down.sqlite.sql
//   DIR/NNNN_name/migration.json                        (optional, migration_manifest.h)
//
// Per dialect the specific file wins over the generic one, so up.sql with
// up.sqlite.sql runs up.sql on PostgreSQL and up.sqlite.sql on SQLite.
//
// Contract: Load() returns the migrations sorted by version, or kInvalidInput
// whose file() is the offending path and whose message says what is wrong:
// - DIR missing, not a directory, or unreadable;
// - an entry of DIR that starts with a digit but is not a folder named
//   <digits>_<name> (name: letters, digits, '_' and '-'), such as a
//   golang-migrate style 0001_init.up.sql or 0002-add-index;
// - two folders with the same version (0001_a and 1_b), or a version gap
//   (migration_source.h says when numbering counts as sequential);
// - inside a migration folder: a subdirectory, or a file whose name is not
//   recognised (data migrations: see migration_manifest.h), or a recognised
//   file that cannot be read;
// - an up without a down for a dialect, or a dialect-specific down without
//   an up; a folder with no SQL for any dialect that is not a data migration;
// - a malformed migration.json; transaction control inside a transactional
//   migration's script (migration.h).
// Entries of DIR that do not start with a digit (README.md, legacy/) are not
// migrations; they are listed in ignored() so a report can mention them.
// Hidden entries (".git", an editor's ".up.sql.swp") are skipped everywhere.
// Errors are reported for the first offending entry in name order, so the
// same folder always gives the same message.
#ifndef REHEARSE_MIGRATE_FOLDER_MIGRATION_SOURCE_H_
#define REHEARSE_MIGRATE_FOLDER_MIGRATION_SOURCE_H_

#include <string>
#include <vector>

#include "harness/migrate/migration_source.h"

namespace rehearse {

// Splits a migration folder's name "0003_add_timezone" into version text
// and name; false when it is not <digits>_<name> (name: letters, digits, '_'
// and '-').
bool SplitMigrationFolderName(const std::string& folder, std::string* version, std::string* name);

struct FolderMigrationSourceOptions {
  GapRule gaps = GapRule::kSequentialOnly;
};

class FolderMigrationSource final : public MigrationSource {
 public:
  explicit FolderMigrationSource(std::string dir, FolderMigrationSourceOptions options = {});

  std::string Describe() const override { return dir_; }
  Status Load(std::vector<Migration>* out) override;

  // Paths of the entries of DIR the last Load() skipped as not migrations.
  const std::vector<std::string>& ignored() const { return ignored_; }

 private:
  std::string dir_;
  FolderMigrationSourceOptions options_;
  std::vector<std::string> ignored_;
};

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_FOLDER_MIGRATION_SOURCE_H_
