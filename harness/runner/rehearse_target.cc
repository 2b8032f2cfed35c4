// One target's data flow (rehearsal.h): S0, the dry run, up, S1, the rerun,
// down, S2, up again, S3, the fresh install; and S1 built again when the
// down and second up did not come back to it.
#include <algorithm>
#include <chrono>
#include <future>
#include <memory>

#include "harness/migrate/harness_tables.h"
#include "harness/runner/rehearsal_run.h"
#include "verifiers/check_registry.h"
#include "verifiers/engine_hint.h"
#include "verifiers/generic_checks.h"

namespace rehearse {

namespace {

// How many migrations a run really applied; the ones it skipped as not
// available on this dialect did not run again (idempotent_rerun).
size_t AppliedCount(const MigrationReport& report) {
  size_t n = 0;
  for (const MigrationStep& step : report.steps)
    n += step.action == MigrationStep::Action::kApplied;
  return n;
}

// rollback_identical of a migration whose down does nothing says so first.
void ExplainEmptyDown(const DialectMigration& dm, CheckResult* c) {
  if (c->status != CheckStatus::kFail || !dm.down.DoesNothing()) return;
  c->detail = std::string(dm.down.present() ? "down is empty" : "there is no down") +
              ": the migration cannot be rolled back (declare it with --irreversible if that is "
              "intended); " +
              c->detail;
}

}  // namespace

Status RehearsalRun::Rehearse(const Migration& m, bool fill, const std::string& from,
                              MigrationOutcome* out) {
  ArchivesOfOneTarget release{this};
  std::unique_ptr<Database> db;
  std::string name;
  REHEARSE_RETURN_IF_ERROR(dbs_->Create(options_.dialect, &db, nullptr, from, &name));
  dbs_->DescribeLast(m.label() + " rehearsed: up, down and up again, left at " + m.version.text());
  // `db` is the harness's (fill, snapshots, domain checks); the migration
  // and its appended scripts run on `as`.
  MigrationConnections as;
  REHEARSE_RETURN_IF_ERROR(ConnectForMigrations(db.get(), name, &as));
  Database* mdb = m.privileged && as.privileged ? as.privileged : as.db;
  Migrator migrator = MigratorOn(as, options_.migrations);
  const MigrationRange only = UnitRange(m);
  auto& checks = out->checks;
  if (options_.fill.fill && fill &&
      options_.fill.point == RehearsalOptions::FillPoint::kBeforeEachTarget) {
    Status st = Fill(db.get(), m.version);
    if (!st.ok()) {
      if (st.code() == Status::Code::kInfrastructure) return st;
      checks.push_back(
          CheckResult::Fail("fill", "filling the tables at N-1 failed: " + st.ToString()));
      SkipRemaining("the database at N-1 could not be filled", out);
      return Status::OK();
    }
    REHEARSE_RETURN_IF_ERROR(Derive(m, as));
  }
  ReportFill(&checks);

  Snapshot s0, s1, s2, s3, probe;
  REHEARSE_RETURN_IF_ERROR(Snap(db.get(), &s0, KeptOf(from, kept_template_)));

  MigrationReport dry;
  Status st = migrator.DryRun(only, &dry);
  if (!st.ok()) REHEARSE_RETURN_IF_ERROR(OnlyInfrastructure(st));
  if (!st.ok() && !m.transactional) {
    // CREATE INDEX CONCURRENTLY, VACUUM: statements an engine refuses in a
    // transaction cannot have a dry run that rolls back. One that did run
    // and escaped is still caught below.
    checks.push_back(CheckResult::Skip(
        "dry_run_unchanged", "runs outside a transaction, and a dry run inside one is refused (" +
                                 st.message() + "); it is rehearsed for real below"));
  } else if (st.ok()) {
    REHEARSE_RETURN_IF_ERROR(Snap(db.get(), &probe, &s0));
    checks.push_back(CheckSnapshotsIdentical("dry_run_unchanged", s0, probe));
  } else {
    checks.push_back(CheckResult::Fail("dry_run_unchanged", "dry run failed: " + st.ToString()));
    AddEngineHint(st, engine_, &checks.back());
  }

  if (options_.observer) options_.observer->BeforeUp(m, db.get());
  MigrationReport up;
  auto up_start = std::chrono::steady_clock::now();
  st = Up(&migrator, m, mdb, &up);
  out->up_seconds = SecondsSince(up_start);
  REHEARSE_RETURN_IF_ERROR(OnlyInfrastructure(st));
  last_up_ = st;
  checks.push_back(CheckStepApplies("forward_applies", st));
  AddEngineHint(st, engine_, &checks.back());
  for (const MigrationStep& step : up.steps) {
    if (step.privileged) {
      checks.push_back(CheckResult::Warn(
          "privileged",
          "ran as the superuser, as declared (\"privileged\": true in its migration.json, "
          "or --privileged for the whole folder)"));
    }
  }
  if (!st.ok()) {
    SkipRemaining("the migration did not apply", out);
    return Status::OK();
  }
  // The fresh install through m runs on its own database and connections:
  // on the second core while this one rehearses m, when nothing it does is
  // shared (FreshAlongside). Joined below, or by `fresh`'s destructor on an
  // early return, before `release` drops the archives it writes.
  std::string fresh_archive;
  REHEARSE_RETURN_IF_ERROR(ArchiveDir(&fresh_archive));
  REHEARSE_RETURN_IF_ERROR(EnsureFreshChain());
  std::future<FreshStep> fresh;
  if (FreshAlongside())
    fresh = std::async(std::launch::async, &RehearsalRun::AdvanceFresh, this, UnitEnd(m),
                       fresh_archive);
  if (options_.observer) options_.observer->AfterUp(m, db.get(), &checks);
  REHEARSE_RETURN_IF_ERROR(Snap(db.get(), &s1, &s0));
  REHEARSE_RETURN_IF_ERROR(ComputeLogicalDigest(s1, IsHarnessTable, &out->after_up));

  MigrationReport rerun;
  st = migrator.Up(MigrationRange::Through(UnitEnd(m)), &rerun);
  REHEARSE_RETURN_IF_ERROR(OnlyInfrastructure(st));
  REHEARSE_RETURN_IF_ERROR(Snap(db.get(), &probe, &s1));
  checks.push_back(st.ok() ? CheckIdempotentRerun(AppliedCount(rerun), s1, probe)
                           : CheckResult::Fail("idempotent_rerun", st.ToString()));

  Verify(m, mdb, "after its deploy", &checks);

  bool back_at_s1 = true;  // an irreversible migration stays at S1
  if (!m.irreversible.empty()) {
    for (const char* name : {"rollback_applies", "rollback_identical", "reapply_identical"})
      checks.push_back(CheckResult::Skip(name, "irreversible: " + m.irreversible));
  } else {
    std::vector<RollbackArtifact> artifacts;
    for (const MigrationStep& step : up.steps)
      if (step.artifact) artifacts.push_back(*step.artifact);
    MigrationReport down;
    auto down_start = std::chrono::steady_clock::now();
    st = Down(&migrator, m, mdb, artifacts, &down);
    out->down_seconds = SecondsSince(down_start);
    REHEARSE_RETURN_IF_ERROR(OnlyInfrastructure(st));
    last_down_ = st;
    checks.push_back(CheckStepApplies("rollback_applies", st));
    AddEngineHint(st, engine_, &checks.back());
    const bool rolled_back = st.ok();
    if (rolled_back) {
      REHEARSE_RETURN_IF_ERROR(Snap(db.get(), &s2, &s1));
      checks.push_back(CheckSnapshotsIdentical("rollback_identical", s0, s2, s1));
      ExplainEmptyDown(m.For(options_.dialect), &checks.back());
      if (options_.observer) options_.observer->AfterDown(m, db.get(), &checks);
    } else {
      checks.push_back(CheckResult::Skip("rollback_identical", "the rollback did not apply"));
    }

    // Up again, from wherever the down left the database.
    MigrationReport again;
    st = Up(&migrator, m, mdb, &again);
    REHEARSE_RETURN_IF_ERROR(OnlyInfrastructure(st));
    back_at_s1 = false;
    if (st.ok()) {
      REHEARSE_RETURN_IF_ERROR(Snap(db.get(), &s3, rolled_back ? &s2 : &s1));
      checks.push_back(CheckSnapshotsIdentical("reapply_identical", s1, s3, rolled_back ? s2 : s1));
      back_at_s1 = !checks.back().failed();
      Verify(m, mdb, "after a re-deploy", &checks);
    } else {
      checks.push_back(
          CheckResult::Fail("reapply_identical", "up after down failed: " + st.ToString()));
    }
  }

  {
    FreshStep f = fresh.valid() ? fresh.get() : AdvanceFresh(UnitEnd(m), fresh_archive);
    REHEARSE_RETURN_IF_ERROR(f.infrastructure);
    if (f.applied.ok()) {
      Keep(fresh_->name, f.snapshot, &kept_fresh_);
      checks.push_back(CheckSchemasIdentical("upgrade_matches_fresh", f.snapshot, s1));
      out->fresh_install = std::move(f.digest);
    } else {
      checks.push_back(CheckResult::Fail("upgrade_matches_fresh",
                                         "fresh install failed: " + f.applied.ToString()));
    }
  }

  as = MigrationConnections();
  db.reset();
  // This database, now at m, starts the next rehearsal, if it is at S1.
  if (!back_at_s1 && !(m.version == options_.targets.back()))
    REHEARSE_RETURN_IF_ERROR(RebuildAfterFirstUp(m, fill, from, &name));
  if (back_at_s1) Keep(name, s1, &kept_template_);  // S1 was taken of this database
  template_ = name;
  return Status::OK();
}

Status RehearsalRun::RebuildAfterFirstUp(const Migration& m, bool fill, const std::string& from,
                                         std::string* name) {
  std::unique_ptr<Database> db;
  std::string rebuilt;
  REHEARSE_RETURN_IF_ERROR(dbs_->Create(options_.dialect, &db, nullptr, from, &rebuilt));
  dbs_->DescribeLast(m.label() + " applied once, the state after its first up (S1)");
  Status st;
  MigrationConnections as;  // the up runs as the rehearsal ran it
  REHEARSE_RETURN_IF_ERROR(ConnectForMigrations(db.get(), rebuilt, &as));
  if (options_.fill.fill && fill &&
      options_.fill.point == RehearsalOptions::FillPoint::kBeforeEachTarget) {
    FillReport reported_already;
    st = options_.fill.fill(
        db.get(), unfilled_ ? unfilled_->AddedFrom(m.version) : std::vector<LookAheadConstraint>{},
        &reported_already);
    if (st.ok()) {
      REHEARSE_RETURN_IF_ERROR(Derive(m, as));
      derived_.clear();  // reported by the rehearsal already
    }
  }
  if (st.ok()) {
    Migrator migrator = MigratorOn(as, options_.migrations);
    MigrationReport up;
    st = Up(&migrator, m, m.privileged && as.privileged ? as.privileged : as.db, &up);
  }
  if (st.code() == Status::Code::kInfrastructure) return st;
  if (st.ok()) *name = rebuilt;
  return Status::OK();
}

Status RehearsalRun::Appended(const std::optional<RehearsalOptions::AppendedScript>& a,
                              const Migration& m, Database* db) {
  if (!a || !(a->version == m.version)) return Status::OK();
  return db->ExecuteScript(a->script);
}

Status RehearsalRun::Up(Migrator* migrator, const Migration& m, Database* db,
                        MigrationReport* report) {
  REHEARSE_RETURN_IF_ERROR(migrator->Up(UnitRange(m), report));
  return Appended(options_.append_to_up, m, db);
}

Status RehearsalRun::Down(Migrator* migrator, const Migration& m, Database* db,
                          const std::vector<RollbackArtifact>& artifacts, MigrationReport* report) {
  REHEARSE_RETURN_IF_ERROR(migrator->Down(UnitRange(m), artifacts, report));
  return Appended(options_.append_to_down, m, db);
}

void RehearsalRun::Verify(const Migration& m, Database* db, const std::string& when,
                          std::vector<CheckResult>* checks) {
  const MigrationScriptFile& verify = m.For(db->dialect()).verify;
  if (!verify.present()) return;
  Status st = db->ExecuteScript(verify.Parse());
  if (!st.ok()) (void)db->Execute("ROLLBACK", {}, nullptr);
  for (auto it = checks->begin(); it != checks->end(); ++it) {
    if (it->name != "verify_passes") continue;
    if (it->status == CheckStatus::kFail || st.ok()) return;
    checks->erase(it);
    break;
  }
  checks->push_back(st.ok() ? CheckResult::Pass("verify_passes", verify.path + " passes")
                            : CheckResult::Fail("verify_passes", verify.path + " fails " + when +
                                                                     ": " + st.ToString()));
}

Status RehearsalRun::Snap(Database* db, Snapshot* snap, const Snapshot* previous) {
  std::string dir;
  REHEARSE_RETURN_IF_ERROR(ArchiveDir(&dir));
  return SnapInto(db, dir, previous, snap);
}

Status RehearsalRun::ArchiveDir(std::string* dir) {
  REHEARSE_RETURN_IF_ERROR(dbs_->ScratchDir("snapshot", dir));
  archives_.push_back(*dir);
  return Status::OK();
}

Status RehearsalRun::SnapInto(Database* db, const std::string& archive_dir,
                              const Snapshot* previous, Snapshot* snap) {
  SnapshotOptions o;
  o.archive_dir = archive_dir;
  o.previous = previous;
  Snapshot taken;  // `previous` may be *snap
  REHEARSE_RETURN_IF_ERROR(Snapshot::Take(db, o, &taken));
  *snap = std::move(taken);
  return Status::OK();
}

void RehearsalRun::Keep(const std::string& database, const Snapshot& snap, KeptSnapshot* kept) {
  auto it = std::find(archives_.begin(), archives_.end(), snap.archive_dir());
  if (it == archives_.end()) return;
  archives_.erase(it);
  if (!kept->database.empty()) dbs_->ReleaseScratchDir(kept->snapshot.archive_dir());
  *kept = {database, snap};
}

}  // namespace rehearse
