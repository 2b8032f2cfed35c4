#include "verifiers/domain/timezone_column_check.h"

#include "scenarios/workloads/workload_sql.h"

namespace rehearse {

CheckResult TimezoneColumnOnExistingTables(Database* db) {
  const char* kName = "timezone_column_on_existing_tables";
  const std::string kTable = "conversation_participants";
  WorkloadSql sql(db);
  bool table = false, column = false;
  Status s = sql.TableExists(kTable, &table);
  if (s.ok() && table) s = sql.ColumnExists(kTable, "timezone", &column);
  if (!s.ok()) return CheckResult::Fail(kName, "could not read the catalog: " + s.ToString());
  if (!table) return CheckResult::Skip(kName, kTable + " does not exist");
  if (!column)
    return CheckResult::Fail(kName, kTable +
                                        " existed before the migration and still has no "
                                        "timezone column (CREATE TABLE IF NOT EXISTS skips "
                                        "a table that is there)");
  return CheckResult::Pass(kName, kTable + ".timezone present");
}

}  // namespace rehearse
