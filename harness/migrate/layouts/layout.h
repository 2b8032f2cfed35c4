// Layouts: the folders migration tools write, each read by its own
// MigrationSource, and the detection that picks one.
//
//   rehearse        DIR/NNNN_name/up.sql, down.sql (folder_migration_source.h)
//   golang-migrate  {version}_{title}.up.sql / .down.sql; one folder per dialect
//                   (DIR/sqlite/, DIR/postgres/, DIR/postgresql/) when DIR holds them
//   goose           {version}_{name}.sql with -- +goose Up / -- +goose Down
//   dbmate          {version}_{name}.sql with -- migrate:up / -- migrate:down
//   diesel          {YYYY-MM-DD-HHMMSS[-NNNN]}_{name}/up.sql, down.sql
//   pop             {version}_{name}[.{dialect}][.autocommit].{up|down}.sql
//   flyway          V{version}__{desc}.sql, U{version}__{desc}.sql, R__{desc}.sql
//   sqitch          sqitch.plan with deploy/, revert/, verify/
//
// Contract of every reader: as MigrationSource (migration_source.h) — the
// migrations in the order the tool itself runs them, each version shown as
// written, or kInvalidInput naming the file (and line) at fault, with no
// database involved. Migrations in code the tools compile (Go, fizz, Java)
// are listed with Migration::not_rehearsable set, available on no dialect.
//
// Detection (ReadMigrationFolder without a format) looks at DIR's entries
// only: exactly one layout must claim them. None is kInvalidInput listing
// every layout and what it expects; two is kInvalidInput asking for --format.
#ifndef REHEARSE_MIGRATE_LAYOUTS_LAYOUT_H_
#define REHEARSE_MIGRATE_LAYOUTS_LAYOUT_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/migrate/migration_source.h"

namespace rehearse {

enum class Layout { kRehearse, kGolangMigrate, kGoose, kDbmate, kDiesel, kPop, kFlyway, kSqitch };

// "golang-migrate", ...; the --format spelling.
const char* LayoutName(Layout layout);
// Parses a --format value ("auto" is nullopt); kInvalidInput lists the names.
Status ParseLayoutName(const std::string& text, std::optional<Layout>* out);

// How the layout's own tool runs a migration on SQLite. Go and Rust drivers
// leave PRAGMA foreign_keys at SQLite's default (off) unless the application
// turns it on; Rehearse's own layout keeps it on.
struct ToolSettings {
  bool sqlite_foreign_keys = false;
};
ToolSettings SettingsOf(Layout layout);

std::unique_ptr<MigrationSource> NewLayoutSource(Layout layout, const std::string& dir);

struct MigrationFolderOptions {
  std::optional<Layout> format;  // nullopt: detect
  GapRule gaps = GapRule::kSequentialOnly;
  // Versions (as written or as numbers) the team declares irreversible, in
  // addition to DIR's irreversible list file (see kIrreversibleListName).
  std::vector<std::string> irreversible;
  // Every migration of the folder runs as the superuser (--privileged), as
  // "privileged": true in a migration.json does for one.
  bool privileged = false;
};

// "2,2024-01-02-000001" -> its versions; an empty one is kInvalidInput
// naming `flag` (--irreversible).
Status SplitVersionList(const std::string& flag, const std::string& list,
                        std::vector<std::string>* out);

// The irreversible list: one version per line, '#' starts a comment. Read
// from inside DIR or from beside it (DIR's parent) when present.
inline constexpr const char* kIrreversibleListName = "rehearse-irreversible.txt";

struct MigrationFolder {
  Layout layout = Layout::kRehearse;
  ToolSettings settings;
  std::vector<Migration> migrations;
};

// Detects (or takes) the layout of `dir`, loads it, and marks the declared
// irreversible migrations; a declared version not in the folder is
// kInvalidInput.
Status ReadMigrationFolder(const std::string& dir, const MigrationFolderOptions& options,
                           MigrationFolder* out);

Status DetectLayout(const std::string& dir, Layout* out);

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_LAYOUTS_LAYOUT_H_
