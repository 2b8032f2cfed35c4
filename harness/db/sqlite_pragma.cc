#include "harness/db/sqlite_pragma.h"

namespace rehearse {

const char* const kSqliteEveryTable = "SELECT name FROM sqlite_schema WHERE type = 'table'";
const char* const kSqliteEveryIndex =
    "SELECT DISTINCT i.name FROM sqlite_schema AS t CROSS JOIN pragma_index_list(t.name) AS i "
    "WHERE t.type = 'table'";

Status SqlitePragmaForEach(Database* db, const std::string& pragma, const std::string& names_sql,
                           std::map<std::string, std::vector<Row>>* out) {
  out->clear();
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
  return Status::OK();
}

}  // namespace rehearse
