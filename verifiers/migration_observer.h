// MigrationObserver: domain invariants that need to see a database on both
// sides of one up(N) — what a workload did before the migration and after
// it, rows the migration must leave alone — not just the state after it.
//
// The runner calls BeforeUp on the database at N-1, then, once up(N) has
// applied, AfterUp on the database at N, and once down(N) has, AfterDown on
// the database back at N-1; each appends one CheckResult per invariant it
// judges. Both must leave the database byte-identical (a
// workload rolls its own transaction back), since the runner snapshots it
// right after. A failure to observe (a workload's query fails) is reported as
// a failing check, never as a Status: it says something about the migration.
//
// One observer serves one chain on one backend, on one thread: it may keep
// what BeforeUp saw until the matching AfterUp.
#ifndef REHEARSE_VERIFIERS_MIGRATION_OBSERVER_H_
#define REHEARSE_VERIFIERS_MIGRATION_OBSERVER_H_

#include <string>
#include <vector>

#include "harness/db/database.h"
#include "harness/migrate/migration.h"
#include "verifiers/check_result.h"

namespace rehearse {

class MigrationObserver {
 public:
  virtual ~MigrationObserver() = default;
  virtual void BeforeUp(const Migration& migration, Database* db) = 0;
  virtual void AfterUp(const Migration& migration, Database* db,
                       std::vector<CheckResult>* checks) = 0;
  // After down(N) has applied (and been snapshotted), on the database back at
  // N-1: the application after a rollback. Appends its checks, if any.
  // The names of every check this observer can append (a scenario that
  // expects another one to fail has a typo).
  virtual std::vector<std::string> CheckNames() const = 0;
  virtual void AfterDown(const Migration& migration, Database* db,
                         std::vector<CheckResult>* checks) {
    (void)migration, (void)db, (void)checks;
  }
};

}  // namespace rehearse

#endif  // REHEARSE_VERIFIERS_MIGRATION_OBSERVER_H_
