// StateChange: what a migration changed, measured from inside its own
// transaction — the report of a dry run, taken before the rollback that
// throws the change away.
//
// A StateProbe reads the catalog and, per table, the row count and a digest
// of the rows in key order (the same canonical encoding as Snapshot), within
// whatever transaction is open. Comparing two probes names the schema
// objects added, removed or changed and, per table, the row counts before and
// after and whether the rows changed at all (an UPDATE keeps the count but
// changes the digest). The harness's own tables (harness_tables.h) are left
// out: the ledger row every migration adds is not news.
//
// Cost: a probe reads every row once, so a dry run reads the database twice.
#ifndef REHEARSE_MIGRATE_STATE_CHANGE_H_
#define REHEARSE_MIGRATE_STATE_CHANGE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "harness/state/digest.h"

namespace rehearse {

struct StateProbe {
  std::map<std::string, std::string> objects;  // "<kind> <name>" -> definition
  struct Table {
    int64_t rows = 0;
    Digest digest;
  };
  std::map<std::string, Table> tables;
};

// Reads *out from `db` in its current transaction (or autocommit).
Status ProbeState(Database* db, StateProbe* out);

struct TableChange {
  std::string table;
  int64_t rows_before = -1;  // -1: the table did not exist
  int64_t rows_after = -1;   // -1: the table no longer exists
  bool rows_changed = false;
};

struct StateChange {
  std::vector<std::string> schema_added;  // "<kind> <name>"
  std::vector<std::string> schema_removed;
  std::vector<std::string> schema_changed;
  // Only tables whose rows changed (a table created or dropped empty is in
  // the schema lists alone), by name.
  std::vector<TableChange> tables;

  bool empty() const {
    return schema_added.empty() && schema_removed.empty() && schema_changed.empty() &&
           tables.empty();
  }
  // One line per change: "table t: 10 -> 12 rows", "+ column t.c", ...
  std::string Render() const;
};

StateChange CompareStates(const StateProbe& before, const StateProbe& after);

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_STATE_CHANGE_H_
