#include "harness/runner/rehearsal.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include "fixtures/derived_updates.h"
#include "harness/db/engine_version.h"
#include "harness/migrate/database_identity.h"
#include "harness/migrate/harness_tables.h"
#include "harness/migrate/migrator.h"
#include "harness/runner/unfilled_chain.h"
#include "harness/state/snapshot.h"
#include "verifiers/applies_with_data.h"
#include "verifiers/check_registry.h"
#include "verifiers/engine_hint.h"
#include "verifiers/generic_checks.h"

namespace rehearse {

namespace {

// A step that failed because the machine did (kInfrastructure: a full run
// directory) ends the run, exit 3; any other failure is a check it failed.
Status OnlyInfrastructure(const Status& st) {
  return st.code() == Status::Code::kInfrastructure ? st : Status::OK();
}

// Every check the data flow produces, in order; the ones a failure prevents
// are reported `skip` with the reason.
const char* const kFlowChecks[] = {
    "dry_run_unchanged",  "forward_applies",   "idempotent_rerun",     "rollback_applies",
    "rollback_identical", "reapply_identical", "upgrade_matches_fresh"};

// How many migrations a run really applied; the ones it skipped as not
// available on this dialect did not run again (idempotent_rerun).
size_t AppliedCount(const MigrationReport& report) {
  size_t n = 0;
  for (const MigrationStep& step : report.steps)
    n += step.action == MigrationStep::Action::kApplied;
  return n;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The code migrations (Go, fizz, Java) before `m` that no rehearsal ran: the
// likely cause when `m` fails to apply.
std::string SkippedCodeBefore(const std::vector<Migration>& chain, const Migration& m) {
  std::string names;
  for (const Migration& c : chain) {
    if (!(c.version < m.version)) break;
    if (!c.not_rehearsable.empty()) names += (names.empty() ? "" : ", ") + c.label();
  }
  return names;
}

// rollback_identical of a migration whose down does nothing says so first.
void ExplainEmptyDown(const DialectMigration& dm, CheckResult* c) {
  if (c->status != CheckStatus::kFail || !dm.down.DoesNothing()) return;
  c->detail = std::string(dm.down.present() ? "down is empty" : "there is no down") +
              ": the migration cannot be rolled back (declare it with --irreversible if that is "
              "intended); " +
              c->detail;
}

bool Failed(const MigrationOutcome& o, CheckId check) {
  const CheckResult* c = FindCheck(o.checks, check.name);
  return c && c->failed();
}

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
    if (options_.targets.empty() && options_.baseline.empty()) return Status::OK();
    // The identity does not depend on the database's name, so the same seed
    // gives the same digests however many databases came before.
    migrator_options_.now = options_.now;
    migrator_options_.registry = options_.registry;
    migrator_options_.code_set_aside = options_.code_set_aside;
    migrator_options_.identity = MakeDatabaseIdentity(options_.seed, "rehearsal");
    migrator_options_.time_limit = options_.time_limit;
    // dry_run_unchanged compares the whole database around the dry run; what
    // each step would change is `rehearse migrate`'s report, not the gate's.
    migrator_options_.dry_run_changes = false;
    dbs_->SetSqliteForeignKeys(options_.sqlite_foreign_keys);
    REHEARSE_RETURN_IF_ERROR(dbs_->ScratchDir("artifacts", &migrator_options_.artifact_dir));
    if (options_.fill && options_.fill_point == RehearsalOptions::FillPoint::kBeforeEachTarget &&
        !options_.targets.empty()) {
      // Look-ahead filling needs the whole chain's constraints up front.
      unfilled_ = std::make_unique<UnfilledChain>(dbs_, options_, migrator_options_);
      REHEARSE_RETURN_IF_ERROR(unfilled_->Survey());
    }

    std::unique_ptr<Database> db;
    REHEARSE_RETURN_IF_ERROR(dbs_->Create(options_.dialect, &db, nullptr, "", &template_));
    dbs_->DescribeLast("the starting state, filled");
    REHEARSE_RETURN_IF_ERROR(EngineVersion(db.get(), &engine_));
    Status prepared;
    {
      MigrationConnections as;
      REHEARSE_RETURN_IF_ERROR(ConnectForMigrations(db.get(), template_, &as));
      prepared = BuildStartingState(db.get(), as);
    }
    db.reset();  // a template must have no open connection
    if (options_.targets.empty()) {
      // Nothing pending, yet production's migrations must still be the ones
      // in the folder: an edit to an applied one is what this run is for.
      MigrationOutcome outcome;
      outcome.backend = DialectName(options_.dialect);
      outcome.engine = engine_;
      outcome.migration = "applied";
      outcome.rehearsed = false;
      outcome.checks.push_back(
          prepared.ok()
              ? applied_unchanged_
              : CheckResult::Fail("applied_unchanged",
                                  "the baseline could not be built: " + prepared.ToString()));
      out->push_back(std::move(outcome));
      return Status::OK();
    }
    bool chain_broken = !prepared.ok();
    std::string broken_because = "the starting state could not be built: " + prepared.ToString();

    bool first = true;
    for (const MigrationVersion& version : options_.targets) {
      const Migration* m = Find(version);
      MigrationOutcome outcome;
      outcome.backend = DialectName(options_.dialect);
      outcome.engine = engine_;
      outcome.migration = m ? UnitLabel(*m) : version.text();
      outcome.version = version;
      outcome.origin = m ? m->origin : "";
      auto start = std::chrono::steady_clock::now();
      if (m && options_.on_start) options_.on_start(*m);
      if (!m) {
        outcome.checks.push_back(CheckResult::Fail("forward_applies", "no such migration"));
      } else if (!m->not_rehearsable.empty()) {
        SkipRemaining("not rehearsable (code migration: " + m->not_rehearsable + ")", &outcome);
      } else if (!m->available(options_.dialect)) {
        SkipRemaining("no " + outcome.backend + " files for this migration", &outcome);
      } else if (chain_broken) {
        outcome.not_reached = broken_because;
      } else {
        if (!options_.baseline.empty()) outcome.checks.push_back(applied_unchanged_);
        Status s = Rehearse(*m, !first, template_, &outcome);
        if (!s.ok()) return s;
        REHEARSE_RETURN_IF_ERROR(RetryWithoutRows(*m, &outcome));
        REHEARSE_RETURN_IF_ERROR(dbs_->DropAllBut(
            {template_, fresh_ ? fresh_->name : "", unfilled_ ? unfilled_->template_name() : ""}));
        for (CheckResult& c : outcome.checks) {
          if (c.status != CheckStatus::kFail) continue;
          if (kForwardApplies.Is(c)) {
            const std::string skipped = SkippedCodeBefore(options_.migrations, *m);
            if (!skipped.empty())
              c.detail += "; likely cause: the code migration(s) " + skipped +
                          " before it were not run (not rehearsable)";
            chain_broken = true;
            broken_because = "the chain broke at " + m->label() + ", which fails " +
                             (BlamesRows() ? "without generated rows too" : "to apply") + ": " +
                             c.detail.substr(0, c.detail.find('\n'));
          } else if (kFill.Is(c)) {
            chain_broken = true;
            broken_because = "the database before " + m->label() + " could not be filled";
          }
        }
      }
      first = false;
      outcome.seconds = SecondsSince(start);
      if (options_.on_finish) options_.on_finish(outcome);
      out->push_back(std::move(outcome));
    }
    return Status::OK();
  }

