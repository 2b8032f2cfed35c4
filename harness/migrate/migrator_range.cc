// A range of migrations (migrator.h): Up, Down and DryRun, each planned and
// checked before anything changes, then run a step at a time
// (migrator_step.cc).
#include <algorithm>

#include "harness/migrate/migrator.h"
#include "harness/migrate/sequence_positions.h"

namespace rehearse {

namespace {

// Gives a Status that names no file the migration's folder, so every error
// points somewhere.
Status& Locate(Status& s, const Migration& m) {
  if (s.file().empty()) s.At(m.origin, 0);
  return s;
}

}  // namespace

Status Migrator::Up(const MigrationRange& range, MigrationReport* report) {
  std::vector<AppliedMigration> applied;
  REHEARSE_RETURN_IF_ERROR(ReadLedger(&applied, report));
  return UpFrom(range, applied, report);
}

Status Migrator::UpFrom(const MigrationRange& range, const std::vector<AppliedMigration>& applied,
                        MigrationReport* report) {
  std::vector<PlannedStep> plan;
  REHEARSE_RETURN_IF_ERROR(PlanUp(range, applied, &plan));
  std::string identity;
  if (std::any_of(plan.begin(), plan.end(),
                  [](const PlannedStep& p) { return p.apply && p.migration->has_code; })) {
    // Without one in the database, options_.identity is what Prepare stamps.
    REHEARSE_RETURN_IF_ERROR(DataIdentity(options_.identity.empty(), &identity));
  }
  for (const PlannedStep& p : plan)
    if (p.apply && p.migration->has_code)
      REHEARSE_RETURN_IF_ERROR(artifacts_.CheckFree(*p.migration));
  // Only now, with every check passed, is the database written to.
  REHEARSE_RETURN_IF_ERROR(Prepare());
  for (const PlannedStep& p : plan) {
    const Migration& m = *p.migration;
    MigrationStep step;
    step.version = m.version;
    step.name = m.name;
    if (!p.apply) {
      step.action = MigrationStep::Action::kSkippedUnavailable;
      report->steps.push_back(std::move(step));
      continue;
    }
    step.action = MigrationStep::Action::kApplied;
    Status s = InTransaction(
        m, [&] { return Bounded(On(m), [&] { return RunUp(On(m), m, false, identity, &step); }); });
    if (!s.ok()) {
      s.Prepend("applying " + m.label() + " on " + DialectName(db_->dialect()));
      return Locate(s, m);
    }
    report->steps.push_back(std::move(step));
  }
  return Status::OK();
}

Status Migrator::ArtifactFor(const Migration& m, const std::vector<RollbackArtifact>& given,
                             const std::string& identity, RollbackArtifact* out) const {
  bool found = false;
  for (const RollbackArtifact& a : given) {
    MigrationVersion v;
    if (MigrationVersion::Parse(a.version, &v).ok() && v == m.version) {
      *out = a;
      found = true;
      break;
    }
  }
  if (!found && artifacts_.Has(m)) {
    REHEARSE_RETURN_IF_ERROR(artifacts_.Read(m, identity, out));
    found = true;
  }
  if (!found) {
    return Status::InvalidInput("rolling back data migration " + m.label() +
                                " needs the rollback artifact its up wrote")
        .At(m.origin, 0);
  }
  Status s =
      out->CheckBinding({m.version.text(), identity, DialectName(db_->dialect()), options_.scope});
  if (!s.ok()) return s.Prepend("rolling back " + m.label());
  return Status::OK();
}

Status Migrator::Down(const MigrationRange& range, const std::vector<RollbackArtifact>& artifacts,
                      MigrationReport* report) {
  std::vector<AppliedMigration> applied;
  REHEARSE_RETURN_IF_ERROR(ReadLedger(&applied, report));
  const Dialect dialect = db_->dialect();

  // What to revert, newest first, and every check before anything changes.
  std::vector<const Migration*> plan;
  if (!options_.scope.empty()) {
    for (auto it = migrations_.rbegin(); it != migrations_.rend(); ++it)
      if (range.Contains(it->version) && it->available(dialect)) plan.push_back(&*it);
  } else {
    for (auto it = applied.rbegin(); it != applied.rend(); ++it) {
      if (range.Above(it->version)) {
        return Status::InvalidInput("cannot roll back " + range.ToString() + " while the newer " +
                                    it->version.text() + " is applied; roll it back first");
      }
      if (!range.Contains(it->version)) continue;
      const Migration* m = Find(it->version);
      if (!m || !m->available(dialect)) {
        return Status::InvalidInput("version " + it->version.text() + " (" + it->name +
                                    ") is applied but the source has no migration for it on " +
                                    DialectName(dialect) + ", so it cannot be rolled back");
      }
      plan.push_back(m);
    }
  }
  std::vector<RollbackArtifact> chosen(plan.size());
  std::string identity;
  for (size_t i = 0; i < plan.size(); ++i) {
    REHEARSE_RETURN_IF_ERROR(CheckCode(*plan[i]));
    if (!plan[i]->has_code) continue;
    if (identity.empty()) REHEARSE_RETURN_IF_ERROR(DataIdentity(true, &identity));
    REHEARSE_RETURN_IF_ERROR(ArtifactFor(*plan[i], artifacts, identity, &chosen[i]));
  }

  REHEARSE_RETURN_IF_ERROR(Prepare());
  for (size_t i = 0; i < plan.size(); ++i) {
    const Migration& m = *plan[i];
    Status s = InTransaction(m, [&] {
      return Bounded(On(m), [&] { return RunDown(m, m.has_code ? &chosen[i] : nullptr); });
    });
    if (!s.ok()) {
      s.Prepend("rolling back " + m.label() + " on " + DialectName(dialect));
      return Locate(s, m);
    }
    MigrationStep step;
    step.action = MigrationStep::Action::kRolledBack;
    step.privileged = On(m) != db_;
    step.version = m.version;
    step.name = m.name;
    report->steps.push_back(std::move(step));
  }
  return Status::OK();
}

Status Migrator::DryRun(const MigrationRange& range, MigrationReport* report) {
  std::vector<AppliedMigration> applied;
  REHEARSE_RETURN_IF_ERROR(ReadLedger(&applied, report));
  std::vector<PlannedStep> plan;
  REHEARSE_RETURN_IF_ERROR(PlanUp(range, applied, &plan));
  std::string identity;
  REHEARSE_RETURN_IF_ERROR(DataIdentity(false, &identity));
  Database* db = nullptr;
  REHEARSE_RETURN_IF_ERROR(DryRunConnection(plan, &db));

  // One transaction for the whole range: each migration sees the ones before
  // it, and the rollback at the end undoes all of them, ledger included.
  SequencePositions sequences;
  REHEARSE_RETURN_IF_ERROR(sequences.Capture(db));
  REHEARSE_RETURN_IF_ERROR(db->Begin());
  Status s = MigrationLedger::Ensure(db);
  Snapshot before;
  int probes = 0;
  if (s.ok() && options_.dry_run_changes)
    s = TakeProbe(db, options_.dry_run_archive_dir, &probes, &before);
  for (size_t i = 0; s.ok() && i < plan.size(); ++i) {
    const Migration& m = *plan[i].migration;
    MigrationStep step;
    step.version = m.version;
    step.name = m.name;
    step.action =
        plan[i].apply ? MigrationStep::Action::kDryRun : MigrationStep::Action::kSkippedUnavailable;
    if (plan[i].apply) {
      s = Bounded(db, [&] { return RunUp(db, m, true, identity, &step); });
      Snapshot after;
      if (s.ok() && !options_.dry_run_changes) s = RequireOpenTransaction(db);
      if (s.ok() && options_.dry_run_changes)
        s = TakeProbe(db, options_.dry_run_archive_dir, &probes, &after);
      if (s.ok() && options_.dry_run_changes)
        s = CompareStates(before, after, options_.dry_run_samples, &step.change);
      if (s.ok()) {
        DropProbe(before);
        before = std::move(after);
      } else {
        s.Prepend("dry run of " + m.label() + " on " + DialectName(db->dialect()));
        Locate(s, m);
      }
    }
    if (s.ok()) report->steps.push_back(std::move(step));
  }
  DropProbe(before);
  db->Rollback();
  Status restored = sequences.Restore(db);
  if (s.ok()) return restored;
  if (!restored.ok()) s.Prepend("rolled back, but " + restored.message());
  return s;
}

Status Migrator::DryRunConnection(const std::vector<PlannedStep>& plan, Database** db) const {
  std::string privileged, other;
  for (const PlannedStep& p : plan) {
    if (!p.apply) continue;
    std::string& list = On(*p.migration) != db_ ? privileged : other;
    list += (list.empty() ? "" : ", ") + p.migration->label();
  }
  if (!privileged.empty() && !other.empty()) {
    return Status::InvalidInput(
        "a dry run runs its migrations in one transaction, so as one role, and this range mixes "
        "privileged migrations (" +
        privileged + ") with others (" + other + "); dry-run them separately");
  }
  *db = privileged.empty() ? db_ : options_.privileged_db;
  return Status::OK();
}

}  // namespace rehearse
