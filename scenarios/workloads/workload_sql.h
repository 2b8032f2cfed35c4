// WorkloadSql: the SQL the workloads speak, written once for both dialects.
//
// Statements use ?1, ?2, ... placeholders, which SQLite reads as they are and
// which are rewritten to $1, $2, ... for PostgreSQL (outside quotes). Values
// come back as the dialect hands them over — PostgreSQL as text, SQLite in
// its storage class — so the Field* readers accept both forms: an integer
// column reads as 42 whether it arrived as Integer(42) or Text("42"), a
// boolean whether it is 1/0 or 't'/'f'. Timestamps are canonical text on both
// (fixtures/fixture_time.h), so they compare and sort the same.
//
// Nothing here opens or closes a transaction; every method returns the
// database's Status unchanged.
#ifndef REHEARSE_SCENARIOS_WORKLOADS_WORKLOAD_SQL_H_
#define REHEARSE_SCENARIOS_WORKLOADS_WORKLOAD_SQL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"

namespace rehearse {

class WorkloadSql {
 public:
  explicit WorkloadSql(Database* db) : db_(db) {}

  Dialect dialect() const { return db_->dialect(); }

  // Runs `sql` (with ?N placeholders) and returns its rows in *out, if any.
  Status Query(std::string_view sql, const Row& params, ResultSet* out);
  Status Exec(std::string_view sql, const Row& params = {}) { return Query(sql, params, nullptr); }

  // Runs `select_prefix` + "(<ids>)" for the ids in chunks (an IN list has
  // to stay short enough for either engine) and appends every chunk's rows
  // to *out. `select_prefix` ends with "... WHERE id IN ".
  Status QueryIds(const std::string& select_prefix, const std::vector<int64_t>& ids,
                  ResultSet* out);

  // Whether a table (or a column of it) exists. A workload asks before it
  // touches something a migration adds, because on PostgreSQL a statement
  // that names a missing table aborts the whole transaction.
  Status TableExists(const std::string& table, bool* exists);
  Status ColumnExists(const std::string& table, const std::string& column, bool* exists);

  // The id an application would give the next row of `table`: max(id) + 1,
  // at least 1. Ids are assigned by the writer in this schema (no sequences),
  // so nothing outside the workload's transaction moves.
  Status NextId(const std::string& table, int64_t* id);

  // A boolean parameter in the column's storage form ('t'/'f' or 1/0).
  Value Bool(bool b) const;

  // `sql` with ?N rewritten for PostgreSQL; unchanged for SQLite.
  static std::string ForDialect(std::string_view sql, Dialect dialect);

 private:
  Database* db_;
};

// Field readers over either dialect's form (see the header comment). NULL
// reads as 0, false or "" respectively.
int64_t FieldInt(const Value& v);
bool FieldBool(const Value& v);
std::string FieldText(const Value& v);
std::optional<std::string> FieldOptText(const Value& v);

}  // namespace rehearse

#endif  // REHEARSE_SCENARIOS_WORKLOADS_WORKLOAD_SQL_H_
