// The invariants that hold for any migration, computed from what the runner
// observed: the Status of each step and the snapshots around it.
//
//   forward_applies        the up ran without error
//   rollback_applies       the down ran without error
//   rollback_identical     the state after up+down equals the state before up
//   reapply_identical      up again after the down gives the same state as up
//   upgrade_matches_fresh  the upgraded schema equals a fresh install 0..N's
//                          (what catches CREATE TABLE IF NOT EXISTS never
//                          adding a column to an existing table)
//   dry_run_unchanged      a dry run leaves the database byte-identical
//   idempotent_rerun       running the runner again applies nothing
//   applied_unchanged      no applied migration's file changed since
//   applies_with_data      up and down apply to the filled database, not only
//                          without the generated rows (applies_with_data.h)
#ifndef REHEARSE_VERIFIERS_GENERIC_CHECKS_H_
#define REHEARSE_VERIFIERS_GENERIC_CHECKS_H_

#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/migrate/ledger_mismatch.h"
#include "harness/state/snapshot.h"
#include "verifiers/check_result.h"

namespace rehearse {

// pass when `step` is OK, else fail with its message (file:line, statement).
CheckResult CheckStepApplies(const std::string& name, const Status& step);

// pass when the snapshots are byte-identical; warn when they differ only in
// sequence positions; fail otherwise, the detail listing the differences.
CheckResult CheckSnapshotsIdentical(const std::string& name, const Snapshot& expected,
                                    const Snapshot& actual);

// rollback_identical and reapply_identical: CheckSnapshotsIdentical, except
// that a table whose rows differ only in columns with a volatile default
// (volatile_values.h), in rows the step inserted — rows of `actual` whose key
// `before_step`, the state right before that step, lacks — is a warning
// naming each such column and its default: the step ran at another moment,
// not wrongly. Every other difference fails as before.
CheckResult CheckSnapshotsIdentical(const std::string& name, const Snapshot& expected,
                                    const Snapshot& actual, const Snapshot& before_step);

// Compares catalogs only (rows and sequence positions are ignored).
CheckResult CheckSchemasIdentical(const std::string& name, const Snapshot& expected,
                                  const Snapshot& actual);

// idempotent_rerun: `applied_again` is how many migrations the second run
// applied; the snapshots are before and after it.
CheckResult CheckIdempotentRerun(size_t applied_again, const Snapshot& before,
                                 const Snapshot& after);

// applied_unchanged over the ledger's disagreements with the source.
CheckResult CheckAppliedUnchanged(const std::vector<LedgerMismatch>& mismatches);

}  // namespace rehearse

#endif  // REHEARSE_VERIFIERS_GENERIC_CHECKS_H_
