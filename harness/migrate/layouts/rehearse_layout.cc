// Rehearse's own layout, read by FolderMigrationSource
// (harness/migrate/folder_migration_source.h), as detection sees it.
#include "harness/migrate/folder_migration_source.h"
#include "harness/migrate/layouts/layout_files.h"
#include "harness/migrate/layouts/layout_readers.h"

namespace rehearse {

namespace {

// A <digits>_<name>/ folder holding one of the layout's own file names.
bool ClaimsRehearse(const std::string& dir, const std::vector<std::string>& entries) {
  if (HasDieselDatedFolder(dir, entries)) return false;
  for (const std::string& e : entries) {
    std::string digits, rest;
    if (!SplitVersionPrefix(e, &digits, &rest) || !IsDirectory(dir + "/" + e)) continue;
    for (const char* f : {"up.sql", "up.postgres.sql", "up.sqlite.sql", "migration.json"})
      if (IsRegularFile(dir + "/" + e + "/" + f)) return true;
  }
  return false;
}

}  // namespace

const LayoutReader kRehearseReader = {
    Layout::kRehearse, "rehearse",
    "NNNN_name/ folders holding up.sql and down.sql (or up.postgres.sql, up.sqlite.sql)",
    ClaimsRehearse, [](const std::string& dir, std::vector<Migration>* out) {
      return FolderMigrationSource(dir).Load(out);
    }};

}  // namespace rehearse
