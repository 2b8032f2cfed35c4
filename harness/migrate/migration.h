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

// One SQL file of a migration, or one section of a file that holds both
// directions (goose, dbmate). Its bytes are shared, never copied, by the
// copies of the Migration (one per backend and scenario of a gate) and the
// scripts parsed from it: a 50 MB file costs 50 MB once.
struct MigrationScriptFile {
  std::string path;    // empty when there is no such file
  int first_line = 1;  // where the text starts in the file
  // Set when the layout splits statements itself (goose StatementBegin).
  std::optional<std::vector<SqlStatement>> statements;
  std::shared_ptr<const std::string> bytes;  // the file's (or section's) bytes; null: none

  bool present() const { return !path.empty(); }
  const std::string& text() const { return bytes ? *bytes : Empty(); }
  void set_text(std::string text) { bytes = std::make_shared<const std::string>(std::move(text)); }
  // The text as a script, each statement carrying `path` and its line.
  SqlScript Parse() const {
    if (statements) return SqlScript::FromStatements(*statements, path);
    return SqlScript::Share(bytes ? bytes : std::make_shared<const std::string>(), path,
                            first_line);
  }
  // Absent, or nothing but comments and whitespace: running it does nothing.
  bool DoesNothing() const { return !present() || !Parse().HasStatements(); }

 private:
  static const std::string& Empty() {
    static const std::string empty;
    return empty;
  }
};

// What a migration runs on one dialect.
struct DialectMigration {
  bool available = false;
  MigrationScriptFile up;    // may be absent on a data migration
  MigrationScriptFile down;  // present when up is, in Rehearse's own layout
  // Sqitch's verify script: runs after every deploy, and a failure fails the
  // `verify_passes` check.
  MigrationScriptFile verify;
  std::string checksum;  // empty when not available
};

struct Migration {
  MigrationVersion version;
  std::string name;         // "add_timezone" in 0003_add_timezone
  std::string origin;       // where it was read from, for messages (a folder)
  std::string description;  // from migration.json, may be empty
  bool transactional = true;
  // migration.json "privileged": runs as the superuser, not the database
  // owner (MigratorOptions::privileged_db). Not part of the checksum: like
  // the transaction flag it says how a migration runs, not what it does.
  bool privileged = false;
  // Why Rehearse cannot run it (a Go, fizz or Java migration); empty for SQL.
  // Such a migration is available on no dialect and listed, not rehearsed.
  std::string not_rehearsable;
  // Why it cannot be rolled back, when the team declared so (--irreversible,
  // the list beside the folder) or its tool has no down for it (Flyway
  // without undo files): its rollback checks are skipped with this reason.
  std::string irreversible;

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
  // A Sqitch change has a name and no other version: just the name.
  std::string label() const { return name.empty() ? version.text() : version.text() + "_" + name; }
};

// Whether any of `migrations` is marked "privileged".
bool AnyPrivileged(const std::vector<Migration>& migrations);

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

// True when `file` holds its own BEGIN/COMMIT (as Sqitch and pocket-id write
// them): the tools run such a script outside any transaction of their own.
bool HoldsTransactionControl(const MigrationScriptFile& file);

// When the whole of `file` is one transaction of its own — BEGIN (or START
// TRANSACTION) first, COMMIT (or END) last, no other transaction control —
// sets file->statements to what lies between and returns true: running that
// inside Rehearse's transaction is what the tool does, and lets a dry run
// roll it back. Otherwise leaves `file` alone and returns false.
bool UnwrapOwnTransaction(MigrationScriptFile* file);

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
