#include "harness/migrate/folder_migration_source.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include "harness/common/input_file.h"
#include "harness/migrate/layouts/layout_files.h"
#include "harness/migrate/migration_manifest.h"

namespace rehearse {

namespace fs = std::filesystem;

namespace {

constexpr const char* kKnownNames =
    "up.sql, down.sql, up.postgres.sql, down.postgres.sql, up.sqlite.sql, down.sqlite.sql, "
    "migration.json";

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

}  // namespace

bool SplitMigrationFolderName(const std::string& folder, std::string* version, std::string* name) {
  size_t underscore = folder.find('_');
  if (underscore == std::string::npos || underscore + 1 == folder.size()) return false;
  std::string v = folder.substr(0, underscore);
  std::string n = folder.substr(underscore + 1);
  if (!MigrationVersion::IsDigits(v)) return false;
  if (!std::all_of(n.begin(), n.end(), IsNameChar)) return false;
  *version = std::move(v);
  *name = std::move(n);
  return true;
}

namespace {

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// The files of one folder, sorted into roles.
struct FolderFiles {
  MigrationScriptFile generic_up, generic_down;
  MigrationScriptFile up[2], down[2];                     // indexed by DialectIndex
  std::vector<std::pair<std::string, std::string>> data;  // (file name, bytes)
  std::vector<std::string> data_paths;
};

int DialectIndex(Dialect d) { return d == Dialect::kPostgres ? 0 : 1; }

// Resolves what `dialect` runs from the folder's files.
Status ResolveDialect(const std::string& folder, Dialect dialect, const FolderFiles& files,
                      DialectMigration* out) {
  const int i = DialectIndex(dialect);
  const std::string d = DialectName(dialect);
  const MigrationScriptFile& up = files.up[i].present() ? files.up[i] : files.generic_up;
  const MigrationScriptFile& down = files.down[i].present() ? files.down[i] : files.generic_down;
  if (up.present() && !down.present()) {
    return Status::InvalidInput("up without down for " + d + ": add down." + d +
                                ".sql or down.sql to " + folder)
        .At(up.path, 0);
  }
  if (!up.present() && files.down[i].present()) {
    return Status::InvalidInput("down without up for " + d + ": add up." + d +
                                ".sql or up.sql to " + folder)
        .At(files.down[i].path, 0);
  }
  out->available = up.present();
  if (out->available) {
    out->up = up;
    out->down = down;
  }
  return Status::OK();
}

Status LoadFolder(const std::string& folder, const std::string& version_text,
                  const std::string& name, Migration* out) {
  Migration m;
  REHEARSE_RETURN_IF_ERROR(MigrationVersion::Parse(version_text, &m.version));
  m.name = name;
  m.origin = folder;

  std::vector<std::string> entries;
  REHEARSE_RETURN_IF_ERROR(ListEntries(folder, &entries));

  // migration.json first: whether this is a data migration decides what
  // other file names mean.
  MigrationManifest manifest;
  if (std::find(entries.begin(), entries.end(), "migration.json") != entries.end()) {
    std::string path = folder + "/migration.json", text;
    REHEARSE_RETURN_IF_ERROR(ReadInputFile(path, &text));
    REHEARSE_RETURN_IF_ERROR(ParseMigrationManifest(text, path, &manifest));
  }
  m.description = manifest.description;
  m.transactional = manifest.transactional;
  m.privileged = manifest.privileged;
  m.has_code = manifest.data;
  m.report = manifest.report;

  FolderFiles files;
  for (const std::string& entry : entries) {
    if (entry == "migration.json") continue;
    std::string path = folder + "/" + entry;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      return Status::InvalidInput("unexpected folder inside a migration folder").At(path, 0);
    }
    std::optional<MigrationScriptRole> role = MigrationScriptRoleOf(entry);
    if (!role) {
      if (!m.has_code || StartsWith(entry, "up.") || StartsWith(entry, "down.")) {
        return Status::InvalidInput(
                   std::string("unknown file name in a migration folder "
                               "(expected ") +
                   kKnownNames + (m.has_code ? "" : "; data files need \"kind\": \"data\"") + ")")
            .At(path, 0);
      }
      std::string bytes;
      REHEARSE_RETURN_IF_ERROR(ReadInputFile(path, &bytes));
      files.data.emplace_back(entry, std::move(bytes));
      files.data_paths.push_back(path);
      continue;
    }
    MigrationScriptFile file;
    file.path = path;
    std::string text;
    REHEARSE_RETURN_IF_ERROR(ReadInputFile(path, &text));
    file.set_text(std::move(text));
    MigrationScriptFile* slot = role->dialect
                                    ? (role->up ? &files.up[DialectIndex(*role->dialect)]
                                                : &files.down[DialectIndex(*role->dialect)])
                                    : (role->up ? &files.generic_up : &files.generic_down);
    *slot = std::move(file);
  }
  if (files.generic_down.present() && !files.generic_up.present() && !files.up[0].present() &&
      !files.up[1].present()) {
    return Status::InvalidInput("down without up: add up.sql to " + folder)
        .At(files.generic_down.path, 0);
  }

