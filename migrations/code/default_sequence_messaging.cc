#include "migrations/code/default_sequence_messaging.h"

#include "fixtures/fixture_time.h"
#include "migrations/code/canonical_sequences.h"
#include "migrations/code/default_sequences.h"
#include "migrations/code/instance_remap.h"
#include "migrations/code/step_rewrite.h"
#include "migrations/code/stored_values.h"
#include "migrations/code/task_rerender.h"

namespace rehearse {

namespace {

// Every change is computed from rows read earlier in the transaction; on
// PostgreSQL (READ COMMITTED) a cron tick committing in between would be
// overwritten. Readers go on; writers to these tables wait the few seconds
// the migration takes. (SQLite has a single writer already.)
Status LockFollowUpTables(Database* db) {
  if (db->dialect() != Dialect::kPostgres) return Status::OK();
  return db->Execute(
      "LOCK TABLE follow_up_sequences, follow_up_steps, follow_up_instances, follow_up_tasks "
      "IN SHARE ROW EXCLUSIVE MODE");
}

// Rows whose previous values the payload's sections hold (data_migration.h).
size_t RowsRecorded(const nlohmann::json& payload) {
  const nlohmann::json& steps = payload["steps"];
  return steps["updated"]["rows"].size() + steps["deleted"]["rows"].size() +
         steps["inserted"].size() + payload["instances"]["rows"].size() +
         payload["tasks"]["rows"].size();
}

}  // namespace

Status DefaultSequenceMessaging::Up(Database* db, const DataMigrationOptions& options,
                                    RollbackArtifact* out) {
  std::vector<CanonicalSequence> canonical;
  REHEARSE_RETURN_IF_ERROR(
      LoadCanonicalSequences(options.folder + "/" + kCanonicalStepsFile, &canonical));
  int64_t now_micros = 0;
  if (!ParseTimestamp(options.now, &now_micros))
    return Status::InvalidInput("now '" + options.now + "' is not a canonical timestamp");
  // The same instant in its one canonical spelling, for every updated_at.
  const std::string now = FormatTimestamp(now_micros);

  REHEARSE_RETURN_IF_ERROR(LockFollowUpTables(db));
  OverwriteScope scope;
  REHEARSE_RETURN_IF_ERROR(ParseOverwriteScope(db, options.scope, canonical, &scope));
  std::vector<DefaultSequence> sequences;
  REHEARSE_RETURN_IF_ERROR(ReadDefaultSequences(db, scope, canonical, &sequences));
  const auto plans = PlansById(sequences);

  nlohmann::json& payload = out->payload;
  payload = nlohmann::json::object();
  payload["format"] = kPayloadFormat;
  payload["complete"] = !options.dry_run;
  nlohmann::json* record = options.dry_run ? nullptr : &payload;
  nlohmann::json summary = nlohmann::json::object();
  summary["scope"] = options.scope.empty() ? "all workspaces" : "workspace " + options.scope;
  REHEARSE_RETURN_IF_ERROR(RewriteSteps(db, sequences, now, record, &summary));
  REHEARSE_RETURN_IF_ERROR(RemapInstances(db, scope, plans, now, record, &summary));
  REHEARSE_RETURN_IF_ERROR(RerenderPendingTasks(db, scope, plans, now, record, &summary));
  payload["summary"] = std::move(summary);
  if (!options.dry_run) payload["restores"] = RowsRecorded(payload);
  return Status::OK();
}

Status DefaultSequenceMessaging::Down(Database* db, const RollbackArtifact& artifact,
                                      const DataMigrationDownOptions& options) {
  const nlohmann::json& payload = artifact.payload;
  REHEARSE_RETURN_IF_ERROR(CheckCompletePayload(payload, kPayloadFormat));
  REHEARSE_RETURN_IF_ERROR(LockFollowUpTables(db));
  if (!options.force) {
    // Under the lock: nothing can change between this look and the restore.
    std::vector<LaterChange> changes;
    int64_t rows = 0;
    REHEARSE_RETURN_IF_ERROR(FindLaterStepChanges(db, payload, &changes, &rows));
    REHEARSE_RETURN_IF_ERROR(FindLaterInstanceChanges(db, payload, &changes, &rows));
    REHEARSE_RETURN_IF_ERROR(FindLaterTaskChanges(db, payload, &changes, &rows));
    REHEARSE_RETURN_IF_ERROR(RefuseLaterChanges(kVersion, changes, rows));
  }
  REHEARSE_RETURN_IF_ERROR(RestoreSteps(db, payload));
  REHEARSE_RETURN_IF_ERROR(RestoreInstances(db, payload));
  return RestoreTasks(db, payload);
}

}  // namespace rehearse
