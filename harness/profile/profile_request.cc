#include "harness/profile/profile_request.h"

#include "harness/profile/profile_report.h"
#include "harness/profile/rows_file.h"
#include "harness/runner/gate_report.h"
#include "harness/runner/migration_units.h"

namespace rehearse {

namespace {

Status ReadInputs(ProfileRequest* r, Timings* baseline) {
  MigrationFolder folder;
  REHEARSE_RETURN_IF_ERROR(ReadMigrationFolder(r->migrations_dir, r->folder, &folder));
  if (folder.migrations.empty())
    return Status::InvalidInput("--migrations: no migrations in " + r->migrations_dir);
  for (const Migration& m : folder.migrations) {
    if (m.has_code && r->run.registry == nullptr)
      return Status::InvalidInput("migration " + m.label() +
                                  " is a data migration (C++): `rehearse profile` runs SQL "
                                  "migrations only")
          .At(m.origin + "/migration.json", 0);
  }
  if (!r->baseline_dir.empty()) {
    MigrationFolderOptions production = r->folder;
    production.irreversible.clear();  // declared for the chain's versions
    MigrationFolder baseline;
    REHEARSE_RETURN_IF_ERROR(ReadMigrationFolder(r->baseline_dir, production, &baseline));
    r->run.baseline = std::move(baseline.migrations);
  }
  // Units group what is profiled: the pending migrations with a baseline.
  std::vector<MigrationVersion> versions, firsts;
  for (const Migration& m : folder.migrations)
    if (!IsApplied(r->run, m.version)) versions.push_back(m.version);
  if (r->unit == "pending") {
    if (r->run.baseline.empty())
      return Status::InvalidInput(
          "--unit pending needs --baseline: what is pending is what the baseline lacks");
    if (versions.size() > 1) r->run.unit_through[versions.front()] = versions.back();
  } else {
    REHEARSE_RETURN_IF_ERROR(GroupIntoUnits("--unit", r->unit,
                                            "version, prefix:N (1 <= N <= 40) or pending", versions,
                                            &firsts, &r->run.unit_through));
  }
  r->run.migrations = std::move(folder.migrations);
  r->run.sqlite_foreign_keys = r->sqlite_foreign_keys.value_or(folder.settings.sqlite_foreign_keys);
  if (!r->rows_file.empty())
    REHEARSE_RETURN_IF_ERROR(ReadRowsFile(r->rows_file, &r->run.rows_by_table));
  if (!r->timings_baseline.empty())
    REHEARSE_RETURN_IF_ERROR(ReadTimings(r->timings_baseline, baseline));
  return Status::OK();
}

Status WriteOutputs(const ProfileRequest& r, ProfileOutcome* out) {
  Status first;
  auto keep = [&](Status s) {
    if (first.ok()) first = s;
  };
  if (!r.timings_out.empty()) keep(WriteTimings(TimingsOf(out->result, r.run), r.timings_out));
  if (!r.report_json.empty()) keep(WriteGateJson(out->as_gate, r.report_json));
  if (!r.junit.empty()) keep(WriteGateJunit(out->as_gate, r.junit));
  if (!r.rollback_log.empty()) {
    std::string entries;
    for (const BackendProfile& b : out->result.backends) {
      for (const MigrationProfile& m : b.migrations) {
        if (!m.not_reached.empty() || !m.up_failure.ok()) continue;
        if (!NeedsRollbackLog(m.rollback, r.run.windows)) continue;
        entries += RollbackLogEntry(m.rollback, r.run.windows, r.now_utc, r.rerun);
        ++out->rollback_log_entries;
      }
    }
    if (!entries.empty()) keep(AppendRollbackLog(r.rollback_log, entries));
  }
  return first;
}

// The JSON and JUnit reports of the run so far, marked incomplete: a
// profile at production size runs for hours, and one stopped (a CI job's
// time limit, a kill) still leaves what it found. A failure to write is left
// to the final write, which reports it.
void WritePartialReports(const ProfileRequest& r, const ProfileResult& so_far) {
  GateResult partial = ProfileAsGateResult(so_far, r.run, {}, r.warn_only, r.rerun);
  const BackendProfile& last = so_far.backends.back();
  partial.incomplete = "the run had not finished: written after " +
                       last.migrations.back().migration + " on " + DialectName(last.dialect);
  if (!r.report_json.empty()) (void)WriteGateJson(partial, r.report_json);
  if (!r.junit.empty()) (void)WriteGateJunit(partial, r.junit);
}

}  // namespace

Status RunProfileRequest(ProfileRequest r, ProfileOutcome* out) {
  Timings baseline;
  REHEARSE_RETURN_IF_ERROR(ReadInputs(&r, &baseline));
  if (!r.report_json.empty() || !r.junit.empty())
    r.run.after_each = [&r](const ProfileResult& so_far) { WritePartialReports(r, so_far); };
  REHEARSE_RETURN_IF_ERROR(RunProfile(r.run, &out->result));
  if (!r.timings_baseline.empty())
    out->regressions = CompareTimings(baseline, TimingsOf(out->result, r.run), r.regression);
  out->as_gate = ProfileAsGateResult(out->result, r.run, out->regressions, r.warn_only, r.rerun);
  out->summary = RenderProfileSummary(out->result, r.run, out->regressions, out->as_gate);
  return WriteOutputs(r, out);
}

}  // namespace rehearse