  for (Dialect d : {Dialect::kPostgres, Dialect::kSqlite}) {
    REHEARSE_RETURN_IF_ERROR(ResolveDialect(folder, d, files, &m.For(d)));
  }
  const bool any_sql = m.postgres.available || m.sqlite.available;
  if (!any_sql && !m.has_code) {
    return Status::InvalidInput(
               "no migration files: expected up.sql and down.sql, or per-dialect "
               "up.<postgres|sqlite>.sql and down.<postgres|sqlite>.sql")
        .At(folder, 0);
  }
  if (!any_sql) {
    // Code alone: the C++ decides what each dialect needs.
    m.postgres.available = m.sqlite.available = true;
  }
  for (Dialect d : {Dialect::kPostgres, Dialect::kSqlite}) {
    DialectMigration& dm = m.For(d);
    if (dm.available) dm.checksum = ComputeMigrationChecksum(dm, files.data);
  }
  m.data_files = std::move(files.data_paths);
  REHEARSE_RETURN_IF_ERROR(CheckTransactionControl(m));
  *out = std::move(m);
  return Status::OK();
}

}  // namespace

FolderMigrationSource::FolderMigrationSource(std::string dir, FolderMigrationSourceOptions options)
    : dir_(std::move(dir)), options_(options) {
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
}

Status FolderMigrationSource::Load(std::vector<Migration>* out) {
  out->clear();
  ignored_.clear();
  std::error_code ec;
  fs::file_status st = fs::status(dir_, ec);
  if (!fs::exists(st)) {
    return Status::InvalidInput("migrations folder does not exist").At(dir_, 0);
  }
  if (!fs::is_directory(st)) {
    return Status::InvalidInput("migrations folder is not a directory").At(dir_, 0);
  }
  std::vector<std::string> entries;
  REHEARSE_RETURN_IF_ERROR(ListEntries(dir_, &entries));

  std::vector<Migration> migrations;
  for (const std::string& entry : entries) {
    std::string path = dir_ + "/" + entry;
    if (entry[0] < '0' || entry[0] > '9') {
      ignored_.push_back(path);
      continue;
    }
    std::string version, name;
    if (!SplitMigrationFolderName(entry, &version, &name)) {
      return Status::InvalidInput(
                 "not a migration folder name: expected <digits>_<name> (letters, digits, '_', "
                 "'-'), such as 0001_create_users")
          .At(path, 0);
    }
    if (!fs::is_directory(path, ec)) {
      return Status::InvalidInput(
                 "not a migration folder: expected a folder holding up.sql and down.sql")
          .At(path, 0);
    }
    Migration m;
    REHEARSE_RETURN_IF_ERROR(LoadFolder(path, version, name, &m));
    migrations.push_back(std::move(m));
  }
  REHEARSE_RETURN_IF_ERROR(CheckMigrationSequence(options_.gaps, &migrations));
  *out = std::move(migrations);
  return Status::OK();
}

}  // namespace rehearse
