// timezone_column_on_existing_tables (seed 003): after migration 0001,
// conversation_participants has its timezone column on a database where the
// table already existed — exactly what the in-place edited
// `CREATE TABLE IF NOT EXISTS` start-up file failed to do, since it skips a
// table that is already there, column and all.
//
// Judged on the catalog of the upgraded database (not on a fresh install,
// where the edited file looks right). Skips where the table does not exist.
#ifndef REHEARSE_VERIFIERS_DOMAIN_TIMEZONE_COLUMN_CHECK_H_
#define REHEARSE_VERIFIERS_DOMAIN_TIMEZONE_COLUMN_CHECK_H_

#include "harness/db/database.h"
#include "verifiers/check_result.h"

namespace rehearse {

CheckResult TimezoneColumnOnExistingTables(Database* db);

}  // namespace rehearse

#endif  // REHEARSE_VERIFIERS_DOMAIN_TIMEZONE_COLUMN_CHECK_H_
