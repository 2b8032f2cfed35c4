// SnapshotDiff: every difference between two snapshots, classified and named
// precisely enough that nobody has to re-run to understand it: the schema
// object or the table, the row's key, the column, and both values.
//
// Differences are capped per table (DiffOptions::max_per_table) but always
// counted in full. Sequence positions alone are warnings (nextval is never
// rolled back); everything else is a failure.
#ifndef REHEARSE_STATE_SNAPSHOT_DIFF_H_
#define REHEARSE_STATE_SNAPSHOT_DIFF_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/state/snapshot.h"

namespace rehearse {

struct Difference {
  enum class Kind {
    kSchemaAdded,
    kSchemaRemoved,
    kSchemaChanged,
    kRowAdded,
    kRowRemoved,
    kRowChanged,
    kSequencePosition,
  };
  Kind kind;
  std::string object;  // schema: "<kind> <name>"; rows: the table
  std::string key;     // rows: "id=42" or "(a=1, b='x')"
  std::string column;  // kRowChanged: the column
  std::string before;  // display form; empty when the side has nothing
  std::string after;

  bool is_warning() const { return kind == Kind::kSequencePosition; }
  std::string ToString() const;  // one line
};

const char* DifferenceKindName(Difference::Kind kind);

struct DiffOptions {
  size_t max_per_table = 10;  // differences kept per table or schema object kind
  bool schema_only = false;   // compare catalogs only (no rows, no sequence positions)
  bool rows_only = false;     // compare rows only (the caller reports the catalog)
  // Also compare the columns only `after` has: a non-NULL value there is a
  // change from nothing (what a backfill of a new column did). Off, a new
  // column is a schema difference alone.
  bool added_columns = false;
  // Tables (and their schema objects) to leave out, e.g. the harness's own.
  std::function<bool(const std::string& table)> skip_table = nullptr;
};

// Rows of one table that differ, each counted once however many of its
// columns changed.
struct RowTally {
  int64_t added = 0;
  int64_t removed = 0;
  int64_t changed = 0;
};

struct SnapshotDiff {
  std::vector<Difference> shown;          // capped per table
  std::map<std::string, size_t> counted;  // every difference, per table / object kind
  size_t failures = 0;                    // all non-warning differences
  size_t warnings = 0;
  // Per table whose rows were compared row by row (both sides archived) or
  // that is new with rows; absent for a table compared by digest alone.
  std::map<std::string, RowTally> rows;

  bool identical() const { return failures == 0 && warnings == 0; }
  // Lines naming each shown difference, then "... and N more in <table>".
  std::string Render() const;
};

// Compares `before` with `after`. Tables whose digests match are skipped;
// others are merged row by row from their archives. A table without archives
// on either side is reported by digest alone.
Status DiffSnapshots(const Snapshot& before, const Snapshot& after, const DiffOptions& options,
                     SnapshotDiff* out);

}  // namespace rehearse

#endif  // REHEARSE_STATE_SNAPSHOT_DIFF_H_