 private:
  // A unit (--unit) that starts at `m`: its last version, the range that
  // goes up through it and comes down in reverse, and its name in reports.
  const MigrationVersion& UnitEnd(const Migration& m) const {
    auto it = options_.unit_through.find(m.version);
    return it == options_.unit_through.end() ? m.version : it->second;
  }
  MigrationRange UnitRange(const Migration& m) const {
    const MigrationVersion& end = UnitEnd(m);
    return end == m.version ? MigrationRange::Only(m.version)
                            : MigrationRange::Between(m.version, end);
  }
  std::string UnitLabel(const Migration& m) const {
    const Migration* last = Find(UnitEnd(m));
    return last && last != &m ? m.label() + ".." + last->label() : m.label();
  }

  const Migration* Find(const MigrationVersion& v) const {
    for (const Migration& m : options_.migrations)
      if (m.version == v) return &m;
    return nullptr;
  }

  // The connections the migrations run on, next to the harness's own `db`
  // (the superuser's on PostgreSQL), to the database Create named `name`.
  Status ConnectForMigrations(Database* db, const std::string& name, MigrationConnections* as) {
    return dbs_->ConnectForMigrations(
        db, name, AnyPrivileged(options_.migrations) || AnyPrivileged(options_.baseline), as);
  }

  // A Migrator that runs each migration as the role it may use.
  Migrator MigratorOn(const MigrationConnections& as, const std::vector<Migration>& chain) const {
    MigratorOptions o = migrator_options_;
    o.privileged_db = as.privileged;
    return Migrator(as.db, chain, std::move(o));
  }

