// Catalog of a SQLite database. SQLite keeps a table's CREATE text verbatim
// and edits it in place on ALTER, so the text alone can differ where the
// structure does not (drop-then-add, table rebuilds) and vice versa. Both are
// recorded: `ddl` objects hold the text, the PRAGMA-derived objects the
// structure, and a report names whichever differs.
#include <algorithm>
#include <map>

#include "harness/db/sqlite_pragma.h"
#include "harness/state/catalog.h"

namespace rehearse {

namespace {

std::string Str(const Value& v) { return v.is_null() ? "NULL" : v.ToText(); }

}  // namespace

Status ReadSqliteCatalog(Database* db, Catalog* out) {
  ResultSet schema;
  REHEARSE_RETURN_IF_ERROR(db->Execute(
      "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' "
      "ORDER BY type, name",
      {}, &schema));
  std::vector<std::string> table_names;
  for (const Row& r : schema.rows) {
    const std::string& type = r[0].bytes;
    out->objects.push_back({"ddl", type + " " + r[1].bytes, r[2].bytes, Str(r[3])});
    if (type == "table") table_names.push_back(r[1].bytes);
  }

  std::shared_ptr<const SqliteSchemaPragmas> pragmas;
  REHEARSE_RETURN_IF_ERROR(ReadSqliteSchemaPragmas(db, &pragmas));

  for (const std::string& name : table_names) {
    TableLayout t;
    t.name = name;
    t.qualified_sql = Database::QuoteIdentifier(name);
    out->objects.push_back({"table", name, name, "table"});

    const std::vector<Row>& cols = PragmaRowsOf(pragmas->table_xinfo, name);
    std::vector<std::pair<int, size_t>> pk;  // (position in key, column index)
    for (size_t i = 0; i < cols.size(); ++i) {
      const Row& r = cols[i];  // cid, name, type, notnull, dflt_value, pk, hidden
      std::string def = "#" + std::to_string(i + 1) + " " + r[2].bytes;
      if (r[3].integer) def += " NOT NULL";
      if (!r[4].is_null()) def += " DEFAULT " + r[4].bytes;
      if (r[5].integer) def += " PRIMARY KEY#" + std::to_string(r[5].integer);
      if (r[6].integer) def += " HIDDEN " + std::to_string(r[6].integer);
      out->objects.push_back({"column", name + "." + r[1].bytes, name, def});
      // Generated columns (hidden 2 or 3) are data too; virtual-table hidden
      // columns (1) are not readable by SELECT *.
      if (r[6].integer == 1) continue;
      if (r[5].integer) pk.push_back({static_cast<int>(r[5].integer), t.columns.size()});
      t.columns.push_back(r[1].bytes);
      t.types.push_back(r[2].bytes);
    }
    std::sort(pk.begin(), pk.end());
    for (auto& [_, idx] : pk) t.key.push_back(idx);
    if (t.key.empty())
      for (size_t i = 0; i < t.columns.size(); ++i) t.key.push_back(i);

    for (const Row& r :
         PragmaRowsOf(pragmas->index_list, name)) {  // seq, name, unique, origin, partial
      std::string def = std::string(r[2].integer ? "UNIQUE " : "") + "origin=" + r[3].bytes +
                        (r[4].integer ? " partial" : "") + " (";
      bool first = true;
      for (const Row& c :
           PragmaRowsOf(pragmas->index_xinfo, r[1].bytes)) {  // seqno, cid, name, desc, coll, key
        if (!c[5].integer) continue;
        def += (first ? "" : ", ") + Str(c[2]) + (c[3].integer ? " DESC" : "") + " COLLATE " +
               Str(c[4]);
        first = false;
      }
      def += ")";
      out->objects.push_back({"index", name + "." + r[1].bytes, name, def});
    }

    // id, seq, table, from, to, on_update, on_delete, match; one row per column.
    std::map<int64_t, std::pair<std::string, std::string>> by_id;
    for (const Row& r : PragmaRowsOf(pragmas->foreign_key_list, name)) {
      auto& [cols_from, rest] = by_id[r[0].integer];
      cols_from += (cols_from.empty() ? "" : ",") + r[3].bytes;
      if (rest.empty())
        rest = " REFERENCES " + r[2].bytes + " ON UPDATE " + r[5].bytes + " ON DELETE " +
               r[6].bytes + " MATCH " + r[7].bytes + " (";
      rest += (rest.back() == '(' ? "" : ",") + Str(r[4]);
    }
    for (auto& [id, fk] : by_id) {
      out->objects.push_back(
          {"constraint", name + ".fk(" + fk.first + ")", name, "FOREIGN KEY" + fk.second + ")"});
    }

    std::string select = "SELECT ";
    for (size_t i = 0; i < t.columns.size(); ++i)
      select += (i ? ", " : "") + Database::QuoteIdentifier(t.columns[i]);
    t.select_sql = select + " FROM " + t.qualified_sql;
    for (size_t k = 0; k < t.key.size(); ++k) {
      t.order_by_sql += (k ? ", " : " ORDER BY ") + Database::QuoteIdentifier(t.columns[t.key[k]]) +
                        " COLLATE BINARY";
      t.key_order.push_back(KeyOrder::kSqlite);
    }
    out->tables.push_back(std::move(t));
  }

  return ReadSqlitePositions(db, out);
}

Status ReadSqlitePositions(Database* db, Catalog* out) {
  // sqlite_sequence never goes down after DELETE: its rows are positions.
  ResultSet has_seq;
  REHEARSE_RETURN_IF_ERROR(
      db->Execute("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'", {}, &has_seq));
  if (!has_seq.rows.empty()) {
    ResultSet seq;
    REHEARSE_RETURN_IF_ERROR(db->Execute("SELECT name, seq FROM sqlite_sequence", {}, &seq));
    for (const Row& r : seq.rows)
      out->objects.push_back({"sequence_position", r[0].bytes, r[0].bytes, "seq " + Str(r[1])});
  }
  ResultSet version;
  REHEARSE_RETURN_IF_ERROR(db->Execute("PRAGMA user_version", {}, &version));
  out->objects.push_back({"pragma", "user_version", "", Str(version.rows[0][0])});
  return Status::OK();
}

}  // namespace rehearse
