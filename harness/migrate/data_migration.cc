#include "harness/migrate/data_migration.h"

namespace rehearse {

Status DataMigrationRegistry::Register(std::string_view version,
                                       std::unique_ptr<DataMigration> migration) {
  MigrationVersion v;
  REHEARSE_RETURN_IF_ERROR(MigrationVersion::Parse(version, &v));
  if (!migration) return Status::InvalidInput("null data migration for version " + v.text());
  if (migrations_.count(v)) {
    return Status::InvalidInput("a data migration is already registered under version " + v.text());
  }
  migrations_.emplace(std::move(v), std::move(migration));
  return Status::OK();
}

DataMigration* DataMigrationRegistry::Find(const MigrationVersion& version) const {
  auto it = migrations_.find(version);
  return it == migrations_.end() ? nullptr : it->second.get();
}

}  // namespace rehearse
