#include "harness/db/sqlite_pragma.h"

#include <deque>
#include <mutex>
#include <unordered_map>

namespace rehearse {

namespace {

// What a table's PRAGMAs report is a function of its own CREATE text and its
// indexes' (their order included: SQLite links a table's indexes in the
// order it parses them, sqlite_schema's rowid order), and of the TEMP
// schema, whose tables shadow main ones of the same name.
struct TablePragmas {
  std::vector<Row> table_xinfo, index_list, foreign_key_list;
  PragmaRows index_xinfo, index_info;
};

constexpr size_t kCachedSchemas = 8;     // more than one step of a run sees
constexpr size_t kCachedTables = 16384;  // a few schemas of the largest chains

std::mutex g_mu;
std::deque<std::pair<std::string, std::shared_ptr<const SqliteSchemaPragmas>>> g_schemas;
std::unordered_map<std::string, std::shared_ptr<const TablePragmas>> g_tables;

void Append(const Value& v, std::string* text) {
  // Length-prefixed, so that no text can fake a boundary; NULL apart.
  *text += v.is_null() ? std::string("N") : "T" + std::to_string(v.bytes.size()) + ":" + v.bytes;
}

std::string Lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// PRAGMA `pragma` for every name `names_sql` selects (given `names`, a JSON
// array, as ?1), in one query. CROSS JOIN keeps the names as the outer loop,
// so each name's rows come together and in the order the PRAGMA yields them.
Status ReadForEach(Database* db, const std::string& pragma, const std::string& names_sql,
                   const std::string& names, PragmaRows* out) {
  ResultSet rs;
  Status s = db->Execute("SELECT n.name, p.* FROM (" + names_sql + ") AS n CROSS JOIN pragma_" +
                             pragma + "(n.name) AS p",
                         {Value::Text(names)}, &rs);
  if (!s.ok()) return s.Prepend("PRAGMA " + pragma);
  for (Row& row : rs.rows) {
    std::vector<Row>& rows = (*out)[row[0].bytes];
    row.erase(row.begin());
    rows.push_back(std::move(row));
  }
  return Status::OK();
}

// A JSON array of `names` for json_each, by hand rather than nlohmann's
// dump(), which throws on a name that is not UTF-8: SQLite keeps names as
// the bytes they were written with, and json_each must give them back as is.
std::string JsonArray(const std::vector<std::string>& names) {
  std::string out = "[";
  for (const std::string& name : names) {
    out += out.size() > 1 ? ",\"" : "\"";
    for (unsigned char c : name) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c < 0x20) {
        static const char* kHex = "0123456789abcdef";
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
      } else {
        out += static_cast<char>(c);
      }
    }
    out += '"';
  }
  return out + "]";
}

// The PRAGMAs of the tables named in `names`, read from the database.
Status ReadTables(Database* db, const std::vector<std::string>& names,
                  std::unordered_map<std::string, std::shared_ptr<TablePragmas>>* out) {
  const std::string json = JsonArray(names);
  const std::string tables = "SELECT value AS name FROM json_each(?1)";
  const std::string indexes =
      "SELECT DISTINCT i.name FROM json_each(?1) AS t CROSS JOIN pragma_index_list(t.value) AS i";
  PragmaRows xinfo, list, fks, index_xinfo, index_info;
  REHEARSE_RETURN_IF_ERROR(ReadForEach(db, "table_xinfo", tables, json, &xinfo));
  REHEARSE_RETURN_IF_ERROR(ReadForEach(db, "index_list", tables, json, &list));
  REHEARSE_RETURN_IF_ERROR(ReadForEach(db, "foreign_key_list", tables, json, &fks));
  REHEARSE_RETURN_IF_ERROR(ReadForEach(db, "index_xinfo", indexes, json, &index_xinfo));
  REHEARSE_RETURN_IF_ERROR(ReadForEach(db, "index_info", indexes, json, &index_info));
  for (const std::string& name : names) {
    auto t = std::make_shared<TablePragmas>();
    t->table_xinfo = std::move(xinfo[name]);
    t->index_list = std::move(list[name]);
    t->foreign_key_list = std::move(fks[name]);
    for (const Row& index : t->index_list) {  // seq, name, ...
      const std::string& index_name = index[1].bytes;
      if (auto it = index_xinfo.find(index_name); it != index_xinfo.end())
        t->index_xinfo[index_name] = it->second;
      if (auto it = index_info.find(index_name); it != index_info.end())
        t->index_info[index_name] = it->second;
    }
    (*out)[name] = std::move(t);
  }
  return Status::OK();
}

}  // namespace

