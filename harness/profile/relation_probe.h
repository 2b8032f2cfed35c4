// RelationProbe: reads, on the migration's own connection (inside its open
// transaction, so it sees what the migration changed so far), the user
// relations and what identifies their storage: PostgreSQL's relfilenode and
// each table's running totals of sequential scans and rows updated or
// deleted (exact whether the statement ran inside a transaction or in
// autocommit); SQLite's root pages and total_changes(). Two reads around a
// statement say what it rewrote, which indexes it built and which tables it
// scanned or changed.
//
// The queries name pg_catalog explicitly, so a migration that changed the
// search_path or shadowed a function cannot redirect them. Rehearse's own
// tables (harness_tables.h) are left out.
#ifndef REHEARSE_PROFILE_RELATION_PROBE_H_
#define REHEARSE_PROFILE_RELATION_PROBE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "harness/profile/lock_mode.h"
#include "harness/profile/step_profile.h"

namespace rehearse {

struct RelationState {
  struct Relation {
    std::string name;   // "events", or "audit.events" outside public
    std::string table;  // an index's table key; "" for a table
    bool index = false;
    int64_t storage = 0;       // relfilenode / root page
    int64_t scans = 0;         // PostgreSQL: sequential scans, a running total
    int64_t rows_changed = 0;  // PostgreSQL: rows updated + deleted, a running total
    int64_t rows = -1;         // PostgreSQL: reltuples (-1 never analyzed)
    // SQLite: a table's columns stored in its rows (VIRTUAL generated ones
    // are not): fewer under the same root page means ALTER TABLE … DROP
    // COLUMN rewrote every row in place.
    int64_t stored_columns = 0;
  };
  // Keyed by PostgreSQL oid (decimal) or SQLite name.
  std::map<std::string, Relation> relations;
  // PostgreSQL: the locks this connection holds on user relations, by key.
  std::map<std::string, LockMode> locks;
  int64_t total_changes = 0;   // SQLite
  int64_t schema_version = 0;  // SQLite
};

// Reads the state of `db` (the migration's connection).
Status ReadRelationState(Database* db, RelationState* out);

// The work a statement did, from the states before and after it. `first`
// is the step's first state (tables that did not exist then are new, and
// their work is not reported); `storage_seen` the last storage seen per key
// during the step (updated), so a SQLite table dropped and renamed into
// place counts as rebuilt, as does one that lost a stored column. `table_rows` gives a table's rows
// by name when the state has none (SQLite).
std::vector<TableWork> DiffRelationStates(const RelationState& first, const RelationState& before,
                                          const RelationState& after,
                                          std::map<std::string, int64_t>* storage_seen,
                                          const std::map<std::string, int64_t>& table_rows);

// The name of the relation `key` in `after`, else in `before`; "" if in neither.
std::string RelationName(const RelationState& before, const RelationState& after,
                         const std::string& key);

}  // namespace rehearse

#endif  // REHEARSE_PROFILE_RELATION_PROBE_H_
