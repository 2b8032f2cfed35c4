// applies_with_data: a migration whose up (or down) fails on the filled
// database but applies to the same state without the filler's rows fails
// because of the rows. That is a finding about production — its rows must
// not look like that before the migration runs — not a broken chain: the
// rehearsal records it and rehearses the migration again, with every other
// check, on the unfilled state (harness/runner/unfilled_chain.h), and the
// chain goes on.
//
// The detail names the statement, the table and the offending key or value
// as far as the engine said: PostgreSQL's SQLSTATE and its DETAIL ("Key
// (package_id, num)=(7, 1.0) is duplicated."), SQLite's "UNIQUE constraint
// failed: versions.package_id, versions.num". For example:
//
//   up: ALTER TABLE versions ADD CONSTRAINT unique_num UNIQUE (package_id,
//   num) fails when versions holds duplicate (package_id, num), e.g.
//   (7, 1.0); production must hold none before this runs
#ifndef REHEARSE_VERIFIERS_APPLIES_WITH_DATA_H_
#define REHEARSE_VERIFIERS_APPLIES_WITH_DATA_H_

#include <string>

#include "harness/common/status.h"
#include "verifiers/check_result.h"

namespace rehearse {

// What the rows must not hold for `failure` not to happen, in one line
// (without the statement): "versions holds duplicate (package_id, num),
// e.g. (7, 1.0)". Falls back to the engine's first line of message.
std::string DescribeDataFailure(const Status& failure);

// The applies_with_data check for a step ("up" or "down") that failed with
// `failure` on the filled database and applied without the rows: warn, or
// fail when `strict` (`rehearse gate --strict`). `then` says what the run
// did with the database without the rows.
CheckResult AppliesWithData(const char* step, const Status& failure, bool strict,
                            const std::string& then = "where it was rehearsed instead");

}  // namespace rehearse

#endif  // REHEARSE_VERIFIERS_APPLIES_WITH_DATA_H_