Status ReadSqliteSchemaText(Database* db, SqliteSchemaText* out) {
  *out = SqliteSchemaText();
  ResultSet rows;
  REHEARSE_RETURN_IF_ERROR(db->Execute(
      "SELECT 'main', rowid, type, name, tbl_name, sql FROM sqlite_schema UNION ALL "
      "SELECT 'temp', rowid, type, name, tbl_name, sql FROM sqlite_temp_schema ORDER BY 1, 2",
      {}, &rows));
  std::string temp;
  std::unordered_map<std::string, size_t> table_index;
  for (const Row& r : rows.rows) {
    // 'main' or 'temp', rowid (its order only), type, name, tbl_name, sql
    if (r[0].bytes == "temp") {
      for (size_t c = 2; c < r.size(); ++c) Append(r[c], &temp);
      continue;
    }
    out->main.push_back(Row(r.begin() + 2, r.end()));
    if (r[2].bytes == "table") {
      table_index[Lower(r[3].bytes)] = out->tables.size();
      out->tables.push_back({r[3].bytes, ""});
    }
  }
  for (const Row& r : rows.rows) {
    if (r[0].bytes != "main") continue;
    // A table's own row, its indexes' and its triggers' (whose tbl_name is
    // spelled as written: SQLite's names are ASCII case-insensitive).
    auto it = table_index.find(Lower(r[4].bytes));
    if (it == table_index.end()) continue;
    std::string& text = out->tables[it->second].second;
    for (size_t c = 2; c < r.size(); ++c) Append(r[c], &text);
  }
  for (auto& [name, text] : out->tables) {
    text = temp + "|" + text;
    Append(Value::Text(name), &out->whole);
    Append(Value::Text(text), &out->whole);
  }
  return Status::OK();
}

Status ReadSqliteSchemaPragmas(Database* db, std::shared_ptr<const SqliteSchemaPragmas>* out) {
  out->reset();
  SqliteSchemaText schema;
  REHEARSE_RETURN_IF_ERROR(ReadSqliteSchemaText(db, &schema));
  return ReadSqliteSchemaPragmas(db, schema, out);
}

Status ReadSqliteSchemaPragmas(Database* db, const SqliteSchemaText& schema,
                               std::shared_ptr<const SqliteSchemaPragmas>* out) {
  out->reset();
  std::vector<std::shared_ptr<const TablePragmas>> tables(schema.tables.size());
  std::vector<std::string> missing;
  {
    std::lock_guard<std::mutex> lock(g_mu);
    for (auto it = g_schemas.begin(); it != g_schemas.end(); ++it) {
      if (it->first != schema.whole) continue;
      *out = it->second;
      if (it != g_schemas.begin()) {
        auto hit = std::move(*it);
        g_schemas.erase(it);
        g_schemas.push_front(std::move(hit));
      }
      return Status::OK();
    }
    for (size_t i = 0; i < schema.tables.size(); ++i) {
      auto it = g_tables.find(schema.tables[i].second);
      if (it != g_tables.end())
        tables[i] = it->second;
      else
        missing.push_back(schema.tables[i].first);
    }
  }
  std::unordered_map<std::string, std::shared_ptr<TablePragmas>> read;
  if (!missing.empty()) REHEARSE_RETURN_IF_ERROR(ReadTables(db, missing, &read));

  auto pragmas = std::make_shared<SqliteSchemaPragmas>();
  for (size_t i = 0; i < schema.tables.size(); ++i) {
    const std::string& name = schema.tables[i].first;
    if (!tables[i]) tables[i] = read[name];
    const TablePragmas& t = *tables[i];
    // A name with no row has no entry, as a query over every name gives.
    if (!t.table_xinfo.empty()) pragmas->table_xinfo[name] = t.table_xinfo;
    if (!t.index_list.empty()) pragmas->index_list[name] = t.index_list;
    if (!t.foreign_key_list.empty()) pragmas->foreign_key_list[name] = t.foreign_key_list;
    for (const auto& [index, rows] : t.index_xinfo) pragmas->index_xinfo[index] = rows;
    for (const auto& [index, rows] : t.index_info) pragmas->index_info[index] = rows;
  }
  *out = pragmas;
  std::lock_guard<std::mutex> lock(g_mu);
  for (size_t i = 0; i < schema.tables.size(); ++i) {
    if (g_tables.size() >= kCachedTables) g_tables.clear();  // rare: start over
    g_tables.emplace(schema.tables[i].second, tables[i]);
  }
  g_schemas.push_front({schema.whole, std::move(pragmas)});
  if (g_schemas.size() > kCachedSchemas) g_schemas.pop_back();
  return Status::OK();
}

const std::vector<Row>& PragmaRowsOf(const PragmaRows& rows, const std::string& name) {
  static const std::vector<Row> kNone;
  auto it = rows.find(name);
  return it == rows.end() ? kNone : it->second;
}

}  // namespace rehearse
