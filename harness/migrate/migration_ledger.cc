#include "harness/migrate/migration_ledger.h"

#include <algorithm>

#include "harness/migrate/harness_tables.h"

namespace rehearse {

namespace {

std::string TextOf(const Value& v) { return v.type == Value::Type::kText ? v.bytes : v.ToText(); }

}  // namespace

Status MigrationLedger::Ensure(Database* db) {
  // Same logical columns on both engines; on SQLite a TEXT PRIMARY KEY would
  // accept NULL without the explicit NOT NULL.
  const char* sql = db->dialect() == Dialect::kPostgres
                        ? "CREATE TABLE IF NOT EXISTS schema_migrations ("
                          "version TEXT PRIMARY KEY, name TEXT NOT NULL, "
                          "checksum TEXT NOT NULL, applied_at TEXT NOT NULL)"
                        : "CREATE TABLE IF NOT EXISTS schema_migrations ("
                          "version TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL, "
                          "checksum TEXT NOT NULL, applied_at TEXT NOT NULL)";
  Status s = db->Execute(sql);
  if (!s.ok()) return s.Prepend("creating the schema_migrations ledger");
  return Status::OK();
}

Status MigrationLedger::Read(Database* db, std::vector<AppliedMigration>* out) {
  out->clear();
  bool exists = false;
  REHEARSE_RETURN_IF_ERROR(HarnessTableExists(db, kMigrationLedgerTable, &exists));
  if (!exists) return Status::OK();
  ResultSet rs;
  Status s =
      db->Execute("SELECT version, name, checksum, applied_at FROM schema_migrations", {}, &rs);
  if (!s.ok()) {
    return Status::InvalidInput(
        "a schema_migrations table exists but is not Rehearse's ledger (version, name, "
        "checksum, applied_at): " +
        s.message());
  }
  for (const Row& row : rs.rows) {
    AppliedMigration a;
    a.version = MigrationVersion::AsWritten(TextOf(row[0]));
    a.name = TextOf(row[1]);
    a.checksum = TextOf(row[2]);
    a.applied_at = TextOf(row[3]);
    out->push_back(std::move(a));
  }
  std::sort(out->begin(), out->end(), [](const AppliedMigration& a, const AppliedMigration& b) {
    return a.version < b.version;
  });
  return Status::OK();
}

Status MigrationLedger::Record(Database* db, const AppliedMigration& applied) {
  const char* sql = db->dialect() == Dialect::kPostgres
                        ? "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
                          "VALUES ($1, $2, $3, $4)"
                        : "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
                          "VALUES (?1, ?2, ?3, ?4)";
  Status s = db->Execute(sql, {Value::Text(applied.version.text()), Value::Text(applied.name),
                               Value::Text(applied.checksum), Value::Text(applied.applied_at)});
  if (!s.ok()) return s.Prepend("recording version " + applied.version.text());
  return Status::OK();
}

Status MigrationLedger::Erase(Database* db, const MigrationVersion& version) {
  // The ledger keeps the version as written; another spelling of the same
  // number ("1" for "0001") must still match, so find the stored text first.
  std::vector<AppliedMigration> applied;
  REHEARSE_RETURN_IF_ERROR(Read(db, &applied));
  for (const AppliedMigration& a : applied) {
    if (!(a.version == version) && a.version.text() != version.text()) continue;
    const char* sql = db->dialect() == Dialect::kPostgres
                          ? "DELETE FROM schema_migrations WHERE version = $1"
                          : "DELETE FROM schema_migrations WHERE version = ?1";
    Status s = db->Execute(sql, {Value::Text(a.version.text())});
    if (!s.ok()) return s.Prepend("erasing version " + a.version.text());
  }
  return Status::OK();
}

}  // namespace rehearse
