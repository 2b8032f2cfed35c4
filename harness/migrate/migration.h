// Migration: one versioned change as a source read it, independent of the
// layout it was read from (folder per migration today; golang-migrate flat
// files, dbmate, Flyway later) and of how it will be run.
//
// Contract:
// - A Migration holds the full text of its SQL files, read once by the
//   source. Running uses exactly the bytes the checksum was computed over, so
//   a file edited during a run cannot slip in unverified.
// - Per dialect, a migration is available when it has an up script for that
//   dialect (and then always a down: a source refuses an up without a down),
//   or when it is a data migration (C++ registered under its version) with no
//   SQL at all. A migration not available on a dialect is skipped there, not
//   failed: a folder with only .postgres.sql files is reported `skip` on
//   SQLite.
// - checksum (per dialect) is 32 lowercase hex digits of XXH3-128 over the up
//   and down texts and, for data migrations, the name and bytes of every data
//   file in the folder. It is what schema_migrations records, so a file edited
//   after it was applied is detected (`applied_unchanged`). migration.json is
//   not part of it: its description is documentation, and the transaction
//   flag no longer matters once a migration has run. A source computes it over
//   files only; the Migrator folds in the registered code digest of a data
//   migration (WithCodeDigest), so changed C++ is detected the same way.
#ifndef REHEARSE_MIGRATE_MIGRATION_H_
#define REHEARSE_MIGRATE_MIGRATION_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/db/database.h"
#include "harness/migrate/migration_manifest.h"
#include "harness/migrate/migration_version.h"

namespace rehearse {

// One SQL file of a migration. Its bytes are shared, never copied, by the
// copies of the Migration (one per backend and scenario of a gate) and the
// scripts parsed from it: a 50 MB file costs 50 MB once.
struct MigrationScriptFile {
  std::string path;  // empty when there is no such file

  bool present() const { return !path.empty(); }
  const std::string& text() const { return bytes ? *bytes : Empty(); }
  void set_text(std::string text) { bytes = std::make_shared<const std::string>(std::move(text)); }
  // The text as a script, each statement carrying `path` and its line.
  SqlScript Parse() const { return SqlScript::Share(bytes ? bytes : Shared(""), path); }

  std::shared_ptr<const std::string> bytes;  // the file's bytes; null before set_text

 private:
  static const std::string& Empty() {
    static const std::string empty;
    return empty;
  }
  static std::shared_ptr<const std::string> Shared(std::string s) {
    return std::make_shared<const std::string>(std::move(s));
  }
};

// What a migration runs on one dialect.
struct DialectMigration {
  bool available = false;
  MigrationScriptFile up;    // may be absent on a data migration
  MigrationScriptFile down;  // present exactly when up is
  std::string checksum;      // empty when not available
};

struct Migration {
  MigrationVersion version;
  std::string name;         // "add_timezone" in 0003_add_timezone
  std::string origin;       // where it was read from, for messages (a folder)
  std::string description;  // from migration.json, may be empty
  bool transactional = true;
  bool has_code = false;                     // a data migration: C++ under `version`
  bool code_replaced = false;                // an override made it SQL: set its C++ aside
  std::vector<MigrationReportQuery> report;  // migration.json "report"
  std::vector<std::string> data_files;       // data migrations: paths of their data, sorted

  DialectMigration postgres;
  DialectMigration sqlite;

  const DialectMigration& For(Dialect d) const {
    return d == Dialect::kPostgres ? postgres : sqlite;
  }
  DialectMigration& For(Dialect d) { return d == Dialect::kPostgres ? postgres : sqlite; }
  bool available(Dialect d) const { return For(d).available; }
  // "0003_add_timezone": version as written, then the name.
  std::string label() const { return version.text() + "_" + name; }
};

// A recognised SQL file name of a migration folder ("up.sql",
// "down.postgres.sql", ...): its direction and its dialect (none: both).
struct MigrationScriptRole {
  bool up;
  std::optional<Dialect> dialect;
};
std::optional<MigrationScriptRole> MigrationScriptRoleOf(const std::string& file_name);

// Returns kInvalidInput at file:line when a transactional migration's script
// holds its own transaction control (BEGIN, START TRANSACTION, COMMIT, END,
// ROLLBACK other than ROLLBACK TO, ABORT): the runner owns the transaction,
// and a COMMIT inside it would make a later failure impossible to undo.
// Migrations with "transaction": false may manage their own.
Status CheckTransactionControl(const Migration& migration);

// Computes the checksum of `scripts` plus the data files (name, content) in
// the order given. Used by sources; exposed so a test or another source can
// compute the same value.
std::string ComputeMigrationChecksum(const DialectMigration& scripts,
                                     const std::vector<std::pair<std::string, std::string>>& data);

// The checksum of a data migration whose files have `checksum` and whose
// code has `code_digest` (DataMigrationRegistry::Register).
std::string WithCodeDigest(const std::string& checksum, const std::string& code_digest);

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_MIGRATION_H_
