// TimersTimezone: migration 0001 (seed 003), the C++ part of
// migrations/0001_timers_timezone — give every database the schema the
// timers code needs, whichever start-up file built it, and move pending
// daily reminders into active_timers.
//
// Why C++: the databases 0001 meets differ (seed 003, option A), and SQLite
// has no ADD COLUMN IF NOT EXISTS nor any other conditional DDL:
//   - the baseline (the edited start-up file run on an existing database):
//     active_timers exists, timezone is missing;
//   - one built from migrations/legacy/startup_before.*.sql: both missing;
//   - one built fresh from startup_after_inplace_edit.*.sql: both present
//     (timezone in the middle of the table, where the CREATE put it).
//
// Up, inside the Migrator's transaction:
//   1. creates active_timers (the folder's active_timers.<dialect>.sql, the
//      baseline's definition) when the database has none;
//   2. adds conversation_participants.timezone when it is missing;
//   3. runs reminders.<dialect>.sql, which inserts one active_timers row per
//      reminder pending only in flow_states.state_data (ids: the negated
//      flow state ids).
// It records in the payload what it did — whether it created the table,
// whether it added the column, the ids it inserted — and Down undoes exactly
// that, in reverse: it deletes those rows (or drops the table it created,
// rows and index with it), then drops the column only if Up added it. So a
// database rolled back right after Up has the same snapshot digest as before,
// on every one of the three starting points. What the application stored
// since in what Down would drop — a timezone set in the column Up added, a
// timer it did not insert in the table Up created — makes Down refuse
// (kConflict, naming them) unless DataMigrationDownOptions::force. Up again after Down changes the
// same things; running Up on its own result changes nothing (restores: 0).
//
// The payload:
//   {"format": kPayloadFormat, "complete": true, "createdActiveTimers": bool,
//    "addedTimezone": bool, "insertedTimerIds": [...], "restores": n,
//    "summary": {"activeTimers": ..., "timezone": ..., "remindersMoved": n}}
// A dry run does the same work (the Migrator rolls it back) and records the
// summary only ("complete": false), which Down refuses. The migration has no
// scope: a schema change is for the whole database (kInvalidInput).
#ifndef REHEARSE_MIGRATIONS_CODE_TIMERS_TIMEZONE_H_
#define REHEARSE_MIGRATIONS_CODE_TIMERS_TIMEZONE_H_

#include "harness/migrate/data_migration.h"

namespace rehearse {

class TimersTimezone final : public DataMigration {
 public:
  static constexpr const char* kVersion = "0001";
  static constexpr const char* kName = "timers_timezone";  // of the folder
  static constexpr const char* kPayloadFormat = "rehearse.timers_timezone/1";

  Status Up(Database* db, const DataMigrationOptions& options, RollbackArtifact* out) override;
  Status Down(Database* db, const RollbackArtifact& artifact,
              const DataMigrationDownOptions& options) override;
};

}  // namespace rehearse

#endif  // REHEARSE_MIGRATIONS_CODE_TIMERS_TIMEZONE_H_