  // Whether a failure may be blamed on generated rows (RetryWithoutRows).
  bool BlamesRows() const {
    return options_.fill && options_.fill_point == RehearsalOptions::FillPoint::kBeforeEachTarget;
  }

  MigrationVersion FirstTarget() const {
    return options_.targets.empty() ? MigrationVersion() : options_.targets.front();
  }

  // Migrates the empty *db to N-1 of the first target (or through the whole
  // baseline), filling it where options_.fill_point says; a failure is a
  // broken chain, reported on the targets. Migrations run on `as`.
  Status BuildStartingState(Database* db, const MigrationConnections& as) {
    const bool from_baseline = !options_.baseline.empty();
    const std::vector<Migration>& chain = from_baseline ? options_.baseline : options_.migrations;
    const bool fill_early =
        options_.fill && options_.fill_point == RehearsalOptions::FillPoint::kAfterFirstMigration &&
        !chain.empty() &&
        (from_baseline ||
         (!options_.targets.empty() && chain.front().version < options_.targets.front()));
    if (fill_early) {
      REHEARSE_RETURN_IF_ERROR(
          MigratorOn(as, chain).Up(MigrationRange::Through(chain.front().version), &ignored_));
      REHEARSE_RETURN_IF_ERROR(Fill(db, FirstTarget()));
    }
    if (from_baseline) {
      REHEARSE_RETURN_IF_ERROR(MigratorOn(as, chain).UpAll(&ignored_));
      std::vector<LedgerMismatch> mismatches;
      REHEARSE_RETURN_IF_ERROR(MigratorOn(as, options_.migrations).Verify(&mismatches));
      applied_unchanged_ = CheckAppliedUnchanged(mismatches);
    } else if (!options_.targets.empty()) {
      REHEARSE_RETURN_IF_ERROR(MigratorOn(as, chain).UpBefore(options_.targets.front(), &ignored_));
    }
    if (options_.fill && !fill_early) {
      REHEARSE_RETURN_IF_ERROR(Fill(db, FirstTarget()));
      if (const Migration* first = Find(FirstTarget()))
        REHEARSE_RETURN_IF_ERROR(Derive(*first, as));
    }
    return Status::OK();
  }

  // applies_with_data (verifiers/applies_with_data.h): when m's up or down failed on the
  // filled database, rehearses m again on the same state without the
  // generated rows. If the step applies there, the rows were the cause: the
  // finding and that rehearsal replace *out, and its database, left at m,
  // starts the next target. Otherwise the filled rehearsal stands.
  //
  // Only the schema filler's rows are blamed: the domain fixtures stand for
  // production, so a failure on them is the migration's. And only a
  // statement the database rejected: a rollback refused because rows
  // changed (kConflict) is a finding of its own.
  Status RetryWithoutRows(const Migration& m, MigrationOutcome* out) {
    if (!BlamesRows()) return Status::OK();
    const bool up_failed = Failed(*out, kForwardApplies);
    const bool down_failed = !up_failed && Failed(*out, kRollbackApplies);
    if (!up_failed && !down_failed) return Status::OK();
    const Status failure = up_failed ? last_up_ : last_down_;
    if (failure.code() != Status::Code::kDatabase) return Status::OK();
    if (up_failed && unfilled_) {
      std::optional<Status> known = unfilled_->UnfilledUp(m.version);
      if (known && !known->ok()) return Status::OK();  // fails without rows: breaks the chain
    }
    if (!unfilled_) unfilled_ = std::make_unique<UnfilledChain>(dbs_, options_, migrator_options_);
    std::string unfilled;
    Status st = unfilled_->TemplateBefore(m.version, &unfilled);
    if (st.code() == Status::Code::kInfrastructure) return st;
    if (!st.ok()) return Status::OK();  // no state without rows to compare with
    const std::string filled = template_;
    MigrationOutcome retry;
    retry.migration = out->migration;
    retry.backend = out->backend;
    REHEARSE_RETURN_IF_ERROR(Rehearse(m, false, unfilled, &retry));
    if (Failed(retry, up_failed ? kForwardApplies : kRollbackApplies)) {
      template_ = filled;
      return Status::OK();
    }
    std::vector<CheckResult> checks;
    for (const CheckResult& c : out->checks)
      if (kFill.Is(c) || kAppliedUnchanged.Is(c)) checks.push_back(c);
    checks.push_back(AppliesWithData(up_failed ? "up" : "down", failure, options_.strict));
    checks.insert(checks.end(), retry.checks.begin(), retry.checks.end());
    retry.checks = std::move(checks);
    *out = std::move(retry);
    return Status::OK();
  }

