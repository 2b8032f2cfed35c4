// RehearsalRun: the state of one RunRehearsal call (rehearsal.h), which
// walks the chain of targets on one backend. Internal to harness/runner; its
// parts live by concept:
//
//   rehearsal.cc          the chain of targets and the starting state
//   rehearse_target.cc    one target's data flow (S0 .. S3, the fresh
//                         install chain, S1 built again)
//   rehearsal_fill.cc     the filler's rows: the fill before a target, the
//                         up's derived updates, the `fill` check, and
//                         applies_with_data's retry without them
//
// Every Status a method returns is non-OK only for infrastructure failures
// (a server that will not start, a full run directory); everything else a
// migration does wrong is a CheckResult on its outcome.
#ifndef REHEARSE_RUNNER_REHEARSAL_RUN_H_
#define REHEARSE_RUNNER_REHEARSAL_RUN_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/migrate/migrator.h"
#include "harness/runner/rehearsal.h"
#include "harness/runner/unfilled_chain.h"
#include "harness/state/snapshot.h"

namespace rehearse {

class RehearsalRun {
 public:
  RehearsalRun(ThrowawayDatabases* dbs, const RehearsalOptions& options)
      : dbs_(dbs), options_(options) {}

  // RunRehearsal: every target in order, an outcome each.
  Status Run(std::vector<MigrationOutcome>* out);

 private:
  // A step that failed because the machine did (kInfrastructure: a full run
  // directory) ends the run, exit 3; any other failure is a check it failed.
  static Status OnlyInfrastructure(const Status& st);
  static double SecondsSince(std::chrono::steady_clock::time_point start);
  // Every check of the data flow that *out does not have yet, `skip` with
  // the reason (a failure prevented them).
  static void SkipRemaining(const std::string& why, MigrationOutcome* out);

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
    return options_.fill.fill &&
           options_.fill.point == RehearsalOptions::FillPoint::kBeforeEachTarget;
  }

  MigrationVersion FirstTarget() const {
    return options_.targets.empty() ? MigrationVersion() : options_.targets.front();
  }

  const Migration& Last() const {
    const Migration* last = Find(options_.targets.back());
    return last ? *last : options_.migrations.back();
  }

  // rehearsal.cc

  // Migrates the empty *db to N-1 of the first target (or through the whole
  // baseline, then compares the ledger with the chain: applied_unchanged_),
  // filling it where options_.fill.point says (BuildStartingState); a
  // failure is a broken chain, reported on the targets. Migrations run on
  // `as`.
  Status PrepareStartingState(Database* db, const MigrationConnections& as);

  // rehearse_target.cc

  // Rehearses `m` on a clone of `from` (filled first when `fill` and the fill
  // point says so), leaving the clone at version m as the next template.
  Status Rehearse(const Migration& m, bool fill, const std::string& from, MigrationOutcome* out);
  // A new clone of `from` (N-1) taken to S1 again: the fill the rehearsal
  // gave it when `fill` (the filler is deterministic by seed), then up(m) once. On
  // success *name is that database; when that up fails now (it applied a
  // moment ago, so only a flaky migration does), *name stays the rehearsal's
  // database, as before there was a rebuild.
  Status RebuildAfterFirstUp(const Migration& m, bool fill, const std::string& from,
                             std::string* name);
  // up(m) or down(m), then the scenario's appended script if it names m:
  // together they are the migration under test.
  static Status Appended(const std::optional<RehearsalOptions::AppendedScript>& a,
                         const Migration& m, Database* db);
  Status Up(Migrator* migrator, const Migration& m, Database* db, MigrationReport* report);
  Status Down(Migrator* migrator, const Migration& m, Database* db,
              const std::vector<RollbackArtifact>& artifacts, MigrationReport* report);
  // verify_passes: a Sqitch verify script runs without error `when`. It
  // holds its own BEGIN/ROLLBACK as Sqitch writes it; one it left open is
  // closed so the rehearsal goes on. One result per migration: a later
  // failure replaces an earlier pass.
  static void Verify(const Migration& m, Database* db, const std::string& when,
                     std::vector<CheckResult>* checks);
  // A snapshot of *db whose row archive is the current target's (archives_).
  // `previous`: an earlier snapshot of db, or of the database it was cloned
  // from, whose unchanged tables are taken over rather than read again
  // (SnapshotOptions::previous).
  Status Snap(Database* db, Snapshot* snap, const Snapshot* previous = nullptr);
  // A directory for one snapshot's row archives, released with the target's.
  Status ArchiveDir(std::string* dir);
  static Status SnapInto(Database* db, const std::string& archive_dir, const Snapshot* previous,
                         Snapshot* snap);

