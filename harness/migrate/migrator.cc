#include "harness/migrate/migrator.h"

#include <algorithm>
#include <functional>
#include <set>

#include "harness/common/duration.h"
#include "harness/migrate/database_identity.h"
#include "harness/migrate/sequence_positions.h"

namespace rehearse {

namespace {

std::set<std::string> AppliedDigits(const std::vector<AppliedMigration>& applied) {
  std::set<std::string> out;
  for (const AppliedMigration& a : applied) out.insert(a.version.key());
  return out;
}

// Gives a Status that names no file the migration's folder, so every error
// points somewhere.
Status& Locate(Status& s, const Migration& m) {
  if (s.file().empty()) s.At(m.origin, 0);
  return s;
}

}  // namespace

Migrator::Migrator(Database* db, std::vector<Migration> migrations, MigratorOptions options)
    : db_(db),
      migrations_(std::move(migrations)),
      options_(std::move(options)),
      artifacts_(options_.artifact_dir, options_.artifact_files, db_->dialect(), options_.scope) {
  // A data migration's code is part of what was applied: its digest joins
  // the checksum the ledger records and compares (migration.h).
  for (Migration& m : migrations_) {
    if (!m.has_code || !CodeFor(m)) continue;
    const std::string digest = options_.registry->CodeDigest(m.version, m.name);
    if (digest.empty()) continue;
    for (DialectMigration* dm : {&m.postgres, &m.sqlite})
      if (!dm->checksum.empty()) dm->checksum = WithCodeDigest(dm->checksum, digest);
  }
}

const Migration* Migrator::Find(const MigrationVersion& version) const {
  auto it =
      std::lower_bound(migrations_.begin(), migrations_.end(), version,
                       [](const Migration& m, const MigrationVersion& v) { return m.version < v; });
  return it != migrations_.end() && it->version == version ? &*it : nullptr;
}

Status Migrator::Applied(std::vector<AppliedMigration>* out) {
  REHEARSE_RETURN_IF_ERROR(MigrationLedger::Read(db_, out));
  // The ledger holds versions as written; the source knows how its layout
  // orders them (a Diesel date, a Sqitch change), so each takes the source's
  // own version where there is one.
  // Versions that share a number (ordered by name) are told apart by name.
  for (AppliedMigration& a : *out) {
    const Migration* match = nullptr;
    for (const Migration& m : migrations_) {
      if (m.version.text() != a.version.text() && !(m.version == a.version)) continue;
      if (!match || m.name == a.name) match = &m;
      if (m.name == a.name) break;
    }
    if (match) a.version = match->version;
  }
  std::stable_sort(
      out->begin(), out->end(),
      [](const AppliedMigration& a, const AppliedMigration& b) { return a.version < b.version; });
  if (!options_.adopt_through || adoption_recorded_) return Status::OK();
  if (!out->empty()) {
    return Status::InvalidInput("cannot adopt the database at " + options_.adopt_through->text() +
                                ": its ledger already records " + std::to_string(out->size()) +
                                " applied migration(s), the newest " + out->back().version.text());
  }
  for (const Migration& m : migrations_) {
    if (*options_.adopt_through < m.version) break;
    if (m.available(db_->dialect()))
      out->push_back({m.version, m.name, m.For(db_->dialect()).checksum, options_.now});
  }
  return Status::OK();
}

Status Migrator::Pending(std::vector<const Migration*>* out) {
  out->clear();
  std::vector<AppliedMigration> applied;
  REHEARSE_RETURN_IF_ERROR(Applied(&applied));
  std::set<std::string> done = AppliedDigits(applied);
  for (const Migration& m : migrations_)
    if (m.available(db_->dialect()) && !done.count(m.version.key())) out->push_back(&m);
  return Status::OK();
}

Status Migrator::Verify(std::vector<LedgerMismatch>* out) {
  out->clear();
  std::vector<AppliedMigration> applied;
  REHEARSE_RETURN_IF_ERROR(Applied(&applied));
  *out = CompareLedger(applied, migrations_, db_->dialect());
  return Status::OK();
}

Database* Migrator::On(const Migration& m) const {
  return m.privileged && options_.privileged_db != nullptr ? options_.privileged_db : db_;
}

Status Migrator::CheckOutsideTransaction() const {
  if (db_->in_transaction() ||
      (options_.privileged_db != nullptr && options_.privileged_db->in_transaction())) {
    return Status::InvalidInput("the migrator needs a database outside any transaction");
  }
  return Status::OK();
}

Status Migrator::Prepare() {
  REHEARSE_RETURN_IF_ERROR(MigrationLedger::Ensure(db_));
  if (options_.adopt_through && !adoption_recorded_) {
    std::vector<AppliedMigration> adopted;
    REHEARSE_RETURN_IF_ERROR(Applied(&adopted));
    REHEARSE_RETURN_IF_ERROR(db_->Begin());
    Status s;
    for (const AppliedMigration& a : adopted)
      if (s.ok()) s = MigrationLedger::Record(db_, a);
    if (!s.ok()) {
      db_->Rollback();
      return s.Prepend("recording the adopted migrations");
    }
    REHEARSE_RETURN_IF_ERROR(db_->Commit());
    adoption_recorded_ = true;
  }
  if (options_.identity.empty()) return Status::OK();
  std::string token;
  Status s = ReadDatabaseIdentity(db_, &token);
  if (s.code() == Status::Code::kNotFound) return StampDatabaseIdentity(db_, options_.identity);
  return s;
}

DataMigration* Migrator::CodeFor(const Migration& m) const {
  if (!options_.registry || m.code_replaced) return nullptr;
  for (const MigrationVersion& v : options_.code_set_aside)
    if (v == m.version) return nullptr;
  return options_.registry->Find(m.version, m.name);
}

Status Migrator::CheckCode(const Migration& m) const {
  DataMigration* code = CodeFor(m);
  if (m.has_code && !code) {
    return Status::InvalidInput("migration " + m.label() +
                                " is a data migration (\"kind\": \"data\") but no C++ code is "
                                "registered under version " +
                                m.version.text())
        .At(m.origin, 0);
  }
  if (!m.has_code && code) {
    return Status::InvalidInput("C++ code is registered under version " + m.version.text() +
                                " but " + m.label() +
                                " is not a data migration (its migration.json needs \"kind\": "
                                "\"data\")")
        .At(m.origin, 0);
  }
  if (!options_.scope.empty() && (!m.has_code || m.For(db_->dialect()).up.present())) {
    return Status::InvalidInput("a scope (\"" + options_.scope +
                                "\") applies to data migrations without SQL only, and " +
                                m.label() + " has SQL")
        .At(m.origin, 0);
  }
  return Status::OK();
}

Status Migrator::PlanUp(const MigrationRange& range, std::vector<PlannedStep>* plan) {
  plan->clear();
  std::vector<AppliedMigration> applied;
  REHEARSE_RETURN_IF_ERROR(Applied(&applied));
  std::set<std::string> done = AppliedDigits(applied);
  const Dialect dialect = db_->dialect();
  const bool scoped = !options_.scope.empty();
  for (const Migration& m : migrations_) {
    const bool available = m.available(dialect);
    if (range.Contains(m.version)) {
      if (!available) {
        plan->push_back({&m, false});
        continue;
      }
      if (scoped || !done.count(m.version.key())) plan->push_back({&m, true});
      continue;
    }
    if (scoped || !available || done.count(m.version.key())) continue;
    if (range.Below(m.version)) {
      return Status::InvalidInput("migration " + m.label() + " is not applied and comes before " +
                                  range.ToString() + "; apply it first")
          .At(m.origin, 0);
    }
  }
  if (!scoped && !applied.empty()) {
    const AppliedMigration& newest = applied.back();
    for (const PlannedStep& p : *plan) {
      if (p.apply && p.migration->version < newest.version) {
        return Status::InvalidInput("migration " + p.migration->label() +
                                    " is pending but the newer version " + newest.version.text() +
                                    " is already applied; refusing to apply out of order")
            .At(p.migration->origin, 0);
      }
    }
  }
  for (const PlannedStep& p : *plan)
    if (p.apply) REHEARSE_RETURN_IF_ERROR(CheckCode(*p.migration));
  return Status::OK();
}

Status Migrator::InTransaction(const Migration& m, const std::function<Status()>& body) {
  if (!m.transactional) {
    Status s = body();
    // A script that manages its own transaction (BEGIN; … COMMIT;) and
    // failed inside it leaves that transaction open: close it, so the
    // connection is usable and the statements of that block are undone.
    if (!s.ok()) (void)db_->Execute("ROLLBACK", {}, nullptr);
    if (!s.ok()) {
      s.Prepend(
          "it runs outside a transaction (\"transaction\": false, its own BEGIN/COMMIT, or its "
          "tool's no-transaction marker), so the statements before this one stay applied");
    }
    return s;
  }
  Database* db = On(m);
  SequencePositions sequences;
  REHEARSE_RETURN_IF_ERROR(sequences.Capture(db));
  REHEARSE_RETURN_IF_ERROR(db->Begin());
  Status s = body();
  if (s.ok()) {
    s = db->Commit();
    if (s.ok()) return s;
  }
  db->Rollback();
  Status restored = sequences.Restore(db);
  if (!restored.ok()) s.Prepend("rolled back, but " + restored.message());
  return s;
}

Status Migrator::Bounded(Database* db, const std::function<Status()>& body) {
  if (options_.time_limit.count() <= 0) return body();
  const auto deadline = std::chrono::steady_clock::now() + options_.time_limit;
  REHEARSE_RETURN_IF_ERROR(db->SetDeadline(deadline));
  Status s = body();
  Status cleared = db->SetDeadline(std::nullopt);
  // The server's statement_timeout may fire a moment before the client's
  // clock reaches the deadline: its query_canceled counts as the deadline too.
  if (!s.ok() && (std::chrono::steady_clock::now() >= deadline || s.sqlstate() == "57014")) {
    Status timed_out = Status::Database(
        "timed out after " + FormatDuration(options_.time_limit) + " (" + s.message() + ")",
        s.sqlstate());
    timed_out.At(s.file(), s.line()).WithStatement(s.statement());
    return timed_out;
  }
  return s.ok() ? cleared : s;
}

Status Migrator::RunUp(Database* db, const Migration& m, bool dry_run, const std::string& identity,
                       MigrationStep* step) {
  const DialectMigration& dm = m.For(db->dialect());
  step->privileged = db != db_;
  const bool scoped = !options_.scope.empty();
  if (dm.up.present()) REHEARSE_RETURN_IF_ERROR(db->ExecuteScript(dm.up.Parse()));
  if (m.has_code) {
    RollbackArtifact artifact;
    artifact.version = m.version.text();
    artifact.migration_name = m.name;
    artifact.database_identity = identity;
    artifact.dialect = DialectName(db->dialect());
    artifact.scope = options_.scope;
    artifact.created_at = options_.now;
    DataMigrationOptions o{dry_run, options_.scope, options_.now, m.origin};
    REHEARSE_RETURN_IF_ERROR(options_.registry->Find(m.version, m.name)->Up(db, o, &artifact));
    // Written before the commit: a crash after it leaves an artifact for a
    // migration that did not happen (harmless, Down refuses it as not
    // applied), never a migration without its artifact.
    if (!dry_run) REHEARSE_RETURN_IF_ERROR(artifacts_.Write(m, artifact, &step->artifact_path));
    step->artifact = std::move(artifact);
  }
  for (const MigrationReportQuery& q : m.report) {
    ReportedRows found{q.title, 0, {}};
    Status s = db->Stream(q.sql, [&](const Row& row) {
      if (found.first.size() < ReportedRows::kShown && !row.empty())
        found.first.push_back(row[0].ToText());
      ++found.count;
      return Status::OK();
    });
    if (!s.ok()) return s.Prepend("report \"" + q.title + "\" of migration.json").At(m.origin, 0);
    step->reported.push_back(std::move(found));
  }
  if (!scoped) {
    REHEARSE_RETURN_IF_ERROR(
        MigrationLedger::Record(db, {m.version, m.name, dm.checksum, options_.now}));
  }
  return Status::OK();
}

Status Migrator::RunDown(const Migration& m, const RollbackArtifact* artifact) {
  Database* db = On(m);
  const DialectMigration& dm = m.For(db->dialect());
  if (m.has_code)
    REHEARSE_RETURN_IF_ERROR(
        options_.registry->Find(m.version, m.name)->Down(db, *artifact, {options_.force_rollback}));
  if (dm.down.present()) REHEARSE_RETURN_IF_ERROR(db->ExecuteScript(dm.down.Parse()));
  if (options_.scope.empty()) REHEARSE_RETURN_IF_ERROR(MigrationLedger::Erase(db, m.version));
  return Status::OK();
}

Status Migrator::DataIdentity(bool required, std::string* identity) {
  Status s = ReadDatabaseIdentity(db_, identity);
  if (s.ok()) return s;
  if (s.code() == Status::Code::kNotFound && !required) {
    *identity = options_.identity;
    return Status::OK();
  }
  if (s.code() == Status::Code::kNotFound) {
    return Status::InvalidInput(
        "a data migration needs the database's identity to bind its rollback artifact, and this "
        "database has none: stamp it when creating the database, or set MigratorOptions::identity");
  }
  return s;
}

Status Migrator::Up(const MigrationRange& range, MigrationReport* report) {
  *report = MigrationReport();
  REHEARSE_RETURN_IF_ERROR(CheckOutsideTransaction());
  REHEARSE_RETURN_IF_ERROR(Verify(&report->mismatches));
  std::vector<PlannedStep> plan;
  REHEARSE_RETURN_IF_ERROR(PlanUp(range, &plan));
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
  *report = MigrationReport();
  REHEARSE_RETURN_IF_ERROR(CheckOutsideTransaction());
  REHEARSE_RETURN_IF_ERROR(Verify(&report->mismatches));
  const Dialect dialect = db_->dialect();

  // What to revert, newest first, and every check before anything changes.
  std::vector<const Migration*> plan;
  if (!options_.scope.empty()) {
    for (auto it = migrations_.rbegin(); it != migrations_.rend(); ++it)
      if (range.Contains(it->version) && it->available(dialect)) plan.push_back(&*it);
  } else {
    std::vector<AppliedMigration> applied;
    REHEARSE_RETURN_IF_ERROR(Applied(&applied));
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
  *report = MigrationReport();
  REHEARSE_RETURN_IF_ERROR(CheckOutsideTransaction());
  REHEARSE_RETURN_IF_ERROR(Verify(&report->mismatches));
  std::vector<PlannedStep> plan;
  REHEARSE_RETURN_IF_ERROR(PlanUp(range, &plan));
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

Status Migrator::FreshInstall(const MigrationVersion& version, MigrationReport* report) {
  std::vector<AppliedMigration> applied;
  REHEARSE_RETURN_IF_ERROR(Applied(&applied));
  if (!applied.empty()) {
    return Status::InvalidInput("not a fresh database: " + std::to_string(applied.size()) +
                                " versions are already applied, the newest " +
                                applied.back().version.text());
  }
  return Up(MigrationRange::Through(version), report);
}

}  // namespace rehearse
