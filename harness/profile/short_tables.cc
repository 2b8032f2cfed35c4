#include "harness/profile/short_tables.h"

#include "harness/profile/row_counts.h"

namespace rehearse {

namespace {

// What the filler reads of a table: its columns, constraints and indexes
// (PostgreSQL, as the catalog deparses them), or its stored CREATE texts
// and those of its indexes and triggers (SQLite).
Status TableDefinition(Database* db, const std::string& table, std::string* out) {
  const std::string quoted = QuotedTableName(table);
  ResultSet rs;
  if (db->dialect() == Dialect::kPostgres) {
    REHEARSE_RETURN_IF_ERROR(db->Execute(
        "SELECT concat_ws(E'\\n', (SELECT string_agg(attname || ' ' || "
        "format_type(atttypid, atttypmod) || ' ' || attnotnull::text || ' ' || "
        "coalesce(pg_get_expr(d.adbin, d.adrelid), ''), ',' ORDER BY attnum) FROM pg_attribute "
        "LEFT JOIN pg_attrdef d ON d.adrelid = attrelid AND d.adnum = attnum "
        "WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped), "
        "(SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), ',' ORDER BY conname) "
        "FROM pg_constraint WHERE conrelid = $1::regclass), "
        "(SELECT string_agg(pg_get_indexdef(indexrelid), ',' ORDER BY indexrelid) "
        "FROM pg_index WHERE indrelid = $1::regclass))",
        {Value::Text(quoted)}, &rs));
  } else {
    REHEARSE_RETURN_IF_ERROR(
        db->Execute("SELECT group_concat(coalesce(sql, ''), char(10)) FROM (SELECT sql FROM "
                    "sqlite_schema WHERE tbl_name = ?1 ORDER BY type, name)",
                    {Value::Text(table)}, &rs));
  }
  *out = rs.rows.empty() || rs.rows[0][0].is_null() ? "" : rs.rows[0][0].bytes;
  return Status::OK();
}

}  // namespace

Status ShortTables::Hold(Database* db, std::map<std::string, int64_t>* rows_by_table) {
  for (auto it = held_.begin(); it != held_.end();) {
    std::string definition;
    REHEARSE_RETURN_IF_ERROR(TableDefinition(db, it->first, &definition));
    if (definition.empty() || definition != it->second.definition) {
      it = held_.erase(it);
      continue;
    }
    (*rows_by_table)[it->first] = it->second.rows;
    ++it;
  }
  return Status::OK();
}

Status ShortTables::Note(Database* db, const SchemaFillReport& report,
                         const SchemaFillOptions& options) {
  for (const SchemaFillReport::Table& t : report.tables) {
    const auto sized = options.rows_by_table.find(t.name);
    const int64_t size =
        sized == options.rows_by_table.end() ? options.rows_per_table : sized->second;
    // Rows only ever add up here (a self-deleting trigger aside), so a table
    // the fill's own count puts at its size needs no count again.
    if (t.dropped == 0 && t.there + t.rows >= size) continue;
    ResultSet count;
    REHEARSE_RETURN_IF_ERROR(
        db->Execute("SELECT count(*) FROM " + QuotedTableName(t.name), {}, &count));
    const int64_t there = std::stoll(count.rows[0][0].ToText());
    if (there >= size) continue;
    Held held;
    held.rows = there;
    REHEARSE_RETURN_IF_ERROR(TableDefinition(db, t.name, &held.definition));
    held_[t.name] = std::move(held);
  }
  return Status::OK();
}

}  // namespace rehearse
