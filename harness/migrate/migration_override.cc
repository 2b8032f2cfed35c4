#include "harness/migrate/migration_override.h"

#include "harness/common/input_file.h"

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
    MigrationScriptFile file;
    file.path = path;
    std::string text;
    REHEARSE_RETURN_IF_ERROR(ReadInputFile(path, &text).Prepend("override of " + m.label()));
    file.set_text(std::move(text));
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
