#include "harness/runner/starting_state.h"

#include <chrono>

namespace rehearse {

namespace {

Status Fill(const FillPlan& plan, const std::vector<LookAheadConstraint>& look_ahead, Database* db,
            StartingState* out) {
  out->filled = true;
  const auto start = std::chrono::steady_clock::now();
  Status s = plan.fill(db, look_ahead, &out->fill);
  out->fill_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return s;
}

}  // namespace

Status BuildStartingState(const std::vector<Migration>& migrations, const MigrationRange& range,
                          const FillPlan& plan, const std::vector<LookAheadConstraint>& look_ahead,
                          Migrator* migrator, Database* db, StartingState* out) {
  *out = StartingState();
  MigrationReport ignored;
  if (!plan.fill || migrations.empty() || !range.Contains(migrations.front().version))
    return migrator->Up(range, &ignored);
  if (plan.point == FillPoint::kAfterFirstMigration) {
    REHEARSE_RETURN_IF_ERROR(
        migrator->Up(MigrationRange::Through(migrations.front().version), &ignored));
    REHEARSE_RETURN_IF_ERROR(Fill(plan, look_ahead, db, out));
    return migrator->Up(range, &ignored);
  }
  REHEARSE_RETURN_IF_ERROR(migrator->Up(range, &ignored));
  return Fill(plan, look_ahead, db, out);
}

}  // namespace rehearse
