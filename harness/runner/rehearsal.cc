#include "harness/runner/rehearsal.h"

#include <chrono>
#include <memory>

#include "harness/db/engine_version.h"
#include "harness/migrate/database_identity.h"
#include "harness/runner/rehearsal_run.h"
#include "harness/runner/starting_state.h"
#include "verifiers/check_registry.h"
#include "verifiers/generic_checks.h"

namespace rehearse {

namespace {

// Every check the data flow produces, in order; the ones a failure prevents
// are reported `skip` with the reason.
const char* const kFlowChecks[] = {
    "dry_run_unchanged",  "forward_applies",   "idempotent_rerun",     "rollback_applies",
    "rollback_identical", "reapply_identical", "upgrade_matches_fresh"};

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

}  // namespace

Status RehearsalRun::OnlyInfrastructure(const Status& st) {
  return st.code() == Status::Code::kInfrastructure ? st : Status::OK();
}

double RehearsalRun::SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void RehearsalRun::SkipRemaining(const std::string& why, MigrationOutcome* out) {
  for (const char* name : kFlowChecks) {
    bool done = false;
    for (const CheckResult& c : out->checks) done = done || c.name == name;
    if (!done) out->checks.push_back(CheckResult::Skip(name, why));
  }
}

Status RehearsalRun::Run(std::vector<MigrationOutcome>* out) {
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
  if (options_.fill.fill && options_.fill.point == RehearsalOptions::FillPoint::kBeforeEachTarget &&
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
    prepared = PrepareStartingState(db.get(), as);
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
        prepared.ok() ? applied_unchanged_
                      : CheckResult::Fail("applied_unchanged", "the baseline could not be built: " +
                                                                   prepared.ToString()));
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
      bool went_on = false;
      REHEARSE_RETURN_IF_ERROR(RetryWithoutRows(*m, &outcome, &went_on));
      REHEARSE_RETURN_IF_ERROR(dbs_->DropAllBut(
          {template_, fresh_ ? fresh_->name : "", unfilled_ ? unfilled_->template_name() : ""}));
      for (CheckResult& c : outcome.checks) {
        if (c.status != CheckStatus::kFail) continue;
        if (kForwardApplies.Is(c) && !went_on) {
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

Status RehearsalRun::PrepareStartingState(Database* db, const MigrationConnections& as) {
  const bool from_baseline = !options_.baseline.empty();
  const std::vector<Migration>& chain = from_baseline ? options_.baseline : options_.migrations;
  Migrator migrator = MigratorOn(as, chain);
  StartingState state;
  REHEARSE_RETURN_IF_ERROR(BuildStartingState(
      chain, from_baseline ? MigrationRange::All() : MigrationRange::Before(FirstTarget()),
      options_.fill,
      unfilled_ ? unfilled_->AddedFrom(FirstTarget()) : std::vector<LookAheadConstraint>{},
      &migrator, db, &state));
  fill_warnings_.insert(fill_warnings_.end(), state.fill.warnings.begin(),
                        state.fill.warnings.end());
  if (from_baseline) {
    std::vector<LedgerMismatch> mismatches;
    REHEARSE_RETURN_IF_ERROR(MigratorOn(as, options_.migrations).Verify(&mismatches));
    applied_unchanged_ = CheckAppliedUnchanged(mismatches);
  }
  if (state.filled)
    if (const Migration* first = Find(FirstTarget())) REHEARSE_RETURN_IF_ERROR(Derive(*first, as));
  return Status::OK();
}

Status RunRehearsal(ThrowawayDatabases* databases, const RehearsalOptions& options,
                    std::vector<MigrationOutcome>* out) {
  return RehearsalRun(databases, options).Run(out);
}

}  // namespace rehearse
