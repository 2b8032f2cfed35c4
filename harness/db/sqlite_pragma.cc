#include "harness/db/sqlite_pragma.h"

#include <deque>
#include <mutex>

namespace rehearse {

namespace {

constexpr size_t kCachedSchemas = 8;  // more than one step of a run sees

const char* const kEveryTable = "SELECT name FROM sqlite_schema WHERE type = 'table'";
const char* const kEveryIndex =
    "SELECT DISTINCT i.name FROM sqlite_schema AS t CROSS JOIN pragma_index_list(t.name) AS i "
    "WHERE t.type = 'table'";

struct CachedSchema {
  std::string text;
  std::shared_ptr<const SqliteSchemaPragmas> pragmas;
};

std::mutex g_mu;
std::deque<CachedSchema> g_cache;  // most recent first

Status SchemaText(Database* db, std::string* text) {
  ResultSet schema;
  REHEARSE_RETURN_IF_ERROR(db->Execute(
      "SELECT 'main', type, name, tbl_name, sql FROM sqlite_schema UNION ALL "
      "SELECT 'temp', type, name, tbl_name, sql FROM sqlite_temp_schema ORDER BY 1, 2, 3",
      {}, &schema));
  text->clear();
  for (const Row& row : schema.rows) {
    for (const Value& v : row) {
      // Length-prefixed, so that no text can fake a boundary; NULL apart.
      *text +=
          v.is_null() ? std::string("N") : "T" + std::to_string(v.bytes.size()) + ":" + v.bytes;
    }
  }
  return Status::OK();
}

// PRAGMA `pragma` for every name `names_sql` selects, in one query. CROSS
// JOIN keeps the names as the outer loop, so each name's rows come together
// and in the order the PRAGMA yields them.
Status ReadForEach(Database* db, const std::string& pragma, const char* names_sql,
                   PragmaRows* out) {
  ResultSet rs;
  Status s = db->Execute(std::string("SELECT n.name, p.* FROM (") + names_sql +
                             ") AS n CROSS JOIN pragma_" + pragma + "(n.name) AS p",
                         {}, &rs);
  if (!s.ok()) return s.Prepend("PRAGMA " + pragma);
  for (Row& row : rs.rows) {
    std::vector<Row>& rows = (*out)[row[0].bytes];
    row.erase(row.begin());
    rows.push_back(std::move(row));
  }
  return Status::OK();
}

}  // namespace

Status ReadSqliteSchemaPragmas(Database* db, std::shared_ptr<const SqliteSchemaPragmas>* out) {
  out->reset();
  std::string text;
  REHEARSE_RETURN_IF_ERROR(SchemaText(db, &text));
  {
    std::lock_guard<std::mutex> lock(g_mu);
    for (auto it = g_cache.begin(); it != g_cache.end(); ++it) {
      if (it->text != text) continue;
      *out = it->pragmas;
      if (it != g_cache.begin()) {
        CachedSchema hit = std::move(*it);
        g_cache.erase(it);
        g_cache.push_front(std::move(hit));
      }
      return Status::OK();
    }
  }
  auto pragmas = std::make_shared<SqliteSchemaPragmas>();
  REHEARSE_RETURN_IF_ERROR(ReadForEach(db, "table_xinfo", kEveryTable, &pragmas->table_xinfo));
  REHEARSE_RETURN_IF_ERROR(ReadForEach(db, "index_list", kEveryTable, &pragmas->index_list));
  REHEARSE_RETURN_IF_ERROR(
      ReadForEach(db, "foreign_key_list", kEveryTable, &pragmas->foreign_key_list));
  REHEARSE_RETURN_IF_ERROR(ReadForEach(db, "index_xinfo", kEveryIndex, &pragmas->index_xinfo));
  REHEARSE_RETURN_IF_ERROR(ReadForEach(db, "index_info", kEveryIndex, &pragmas->index_info));
  *out = pragmas;
  std::lock_guard<std::mutex> lock(g_mu);
  g_cache.push_front({std::move(text), std::move(pragmas)});
  if (g_cache.size() > kCachedSchemas) g_cache.pop_back();
  return Status::OK();
}

const std::vector<Row>& PragmaRowsOf(const PragmaRows& rows, const std::string& name) {
  static const std::vector<Row> kNone;
  auto it = rows.find(name);
  return it == rows.end() ? kNone : it->second;
}

}  // namespace rehearse
