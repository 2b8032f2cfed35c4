// DefaultSequenceMessaging: migration 0003 (seed 000), the C++ part of
// migrations/0003_default_sequence_messaging — overwrite the default
// follow-up sequences with the canonical copy and timing of that folder's
// canonical_steps.json, and keep the work in flight on them correct.
//
// Up, inside the Migrator's transaction, in this order:
//   1. read the canonical table and the covered sequences (default_sequences.h;
//      options.scope is a workspace id for a canary, "" for all);
//   2. rewrite their steps (step_rewrite.h);
//   3. remap their active and paused instances (instance_remap.h);
//   4. re-render their pending tasks (task_rerender.h).
// Every write is set-based (a temp table and one statement per kind of
// change), so cost grows linearly with the rows changed. Rows already in
// their final form are not written: running Up again changes nothing.
// options.now stamps updated_at and is the "now" of overdue steps. On
// PostgreSQL, Up and Down first lock the four follow-up tables against
// concurrent writes (SHARE ROW EXCLUSIVE: reads go on), so that a cron tick
// between reading a row and rewriting it cannot be lost.
//
// The artifact payload:
//   {"format": kPayloadFormat, "complete": true,
//    "sequences": [...], "steps": {...}, "instances": {...}, "tasks": {...},
//    "summary": {...}}
// with every previous value Down needs (see the three headers above). A
// dry run (options.dry_run) does all the work — so its counts and the
// Migrator's measured changes are real — but records only the summary
// ("complete": false); Down refuses such an artifact.
// "summary" holds the counts the seed's runbook checks (sequences found,
// steps rewritten per sequence name, instances and tasks updated) and a few
// before/after samples of each kind.
//
// Down restores steps, then instances, then tasks from the artifact, exactly:
// a database rolled back right after Up has the same snapshot digest as
// before it. First it compares the rewritten steps, instances and tasks with
// the values Up left in them: where the application changed one since (a
// cron tick advanced an instance, a user completed a task), restoring would
// undo that work, so Down refuses (kConflict, naming table, id, column and
// both values) unless DataMigrationDownOptions::force. Steps Up inserted are
// deleted whatever happened to them since. It refuses (kCorruption) a payload of another format, of
// a dry run, or with a malformed section; the Migrator has already checked the checksum, the
// database identity and the scope.
#ifndef REHEARSE_MIGRATIONS_CODE_DEFAULT_SEQUENCE_MESSAGING_H_
#define REHEARSE_MIGRATIONS_CODE_DEFAULT_SEQUENCE_MESSAGING_H_

#include "harness/migrate/data_migration.h"

namespace rehearse {

class DefaultSequenceMessaging final : public DataMigration {
 public:
  static constexpr const char* kVersion = "0003";
  static constexpr const char* kName = "default_sequence_messaging";  // of the folder
  // /2: each section also holds the values Up wrote ("written").
  static constexpr const char* kPayloadFormat = "rehearse.default_sequence_messaging/2";

  Status Up(Database* db, const DataMigrationOptions& options, RollbackArtifact* out) override;
  Status Down(Database* db, const RollbackArtifact& artifact,
              const DataMigrationDownOptions& options) override;
};

}  // namespace rehearse

#endif  // REHEARSE_MIGRATIONS_CODE_DEFAULT_SEQUENCE_MESSAGING_H_
