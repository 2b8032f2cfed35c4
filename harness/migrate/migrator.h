// Migrator: runs migrations (from any MigrationSource) against one database
// and keeps its schema_migrations ledger.
//
// Transactions. Each migration runs in its own transaction: its up (or down)
// SQL, its C++ part for a data migration, and its ledger row commit together
// or not at all. A failure rolls the transaction back — and, on PostgreSQL,
// resets the sequences it advanced, since nextval() is never rolled back —
// so the database is exactly as it was before that migration, and the
// returned Status names the file:line, the statement and the engine's message
// (kDatabase), prefixed with the migration. Up over a range stops at the
// first failure; the migrations before it stay applied, each having
// committed. A migration whose migration.json says "transaction": false runs
// statement by statement in autocommit (for statements an engine refuses
// inside a transaction, such as CREATE INDEX CONCURRENTLY): a failure there
// leaves the statements before it applied, and the Status says so.
// Order inside a migration: up = SQL then C++ then its report queries
// (MigrationStep::reported); down = C++ then SQL.
//
// Ledger and identity. Up and Down (not DryRun) first create schema_migrations
// when missing — even when there is nothing to apply — so that the state
// after "migrate to N-1" already holds the ledger and the rollback of N can
// restore that state byte for byte. When MigratorOptions::identity is set and
// the database has no identity yet, they stamp it the same way
// (database_identity.h).
//
// Applied-ness is per version, compared as numbers. Up applies the pending
// migrations of the range in version order, skipping (and reporting) those
// not available on this database's dialect. It refuses, before changing
// anything, to apply out of order: a pending available migration below the
// range, or an applied version above a pending one (kInvalidInput). Running
// Up twice applies nothing the second time (idempotent_rerun).
// Down rolls back the applied versions of the range, newest first; it refuses
// while a version above the range is applied. A data migration's down needs
// its rollback artifact: taken from the `artifacts` argument by version, else
// read from MigratorOptions::artifact_files or the newest in ::artifact_dir
// (artifact_store.h); it is checked against the live
// database's identity, dialect, the version and options.scope before
// anything changes.
//
// applied_unchanged. Verify() compares the ledger with the source: a checksum
// that differs (the file changed after it was applied), an applied version
// the source no longer has, or a renamed folder. Up and Down fill
// MigrationReport::mismatches the same way and carry on: whether that fails a
// gate is the verifier's decision.
//
// Dry run. DryRun() applies the pending migrations of the range inside one
// transaction, measures each one's StateChange (state_change.h: snapshots
// taken inside that transaction, before and after it) before the next, then
// rolls everything back (restoring PostgreSQL sequences): the database stays
// byte-identical, ledger included. A statement an engine
// refuses inside a transaction makes the dry run fail with its message; the
// database is still unchanged.
//
// Roles. A migration marked "privileged" runs on MigratorOptions::
// privileged_db when one is given (a second connection to the same
// database, as the cluster's superuser), everything else on `db` (as the
// database owner, without superuser, in a rehearsal). Its whole transaction,
// ledger row included, is on that connection. A dry run is one transaction,
// so it runs on one connection: a range that mixes privileged and other
// migrations is refused (kInvalidInput) rather than run with the wrong
// role. MigrationStep::privileged says which steps ran privileged.
//
// Scope. With MigratorOptions::scope set (a canary: one client), only data
// migrations may be in the range, they run whatever the ledger says, and the
// ledger is not touched: a scoped run is not "applied". Down with a scope
// requires an artifact of that same scope.
//
// Preconditions: `db` is not inside a transaction; `migrations` are sorted
// and unique, as MigrationSource::Load returns them. The Migrator does not
// own `db` or `options.registry`.
#ifndef REHEARSE_MIGRATE_MIGRATOR_H_
#define REHEARSE_MIGRATE_MIGRATOR_H_

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "harness/common/harness_clock.h"
#include "harness/common/status.h"
#include "harness/db/database.h"
#include "harness/migrate/artifact_store.h"
#include "harness/migrate/data_migration.h"
#include "harness/migrate/ledger_mismatch.h"
#include "harness/migrate/migration.h"
#include "harness/migrate/migration_ledger.h"
#include "harness/migrate/migration_range.h"
#include "harness/migrate/rollback_artifact.h"
#include "harness/migrate/state_change.h"

