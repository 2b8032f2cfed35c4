// StateChange: what a migration changed, measured from inside its own
// transaction — the report of a dry run, taken before the rollback that
// throws the change away.
//
// It compares two Snapshots taken in that open transaction
// (SnapshotOptions::in_open_transaction) and names the schema objects added,
// removed or changed and, per table, the row counts before and after and
// whether the rows changed at all (an UPDATE keeps the count but changes the
// digest). When both snapshots kept row archives it also counts the rows
// added, removed and changed per table and keeps a few sample differences —
// table, key, column, before → after — as the SnapshotDiff that any other
// snapshot comparison produces (snapshot_diff.h), rendered the same way. The
// harness's own tables (harness_tables.h) are left out: the ledger row every
// migration adds is not news.
//
// Cost: a snapshot reads every row once, so a dry run reads the database
// twice; with archives it also writes every row to disk once per snapshot.
#ifndef REHEARSE_MIGRATE_STATE_CHANGE_H_
#define REHEARSE_MIGRATE_STATE_CHANGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/state/snapshot.h"
#include "harness/state/snapshot_diff.h"

namespace rehearse {

struct TableChange {
  std::string table;
  int64_t rows_before = -1;  // -1: the table did not exist
  int64_t rows_after = -1;   // -1: the table no longer exists
  bool rows_changed = false;
  // Rows added, removed and changed, when the snapshots had archives.
  std::optional<RowTally> tally;
};

struct StateChange {
  std::vector<std::string> schema_added;  // "<kind> <name>"
  std::vector<std::string> schema_removed;
  std::vector<std::string> schema_changed;
  // Only tables whose rows changed (a table created or dropped empty is in
  // the schema lists alone), by name.
  std::vector<TableChange> tables;
  // Row differences, capped per table (empty without archives).
  SnapshotDiff samples;

  bool empty() const {
    return schema_added.empty() && schema_removed.empty() && schema_changed.empty() &&
           tables.empty();
  }
  // One line per change — "+ column t.c", "table t: 10 rows -> 12 rows:
  // 2 added, 0 removed, 3 changed" — then "samples:" and the sample lines.
  std::string Render() const;
};

// A snapshot for CompareStates, taken inside the open transaction of `db`.
// With an `archive_root` (an existing folder), its rows are archived in a
// new folder under it, <archive_root>/probe-<*n> (*n is then incremented),
// which DropProbe removes once the snapshot has been compared.
Status TakeProbe(Database* db, const std::string& archive_root, int* n, Snapshot* out);
void DropProbe(const Snapshot& probe);

// Compares `before` with `after`, keeping up to `samples_per_table` sample
// differences per table when both have archives. Non-OK only when an
// archive cannot be read.
Status CompareStates(const Snapshot& before, const Snapshot& after, size_t samples_per_table,
                     StateChange* out);

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_STATE_CHANGE_H_
