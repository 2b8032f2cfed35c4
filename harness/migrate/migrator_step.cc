// One migration's step (migrator.h, "Transactions"): its up or down, SQL and
// C++, in its own transaction (or statement by statement for "transaction":
// false), under the time limit, undone with the sequences it advanced when
// it fails.
#include <functional>

#include "harness/common/duration.h"
#include "harness/migrate/migrator.h"
#include "harness/migrate/sequence_positions.h"

namespace rehearse {

Status Migrator::InTransaction(const Migration& m, const std::function<Status()>& body) {
  if (!m.transactional) {
    Database* own = On(m);
    Status s = body();
    // A script that manages its own transaction (BEGIN; … COMMIT;) and
    // failed inside it leaves that transaction open: close it, so the
    // connection is usable and the statements of that block are undone.
    // One that succeeded but never closed its last BEGIN would hold that
    // transaction's locks for as long as the session lives, and its tool's
    // session would end by rolling it back: it fails, rolled back likewise.
    if (s.ok() && own->session_in_transaction() && !own->in_transaction()) {
      s = Status::Database(
          "it ends inside a transaction it opened (a BEGIN with no COMMIT after it): its tool "
          "would roll that transaction back when the session ends, and until then it holds "
          "its locks; end the script with COMMIT");
      s.At(m.origin, 0);
    }
    if (!s.ok()) (void)own->Execute("ROLLBACK", {}, nullptr);
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
    Status timed_out = Status::TimedOut(
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

}  // namespace rehearse