namespace rehearse {

struct MigratorOptions {
  // The harness clock, recorded as applied_at and given to data migrations as
  // "now". Callers pass the fixture clock's text (fixtures/fixture_time.h);
  // the default is that same instant, 2026-03-08 12:00:00 UTC.
  std::string now = kHarnessNow;
  // Code for data migrations; null when the migrations have none (an
  // external --migrations DIR). A migration marked "kind": "data" with no code
  // registered, or code registered under a SQL migration's version, is
  // kInvalidInput when it is about to run.
  const DataMigrationRegistry* registry = nullptr;
  // Versions whose registered code is set aside: a rehearsal replaced the
  // data migration with a SQL stand-in (a known-bad variant), which then
  // runs as the SQL migration it is.
  std::vector<MigrationVersion> code_set_aside;
  // Stamped into a database that has no identity yet (database_identity.h).
  std::string identity;
  // Data migrations only; see the header comment.
  std::string scope;
  // When set, Up writes each data migration's artifact, before it commits,
  // into this folder under its default name, and Down reads it from there
  // when not given one; an artifact is never overwritten (artifact_store.h).
  std::string artifact_dir;
  // Exact paths for the artifacts of these versions, used instead of
  // artifact_dir (by Down too). Such a file must not exist yet: Up refuses
  // (kInvalidInput) before changing anything, and as the write itself never
  // replaces a file, one created meanwhile fails the migration, rolled back.
  std::map<MigrationVersion, std::string> artifact_files;
  // When set (an existing folder the caller owns), DryRun keeps row archives
  // of its snapshots there so that each step's StateChange counts the rows
  // added, removed and changed per table and shows up to dry_run_samples
  // differences per table. Without it a dry run reports row counts and
  // whether rows changed, and writes nothing to disk.
  std::string dry_run_archive_dir;
  size_t dry_run_samples = 3;
  // Whether DryRun reads the state around each step for its StateChange.
  // Off, a dry run reports no changes and costs no snapshots: the gate, which
  // compares the whole database before and after the dry run itself, turns
  // it off. A step that leaves the transaction fails the dry run either way.
  bool dry_run_changes = true;
  // Down of a data migration restores its artifact even over rows changed
  // since Up (DataMigrationDownOptions::force); else it refuses (kConflict).
  bool force_rollback = false;
  // Where migrations marked "privileged" run (see Roles above); null: on the
  // Migrator's own connection, like every other. Not owned; same dialect and
  // database as `db`, outside any transaction.
  Database* privileged_db = nullptr;
  // Adoption of a database that predates the ledger (one an application's
  // own start-up code built): while its ledger is empty, the migrations
  // through this version count as applied — the schema is already there —
  // and the first Up or Down records them (without running them, applied_at
  // `now`) before anything else. A database whose ledger has rows is refused
  // (kInvalidInput): adoption never rewrites history. A dry run records
  // nothing.
  std::optional<MigrationVersion> adopt_through;
  // Each migration's up or down (its SQL and C++; in a dry run too) is
  // interrupted once it has run this long (Database::SetDeadline) and fails,
  // rolled back, with kTimedOut: "timed out after <limit>". Zero: no limit.
  std::chrono::milliseconds time_limit{0};
};

// What one of a migration's report queries (migration.json "report") found
// after its up.
struct ReportedRows {
  std::string title;
  int64_t count = 0;
  std::vector<std::string> first;  // the first column of the first kShown rows
  static constexpr size_t kShown = 20;
};

struct MigrationStep {
  enum class Action { kApplied, kRolledBack, kDryRun, kSkippedUnavailable };
  Action action = Action::kApplied;
  MigrationVersion version;
  std::string name;
  std::optional<RollbackArtifact> artifact;  // data migrations' up (and dry run)
  std::string artifact_path;                 // where it was written, if it was
  StateChange change;                        // dry run only
  std::vector<ReportedRows> reported;        // up and dry run: the migration's report
  bool privileged = false;                   // ran on MigratorOptions::privileged_db
};

struct MigrationReport {
  std::vector<MigrationStep> steps;
  std::vector<LedgerMismatch> mismatches;
};

class Migrator {
 public:
  Migrator(Database* db, std::vector<Migration> migrations, MigratorOptions options = {});

