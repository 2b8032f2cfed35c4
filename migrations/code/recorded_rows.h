// RecordedRows: previous values of many rows of one table, as a section of a
// rollback artifact's payload, and the bulk write that puts them back.
//
//   {"columns": ["id", "currentStep", "nextStepDue", ...],
//    "rows": [[42, 3, "2026-03-01 09:00:00+00", ...], ...]}
//
// Rows are arrays rather than objects so that a million of them stay a
// reasonable file; the column names (the seed's camelCase) are written once.
// Integers are JSON numbers, booleans JSON booleans, text and timestamps
// as stored_values.h encodes them — exactly, whatever the dialect.
//
// Contract: Restore() refuses (kCorruption, naming the section) a section
// whose columns are not exactly the expected ones in order, or a row of the
// wrong width or with a value of the wrong shape, before writing anything;
// then it writes every row back with one TempTable update. A row whose id no
// longer exists is skipped (the row was deleted since; nothing to restore).
//
// Later changes: Up also records, after its writes, the values it left in
// those rows ("written", same shape as "rows"). Down compares them with what
// the rows hold now: a difference is work done after Up — a cron tick that
// advanced an instance, a task a user completed — which restoring the
// previous values would silently undo, so the migration can refuse.
#ifndef REHEARSE_MIGRATIONS_CODE_RECORDED_ROWS_H_
#define REHEARSE_MIGRATIONS_CODE_RECORDED_ROWS_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "migrations/code/temp_table.h"

namespace rehearse {

// At most this many LaterChanges are listed; rows are counted all the same.
constexpr size_t kLaterChangesListed = 20;

// One value that changed after Up wrote it.
struct LaterChange {
  std::string table, column;
  int64_t id = 0;
  std::string written, now;  // JSON text of the values
};

struct RecordedColumn {
  std::string json;  // name in the artifact: "currentStep"
  std::string sql;   // column of the table: "current_step"
  ColumnKind kind;
};

// kConflict describing `rows` rows changed after `migration` was applied —
// the first LaterChanges by table, id, column and both values — and that
// --force restores anyway; OK when rows is 0.
Status RefuseLaterChanges(const std::string& migration, const std::vector<LaterChange>& changes,
                          int64_t rows);

class RecordedRows {
 public:
  // `columns[0]` must be the id.
  RecordedRows(std::string table, std::vector<RecordedColumn> columns);

  const std::vector<RecordedColumn>& columns() const { return columns_; }

  // An empty section.
  nlohmann::json NewSection() const;
  // Appends one row, `values` in column order as the database returned them.
  // kInvalidInput when an integer column does not hold an integer.
  Status Append(const Row& values, nlohmann::json* section) const;

  // Converts a section back into rows in the storage form of `dialect`.
  Status Decode(const nlohmann::json& section, Dialect dialect, std::vector<Row>* rows) const;
  Status Restore(Database* db, const nlohmann::json& section) const;

  // Stores the current values of the section's rows as section["written"];
  // called after the writes, inside the same transaction.
  Status RecordWritten(Database* db, nlohmann::json* section) const;
  // Appends to *changes every column of every row whose current value differs
  // from section["written"] (rows deleted since are not changes: Restore
  // skips them) and adds the changed rows to *rows_changed. kCorruption when
  // "written" is missing or malformed.
  Status FindLaterChanges(Database* db, const nlohmann::json& section,
                          std::vector<LaterChange>* changes, int64_t* rows_changed) const;

 private:
  // The current values of the rows whose ids head `rows`, as section rows
  // ordered by id.
  Status ReadCurrent(Database* db, const nlohmann::json& rows, nlohmann::json* out) const;

  std::string table_;
  std::vector<RecordedColumn> columns_;
};

}  // namespace rehearse

#endif  // REHEARSE_MIGRATIONS_CODE_RECORDED_ROWS_H_
