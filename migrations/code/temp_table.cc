#include "migrations/code/temp_table.h"

namespace rehearse {

namespace {

const char* TypeName(Dialect dialect, ColumnKind kind) {
  const bool pg = dialect == Dialect::kPostgres;
  switch (kind) {
    case ColumnKind::kBigint:
      return pg ? "bigint" : "INTEGER";
    case ColumnKind::kInteger:
      return pg ? "integer" : "INTEGER";
    case ColumnKind::kText:
      return pg ? "text" : "TEXT";
    case ColumnKind::kTimestamp:
      return pg ? "timestamptz" : "TEXT";
    case ColumnKind::kBoolean:
      return pg ? "boolean" : "INTEGER";
  }
  return "TEXT";
}

}  // namespace

TempTable::TempTable(Database* db, std::string name, std::vector<TempColumn> columns)
    : db_(db), name_(std::move(name)), columns_(std::move(columns)) {}

Status TempTable::Create() {
  REHEARSE_RETURN_IF_ERROR(Drop());
  std::string sql = "CREATE TEMP TABLE " + name_ + " (";
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (i) sql += ", ";
    sql += columns_[i].name + " " + TypeName(db_->dialect(), columns_[i].kind);
    if (i == 0) sql += " PRIMARY KEY";
  }
  return db_->Execute(sql + ")");
}

Status TempTable::Load(const std::vector<Row>& rows) {
  if (rows.empty()) return Status::OK();
  std::vector<std::string> names;
  for (const TempColumn& c : columns_) names.push_back(c.name);
  VectorRowSource source(rows);
  REHEARSE_RETURN_IF_ERROR(db_->BulkLoad(name_, names, &source));
  // Without statistics the planner guesses a tiny table and may loop over
  // it with a nested loop over the target; one ANALYZE of the temp table is
  // cheap next to a bad plan on a million rows.
  if (db_->dialect() == Dialect::kPostgres) return db_->Execute("ANALYZE " + name_);
  return Status::OK();
}

Status TempTable::UpdateTarget(const std::string& target,
                               const std::vector<std::string>& assignments,
                               const std::string& extra_where) {
  std::string sql = "UPDATE " + target + " SET ";
  for (size_t i = 0; i < assignments.size(); ++i) sql += (i ? ", " : "") + assignments[i];
  sql += " FROM " + name_ + " AS u WHERE " + target + ".id = u.id";
  const std::string in_ids = InIds(target + ".id");
  if (!in_ids.empty()) sql += " AND " + in_ids;
  if (!extra_where.empty()) sql += " AND " + extra_where;
  return db_->Execute(sql);
}

std::string TempTable::InIds(const std::string& id_column) const {
  if (db_->dialect() != Dialect::kSqlite) return "";
  return id_column + " IN (SELECT id FROM " + name_ + ")";
}

Status TempTable::CopyColumnsInto(const std::string& target,
                                  const std::vector<std::string>& columns) {
  std::vector<std::string> assignments;
  for (const std::string& c : columns) assignments.push_back(c + " = u." + c);
  return UpdateTarget(target, assignments);
}

Status TempTable::DeleteFromTarget(const std::string& target) {
  return db_->Execute("DELETE FROM " + target + " WHERE id IN (SELECT id FROM " + name_ + ")");
}

Status TempTable::Drop() {
  const char* schema = db_->dialect() == Dialect::kPostgres ? "pg_temp." : "temp.";
  return db_->Execute("DROP TABLE IF EXISTS " + std::string(schema) + name_);
}

}  // namespace rehearse