  const std::vector<Migration>& migrations() const { return migrations_; }
  const Migration* Find(const MigrationVersion& version) const;

  // The ledger, in version order (empty when it does not exist yet), or what
  // it will hold once adopt_through is recorded.
  Status Applied(std::vector<AppliedMigration>* out);
  // Pending migrations available on this dialect, in version order.
  Status Pending(std::vector<const Migration*>* out);
  // applied_unchanged: every way the ledger disagrees with the source.
  Status Verify(std::vector<LedgerMismatch>* out);

  Status Up(const MigrationRange& range, MigrationReport* report);
  Status Down(const MigrationRange& range, const std::vector<RollbackArtifact>& artifacts,
              MigrationReport* report);
  Status DryRun(const MigrationRange& range, MigrationReport* report);

  // The runner's data flow, spelled out.
  Status UpAll(MigrationReport* report) { return Up(MigrationRange::All(), report); }
  // Everything below `version`: the state a rehearsal of `version` starts from.
  Status UpBefore(const MigrationVersion& version, MigrationReport* report) {
    return Up(MigrationRange::Before(version), report);
  }
  // A fresh install 0..version: kInvalidInput unless nothing is applied yet.
  Status FreshInstall(const MigrationVersion& version, MigrationReport* report);

 private:
  struct PlannedStep {
    const Migration* migration;
    bool apply;  // false: not available on this dialect, reported as skipped
  };
  Status CheckOutsideTransaction() const;
  // The start of every Up, Down, DryRun and FreshInstall: a fresh *report,
  // the ledger read once (nothing runs between the reading and the planning
  // that uses it; each call reads it again, since a migration may edit the
  // ledger), and report->mismatches from it.
  Status ReadLedger(std::vector<AppliedMigration>* applied, MigrationReport* report);
  // Up, given the ledger ReadLedger read.
  Status UpFrom(const MigrationRange& range, const std::vector<AppliedMigration>& applied,
                MigrationReport* report);
  // The connection `m` runs on (see Roles above).
  Database* On(const Migration& m) const;
  // Creates the ledger and stamps the identity when missing: the first write.
  Status Prepare();
  // The migrations of `range` in order, with every ordering and code check
  // done before anything changes; `applied` is the ledger read just now.
  Status PlanUp(const MigrationRange& range, const std::vector<AppliedMigration>& applied,
                std::vector<PlannedStep>* plan);
  // The C++ that runs for `m`: none when the registry has none, or the
  // rehearsal set it aside for a SQL stand-in.
  DataMigration* CodeFor(const Migration& m) const;
  Status CheckCode(const Migration& m) const;
  Status DataIdentity(bool required, std::string* identity);
  Status ArtifactFor(const Migration& m, const std::vector<RollbackArtifact>& given,
                     const std::string& identity, RollbackArtifact* out) const;
  // The one connection a dry run of `plan` runs on; kInvalidInput when the
  // plan mixes privileged migrations with others.
  Status DryRunConnection(const std::vector<PlannedStep>& plan, Database** db) const;
  // Runs `body` in one transaction (or none for "transaction": false),
  // undoing it and restoring sequences on failure.
  Status InTransaction(const Migration& m, const std::function<Status()>& body);
  // Runs `body` on `db` under options_.time_limit; a failure past it says so.
  Status Bounded(Database* db, const std::function<Status()>& body);
  Status RunUp(Database* db, const Migration& m, bool dry_run, const std::string& identity,
               MigrationStep* step);
  Status RunDown(const Migration& m, const RollbackArtifact* artifact);

  Database* db_;
  std::vector<Migration> migrations_;
  MigratorOptions options_;
  ArtifactStore artifacts_;
  bool adoption_recorded_ = false;
  // Positions in migrations_ by version text() and key(), ascending: where
  // Applied() finds the source's version of a ledger row (the ledger of a
  // long chain is read at every step; a scan per row made that quadratic).
  std::unordered_map<std::string, std::vector<size_t>> by_text_, by_key_;
};

}  // namespace rehearse

#endif  // REHEARSE_MIGRATE_MIGRATOR_H_
