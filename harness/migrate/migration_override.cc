#include "harness/migrate/migration_override.h"

#include <fstream>
#include <iterator>

namespace rehearse {

Status ApplyOverride(const MigrationOverride& override, std::vector<Migration>* chain) {
  Migration* target = nullptr;
  for (Migration& m : *chain)
    if (m.version == override.version) target = &m;
  if (!target)
    return Status::InvalidInput("override: no migration " + override.version.text() +
                                " in the chain");
  Migration m = *target;
  if (m.has_code) {
    m.has_code = false;
    m.code_replaced = true;
    m.data_files.clear();
    for (Dialect d : {Dialect::kPostgres, Dialect::kSqlite}) {
      DialectMigration& dm = m.For(d);
      if (!dm.up.present()) dm = DialectMigration();  // "code alone" no longer applies
    }
  }
  for (const auto& [name, path] : override.files) {
    std::optional<MigrationScriptRole> role = MigrationScriptRoleOf(name);
    if (!role)
      return Status::InvalidInput("override of " + m.label() + ": \"" + name +
                                  "\" is not a migration file name (up.sql, down.sql, "
                                  "up.postgres.sql, ...)");
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::InvalidInput("override of " + m.label() + ": cannot read " + path);
    MigrationScriptFile file;
    file.path = path;
    file.text = std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    for (Dialect d : {Dialect::kPostgres, Dialect::kSqlite}) {
      if (role->dialect && *role->dialect != d) continue;
      (role->up ? m.For(d).up : m.For(d).down) = file;
    }
  }
  for (Dialect d : {Dialect::kPostgres, Dialect::kSqlite}) {
    DialectMigration& dm = m.For(d);
    if (dm.up.present() != dm.down.present())
      return Status::InvalidInput("override of " + m.label() + " leaves " + DialectName(d) +
                                  " with an " + (dm.up.present() ? "up" : "down") + " but no " +
                                  (dm.up.present() ? "down" : "up"));
    dm.available = dm.up.present();
    dm.checksum = dm.available ? ComputeMigrationChecksum(dm, {}) : "";
  }
  *target = std::move(m);
  return Status::OK();
}

}  // namespace rehearse
