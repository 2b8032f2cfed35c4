// UnchangedTables: which tables of a snapshot being taken may take over the
// rows of an earlier snapshot instead of reading them again — only those
// whose rows the engine proves unchanged since. A table that could differ is
// always read: when in doubt, read.
//
// PostgreSQL: a table whose storage (TableLayout::storage: relfilenode,
// column attnums, plain types, no children) and layout are unchanged, whose
// row count is the same, and none of whose visible rows was written by a
// transaction the earlier snapshot could not see. Every visible row then
// existed, visible, at the earlier snapshot (a row's xmin is set when it is
// written; a delete that committed since hides it for good), so the rows are
// a subset of the earlier ones, and with the same count the same rows. This
// holds for the database the earlier snapshot read and for a clone of it
// made after that snapshot (CREATE DATABASE copies rows with their xmins).
// SQLite keeps no per-row history: every table is read.
#ifndef REHEARSE_STATE_UNCHANGED_TABLES_H_
#define REHEARSE_STATE_UNCHANGED_TABLES_H_

#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "harness/state/catalog.h"

namespace rehearse {

struct TableSnapshot;

// What a snapshot records so that a later one can take its rows over: the
// engine's view of which writes it saw (PostgreSQL: pg_current_snapshot()
// of its transaction; empty where there is none).
Status ReadVisibility(Database* db, std::string* visibility);

// For each table of `catalog` (read by `db` in the transaction that will read
// the rows), the earlier table whose rows it may take over, or nullptr when
// it must be read. `earlier` and `earlier_visibility` are the earlier
// snapshot's tables and ReadVisibility; `archived` asks for tables whose
// earlier rows were archived.
Status FindUnchangedTables(Database* db, const Catalog& catalog,
                           const std::vector<TableSnapshot>& earlier,
                           const std::string& earlier_visibility, bool archived,
                           std::vector<const TableSnapshot*>* reuse);

}  // namespace rehearse

#endif  // REHEARSE_STATE_UNCHANGED_TABLES_H_
