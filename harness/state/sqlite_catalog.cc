// Catalog of a SQLite database. SQLite keeps a table's CREATE text verbatim
// and edits it in place on ALTER, so the text alone can differ where the
// structure does not (drop-then-add, table rebuilds) and vice versa. Both are
// recorded: `ddl` objects hold the text, the PRAGMA-derived objects the
// structure, and a report names whichever differs.
#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "harness/db/sqlite_pragma.h"
#include "harness/state/catalog.h"

namespace rehearse {

namespace {

std::string Str(const Value& v) { return v.is_null() ? "NULL" : v.ToText(); }

// What one table contributes to the catalog besides its ddl: its table,
// column, index and foreign key objects and its layout, made from its own
// PRAGMA rows alone, so kept per table text (SqliteSchemaText::tables): a
// schema that changed by one table makes that table's part again, and a
// table whose text is the same anywhere (another step, a clone) is the same.
struct TablePart {
  std::vector<CatalogObject> objects;
  TableLayout layout;
};

constexpr size_t kCachedParts = 16384;  // as SqliteSchemaPragmas keeps tables
std::mutex g_mu;
std::unordered_map<std::string, std::shared_ptr<const TablePart>> g_parts;

void MakeTablePart(const std::string& name, const SqliteSchemaPragmas& pragmas, TablePart* part) {
  TableLayout& t = part->layout;
  std::vector<CatalogObject>* objects = &part->objects;
  t.name = name;
  t.qualified_sql = Database::QuoteIdentifier(name);
  objects->push_back({"table", name, name, "table"});

  const std::vector<Row>& cols = PragmaRowsOf(pragmas.table_xinfo, name);
  std::vector<std::pair<int, size_t>> pk;  // (position in key, column index)
  for (size_t i = 0; i < cols.size(); ++i) {
    const Row& r = cols[i];  // cid, name, type, notnull, dflt_value, pk, hidden
    std::string def = "#" + std::to_string(i + 1) + " " + r[2].bytes;
    if (r[3].integer) def += " NOT NULL";
    if (!r[4].is_null()) def += " DEFAULT " + r[4].bytes;
    if (r[5].integer) def += " PRIMARY KEY#" + std::to_string(r[5].integer);
    if (r[6].integer) def += " HIDDEN " + std::to_string(r[6].integer);
    objects->push_back({"column", name + "." + r[1].bytes, name, def});
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
       PragmaRowsOf(pragmas.index_list, name)) {  // seq, name, unique, origin, partial
    std::string def = std::string(r[2].integer ? "UNIQUE " : "") + "origin=" + r[3].bytes +
                      (r[4].integer ? " partial" : "") + " (";
    bool first = true;
    for (const Row& c :
         PragmaRowsOf(pragmas.index_xinfo, r[1].bytes)) {  // seqno, cid, name, desc, coll, key
      if (!c[5].integer) continue;
      def +=
          (first ? "" : ", ") + Str(c[2]) + (c[3].integer ? " DESC" : "") + " COLLATE " + Str(c[4]);
      first = false;
    }
    def += ")";
    objects->push_back({"index", name + "." + r[1].bytes, name, def});
  }

  // id, seq, table, from, to, on_update, on_delete, match; one row per column.
  std::map<int64_t, std::pair<std::string, std::string>> by_id;
  for (const Row& r : PragmaRowsOf(pragmas.foreign_key_list, name)) {
    auto& [cols_from, rest] = by_id[r[0].integer];
    cols_from += (cols_from.empty() ? "" : ",") + r[3].bytes;
    if (rest.empty())
      rest = " REFERENCES " + r[2].bytes + " ON UPDATE " + r[5].bytes + " ON DELETE " + r[6].bytes +
             " MATCH " + r[7].bytes + " (";
    rest += (rest.back() == '(' ? "" : ",") + Str(r[4]);
  }
  for (auto& [id, fk] : by_id) {
    objects->push_back(
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
}

// SQLite's own objects, which the catalog leaves out: what
// `name NOT LIKE 'sqlite_%'` leaves out (SQLite reserves such names,
// whatever their case, for itself).
bool IsSqliteInternal(const std::string& name) {
  if (name.size() < 7) return false;
  static const char kPrefix[] = "sqlite";
  for (size_t i = 0; i < 6; ++i) {
    char c = name[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kPrefix[i]) return false;
  }
  return true;
}

}  // namespace

Status ReadSqliteCatalog(Database* db, Catalog* out) {
  SqliteSchemaText schema;
  REHEARSE_RETURN_IF_ERROR(ReadSqliteSchemaText(db, &schema));
  // The objects in (type, name) order, as bytes (SQLite's BINARY).
  std::vector<const Row*> rows;
  for (const Row& r : schema.main)  // type, name, tbl_name, sql
    if (!IsSqliteInternal(r[1].bytes)) rows.push_back(&r);
  std::sort(rows.begin(), rows.end(), [](const Row* a, const Row* b) {
    return (*a)[0].bytes != (*b)[0].bytes ? (*a)[0].bytes < (*b)[0].bytes
                                          : (*a)[1].bytes < (*b)[1].bytes;
  });
  std::unordered_map<std::string_view, const std::string*> text_of;
  for (const auto& [name, text] : schema.tables) text_of[name] = &text;
  std::vector<const std::string*> table_names;
  for (const Row* r : rows) {
    const Row& row = *r;
    out->objects.push_back({"ddl", row[0].bytes + " " + row[1].bytes, row[2].bytes, Str(row[3])});
    if (row[0].bytes == "table") table_names.push_back(&row[1].bytes);
  }

  std::vector<std::shared_ptr<const TablePart>> parts(table_names.size());
  bool missing = false;
  {
    std::lock_guard<std::mutex> lock(g_mu);
    for (size_t i = 0; i < table_names.size(); ++i) {
      auto it = g_parts.find(*text_of.at(*table_names[i]));
      if (it != g_parts.end()) parts[i] = it->second;
      missing = missing || !parts[i];
    }
  }
  if (missing) {
    std::shared_ptr<const SqliteSchemaPragmas> pragmas;
    REHEARSE_RETURN_IF_ERROR(ReadSqliteSchemaPragmas(db, schema, &pragmas));
    std::lock_guard<std::mutex> lock(g_mu);
    for (size_t i = 0; i < table_names.size(); ++i) {
      if (parts[i]) continue;
      auto part = std::make_shared<TablePart>();
      MakeTablePart(*table_names[i], *pragmas, part.get());
      if (g_parts.size() >= kCachedParts) g_parts.clear();  // rare: start over
      g_parts.emplace(*text_of.at(*table_names[i]), part);
      parts[i] = std::move(part);
    }
  }
  for (const std::shared_ptr<const TablePart>& part : parts) {
    out->objects.insert(out->objects.end(), part->objects.begin(), part->objects.end());
    out->tables.push_back(part->layout);
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
