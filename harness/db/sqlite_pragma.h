// SqlitePragmaForEach: one table-valued PRAGMA (table_xinfo, index_list,
// index_xinfo, foreign_key_list, ...) read for many tables or indexes in a
// single query, instead of one query per name.
//
// Why: a catalog read made one prepared query per table and per index, and a
// chain of N migrations reads the catalog several times per migration of a
// schema that grows with N. Preparing those queries was most of a SQLite
// rehearsal's time, and made its cost per migration grow with the chain.
#ifndef REHEARSE_DB_SQLITE_PRAGMA_H_
#define REHEARSE_DB_SQLITE_PRAGMA_H_

#include <map>
#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"

namespace rehearse {

// Runs PRAGMA `pragma` for every name `names_sql` selects (a query with one
// column called `name`) and sets (*out)[name] to its rows, in the PRAGMA's
// own order, exactly as `SELECT * FROM pragma_<pragma>(name)` returns them.
// A name whose PRAGMA yields no row gets no entry. The database's error,
// naming the PRAGMA, when the query fails. Thread-safe: the rows are cached
// per schema text (main and TEMP), which is all they depend on.
Status SqlitePragmaForEach(Database* db, const std::string& pragma, const std::string& names_sql,
                           std::map<std::string, std::vector<Row>>* out);

// names_sql for every table (type 'table', SQLite's own included), and for
// every index PRAGMA index_list reports on them (automatic indexes included).
extern const char* const kSqliteEveryTable;
extern const char* const kSqliteEveryIndex;

}  // namespace rehearse

#endif  // REHEARSE_DB_SQLITE_PRAGMA_H_