  // Runs the fill before `next`, keeping its warnings for the next target's
  // `fill` check.
  Status Fill(Database* db, const MigrationVersion& next) {
    std::vector<std::string> warnings;
    REHEARSE_RETURN_IF_ERROR(options_.fill(
        db, unfilled_ ? unfilled_->AddedFrom(next) : std::vector<LookAheadConstraint>{},
        &warnings));
    fill_warnings_.insert(fill_warnings_.end(), warnings.begin(), warnings.end());
    return Status::OK();
  }

  // After the schema filler's fill before `m`: its rows brought in line with
  // what m's up derives from other rows (fixtures/derived_updates.h), on the
  // connection m runs on and under its time limit, as production's would be.
  // What applied is noted in m's `fill` check.
  Status Derive(const Migration& m, const MigrationConnections& as) {
    if (!BlamesRows() || !m.available(options_.dialect)) return Status::OK();
    const MigrationScriptFile& up = m.For(options_.dialect).up;
    if (!up.present()) return Status::OK();
    Database::Deadline deadline;
    if (options_.time_limit.count() > 0)
      deadline = std::chrono::steady_clock::now() + options_.time_limit;
    Database* mdb = m.privileged && as.privileged ? as.privileged : as.db;
    return OnlyInfrastructure(ApplyDerivedUpdates(mdb, up.Parse(), deadline, &derived_));
  }

  // The `fill` check of a target: warn with every table the fill could not
  // fully fill since the last target; pass, naming them, when only the
  // up's derived updates were applied beforehand; nothing otherwise.
  void ReportFill(std::vector<CheckResult>* checks) {
    std::string derived;
    if (!derived_.empty()) {
      derived =
          "before S0, the rows were brought in line with what the up derives from other "
          "rows, as production's would be:";
      for (const std::string& d : derived_) derived += " " + d + ";";
      derived_.clear();
    }
    if (fill_warnings_.empty()) {
      if (!derived.empty()) checks->push_back(CheckResult::Pass("fill", derived));
      return;
    }
    std::string detail = std::to_string(fill_warnings_.size()) + " table(s) not fully filled";
    for (const std::string& w : fill_warnings_) detail += "; " + w;
    if (!derived.empty()) detail += "; " + derived;
    checks->push_back(CheckResult::Warn("fill", detail));
    fill_warnings_.clear();
  }

  // `previous`: an earlier snapshot of db in this target, whose unchanged
  // tables are taken over rather than read again (SnapshotOptions::previous).
  Status Snap(Database* db, Snapshot* snap, const Snapshot* previous = nullptr) {
    SnapshotOptions o;
    REHEARSE_RETURN_IF_ERROR(dbs_->ScratchDir("snapshot", &o.archive_dir));
    archives_.push_back(o.archive_dir);
    o.previous = previous;
    Snapshot taken;  // `previous` may be *snap
    REHEARSE_RETURN_IF_ERROR(Snapshot::Take(db, o, &taken));
    *snap = std::move(taken);
    return Status::OK();
  }

