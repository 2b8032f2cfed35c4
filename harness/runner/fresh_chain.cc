// The fresh-install chain (rehearsal_run.h): one database, with no fill, that
// goes forward a target at a time, against which each upgraded schema is
// compared (upgrade_matches_fresh).
#include "harness/migrate/harness_tables.h"
#include "harness/runner/rehearsal_run.h"

namespace rehearse {

RehearsalRun::FreshStep RehearsalRun::AdvanceFresh(const MigrationVersion& version,
                                                   const std::string& archive_dir) {
  FreshStep step;
  MigrationReport install;
  Migrator migrator = MigratorOn(fresh_->as, options_.migrations);
  step.applied = fresh_->empty ? migrator.FreshInstall(version, &install)
                               : migrator.Up(MigrationRange::Through(version), &install);
  fresh_->empty = false;
  step.infrastructure = OnlyInfrastructure(step.applied);
  if (!step.infrastructure.ok()) return step;
  if (!step.applied.ok()) {
    fresh_.reset();
    return step;
  }
  step.infrastructure =
      SnapInto(fresh_->db.get(), archive_dir, KeptOf(fresh_->name, kept_fresh_), &step.snapshot);
  if (step.infrastructure.ok())
    step.infrastructure = ComputeLogicalDigest(step.snapshot, IsHarnessTable, &step.digest);
  return step;
}

Status RehearsalRun::EnsureFreshChain() {
  if (fresh_) return Status::OK();
  fresh_ = std::make_unique<FreshChain>();
  REHEARSE_RETURN_IF_ERROR(dbs_->Create(options_.dialect, &fresh_->db, nullptr, "", &fresh_->name));
  dbs_->DescribeLast("fresh install through " + UnitEnd(Last()).text() +
                     ", no fill (or to the first migration that fails)");
  return ConnectForMigrations(fresh_->db.get(), fresh_->name, &fresh_->as);
}

}  // namespace rehearse
