#include "harness/profile/row_counts.h"

#include <cstdlib>

#include "harness/migrate/harness_tables.h"

namespace rehearse {

std::string QuotedTableName(const std::string& name) {
  const size_t dot = name.find('.');
  if (dot == std::string::npos) return Database::QuoteIdentifier(name);
  return Database::QuoteIdentifier(name.substr(0, dot)) + "." +
         Database::QuoteIdentifier(name.substr(dot + 1));
}

Status CountTableRows(Database* db, std::map<std::string, int64_t>* out) {
  out->clear();
  ResultSet tables;
  if (db->dialect() == Dialect::kPostgres) {
    REHEARSE_RETURN_IF_ERROR(db->Execute(
        "SELECT CASE WHEN schemaname = 'public' THEN tablename::pg_catalog.text "
        "ELSE schemaname || '.' || tablename END, tablename::pg_catalog.text, "
        "pg_catalog.quote_ident(schemaname) || '.' || pg_catalog.quote_ident(tablename) "
        "FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
        {}, &tables));
  } else {
    REHEARSE_RETURN_IF_ERROR(
        db->Execute("SELECT name, name, name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                    {}, &tables));
    for (Row& r : tables.rows) r[2] = Value::Text(Database::QuoteIdentifier(r[2].bytes));
  }
  for (const Row& t : tables.rows) {
    if (IsHarnessTable(t[1].bytes)) continue;
    ResultSet rs;
    REHEARSE_RETURN_IF_ERROR(db->Execute("SELECT count(*) FROM " + t[2].bytes, {}, &rs));
    const Value& v = rs.rows.at(0).at(0);
    (*out)[t[0].bytes] =
        v.type == Value::Type::kInteger ? v.integer : std::strtoll(v.bytes.c_str(), nullptr, 10);
  }
  return Status::OK();
}

std::vector<std::string> LostRows(const std::map<std::string, int64_t>& before,
                                  const std::map<std::string, int64_t>& after) {
  std::vector<std::string> out;
  for (const auto& [table, rows] : before) {
    auto it = after.find(table);
    const int64_t now = it == after.end() ? 0 : it->second;
    if (now >= rows) continue;
    out.push_back(table + ": " + std::to_string(rows) + " rows before up, " +
                  (it == after.end() ? "table gone" : std::to_string(now)) + " after down");
  }
  return out;
}

}  // namespace rehearse
