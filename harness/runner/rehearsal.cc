#include "harness/runner/rehearsal.h"

#include <chrono>

#include "harness/migrate/database_identity.h"
#include "harness/migrate/harness_tables.h"
#include "harness/migrate/migrator.h"
#include "harness/state/snapshot.h"
#include "verifiers/generic_checks.h"

namespace rehearse {

namespace {

// Every check the data flow produces, in order; the ones a failure prevents
// are reported `skip` with the reason.
const char* const kFlowChecks[] = {
    "dry_run_unchanged",  "forward_applies",   "idempotent_rerun",     "rollback_applies",
    "rollback_identical", "reapply_identical", "upgrade_matches_fresh"};

void SkipRemaining(const std::string& why, MigrationOutcome* out) {
  for (const char* name : kFlowChecks) {
    bool done = false;
    for (const CheckResult& c : out->checks) done = done || c.name == name;
    if (!done) out->checks.push_back(CheckResult::Skip(name, why));
  }
}

class RehearsalRun {
 public:
  RehearsalRun(ThrowawayDatabases* dbs, const RehearsalOptions& options)
      : dbs_(dbs), options_(options) {}

  Status Run(std::vector<MigrationOutcome>* out) {
    if (options_.targets.empty()) return Status::OK();
    // The identity does not depend on the database's name, so the same seed
    // gives the same digests however many databases came before.
    migrator_options_.now = options_.now;
    migrator_options_.registry = options_.registry;
    migrator_options_.code_set_aside = options_.code_set_aside;
    migrator_options_.identity = MakeDatabaseIdentity(options_.seed, "rehearsal");
    REHEARSE_RETURN_IF_ERROR(dbs_->ScratchDir("artifacts", &migrator_options_.artifact_dir));

    std::unique_ptr<Database> db;
    REHEARSE_RETURN_IF_ERROR(dbs_->Create(options_.dialect, &db, nullptr, "", &template_));
    Status prepared;
    if (options_.baseline.empty()) {
      prepared = Migrator(db.get(), options_.migrations, migrator_options_)
                     .UpBefore(options_.targets.front(), &ignored_);
    } else {
      prepared = Migrator(db.get(), options_.baseline, migrator_options_).UpAll(&ignored_);
      std::vector<LedgerMismatch> mismatches;
      if (prepared.ok())
        prepared = Migrator(db.get(), options_.migrations, migrator_options_).Verify(&mismatches);
      applied_unchanged_ = CheckAppliedUnchanged(mismatches);
    }
    std::vector<std::string> fill_warnings;
    if (prepared.ok() && options_.fill) prepared = options_.fill(db.get(), &fill_warnings);
    db.reset();  // a template must have no open connection
    bool chain_broken = !prepared.ok();
    std::string broken_because = "the starting state could not be built: " + prepared.ToString();

    for (const MigrationVersion& version : options_.targets) {
      const Migration* m = Find(version);
      MigrationOutcome outcome;
      outcome.backend = DialectName(options_.dialect);
      outcome.migration = m ? m->label() : version.text();
      auto start = std::chrono::steady_clock::now();
      if (m && options_.on_start) options_.on_start(*m);
      if (!m) {
        outcome.checks.push_back(CheckResult::Fail("forward_applies", "no such migration"));
      } else if (!m->available(options_.dialect)) {
        SkipRemaining("no " + outcome.backend + " files for this migration", &outcome);
      } else if (chain_broken) {
        SkipRemaining(broken_because, &outcome);
      } else {
        if (!options_.baseline.empty()) outcome.checks.push_back(applied_unchanged_);
        if (!fill_warnings.empty()) {
          std::string detail = std::to_string(fill_warnings.size()) + " table(s) not fully filled";
          for (const std::string& w : fill_warnings) detail += "; " + w;
          outcome.checks.push_back(CheckResult::Warn("fill", detail));
          fill_warnings.clear();
        }
        Status s = Rehearse(*m, &outcome);
        if (!s.ok()) return s;
        for (const CheckResult& c : outcome.checks) {
          if (c.name == "forward_applies" && c.status == CheckStatus::kFail) {
            chain_broken = true;
            broken_because = "an earlier migration (" + m->label() + ") failed to apply";
          }
        }
      }
      outcome.seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      out->push_back(std::move(outcome));
    }
    return Status::OK();
  }

 private:
  const Migration* Find(const MigrationVersion& v) const {
    for (const Migration& m : options_.migrations)
      if (m.version == v) return &m;
    return nullptr;
  }

  Status Snap(Database* db, Snapshot* snap) {
    SnapshotOptions o;
    REHEARSE_RETURN_IF_ERROR(dbs_->ScratchDir("snapshot", &o.archive_dir));
    return Snapshot::Take(db, o, snap);
  }

