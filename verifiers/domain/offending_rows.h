// OffendingRows: the shared shape of a domain check over database state — a
// query whose every row is a violation, turned into a CheckResult that names
// the first ones. Keeps each check down to its SQL.
#ifndef REHEARSE_VERIFIERS_DOMAIN_OFFENDING_ROWS_H_
#define REHEARSE_VERIFIERS_DOMAIN_OFFENDING_ROWS_H_

#include <string>

#include "harness/db/database.h"
#include "verifiers/check_result.h"

namespace rehearse {

// Runs `query` (plain SQL, valid on both dialects). No rows: pass with
// `pass_detail`. Rows: fail with "<count> <what>: " and the first ten rows,
// each as "col=value, ..." so the detail names keys and values. A query that
// fails is a fail naming the database's message (the migration left a state
// the check cannot even read).
CheckResult OffendingRows(const char* name, Database* db, const std::string& query,
                          const std::string& what, const std::string& pass_detail);

}  // namespace rehearse

#endif  // REHEARSE_VERIFIERS_DOMAIN_OFFENDING_ROWS_H_
