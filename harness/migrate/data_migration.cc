#include "harness/migrate/data_migration.h"

namespace rehearse {

Status DataMigrationRegistry::Register(std::string_view version,
                                       std::unique_ptr<DataMigration> migration, std::string name,
                                       std::string code_digest) {
  MigrationVersion v;
  REHEARSE_RETURN_IF_ERROR(MigrationVersion::Parse(version, &v));
  if (!migration) return Status::InvalidInput("null data migration for version " + v.text());
  if (migrations_.count(v)) {
    return Status::InvalidInput("a data migration is already registered under version " + v.text());
  }
  migrations_.emplace(std::move(v),
                      Entry{std::move(name), std::move(migration), std::move(code_digest)});
  return Status::OK();
}

DataMigration* DataMigrationRegistry::Find(const MigrationVersion& version,
                                           std::string_view name) const {
  auto it = migrations_.find(version);
  if (it == migrations_.end()) return nullptr;
  if (!it->second.name.empty() && it->second.name != name) return nullptr;
  return it->second.code.get();
}

std::string DataMigrationRegistry::CodeDigest(const MigrationVersion& version,
                                              std::string_view name) const {
  auto it = migrations_.find(version);
  return Find(version, name) ? it->second.code_digest : "";
}

}  // namespace rehearse