  // The latest snapshot of a database that outlives its target (the next
  // template, the fresh install chain), kept with its archives so that the
  // next target's snapshot of it, or of a clone of it, takes its unchanged
  // tables over. Replacing it releases the archives. Main thread only.
  struct KeptSnapshot {
    std::string database;  // Create's name
    Snapshot snapshot;
  };
  void Keep(const std::string& database, const Snapshot& snap, KeptSnapshot* kept);
  static const Snapshot* KeptOf(const std::string& database, const KeptSnapshot& kept) {
    return kept.database == database ? &kept.snapshot : nullptr;
  }

  // fresh_chain.cc

  // The fresh install 0..`version` (no fill) in fresh_->db, and its
  // snapshot (archived in `archive_dir`) when it applied. The same database
  // serves every target, advanced from the previous one's end (each migration
  // runs once, not once per later target): the same migrations, in the same
  // order, on an empty database. A failed install is dropped from use, so the
  // next target installs from empty again, as it would without the chain.
  // It touches nothing but fresh_ (made by EnsureFreshChain first) and its
  // own files, and reads kept_fresh_, so it may run on another thread while
  // the caller leaves those alone; the caller Keeps its snapshot.
  struct FreshStep {
    Status infrastructure;  // non-OK: the run stops
    Status applied;
    Snapshot snapshot;
    LogicalDigest digest;
  };
  FreshStep AdvanceFresh(const MigrationVersion& version, const std::string& archive_dir);
  Status EnsureFreshChain();
  // Whether the fresh install may run beside the rehearsal. Not with data
  // migrations: their code and artifact files are the project's, and were
  // written to run one at a time.
  bool FreshAlongside() const { return migrator_options_.registry == nullptr; }

  // A target's snapshots are compared only inside that target: their row
  // archives go when it is done, whichever way it ends.
  struct ArchivesOfOneTarget {
    RehearsalRun* run;
    ~ArchivesOfOneTarget() {
      for (const std::string& dir : run->archives_) run->dbs_->ReleaseScratchDir(dir);
      run->archives_.clear();
    }
  };

  // rehearsal_fill.cc

  // applies_with_data (verifiers/applies_with_data.h): when m's up or down failed on the
  // filled database, rehearses m again on the same state without the
  // generated rows. If the step applies there, the rows were the cause: the
  // finding and that rehearsal replace *out, and its database, left at m,
  // starts the next target (*went_on). Otherwise the filled rehearsal
  // stands. A step stopped at its time limit is retried the same way, but
  // keeps its failure: the rows made it too slow, not wrong.
  //
  // Only the schema filler's rows are blamed: the domain fixtures stand for
  // production, so a failure on them is the migration's. And only a
  // statement the database rejected or stopped: a rollback refused because
  // rows changed (kConflict) is a finding of its own.
  Status RetryWithoutRows(const Migration& m, MigrationOutcome* out, bool* went_on);
  // Runs the fill before `next`, keeping its warnings for the next target's
  // `fill` check.
  Status Fill(Database* db, const MigrationVersion& next);
  // After the schema filler's fill before `m`: its rows brought in line with
  // what m's up derives from other rows (fixtures/derived_updates.h), on the
  // connection m runs on and under its time limit, as production's would be.
  // What applied is noted in m's `fill` check.
  Status Derive(const Migration& m, const MigrationConnections& as);
  // The `fill` check of a target: warn with every table the fill could not
  // fully fill since the last target; pass, naming them, when only the
  // up's derived updates were applied beforehand; nothing otherwise.
  void ReportFill(std::vector<CheckResult>* checks);

  ThrowawayDatabases* dbs_;
  const RehearsalOptions& options_;
  MigratorOptions migrator_options_;
  CheckResult applied_unchanged_;
  std::vector<std::string> fill_warnings_;  // since the last target's `fill` check
  std::vector<std::string> derived_;        // Derive's, for the next `fill` check
  std::vector<std::string> archives_;       // the current target's snapshot archives
  KeptSnapshot kept_template_, kept_fresh_;
  std::string template_;
  std::unique_ptr<UnfilledChain> unfilled_;  // made when first needed
  // The fresh install chain (AdvanceFresh): its database, at the end of the
  // latest target whose fresh install applied.
  struct FreshChain {
    std::unique_ptr<Database> db;
    std::string name;
    MigrationConnections as;
    bool empty = true;  // nothing installed yet
  };
  std::unique_ptr<FreshChain> fresh_;
  Status last_up_, last_down_;  // of the latest Rehearse, for applies_with_data
  std::string engine_;          // EngineVersion of the databases this run makes
};

}  // namespace rehearse

#endif  // REHEARSE_RUNNER_REHEARSAL_RUN_H_
