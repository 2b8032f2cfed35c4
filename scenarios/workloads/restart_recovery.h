// RestartRecovery: the conversation bot starting up (seed 003) and
// rescheduling its timers from two places.
//
//   table recovery   every active_timers row becomes a timer again;
//   legacy recovery  RecoverPendingReminders(): every conversation flow state
//                    whose state_data holds "dailyPromptPending" becomes a
//                    reminder at its reminderDueAt, and — as the seed's phase
//                    2 has it — is persisted to active_timers, so the next
//                    start-up finds it in the table.
//
// Mutual exclusion (the seed's fix): legacy recovery is skipped when
// active_timers already holds conversation timers. Without it (the known-bad
// variant "restart_recovery_without_exclusion"), a participant whose reminder
// sits in both places is reminded twice. With it but before migration 0001,
// reminders that live only in state_data are silently dropped whenever the
// table holds any conversation timer: 0001 moves them into the table so that
// exclusion neither doubles nor drops one.
//
// Observed: the pending reminders before start-up (record.recovery
// .pending_reminder_participants) and every timer scheduled, read back from
// active_timers after both recoveries ran — rows that were there are the
// table's, rows legacy recovery inserted are the legacy's.
#ifndef REHEARSE_SCENARIOS_WORKLOADS_RESTART_RECOVERY_H_
#define REHEARSE_SCENARIOS_WORKLOADS_RESTART_RECOVERY_H_

#include <string>

#include "scenarios/workloads/workload.h"

namespace rehearse {

struct RestartRecoveryOptions {
  bool mutual_exclusion = true;  // false: the known-bad variant
};

class RestartRecovery final : public Workload {
 public:
  explicit RestartRecovery(RestartRecoveryOptions options = {}) : options_(options) {}

  // "restart_recovery", or "restart_recovery_without_exclusion".
  std::string name() const override;
  Status Play(Database* db, const std::string& now, WorkloadRecord* record) override;

 private:
  RestartRecoveryOptions options_;
};

}  // namespace rehearse

#endif  // REHEARSE_SCENARIOS_WORKLOADS_RESTART_RECOVERY_H_
