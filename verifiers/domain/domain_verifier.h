// DomainVerifier: the domain invariants of the project's own four migrations
// (DESIGN.md, "Domain"), observed around each up(N) of a rehearsal.
//
// Each invariant applies from the migration that makes its promise onward,
// so a later migration that breaks an earlier promise is caught too:
//   0001 (seed 003)  timezone_column_on_existing_tables; restart recovery:
//                    no_duplicate_timer_recovery, every_pending_reminder_recovered
//   0002 (seed 001)  one_front_desk_per_org, no_thread_without_number,
//                    number_class_from_assigned_number
//   0003 (seed 000)  the cron tick before and after: no_retro_inserted_steps,
//                    current_step_remapped, paused_not_resumed, no_overdue_flood;
//                    completed_tasks_untouched, pending_tasks_rerendered
//   0004 (seed 002)  the timeout job processor: no_synthetic_timeout_events,
//                    timeout_transitions_schedule_followup,
//                    timeout_transitions_have_timeout_reason
// and after each down(N) from 0003 on: workloads_after_rollback.
// Workloads are the faithful ones (scenarios/workloads/) unless the options
// name a known-bad variant to play in their place: that is how a negative
// scenario plays the application done wrong.
#ifndef REHEARSE_VERIFIERS_DOMAIN_DOMAIN_VERIFIER_H_
#define REHEARSE_VERIFIERS_DOMAIN_DOMAIN_VERIFIER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/common/harness_clock.h"
#include "harness/common/status.h"
#include "scenarios/workloads/workload.h"
#include "verifiers/check_registry.h"
#include "verifiers/domain/task_checks.h"
#include "verifiers/migration_observer.h"

namespace rehearse {

struct DomainVerifierOptions {
  // Workload names (WorkloadRegistry) to play instead of the faithful
  // workload of the same seed.
  std::vector<std::string> workloads;
  std::string now = kHarnessNow;
  // The invariants to judge, by name (CheckNames()); empty: every one.
  std::vector<std::string> only;
};

class DomainVerifier : public MigrationObserver {
 public:
  // kInvalidInput naming the workload when one is unknown or two stand in
  // for the same seed, or naming the invariant when `only` has an unknown one (AllCheckNames).
  static Status Make(const DomainVerifierOptions& options, std::unique_ptr<DomainVerifier>* out);

  // Every invariant this verifier judges, with what it asserts and the
  // negative scenario that proves it can fail (the README's table).
  static const CheckRegistry& Checks();
  // Their names (the names its CheckResults carry), from Checks().
  static const std::vector<std::string>& AllCheckNames();
  std::vector<std::string> CheckNames() const override { return AllCheckNames(); }

  void BeforeUp(const Migration& migration, Database* db) override;
  void AfterUp(const Migration& migration, Database* db, std::vector<CheckResult>* checks) override;
  // workloads_after_rollback: from 0003 on, the cron tick after down(N) does
  // exactly what it did before up(N) — the application is back, not just
  // the bytes.
  void AfterDown(const Migration& migration, Database* db,
                 std::vector<CheckResult>* checks) override;

 private:
  DomainVerifier() = default;

  // Plays the workload of `seed`; a failure becomes a failing check.
  bool Play(const std::string& seed, Database* db, WorkloadRecord* record,
            std::vector<CheckResult>* checks);
  void AfterUpChecks(const Migration& migration, Database* db, std::vector<CheckResult>* checks);
  // Drops the checks `only_` does not ask for, from `from` on.
  void Select(size_t from, std::vector<CheckResult>* checks) const;

  std::vector<std::string> only_;

  WorkloadRegistry registry_;
  std::map<std::string, const WorkloadEntry*> by_seed_;  // seed -> workload to play
  std::string now_;
  // What BeforeUp saw, for the AfterUp of the same migration.
  bool have_before_ = false;
  Status before_status_;
  WorkloadRecord cron_before_;
  TaskCopy tasks_before_;
};

}  // namespace rehearse

#endif  // REHEARSE_VERIFIERS_DOMAIN_DOMAIN_VERIFIER_H_