  // up(m), then the scenario's appended script if it names m: together they
  // are the migration under test.
  Status Up(Migrator* migrator, const Migration& m, Database* db, MigrationReport* report) {
    REHEARSE_RETURN_IF_ERROR(migrator->Up(MigrationRange::Only(m.version), report));
    if (!options_.append_version || !(*options_.append_version == m.version)) return Status::OK();
    return db->ExecuteScript(options_.append_script);
  }

  // Rehearses `m` on a clone of template_, leaving the clone at version m as
  // the next template. Non-OK only for infrastructure failures.
  Status Rehearse(const Migration& m, MigrationOutcome* out) {
    std::unique_ptr<Database> db;
    std::string name;
    REHEARSE_RETURN_IF_ERROR(dbs_->Create(options_.dialect, &db, nullptr, template_, &name));
    Migrator migrator(db.get(), options_.migrations, migrator_options_);
    const MigrationRange only = MigrationRange::Only(m.version);
    auto& checks = out->checks;

    Snapshot s0, s1, s2, s3, probe;
    REHEARSE_RETURN_IF_ERROR(Snap(db.get(), &s0));

    MigrationReport dry;
    Status st = migrator.DryRun(only, &dry);
    if (st.ok()) {
      REHEARSE_RETURN_IF_ERROR(Snap(db.get(), &probe));
      checks.push_back(CheckSnapshotsIdentical("dry_run_unchanged", s0, probe));
    } else {
      checks.push_back(CheckResult::Fail("dry_run_unchanged", "dry run failed: " + st.ToString()));
    }

    if (options_.observer) options_.observer->BeforeUp(m, db.get());
    MigrationReport up;
    st = Up(&migrator, m, db.get(), &up);
    checks.push_back(CheckStepApplies("forward_applies", st));
    if (!st.ok()) {
      SkipRemaining("the migration did not apply", out);
      return Status::OK();
    }
    if (options_.observer) options_.observer->AfterUp(m, db.get(), &checks);
    REHEARSE_RETURN_IF_ERROR(Snap(db.get(), &s1));
    REHEARSE_RETURN_IF_ERROR(ComputeLogicalDigest(s1, IsHarnessTable, &out->after_up));

    MigrationReport rerun;
    st = migrator.Up(MigrationRange::Through(m.version), &rerun);
    REHEARSE_RETURN_IF_ERROR(Snap(db.get(), &probe));
    checks.push_back(st.ok() ? CheckIdempotentRerun(rerun.steps.size(), s1, probe)
                             : CheckResult::Fail("idempotent_rerun", st.ToString()));

    std::vector<RollbackArtifact> artifacts;
    for (const MigrationStep& step : up.steps)
      if (step.artifact) artifacts.push_back(*step.artifact);
    MigrationReport down;
    st = migrator.Down(only, artifacts, &down);
    checks.push_back(CheckStepApplies("rollback_applies", st));
    if (st.ok()) {
      REHEARSE_RETURN_IF_ERROR(Snap(db.get(), &s2));
      checks.push_back(CheckSnapshotsIdentical("rollback_identical", s0, s2));
    } else {
      checks.push_back(CheckResult::Skip("rollback_identical", "the rollback did not apply"));
    }

    // Up again, from wherever the down left the database.
    MigrationReport again;
    st = Up(&migrator, m, db.get(), &again);
    if (st.ok()) {
      REHEARSE_RETURN_IF_ERROR(Snap(db.get(), &s3));
      checks.push_back(CheckSnapshotsIdentical("reapply_identical", s1, s3));
    } else {
      checks.push_back(
          CheckResult::Fail("reapply_identical", "up after down failed: " + st.ToString()));
    }

    {
      std::unique_ptr<Database> fresh;
      REHEARSE_RETURN_IF_ERROR(dbs_->Create(options_.dialect, &fresh));
      MigrationReport install;
      st = Migrator(fresh.get(), options_.migrations, migrator_options_)
               .FreshInstall(m.version, &install);
      if (st.ok()) {
        Snapshot sf;
        REHEARSE_RETURN_IF_ERROR(Snap(fresh.get(), &sf));
        checks.push_back(CheckSchemasIdentical("upgrade_matches_fresh", sf, s1));
      } else {
        checks.push_back(
            CheckResult::Fail("upgrade_matches_fresh", "fresh install failed: " + st.ToString()));
      }
    }

    db.reset();
    template_ = name;  // this database, now at m, starts the next rehearsal
    return Status::OK();
  }

  ThrowawayDatabases* dbs_;
  const RehearsalOptions& options_;
  MigratorOptions migrator_options_;
  MigrationReport ignored_;
  CheckResult applied_unchanged_;
  std::string template_;
};

}  // namespace

Status RunRehearsal(ThrowawayDatabases* databases, const RehearsalOptions& options,
                    std::vector<MigrationOutcome>* out) {
  return RehearsalRun(databases, options).Run(out);
}

}  // namespace rehearse
