// TempTable: a temporary table that carries one bulk change into the
// database, so a change to a million rows is one COPY (PostgreSQL) or one
// prepared insert loop (SQLite) plus one UPDATE ... FROM, not a million
// round trips.
//
// Contract:
// - The first column is the key `id` (a PRIMARY KEY of the temp table) and
//   joins the target table's `id`.
// - Create() drops a leftover of the same name from the temporary schema
//   only (never a real table), then creates it; Drop() removes it. Both join
//   the caller's transaction, so a failed migration leaves nothing behind,
//   and a migration must Drop() what it created so that the snapshot after
//   it (which does not read temporary schemas anyway) and the session stay
//   clean.
// - Load() appends rows whose Values are already in the column's storage
//   form (BoolValue for booleans, canonical text for timestamps).
// - UpdateTarget() and DeleteFromTarget() return the engine's error
//   unchanged (a CHECK or UNIQUE violation names the statement).
#ifndef REHEARSE_MIGRATIONS_CODE_TEMP_TABLE_H_
#define REHEARSE_MIGRATIONS_CODE_TEMP_TABLE_H_

#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"

namespace rehearse {

// Feeds Database::BulkLoad from rows already in memory.
class VectorRowSource final : public RowSource {
 public:
  explicit VectorRowSource(const std::vector<Row>& rows) : rows_(rows) {}
  bool Next(Row* row) override {
    if (next_ == rows_.size()) return false;
    *row = rows_[next_++];
    return true;
  }

 private:
  const std::vector<Row>& rows_;
  size_t next_ = 0;
};

enum class ColumnKind { kBigint, kInteger, kText, kTimestamp, kBoolean };

struct TempColumn {
  std::string name;
  ColumnKind kind;
};

class TempTable {
 public:
  TempTable(Database* db, std::string name, std::vector<TempColumn> columns);

  const std::string& name() const { return name_; }

  Status Create();
  Status Load(const std::vector<Row>& rows);
  // UPDATE target SET c = u.c, ... FROM <temp> AS u WHERE target.id = u.id
  // [AND InIds(target.id)] [AND extra_where]; `assignments` are
  // "c = <expression over u>".
  Status UpdateTarget(const std::string& target, const std::vector<std::string>& assignments,
                      const std::string& extra_where = "");
  // UPDATE target SET c = u.c for each named column (a plain copy).
  Status CopyColumnsInto(const std::string& target, const std::vector<std::string>& columns);
  Status DeleteFromTarget(const std::string& target);
  Status Drop();

  // A condition that makes SQLite walk `id_column` (a rowid) through this
  // table's ids in order, "" on PostgreSQL, whose planner needs no help.
  // Without it, SQLite joins a table to the temp table by scanning the
  // table's narrowest index (say on lead_id) and reaching each row by a
  // random rowid: cheap while the table fits in the page cache, a cache
  // miss per row once it does not.
  std::string InIds(const std::string& id_column) const;

 private:
  Database* db_;
  std::string name_;
  std::vector<TempColumn> columns_;
};

}  // namespace rehearse

#endif  // REHEARSE_MIGRATIONS_CODE_TEMP_TABLE_H_
