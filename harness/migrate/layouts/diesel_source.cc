// Diesel: one folder per migration,
//
//   DIR/{version}_{name}/up.sql, down.sql, metadata.toml (optional)
//
// where the version is digits and dashes (Diesel writes YYYY-MM-DD-HHMMSS,
// sometimes with a -NNNN suffix; 00000000000000_diesel_initial_setup comes
// first) and the name is anything after the first '_', spaces included.
// Diesel orders by the version's digits with the dashes left out, compared
// as text, and shows the version as written. `run_in_transaction = false`
// in metadata.toml runs the migration outside a transaction. A missing
// down.sql is allowed (the rollback then does nothing). Diesel projects
// target one backend, which the folder does not say: scripts run on both
// engines, and --backend picks the project's.
#include <algorithm>

#include "harness/migrate/layouts/layout_files.h"
#include "harness/migrate/layouts/layout_readers.h"

namespace rehearse {

namespace {

// "2019-02-26-002946_create_user" -> version as written, its digits, name.
bool MatchDieselFolder(const std::string& entry, std::string* written, std::string* digits,
                       std::string* name) {
  size_t underscore = entry.find('_');
  if (underscore == std::string::npos || underscore == 0 || underscore + 1 == entry.size())
    return false;
  std::string v = entry.substr(0, underscore), d;
  for (char c : v) {
    if (c >= '0' && c <= '9') {
      d.push_back(c);
    } else if (c != '-') {
      return false;
    }
  }
  if (d.empty()) return false;
  *written = v;
  *digits = d;
  *name = entry.substr(underscore + 1);
  return true;
}

bool IsDatedVersion(const std::string& written) {
  return written.size() >= 17 && written[4] == '-' && written[7] == '-' && written[10] == '-';
}

// metadata.toml: only run_in_transaction matters to a rehearsal.
Status ReadMetadata(const std::string& path, Migration* m) {
  MigrationScriptFile file;
  REHEARSE_RETURN_IF_ERROR(ReadScript(path, &file));
  for (const NumberedLine& l : SplitLines(file.text())) {
    std::string line(l.text);
    line.erase(
        std::remove_if(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; }),
        line.end());
    if (StartsWith(line, "run_in_transaction=")) {
      std::string value = line.substr(19);
      if (value != "true" && value != "false")
        return Status::InvalidInput("run_in_transaction must be true or false").At(path, l.number);
      if (value == "false") m->transactional = false;
    }
  }
  return Status::OK();
}

Status ReadDiesel(const std::string& dir, std::vector<Migration>* out) {
  std::vector<std::string> entries;
  REHEARSE_RETURN_IF_ERROR(ListEntries(dir, &entries));
  std::vector<Migration> migrations;
  for (const std::string& e : entries) {
    std::string written, digits, name;
    const std::string folder = dir + "/" + e;
    if (!MatchDieselFolder(e, &written, &digits, &name) || !IsDirectory(folder)) continue;
    Migration m;
    m.version = MigrationVersion::Text(written, digits);
    m.name = name;
    m.origin = folder;
    std::vector<std::string> files;
    REHEARSE_RETURN_IF_ERROR(ListEntries(folder, &files));
    MigrationScriptFile up, down;
    for (const std::string& f : files) {
      if (f == "up.sql") REHEARSE_RETURN_IF_ERROR(ReadScript(folder + "/" + f, &up));
      if (f == "down.sql") REHEARSE_RETURN_IF_ERROR(ReadScript(folder + "/" + f, &down));
      if (f == "metadata.toml") REHEARSE_RETURN_IF_ERROR(ReadMetadata(folder + "/" + f, &m));
    }
    if (!up.present())
      return Status::InvalidInput("Diesel migration folder without up.sql").At(folder, 0);
    for (Dialect d : {Dialect::kPostgres, Dialect::kSqlite}) {
      m.For(d).up = up;
      m.For(d).down = down;
    }
    FinishForeignMigration(&m);
    migrations.push_back(std::move(m));
  }
  *out = std::move(migrations);
  return Status::OK();
}

}  // namespace

bool HasDieselDatedFolder(const std::string& dir, const std::vector<std::string>& entries) {
  for (const std::string& e : entries) {
    std::string written, digits, name;
    if (MatchDieselFolder(e, &written, &digits, &name) &&
        (IsDatedVersion(written) || name == "diesel_initial_setup") && IsDirectory(dir + "/" + e))
      return true;
  }
  return false;
}

const LayoutReader kDieselReader = {
    Layout::kDiesel, "diesel", "{YYYY-MM-DD-HHMMSS}_{name}/ folders holding up.sql and down.sql",
    HasDieselDatedFolder, ReadDiesel};

}  // namespace rehearse
