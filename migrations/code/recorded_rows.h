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
#ifndef REHEARSE_MIGRATIONS_CODE_RECORDED_ROWS_H_
#define REHEARSE_MIGRATIONS_CODE_RECORDED_ROWS_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "migrations/code/temp_table.h"

namespace rehearse {

struct RecordedColumn {
  std::string json;  // name in the artifact: "currentStep"
  std::string sql;   // column of the table: "current_step"
  ColumnKind kind;
};

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

 private:
  std::string table_;
  std::vector<RecordedColumn> columns_;
};

}  // namespace rehearse

#endif  // REHEARSE_MIGRATIONS_CODE_RECORDED_ROWS_H_
