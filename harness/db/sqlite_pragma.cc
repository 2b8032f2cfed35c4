#include "harness/db/sqlite_pragma.h"

#include <deque>
#include <mutex>

namespace rehearse {

const char* const kSqliteEveryTable = "SELECT name FROM sqlite_schema WHERE type = 'table'";
const char* const kSqliteEveryIndex =
    "SELECT DISTINCT i.name FROM sqlite_schema AS t CROSS JOIN pragma_index_list(t.name) AS i "
    "WHERE t.type = 'table'";

namespace {

// What these PRAGMAs report is a function of the schema's text alone: SQLite
// keeps every table's and index's CREATE text, rewrites it on each ALTER, and
// builds its own schema by parsing it. A run reads the same schema again and
// again (every snapshot of every clone of one state), so the rows are kept
// per schema text, for the last few schemas seen. The connection's TEMP
// schema is part of the text: a TEMP table shadows a main one of its name.
constexpr size_t kCachedReads = 24;  // five PRAGMAs of the few schemas one step sees

struct CachedRead {
  std::string key;
  std::map<std::string, std::vector<Row>> rows;
};

std::mutex g_mu;
std::deque<CachedRead> g_cache;  // most recent first

Status SchemaKey(Database* db, const std::string& pragma, const std::string& names_sql,
                 std::string* key) {
  ResultSet schema;
  REHEARSE_RETURN_IF_ERROR(db->Execute(
      "SELECT 'main', type, name, tbl_name, sql FROM sqlite_schema UNION ALL "
      "SELECT 'temp', type, name, tbl_name, sql FROM sqlite_temp_schema ORDER BY 1, 2, 3",
      {}, &schema));
  *key = pragma + '\0' + names_sql + '\0';
  for (const Row& row : schema.rows) {
    for (const Value& v : row) {
      // Length-prefixed, so that no text can fake a boundary; NULL apart.
      *key += v.is_null() ? std::string("N") : "T" + std::to_string(v.bytes.size()) + ":" + v.bytes;
    }
  }
  return Status::OK();
}

}  // namespace

Status SqlitePragmaForEach(Database* db, const std::string& pragma, const std::string& names_sql,
                           std::map<std::string, std::vector<Row>>* out) {
  out->clear();
  std::string key;
  REHEARSE_RETURN_IF_ERROR(SchemaKey(db, pragma, names_sql, &key));
  {
    std::lock_guard<std::mutex> lock(g_mu);
    for (auto it = g_cache.begin(); it != g_cache.end(); ++it) {
      if (it->key != key) continue;
      *out = it->rows;
      if (it != g_cache.begin()) {
        CachedRead hit = std::move(*it);
        g_cache.erase(it);
        g_cache.push_front(std::move(hit));
      }
      return Status::OK();
    }
  }
  // CROSS JOIN keeps the names as the outer loop, so each name's rows come
  // together and in the order the PRAGMA yields them.
  ResultSet rs;
  Status s = db->Execute("SELECT n.name, p.* FROM (" + names_sql + ") AS n CROSS JOIN pragma_" +
                             pragma + "(n.name) AS p",
                         {}, &rs);
  if (!s.ok()) return s.Prepend("PRAGMA " + pragma);
  for (Row& row : rs.rows) {
    std::vector<Row>& rows = (*out)[row[0].bytes];
    row.erase(row.begin());
    rows.push_back(std::move(row));
  }
  std::lock_guard<std::mutex> lock(g_mu);
  g_cache.push_front({std::move(key), *out});
  if (g_cache.size() > kCachedReads) g_cache.pop_back();
  return Status::OK();
}

}  // namespace rehearse