  // The latest snapshot of a database that outlives its target (the next
  // template, the fresh install chain), kept with its archives so that the
  // next target's snapshot of it, or of a clone of it, takes its unchanged
  // tables over. Replacing it releases the archives.
  struct KeptSnapshot {
    std::string database;  // Create's name
    Snapshot snapshot;
  };
  void Keep(const std::string& database, const Snapshot& snap, KeptSnapshot* kept) {
    auto it = std::find(archives_.begin(), archives_.end(), snap.archive_dir());
    if (it == archives_.end()) return;
    archives_.erase(it);
    if (!kept->database.empty()) dbs_->ReleaseScratchDir(kept->snapshot.archive_dir());
    *kept = {database, snap};
  }
  static const Snapshot* KeptOf(const std::string& database, const KeptSnapshot& kept) {
    return kept.database == database ? &kept.snapshot : nullptr;
  }

  // A target's snapshots are compared only inside that target: their row
  // archives go when it is done, whichever way it ends.
  struct ArchivesOfOneTarget {
    RehearsalRun* run;
    ~ArchivesOfOneTarget() {
      for (const std::string& dir : run->archives_) run->dbs_->ReleaseScratchDir(dir);
      run->archives_.clear();
    }
  };

  // up(m) or down(m), then the scenario's appended script if it names m:
  // together they are the migration under test.
  static Status Appended(const std::optional<RehearsalOptions::AppendedScript>& a,
                         const Migration& m, Database* db) {
    if (!a || !(a->version == m.version)) return Status::OK();
    return db->ExecuteScript(a->script);
  }
  Status Up(Migrator* migrator, const Migration& m, Database* db, MigrationReport* report) {
    REHEARSE_RETURN_IF_ERROR(migrator->Up(UnitRange(m), report));
    return Appended(options_.append_to_up, m, db);
  }
  Status Down(Migrator* migrator, const Migration& m, Database* db,
              const std::vector<RollbackArtifact>& artifacts, MigrationReport* report) {
    REHEARSE_RETURN_IF_ERROR(migrator->Down(UnitRange(m), artifacts, report));
    return Appended(options_.append_to_down, m, db);
  }

