// golang-migrate (and sqlx's reversible files, maragudk/migrate):
//
//   DIR/{version}_{title}.up.sql, DIR/{version}_{title}.down.sql
//   DIR/sqlite/…, DIR/postgres/… (or postgresql/): one folder per dialect
//
// golang-migrate matches ^([0-9]+)_(.*)\.(up|down)\.(.*)$ and pairs an up
// with a down by version; maragudk/migrate's pattern leaves the dot before
// up/down unescaped, so `…_up.sql` is an up too, and several files may share
// one number, then run in file-name order. Versions are numbers (9_ before
// 10_); the title is shown as written (`passkey_backup_flags.` from
// `…_flags..up.sql`). A missing down is allowed, as the tool allows it: the
// rollback then does nothing. Scripts run in one transaction unless they hold
// their own BEGIN/COMMIT (the tool sends a file as one multi-statement query,
// one implicit transaction, unless the file manages its own).
#include <map>

#include "harness/migrate/layouts/layout_files.h"
#include "harness/migrate/layouts/layout_readers.h"

namespace rehearse {

namespace {

struct FlatFile {
  std::string digits, title, path;
  bool up;
};

// "12_name.up.sql" -> digits 12, title name, up. The character before
// up/down may be any one character (maragudk's unescaped dot).
bool MatchFlatFile(const std::string& entry, FlatFile* out) {
  std::string digits, rest;
  if (!SplitVersionPrefix(entry, &digits, &rest)) return false;
  for (const char* dir : {"up", "down"}) {
    const std::string suffix = std::string(dir) + ".sql";
    if (rest.size() < suffix.size() + 1 || !EndsWith(rest, suffix)) continue;
    out->digits = digits;
    out->title = rest.substr(0, rest.size() - suffix.size() - 1);
    out->up = dir[0] == 'u';
    return true;
  }
  return false;
}

const char* const kDialectFolders[][2] = {{"postgres", "postgres"},
                                          {"postgresql", "postgres"},
                                          {"sqlite", "sqlite"},
                                          {"sqlite3", "sqlite"}};

bool HasDialectFolders(const std::string& dir, const std::vector<std::string>& entries) {
  for (const std::string& e : entries)
    for (const auto& f : kDialectFolders)
      if (e == f[0] && IsDirectory(dir + "/" + e)) return true;
  return false;
}

// Reads one flat folder into migrations that run on `dialects`.
Status ReadFlat(const std::string& dir, const std::vector<Dialect>& dialects,
                std::vector<Migration>* out) {
  std::vector<std::string> entries;
  REHEARSE_RETURN_IF_ERROR(ListEntries(dir, &entries));
  // number -> files, in name order
  std::map<std::string, std::vector<FlatFile>> by_number;
  for (const std::string& e : entries) {
    FlatFile f;
    if (!MatchFlatFile(e, &f)) continue;
    f.path = dir + "/" + e;
    MigrationVersion v;
    REHEARSE_RETURN_IF_ERROR(MigrationVersion::Parse(f.digits, &v));
    by_number[v.key()].push_back(std::move(f));
  }
  for (auto& [number, files] : by_number) {
    std::vector<const FlatFile*> ups, downs;
    for (const FlatFile& f : files) (f.up ? ups : downs).push_back(&f);
    for (size_t i = 0; i < ups.size(); ++i)
      for (size_t j = i + 1; j < ups.size(); ++j)
        if (ups[i]->title == ups[j]->title)
          return Status::InvalidInput("duplicate version " + number + ": also " + ups[i]->path)
              .At(ups[j]->path, 0);
    // A down pairs with the up of its title, or with the only up there is.
    auto pair_of = [&](const FlatFile& down) -> const FlatFile* {
      for (const FlatFile* u : ups)
        if (u->title == down.title) return u;
      return ups.size() == 1 ? ups[0] : nullptr;
    };
    for (const FlatFile* d : downs) {
      if (!pair_of(*d))
        return Status::InvalidInput("down without an up of version " + number +
                                    " (golang-migrate pairs them by version)")
            .At(d->path, 0);
    }
    for (const FlatFile* u : ups) {
      Migration m;
      REHEARSE_RETURN_IF_ERROR(MigrationVersion::Parse(u->digits, &m.version));
      if (ups.size() > 1) m.version = m.version.Tie(u->title);
      m.name = u->title;
      m.origin = u->path;
      MigrationScriptFile up, down;
      REHEARSE_RETURN_IF_ERROR(ReadScript(u->path, &up));
      for (const FlatFile* d : downs)
        if (pair_of(*d) == u) REHEARSE_RETURN_IF_ERROR(ReadScript(d->path, &down));
      for (Dialect dialect : dialects) {
        m.For(dialect).up = up;
        m.For(dialect).down = down;
      }
      FinishForeignMigration(&m);
      out->push_back(std::move(m));
    }
  }
  return Status::OK();
}

// Dialect folders become one chain: a version's postgres and sqlite files are
// one migration, available where it has files.
Status ReadDialectFolders(const std::string& dir, const std::vector<std::string>& entries,
                          std::vector<Migration>* out) {
  std::map<std::string, size_t> index;  // version key -> position in *out
  for (const auto& f : kDialectFolders) {
    if (std::find(entries.begin(), entries.end(), f[0]) == entries.end()) continue;
    const Dialect d = std::string(f[1]) == "postgres" ? Dialect::kPostgres : Dialect::kSqlite;
    std::vector<Migration> part;
    REHEARSE_RETURN_IF_ERROR(ReadFlat(dir + "/" + f[0], {d}, &part));
    for (Migration& m : part) {
      auto it = index.find(m.version.key());
      if (it == index.end()) {
        index[m.version.key()] = out->size();
        out->push_back(std::move(m));
        continue;
      }
      Migration& merged = (*out)[it->second];
      if (merged.available(d))
        return Status::InvalidInput("version " + m.version.text() + " appears twice for " +
                                    DialectName(d) + ": also " + merged.For(d).up.path)
            .At(m.origin, 0);
      merged.For(d) = std::move(m.For(d));
      merged.transactional = merged.transactional && m.transactional;
    }
  }
  return Status::OK();
}

Status ReadGolangMigrate(const std::string& dir, std::vector<Migration>* out) {
  std::vector<std::string> entries;
  REHEARSE_RETURN_IF_ERROR(ListEntries(dir, &entries));
  std::vector<Migration> migrations;
  if (HasDialectFolders(dir, entries)) {
    REHEARSE_RETURN_IF_ERROR(ReadDialectFolders(dir, entries, &migrations));
  } else {
    REHEARSE_RETURN_IF_ERROR(ReadFlat(dir, {Dialect::kPostgres, Dialect::kSqlite}, &migrations));
  }
  *out = std::move(migrations);
  return Status::OK();
}

// ory/pop's names fit the same pattern with a dialect before up/down; those
// belong to pop.
bool LooksLikePop(const FlatFile& f) {
  for (const char* token :
       {".postgres", ".sqlite3", ".sqlite", ".mysql", ".cockroach", ".autocommit"})
    if (EndsWith(f.title, token)) return true;
  return false;
}

// A pop folder holds generic files too; one pop-only name makes it pop's.
bool ClaimsGolangMigrate(const std::string& dir, const std::vector<std::string>& entries) {
  if (HasDialectFolders(dir, entries)) return true;
  bool any = false;
  for (const std::string& e : entries) {
    FlatFile f;
    if (EndsWith(e, ".fizz")) return false;
    if (!MatchFlatFile(e, &f) || IsDirectory(dir + "/" + e)) continue;
    if (LooksLikePop(f)) return false;
    any = true;
  }
  return any;
}

}  // namespace

const LayoutReader kGolangMigrateReader = {
    Layout::kGolangMigrate, "golang-migrate",
    "{version}_{title}.up.sql and .down.sql files, or sqlite/ and postgres/ folders of them",
    ClaimsGolangMigrate, ReadGolangMigrate};

}  // namespace rehearse
