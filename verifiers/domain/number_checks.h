// Number checks: the promises of seed 001's Phase 1.4 backfill (migration
// 0002), judged on the database state after it. Each query returns the
// offending rows, so a failure names the org, number or thread.
//
// They skip on a database without the Phase 1.1 columns (before 0002, or
// after its down). An org without an active number has no front desk and
// its threads no number: the backfill reports those orgs instead of
// inventing a number, so the checks leave them out too.
#ifndef REHEARSE_VERIFIERS_DOMAIN_NUMBER_CHECKS_H_
#define REHEARSE_VERIFIERS_DOMAIN_NUMBER_CHECKS_H_

#include "harness/db/database.h"
#include "verifiers/check_result.h"

namespace rehearse {

// one_front_desk_per_org: every org with an active number has exactly one
// number of class 'front_desk'; no org has more than one.
CheckResult OneFrontDeskPerOrg(Database* db);

// no_thread_without_number: every thread of an org that has a front desk
// has a message_number_id, and that number is one of its own org's.
CheckResult NoThreadWithoutNumber(Database* db);

// number_class_from_assigned_number: every thread's number_class equals the
// class of the number it is assigned (NULL exactly when it has none).
CheckResult NumberClassFromAssignedNumber(Database* db);

}  // namespace rehearse

#endif  // REHEARSE_VERIFIERS_DOMAIN_NUMBER_CHECKS_H_
