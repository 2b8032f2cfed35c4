// SqliteSchemaPragmas: what SQLite's table-valued PRAGMAs report on every
// table and index of a database, read in one query per PRAGMA (not one per
// table and index) and kept per schema text.
//
// Why: a catalog read made one prepared query per table and per index, and a
// chain of N migrations reads the catalog several times per migration, of a
// schema that grows with N. Those queries were most of a SQLite rehearsal's
// time, and made its cost per migration grow with the chain. What the PRAGMAs
// report is a function of the schema's text alone (SQLite keeps every CREATE
// text, rewrites it on each ALTER, and builds its own schema by parsing it),
// and a run reads the same schema again and again: every snapshot of every
// clone of one state.
#ifndef REHEARSE_DB_SQLITE_PRAGMA_H_
#define REHEARSE_DB_SQLITE_PRAGMA_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"

namespace rehearse {

// A PRAGMA's rows per table or index name, in the PRAGMA's own order, exactly
// as `SELECT * FROM pragma_<name>(table_or_index)` returns them. A name with
// no row has no entry.
using PragmaRows = std::map<std::string, std::vector<Row>>;

struct SqliteSchemaPragmas {
  // Per table (every table of sqlite_schema, SQLite's own included).
  PragmaRows table_xinfo, index_list, foreign_key_list;
  // Per index that index_list reports (automatic indexes included).
  PragmaRows index_xinfo, index_info;
};

// sqlite_schema as these PRAGMAs see it, read in one query.
struct SqliteSchemaText {
  // type, name, tbl_name, sql of each object of the main schema, in rowid
  // order (SQLite's own objects included).
  std::vector<Row> main;
  // Each main table, in that order, with the text its PRAGMA rows are a
  // function of: its own row, its indexes' and triggers' rows in that order
  // (SQLite links a table's indexes in the order it parses them), and every
  // row of the TEMP schema, whose tables shadow main ones of the same name.
  // Whatever is made from one table's PRAGMA rows alone may be kept per text.
  std::vector<std::pair<std::string, std::string>> tables;  // name, text
  std::string whole;                                        // every table's name and text
};
Status ReadSqliteSchemaText(Database* db, SqliteSchemaText* out);

// Reads them for `db`'s main schema. Thread-safe. The rows are cached per
// table text (above). The database's error, naming the PRAGMA, when a query
// fails. The second form takes the schema text just read, in the same
// transaction.
Status ReadSqliteSchemaPragmas(Database* db, std::shared_ptr<const SqliteSchemaPragmas>* out);
Status ReadSqliteSchemaPragmas(Database* db, const SqliteSchemaText& schema,
                               std::shared_ptr<const SqliteSchemaPragmas>* out);

// The rows of `name` in `rows`, none when it has no entry.
const std::vector<Row>& PragmaRowsOf(const PragmaRows& rows, const std::string& name);

}  // namespace rehearse

#endif  // REHEARSE_DB_SQLITE_PRAGMA_H_
