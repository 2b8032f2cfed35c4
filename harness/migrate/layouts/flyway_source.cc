// Flyway: flat files
//
//   DIR/V{version}__{description}.sql   versioned
//   DIR/U{version}__{description}.sql   its undo (Flyway Teams)
//   DIR/R__{description}.sql            repeatable
//
// A version is numbers separated by '.' or '_' (V1_2__x and V1.2__x are both
// 1.2), compared part by part as numbers; it is shown as written.
// Repeatables run after every versioned migration, ordered by description,
// as Flyway runs them. Flyway wraps each migration in a transaction.
// Undo is optional in Flyway, and most teams have none: a folder without any
// U file is forward-only, and its rollback checks are skipped with that
// reason; in a folder with undo files, a versioned migration without one has
// a rollback that does nothing. A repeatable is never undone. An undo
// without its versioned migration is bad input. .java files are Java
// migrations: listed, not rehearsable.
#include <map>

#include "harness/migrate/layouts/layout_files.h"
#include "harness/migrate/layouts/layout_readers.h"

namespace rehearse {

namespace {

struct FlywayFile {
  char kind = 0;  // 'V', 'U', 'R'
  std::string version, description, path;
  std::vector<std::string> parts;
  bool java = false;
};

bool MatchFlywayFile(const std::string& entry, FlywayFile* out) {
  if (entry.size() < 4 || (entry[0] != 'V' && entry[0] != 'U' && entry[0] != 'R')) return false;
  size_t sep = entry.find("__");
  if (sep == std::string::npos) return false;
  FlywayFile f;
  f.kind = entry[0];
  f.java = EndsWith(entry, ".java");
  if (!f.java && !EndsWith(entry, ".sql")) return false;
  f.version = entry.substr(1, sep - 1);
  f.description = entry.substr(sep + 2, entry.size() - sep - 2 - (f.java ? 5 : 4));
  if (f.kind == 'R') {
    if (!f.version.empty()) return false;
  } else {
    std::string part;
    for (size_t i = 0; i <= f.version.size(); ++i) {
      if (i == f.version.size() || f.version[i] == '.' || f.version[i] == '_') {
        if (!MigrationVersion::IsDigits(part)) return false;
        f.parts.push_back(part);
        part.clear();
      } else {
        part.push_back(f.version[i]);
      }
    }
  }
  *out = std::move(f);
  return true;
}

Status ReadFlyway(const std::string& dir, std::vector<Migration>* out) {
  std::vector<std::string> entries;
  REHEARSE_RETURN_IF_ERROR(ListEntries(dir, &entries));
  std::vector<FlywayFile> files;
  bool any_undo = false;
  for (const std::string& e : entries) {
    FlywayFile f;
    if (!MatchFlywayFile(e, &f)) continue;
    f.path = dir + "/" + e;
    any_undo = any_undo || f.kind == 'U';
    files.push_back(std::move(f));
  }
  std::vector<Migration> migrations;
  std::map<std::string, size_t> by_key;
  for (const FlywayFile& f : files) {
    if (f.kind == 'U') continue;
    Migration m;
    m.version = f.kind == 'V' ? MigrationVersion::Dotted(f.version, f.parts)
                              : MigrationVersion::Text("R", "~R__" + f.description);
    m.name = f.description;
    m.origin = f.path;
    if (f.java) {
      m.not_rehearsable = "a Java migration";
    } else {
      MigrationScriptFile up;
      REHEARSE_RETURN_IF_ERROR(ReadScript(f.path, &up));
      m.postgres.up = m.sqlite.up = up;
    }
    if (f.kind == 'R') {
      m.irreversible = "a repeatable migration: Flyway re-runs it when it changes, never undoes it";
    } else if (!any_undo) {
      m.irreversible = "forward-only: the folder holds no Flyway undo (U) files";
    }
    if (f.kind == 'V') {
      if (by_key.count(m.version.key()))
        return Status::InvalidInput("duplicate version " + f.version + ": also " +
                                    migrations[by_key[m.version.key()]].origin)
            .At(f.path, 0);
      by_key[m.version.key()] = migrations.size();
    }
    migrations.push_back(std::move(m));
  }
  for (const FlywayFile& f : files) {
    if (f.kind != 'U') continue;
    auto it = by_key.find(MigrationVersion::Dotted(f.version, f.parts).key());
    if (it == by_key.end())
      return Status::InvalidInput("undo of version " + f.version +
                                  " without its versioned migration V" + f.version + "__…")
          .At(f.path, 0);
    Migration& m = migrations[it->second];
    MigrationScriptFile down;
    REHEARSE_RETURN_IF_ERROR(ReadScript(f.path, &down));
    m.postgres.down = m.sqlite.down = down;
  }
  for (Migration& m : migrations) FinishForeignMigration(&m);
  *out = std::move(migrations);
  return Status::OK();
}

}  // namespace

const LayoutReader kFlywayReader = {
    Layout::kFlyway, "flyway", "V{version}__{description}.sql files (U… undo, R__… repeatable)",
    [](const std::string& dir, const std::vector<std::string>& entries) {
      (void)dir;
      for (const std::string& e : entries) {
        FlywayFile f;
        if (MatchFlywayFile(e, &f) && f.kind == 'V') return true;
      }
      return false;
    },
    ReadFlyway};

}  // namespace rehearse
