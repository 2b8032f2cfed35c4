// Row counts of every user table, for the rollback's data check: a table
// that held rows before an up and holds fewer (or is gone) after its down
// lost them. Read on the harness's own connection (the superuser's on
// PostgreSQL, so row-level security hides nothing). Rehearse's own tables
// are left out.
#ifndef REHEARSE_PROFILE_ROW_COUNTS_H_
#define REHEARSE_PROFILE_ROW_COUNTS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"

namespace rehearse {

// A table as named here ("table", or "schema.table" outside public), quoted
// for SQL.
std::string QuotedTableName(const std::string& name);

// Table name -> rows.
Status CountTableRows(Database* db, std::map<std::string, int64_t>* out);

// "comments: 100,000 rows before up, 0 after down", one per table that lost
// rows; a table that is gone counts as 0.
std::vector<std::string> LostRows(const std::map<std::string, int64_t>& before,
                                  const std::map<std::string, int64_t>& after);

}  // namespace rehearse

#endif  // REHEARSE_PROFILE_ROW_COUNTS_H_
