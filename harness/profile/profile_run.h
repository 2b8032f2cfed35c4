// RunProfile: `rehearse profile`'s data flow. For each backend, on one
// throwaway database, for each migration N of the folder in order:
//
//   fill   every table at N-1 with the schema-driven filler up to `rows`
//          rows (or the table's size from rows_by_table), counting the rows
//          it holds (a table a migration seeded is topped up), honouring
//          what N and later migrations will demand (look-ahead, from one
//          unfilled pass over the chain first);
//   up     N, profiled (ProfiledDatabase: statements, locks, work);
//   down   N, profiled, then the rows compared with those before up;
//   …      `repeat` times up and down in all (times are their medians);
//   up     N again, unprofiled, to go on to N+1.
//
// With units (--unit), N is a unit: its migrations go up in order and come
// down in reverse as one step. With a baseline, its migrations are applied
// first (unfilled, unprofiled, as production already has them) and only the
// migrations it lacks are profiled and reported; the first of them fills
// every table.
//
// Migrations run as in the gate: on the owner's connection, without
// superuser (a "privileged" one on the superuser's, timed only); the fill,
// the row counts and the lock sampler use the harness's own superuser
// connection. An up that fails ends that backend's chain (the migrations
// after it are `not_reached`), unless it applies to the same state without
// the generated rows (the unfilled pass says so): then, as in the gate's
// applies_with_data, the chain goes on, on a database built from that
// unfilled state through N, filled again for N+1. A down that fails is the
// rollback's failure, and the chain goes on from N.
//
// Nothing here judges thresholds except through findings.h and
// rollback_window.h; nothing prints except through `progress`.
#ifndef REHEARSE_PROFILE_PROFILE_RUN_H_
#define REHEARSE_PROFILE_PROFILE_RUN_H_

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "harness/migrate/data_migration.h"
#include "harness/migrate/migration.h"
#include "harness/profile/findings.h"
#include "harness/profile/rollback_window.h"
#include "harness/profile/step_profile.h"
#include "harness/profile/timings.h"

namespace rehearse {

struct ProfileResult;

struct ProfileOptions {
  std::vector<Migration> migrations;  // the folder, as its layout reads it
  // --baseline: the migrations production has. They are applied first,
  // without rows and unprofiled; only the rest are filled for and profiled.
  std::vector<Migration> baseline;
  std::vector<Dialect> backends = {Dialect::kSqlite, Dialect::kPostgres};
  uint64_t seed = 1;
  int64_t rows = 100000;                         // --rows
  std::map<std::string, int64_t> rows_by_table;  // --rows-file
  // --unit (migration_units.h): the first version of each unit of several
  // with its last; such a unit is filled for, profiled, judged and reported
  // ("first..last") as one migration: up through all, down in reverse.
  std::map<MigrationVersion, MigrationVersion> unit_through;
  int repeat = 1;  // --repeat
  ProfileThresholds thresholds;
  RollbackWindows windows;
  std::chrono::milliseconds sample_interval{10};                   // --sample-interval
  std::chrono::milliseconds time_limit{std::chrono::minutes(30)};  // --timeout, per step
  bool sqlite_foreign_keys = true;
  bool fill_triggers = true;  // --fill-triggers: the tables' own triggers fire as rows load
  std::string pg_bindir;
  // The C++ of data migrations (the project's own folder); null: a folder
  // with a data migration is refused. Their C++ is timed, not profiled.
  const DataMigrationRegistry* registry = nullptr;
  std::function<void(const std::string&)> progress;
  // Called with the result so far after each migration (or unit) profiled:
  // the backends begun, the last one's migrations through this one. How the
  // reports are written as the run goes (profile_request.h).
  std::function<void(const ProfileResult&)> after_each;
};

struct MigrationProfile {
  std::string migration;  // "0005_add_index"; a unit's "0005_a..0007_c"
  std::string origin;
  std::string not_reached;  // not empty: the chain broke before it; why
  Status up_failure;        // its up failed (on the filled database)
  // The up failed, or was stopped at --timeout, only with the generated
  // rows: it applies to the same state without them; the chain goes on from
  // that unfilled state. A failure is the gate's applies_with_data, a
  // timeout a migration too slow at this size.
  bool fails_only_with_data = false;
  StepProfile up, down;  // the first run's, statement by statement
  std::vector<double> up_runs, down_runs;
  double up_s = -1, down_s = -1;  // medians
  BlockingLock longest;           // of up and down
  std::vector<ProfileFinding> up_findings, down_findings;
  RollbackRehearsal rollback;
  bool privileged = false;  // ran on the superuser's connection: timed only
};

struct BackendProfile {
  Dialect dialect = Dialect::kSqlite;
  std::string engine;
  double reference_s = 0;
  std::vector<MigrationProfile> migrations;
  std::vector<std::string> fill_warnings;
  std::string baseline_failure;  // --baseline did not apply: why
  int64_t lock_samples = 0;      // PostgreSQL: how often pg_locks was read
};

struct ProfileResult {
  std::vector<BackendProfile> backends;
  double seconds = 0;
};

// Whether `version` is one of options.baseline's (applied, not profiled).
bool IsApplied(const ProfileOptions& options, const MigrationVersion& version);

// Non-OK only when the infrastructure fails (kInfrastructure) or a database
// statement of the harness's own fails; a migration's own failure is in the
// result.
Status RunProfile(const ProfileOptions& options, ProfileResult* out);

// The run's timings, for --timings and --timings-baseline.
Timings TimingsOf(const ProfileResult& result, const ProfileOptions& options);

}  // namespace rehearse

#endif  // REHEARSE_PROFILE_PROFILE_RUN_H_
