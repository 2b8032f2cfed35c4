// BuildStartingState: the state a migration starts from, as production had
// it — the migrations of `range` applied, and the domain's fill where its
// FillPlan puts it: right after the chain's first migration (the domain
// generator knows only the baseline; the later migrations then run over the
// filled rows), or once `range` is applied (the schema-driven filler fills
// what the migrations made). Nothing is filled when `range` does not hold the
// first migration (nothing to fill yet) or the plan has no fill.
//
// The rehearsal (its first target's N-1, or the baseline) and the commands'
// throwaway databases (`rehearse fixture`, `rehearse migrate`) are built
// with it. Migrations run through `migrator` (as the role it was
// given), the fill on `db` (the harness's own connection).
#ifndef REHEARSE_RUNNER_STARTING_STATE_H_
#define REHEARSE_RUNNER_STARTING_STATE_H_

#include <vector>

#include "harness/common/status.h"
#include "harness/migrate/migration_range.h"
#include "harness/migrate/migrator.h"
#include "harness/runner/fill_plan.h"

namespace rehearse {

struct StartingState {
  bool filled = false;  // the fill ran (it may still have failed: see the Status)
  FillReport fill;      // what it put in
  double fill_seconds = 0;
};

// A migration that fails comes back as the Migrator's Status with
// out->filled false when it failed before the fill.
// `look_ahead` goes to the fill (FillFunction).
Status BuildStartingState(const std::vector<Migration>& migrations, const MigrationRange& range,
                          const FillPlan& plan, const std::vector<LookAheadConstraint>& look_ahead,
                          Migrator* migrator, Database* db, StartingState* out);

}  // namespace rehearse

#endif  // REHEARSE_RUNNER_STARTING_STATE_H_
