#include "harness/migrate/harness_tables.h"

namespace rehearse {

bool IsHarnessTable(std::string_view name) {
  return name == kMigrationLedgerTable || name == kDatabaseIdentityTable;
}

Status HarnessTableExists(Database* db, std::string_view name, bool* exists) {
  const char* sql = db->dialect() == Dialect::kPostgres
                        ? "SELECT 1 FROM pg_catalog.pg_tables "
                          "WHERE schemaname = current_schema() AND tablename = $1"
                        : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1";
  ResultSet rs;
  REHEARSE_RETURN_IF_ERROR(db->Execute(sql, {Value::Text(std::string(name))}, &rs));
  *exists = !rs.rows.empty();
  return Status::OK();
}

}  // namespace rehearse
