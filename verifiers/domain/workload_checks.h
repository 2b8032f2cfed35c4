// Workload checks: the domain invariants of DESIGN.md that are judged on what
// a workload did, as plain functions over WorkloadRecords
// (workload_record.h), for the verifiers layer to call.
//
// Each returns a CheckResult: kPass, kFail with a detail naming the offending
// ids (the first ten, then how many more), kWarn when the record allows no
// firm answer but something deserves a look, or kSkip when the record is not
// of the kind the check judges (another workload's record, or the change
// the check is about is not in force). A check never fails on a record it
// cannot judge; every check has a known-bad workload or migration that makes
// it fail (workload.h's must_fail, scenarios/negative/).
//
// Checks that compare two records take the record of the same workload
// played before the migration (`before`) and after it (`after`), on the same
// database at the same clock.
#ifndef REHEARSE_VERIFIERS_DOMAIN_WORKLOAD_CHECKS_H_
#define REHEARSE_VERIFIERS_DOMAIN_WORKLOAD_CHECKS_H_

#include <string>
#include <string_view>
#include <vector>

#include "scenarios/workloads/workload_record.h"
#include "verifiers/check_result.h"

namespace rehearse {

// ---- restart recovery (seed 003) ------------------------------------------

// no_duplicate_timer_recovery: no participant's daily-prompt reminder is
// scheduled more than once in one start-up.
CheckResult NoDuplicateTimerRecovery(const WorkloadRecord& record);

// every_pending_reminder_recovered: every participant that had a pending
// reminder (state_data or active_timers) has one scheduled after start-up.
// Fails on the baseline with mutual exclusion: state_data-only reminders are
// dropped until migration 0001 moves them into active_timers.
CheckResult EveryPendingReminderRecovered(const WorkloadRecord& record);

// ---- timeout job processor (seed 002) -------------------------------------
// These skip when the record's timeout_processing mode is not
// 'direct_transition': before migration 0004 (or after its down) synthetic
// events and 'Event:' reasons are the expected behaviour.

// no_synthetic_timeout_events: the processor inserted no event whose data has
// "synthetic": true (a JSON boolean; the string "true" is a person's).
CheckResult NoSyntheticTimeoutEvents(const WorkloadRecord& record);

// timeout_transitions_schedule_followup: every execution a timeout moved
// got a scheduled follow-up e-mail tied to its timeout job.
CheckResult TimeoutTransitionsScheduleFollowup(const WorkloadRecord& record);

// timeout_transitions_have_timeout_reason: every transition the processor
// inserted reads 'Timeout: <type>', has no event, and (where the column
// exists) origin 'timeout'.
CheckResult TimeoutTransitionsHaveTimeoutReason(const WorkloadRecord& record);

// ---- follow-up cron tick (seed 000) ---------------------------------------

// paused_not_resumed: the tick acted on no instance that was paused for a
// reason unrelated to scheduling (anything but 'outside_business_hours' and
// 'rate_limited'). Alone, it catches an active instance that still carries
// such a reason; with `before`, also an instance that was paused then and is
// acted on now.
CheckResult PausedNotResumed(const WorkloadRecord& after, const WorkloadRecord* before = nullptr);

// no_retro_inserted_steps: no instance is given a step that sorts at or
// before the step it had already reached before the migration. The reached
// step is identified by id in `before` (the step at its current_step then)
// and located by id in `after`; an instance whose reached step no longer
// exists cannot be judged and is counted in the detail (all of them: warn).
CheckResult NoRetroInsertedSteps(const WorkloadRecord& before, const WorkloadRecord& after);

// current_step_remapped: after the migration, every step an open instance
// had already sent (step_order <= current_step before, identified by id)
// sits at or below its new current_step, so nothing is sent twice. Steps
// the migration deleted cannot be sent again and are not judged.
CheckResult CurrentStepRemapped(const WorkloadRecord& before, const WorkloadRecord& after);

// no_overdue_flood: no workspace sent more on one channel in one tick than
// canSendFollowUp allows (the record's rate_limits), counted from the task
// rows the tick wrote. The detail reports the throttled backlog.
CheckResult NoOverdueFlood(const WorkloadRecord& record);

// ---- by name ---------------------------------------------------------------

// The checks above under their invariant names (DESIGN.md), for the
// verifiers layer and scenario files. `before` is the same workload's record
// from before the migration, or null: a check that needs it skips without
// it, one that can use it does.
struct WorkloadCheck {
  const char* name;
  const char* seed;       // "000".."003"
  const char* asserts;    // the invariant, in one line (CheckInfo)
  const char* known_bad;  // the negative scenario or test that trips it
  CheckResult (*run)(const WorkloadRecord* before, const WorkloadRecord& after);
};
const std::vector<WorkloadCheck>& WorkloadChecks();
const WorkloadCheck* FindWorkloadCheck(std::string_view name);  // null when unknown

}  // namespace rehearse

#endif  // REHEARSE_VERIFIERS_DOMAIN_WORKLOAD_CHECKS_H_
