// UnchangedTables: what of a snapshot being taken may be taken over from an
// earlier snapshot instead of being read again — the catalog, and the rows
// of each table — only where the engine proves it unchanged since. Anything
// that could differ is read: when in doubt, read.
//
// PostgreSQL proves it with row versions. A row's xmin is the transaction
// that wrote it, and a delete that committed hides a row for good; so when
// none of the visible rows of a relation was written by a transaction the
// earlier snapshot could not see, each of them was visible then too, and if
// there are as many as then, they are the same rows. This holds for the
// database the earlier snapshot read and for a clone of it made after that
// snapshot (CREATE DATABASE copies rows with their xmins).
//   - The catalog: the rows of every pg_catalog table of the database (not
//     the cluster's shared ones, not statistics) counted and checked so.
//     Sequence positions move without writing rows: they are always read.
//   - A table: its storage (TableLayout::storage: relfilenode, attnums,
//     pg_catalog base types only, no children) and layout unchanged, and
//     its rows counted and checked so.
// SQLite: its catalog is made from the rows of sqlite_schema alone (the
// pragmas parse the stored CREATE text), so the same rows give the same
// catalog, whatever the file. SQLite keeps no history of a table's rows, but
// its rows are a function of the pages of its b-tree, read with the file's
// format, and of its CREATE text (a column added later gives the rows stored
// before it the default written there). So a table's mark is the digest of
// its sqlite_schema row and of those pages, read from the file under the read
// transaction's lock (sqlite_table_pages.h, which says when the file can be
// trusted); same mark and same layout: the same rows. A throwaway copy is
// made page for page, so it keeps the marks of the file it was copied from.
// A table with no mark (a WAL file, an in-memory one, a virtual table) is
// read. While the connection has temp objects, whose names hide the main
// database's from the SELECTs that read rows, no table has a mark, and the
// catalog mark covers them too.
#ifndef REHEARSE_STATE_UNCHANGED_TABLES_H_
#define REHEARSE_STATE_UNCHANGED_TABLES_H_

#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "harness/state/catalog.h"

namespace rehearse {

struct TableSnapshot;

// Reads, in the transaction a snapshot reads in, what a later snapshot needs
// to take this one's catalog and tables over (*mark: engine-specific text),
// and whether the catalog is unchanged since the snapshot whose mark is
// `earlier_mark` (false when that is empty).
Status ReadChangeMark(Database* db, const std::string& earlier_mark, std::string* mark,
                      bool* catalog_unchanged);

// For each table of `catalog` (read in the same transaction as `mark`, this
// snapshot's ReadChangeMark), the earlier snapshot's table whose rows it may
// take over, or nullptr when it must be read. `earlier` and `earlier_mark`
// are that snapshot's tables and ReadChangeMark; `archived` asks for tables
// whose earlier rows were archived.
Status FindUnchangedTables(Database* db, const Catalog& catalog, const std::string& mark,
                           const std::vector<TableSnapshot>& earlier,
                           const std::string& earlier_mark, bool archived,
                           std::vector<const TableSnapshot*>* reuse);

}  // namespace rehearse

#endif  // REHEARSE_STATE_UNCHANGED_TABLES_H_
