// ory/pop (gobuffalo/pop, as ory/kratos and ory/hydra ship it): flat files
//
//   DIR/{version}_{name}[.{dialect}][.autocommit].{up|down}.{sql|fizz}
//
// with 20-digit (or any) numeric versions and a name without dots. Per
// dialect, a file for that dialect (postgres; sqlite3 or sqlite) wins over
// the generic one; files for dialects Rehearse does not run (mysql,
// cockroach) are ignored. `.autocommit` runs outside a transaction. A
// version with only .fizz files for a dialect is not rehearsable there: fizz
// is pop's own DSL, compiled by the tool.
#include <map>

#include "harness/migrate/layouts/layout_files.h"
#include "harness/migrate/layouts/layout_readers.h"

namespace rehearse {

namespace {

struct PopFile {
  std::string digits, name, dialect, path;  // dialect "" = every dialect
  bool autocommit = false, up = false, fizz = false;
};

bool MatchPopFile(const std::string& entry, PopFile* out) {
  std::string digits, rest;
  if (!SplitVersionPrefix(entry, &digits, &rest)) return false;
  // Split "name[.dialect][.autocommit].up.sql" on dots.
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t dot; (dot = rest.find('.', start)) != std::string::npos; start = dot + 1)
    parts.push_back(rest.substr(start, dot - start));
  parts.push_back(rest.substr(start));
  if (parts.size() < 3 || parts.size() > 5) return false;
  const std::string& ext = parts.back();
  const std::string& dir = parts[parts.size() - 2];
  if ((ext != "sql" && ext != "fizz") || (dir != "up" && dir != "down") || parts[0].empty())
    return false;
  PopFile f;
  f.digits = digits;
  f.name = parts[0];
  f.fizz = ext == "fizz";
  f.up = dir == "up";
  for (size_t i = 1; i + 2 < parts.size(); ++i) {
    if (parts[i] == "autocommit" && i + 3 == parts.size()) {
      f.autocommit = true;
    } else if (i == 1) {
      f.dialect = parts[i];
    } else {
      return false;
    }
  }
  *out = std::move(f);
  return true;
}

// Rehearse's dialect for pop's name; nullopt for dialects it does not run.
std::optional<Dialect> DialectOf(const std::string& pop) {
  if (pop == "postgres" || pop == "postgresql") return Dialect::kPostgres;
  if (pop == "sqlite3" || pop == "sqlite") return Dialect::kSqlite;
  return std::nullopt;
}

bool IsKnownPopDialect(const std::string& d) {
  return d.empty() || DialectOf(d) || d == "mysql" || d == "cockroach" || d == "mariadb";
}

Status ReadPop(const std::string& dir, std::vector<Migration>* out) {
  std::vector<std::string> entries;
  REHEARSE_RETURN_IF_ERROR(ListEntries(dir, &entries));
  std::map<std::string, std::vector<PopFile>> by_version;
  std::map<std::string, std::string> written;  // key -> digits as written
  for (const std::string& e : entries) {
    PopFile f;
    if (!MatchPopFile(e, &f)) continue;
    f.path = dir + "/" + e;
    if (!IsKnownPopDialect(f.dialect))
      return Status::InvalidInput("unknown pop dialect '" + f.dialect +
                                  "' (expected postgres, sqlite3, mysql or cockroach)")
          .At(f.path, 0);
    MigrationVersion v;
    REHEARSE_RETURN_IF_ERROR(MigrationVersion::Parse(f.digits, &v));
    written[v.key()] = f.digits;
    by_version[v.key()].push_back(std::move(f));
  }
  std::vector<Migration> migrations;
  for (auto& [key, files] : by_version) {
    Migration m;
    REHEARSE_RETURN_IF_ERROR(MigrationVersion::Parse(written[key], &m.version));
    m.name = files.front().name;
    m.origin = files.front().path;
    bool any_fizz = false;
    for (const PopFile& f : files) {
      if (f.name != m.name)
        return Status::InvalidInput("duplicate version " + f.digits + ": also " + m.origin)
            .At(f.path, 0);
      any_fizz = any_fizz || f.fizz;
    }
    for (Dialect d : {Dialect::kPostgres, Dialect::kSqlite}) {
      for (bool up : {true, false}) {
        const PopFile* chosen = nullptr;
        for (const PopFile& f : files) {
          if (f.up != up) continue;
          std::optional<Dialect> fd = DialectOf(f.dialect);
          const bool specific = fd && *fd == d;
          if (!specific && !f.dialect.empty()) continue;
          if (!chosen || (specific && chosen->dialect.empty())) chosen = &f;
        }
        if (!chosen || chosen->fizz) continue;
        if (chosen->autocommit) m.transactional = false;
        REHEARSE_RETURN_IF_ERROR(ReadScript(chosen->path, up ? &m.For(d).up : &m.For(d).down));
      }
    }
    FinishForeignMigration(&m);
    if (!m.postgres.available && !m.sqlite.available)
      m.not_rehearsable = any_fizz ? "a fizz migration" : "only for mysql or cockroach";
    migrations.push_back(std::move(m));
  }
  *out = std::move(migrations);
  return Status::OK();
}

}  // namespace

const LayoutReader kPopReader = {
    Layout::kPop, "pop",
    "{version}_{name}.{dialect}.up.sql / .down.sql files (or .fizz), as ory/pop writes them",
    [](const std::string& dir, const std::vector<std::string>& entries) {
      (void)dir;
      for (const std::string& e : entries) {
        PopFile f;
        if (MatchPopFile(e, &f) && (f.fizz || f.autocommit || !f.dialect.empty())) return true;
      }
      return false;
    },
    ReadPop};

}  // namespace rehearse