  // verify_passes: a Sqitch verify script runs without error `when`. It
  // holds its own BEGIN/ROLLBACK as Sqitch writes it; one it left open is
  // closed so the rehearsal goes on. One result per migration: a later
  // failure replaces an earlier pass.
  static void Verify(const Migration& m, Database* db, const std::string& when,
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

  // Rehearses `m` on a clone of `from` (filled first when `fill` and the fill
  // point says so), leaving the clone at version m as the next template.
  // Non-OK only for infrastructure failures.
  Status Rehearse(const Migration& m, bool fill, const std::string& from, MigrationOutcome* out) {
    ArchivesOfOneTarget release{this};
    std::unique_ptr<Database> db;
    std::string name;
    REHEARSE_RETURN_IF_ERROR(dbs_->Create(options_.dialect, &db, nullptr, from, &name));
    dbs_->DescribeLast(m.label() + " rehearsed: up, down and up again, left at " +
                       m.version.text());
    // `db` is the harness's (fill, snapshots, domain checks); the migration
    // and its appended scripts run on `as`.
    MigrationConnections as;
    REHEARSE_RETURN_IF_ERROR(ConnectForMigrations(db.get(), name, &as));
    Database* mdb = m.privileged && as.privileged ? as.privileged : as.db;
    Migrator migrator = MigratorOn(as, options_.migrations);
    const MigrationRange only = UnitRange(m);
    auto& checks = out->checks;
    if (options_.fill && fill &&
        options_.fill_point == RehearsalOptions::FillPoint::kBeforeEachTarget) {
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
        checks.push_back(
            CheckSnapshotsIdentical("reapply_identical", s1, s3, rolled_back ? s2 : s1));
        back_at_s1 = !checks.back().failed();
        Verify(m, mdb, "after a re-deploy", &checks);
      } else {
        checks.push_back(
            CheckResult::Fail("reapply_identical", "up after down failed: " + st.ToString()));
      }
    }

    {
      REHEARSE_RETURN_IF_ERROR(FreshInstallThrough(UnitEnd(m), &st));
      if (st.ok()) {
        Snapshot sf;
        REHEARSE_RETURN_IF_ERROR(Snap(fresh_->db.get(), &sf, KeptOf(fresh_->name, kept_fresh_)));
        Keep(fresh_->name, sf, &kept_fresh_);
        checks.push_back(CheckSchemasIdentical("upgrade_matches_fresh", sf, s1));
        REHEARSE_RETURN_IF_ERROR(ComputeLogicalDigest(sf, IsHarnessTable, &out->fresh_install));
      } else {
        checks.push_back(
            CheckResult::Fail("upgrade_matches_fresh", "fresh install failed: " + st.ToString()));
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

  // The fresh install 0..`version` (no fill) in fresh_->db; *applied says
  // whether it applied. The same database serves every target, advanced from
  // the previous one's end (each migration runs once, not once per later
  // target): the same migrations, in the same order, on an empty database.
  // A failed install is dropped from use, so the next target installs from
  // empty again, as it would without the chain. Non-OK only for
  // infrastructure failures.
  Status FreshInstallThrough(const MigrationVersion& version, Status* applied) {
    const bool empty = !fresh_;
    if (empty) {
      fresh_ = std::make_unique<FreshChain>();
      REHEARSE_RETURN_IF_ERROR(
          dbs_->Create(options_.dialect, &fresh_->db, nullptr, "", &fresh_->name));
      dbs_->DescribeLast("fresh install through " + UnitEnd(Last()).text() +
                         ", no fill (or to the first migration that fails)");
      REHEARSE_RETURN_IF_ERROR(ConnectForMigrations(fresh_->db.get(), fresh_->name, &fresh_->as));
    }
    MigrationReport install;
    Migrator migrator = MigratorOn(fresh_->as, options_.migrations);
    *applied = empty ? migrator.FreshInstall(version, &install)
                     : migrator.Up(MigrationRange::Through(version), &install);
    REHEARSE_RETURN_IF_ERROR(OnlyInfrastructure(*applied));
    if (!applied->ok()) fresh_.reset();
    return Status::OK();
  }

  const Migration& Last() const {
    const Migration* last = Find(options_.targets.back());
    return last ? *last : options_.migrations.back();
  }

  // A new clone of `from` (N-1) taken to S1 again: the fill the rehearsal
  // gave it when `fill` (the filler is deterministic by seed), then up(m) once. On
  // success *name is that database; when that up fails now (it applied a
  // moment ago, so only a flaky migration does), *name stays the rehearsal's
  // database, as before there was a rebuild.
  Status RebuildAfterFirstUp(const Migration& m, bool fill, const std::string& from,
                             std::string* name) {
    std::unique_ptr<Database> db;
    std::string rebuilt;
    REHEARSE_RETURN_IF_ERROR(dbs_->Create(options_.dialect, &db, nullptr, from, &rebuilt));
    dbs_->DescribeLast(m.label() + " applied once, the state after its first up (S1)");
    Status st;
    MigrationConnections as;  // the up runs as the rehearsal ran it
    REHEARSE_RETURN_IF_ERROR(ConnectForMigrations(db.get(), rebuilt, &as));
    if (options_.fill && fill &&
        options_.fill_point == RehearsalOptions::FillPoint::kBeforeEachTarget) {
      std::vector<std::string> reported_already;
      st = options_.fill(
          db.get(),
          unfilled_ ? unfilled_->AddedFrom(m.version) : std::vector<LookAheadConstraint>{},
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

  ThrowawayDatabases* dbs_;
  const RehearsalOptions& options_;
  MigratorOptions migrator_options_;
  MigrationReport ignored_;
  CheckResult applied_unchanged_;
  std::vector<std::string> fill_warnings_;  // since the last target's `fill` check
  std::vector<std::string> derived_;        // Derive's, for the next `fill` check
  std::vector<std::string> archives_;       // the current target's snapshot archives
  KeptSnapshot kept_template_, kept_fresh_;
  std::string template_;
  std::unique_ptr<UnfilledChain> unfilled_;  // made when first needed
  // The fresh install chain (FreshInstallThrough): its database, at the end
  // of the latest target whose fresh install applied.
  struct FreshChain {
    std::unique_ptr<Database> db;
    std::string name;
    MigrationConnections as;
  };
  std::unique_ptr<FreshChain> fresh_;
  Status last_up_, last_down_;  // of the latest Rehearse, for applies_with_data
  std::string engine_;          // EngineVersion of the databases this run makes
};

}  // namespace

Status RunRehearsal(ThrowawayDatabases* databases, const RehearsalOptions& options,
                    std::vector<MigrationOutcome>* out) {
  return RehearsalRun(databases, options).Run(out);
}

}  // namespace rehearse
