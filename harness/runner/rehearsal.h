// Rehearsal: the data flow of DESIGN.md for one chain of migrations on one
// backend, producing a CheckResult per invariant per migration.
//
//   migrate to N-1 (first target), filling on the way ─► for each target N:
//     [fill] ─► S0 ─► observe ─► dry run ─► up(N) ─► domain checks ─► S1 ─► rerun ─► down(N) ─► S2
//     == S0
//        ─► up(N) ─► S3 == S1 ─► fresh install 0..N ─► schema == S1's
//
// The state a target starts from is cloned from a template (PostgreSQL
// CREATE DATABASE … TEMPLATE, SQLite backup copy), so nothing is built twice:
// the filled database at N-1 is the template of N's rehearsal, and the
// rehearsal's database, left at N, becomes the template of N+1's. N+1 starts
// from S1, the state right after N's first up, whatever N's down and second
// up did: when they did not bring the database back to S1 (reapply_identical
// failed), S1 is built again from N-1's template (the same deterministic
// fill, then up(N) once), so that a lossy down fails its own checks and not
// the next migration's.
//
// With the schema filler (kBeforeEachTarget), the filled N-1 also gets the
// target's own UPDATEs that recompute values from other rows before S0
// (fixtures/derived_updates.h), as production's consistent rows would
// already hold them; the `fill` check names them.
//
// Each up and down has a time limit (RehearsalOptions::time_limit); past it
// the step fails ("timed out after …") as any failing step does. One that
// is stopped only with the rows keeps that failure (too slow at this size)
// and the chain goes on from the state without them, as below.
//
// A migration whose up or down fails on the filled database but applies
// without the rows is a finding, `applies_with_data` (verifiers/applies_with_data.h); it
// is rehearsed again on the unfilled state (unfilled_chain.h) and the chain
// goes on from there. Only a migration that fails without rows too breaks
// the chain: the targets after it are `not reached`, with the reason. Only
// infrastructure failures (a server that will not start) return a non-OK
// Status.
#ifndef REHEARSE_RUNNER_REHEARSAL_H_
#define REHEARSE_RUNNER_REHEARSAL_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fixtures/look_ahead.h"
#include "harness/common/harness_clock.h"
#include "harness/common/status.h"
#include "harness/db/throwaway_databases.h"
#include "harness/migrate/data_migration.h"
#include "harness/migrate/migration.h"
#include "harness/runner/fill_plan.h"
#include "harness/state/logical_digest.h"
#include "verifiers/check_result.h"
#include "verifiers/migration_observer.h"

namespace rehearse {

struct MigrationOutcome;

struct RehearsalOptions {
  Dialect dialect = Dialect::kSqlite;
  // The whole chain, in version order, as a MigrationSource loaded it.
  std::vector<Migration> migrations;
  // The versions to rehearse, in order; everything before the first one is
  // applied (and filled) as the starting state.
  std::vector<MigrationVersion> targets;
  // When not empty: the migrations production already has (`--baseline`).
  // The starting state is built from these instead, and the ledger it leaves
  // is compared with `migrations` (applied_unchanged).
  std::vector<Migration> baseline;
  // Fills the database, at the point `fill.point` says (fill_plan.h); no
  // fill: left empty. What it could not fill (FillReport::warnings) is
  // reported as a `fill` check that warns on the target it was filled for.
  // With kBeforeEachTarget, the fill is given what the migrations still to
  // come add to the tables (UnfilledChain::AddedFrom), for a filler that
  // honours them.
  using FillPoint = rehearse::FillPoint;
  FillPlan fill;
  const DataMigrationRegistry* registry = nullptr;  // code of data migrations, if any
  std::vector<MigrationVersion> code_set_aside;     // MigratorOptions::code_set_aside
  uint64_t seed = 1;
  std::string now = kHarnessNow;
  // Domain invariants around each up(N): BeforeUp right after S0, AfterUp
  // right after up(N) and before S1. Null: generic invariants only.
  MigrationObserver* observer = nullptr;
  // A known-bad migration made of a good one: `script` runs right after
  // every up (or down) of `version` (Scenario::append_to_up/_down).
  struct AppendedScript {
    MigrationVersion version;
    SqlScript script;
  };
  std::optional<AppendedScript> append_to_up, append_to_down;
  // Targets that start a unit of several versions, with the unit's last
  // version: the unit goes up through all of them, is checked, and comes
  // down through them in reverse (--unit). Reports name it "first..last".
  std::map<MigrationVersion, MigrationVersion> unit_through;
  // PRAGMA foreign_keys on SQLite, as the layout's tool runs migrations
  // (ToolSettings).
  bool sqlite_foreign_keys = true;
  // applies_with_data fails instead of warning (`rehearse gate --strict`).
  bool strict = false;
  // Called as each target starts, for progress output.
  std::function<void(const Migration&)> on_start;
  // Called as each target is done, with its outcome (times, checks).
  std::function<void(const MigrationOutcome&)> on_finish;
  // Each up and down (MigratorOptions::time_limit; `--timeout`). Zero: none.
  std::chrono::milliseconds time_limit = std::chrono::minutes(10);
};

struct MigrationOutcome {
  std::string migration;  // "0002_number_infrastructure"
  // The target's version (a unit's first); version zero for the outcome of a
  // run with nothing pending.
  MigrationVersion version;
  std::string backend;  // "sqlite" / "postgres"
  // Where the migration was read from (Migration::origin: its folder or
  // file); "" when unknown. Reports point at it when a detail names no file.
  std::string origin;
  // False for the outcome of a run with nothing pending, which only checks
  // the applied migrations (applied_unchanged): there is no up to compare.
  bool rehearsed = true;
  // Not empty: the chain broke before this migration (a migration failed
  // without rows too, or a fill failed), so it was not rehearsed and has
  // no checks; why, in one line.
  std::string not_reached;
  std::vector<CheckResult> checks;
  double seconds = 0;  // the whole rehearsal of this migration
  // The migration's own first up and its down, alone; negative when that
  // step did not run.
  double up_seconds = -1;
  double down_seconds = -1;
  // What it ran on, exactly (EngineVersion): "PostgreSQL 15.18 …, libpq …".
  std::string engine;
  // The state after up, with the dialect taken out, for dialect_parity
  // (empty when the up did not apply).
  LogicalDigest after_up;
  // The same for the fresh install 0..N: only what the migrations wrote.
  LogicalDigest fresh_install;
};

Status RunRehearsal(ThrowawayDatabases* databases, const RehearsalOptions& options,
                    std::vector<MigrationOutcome>* out);

}  // namespace rehearse

#endif  // REHEARSE_RUNNER_REHEARSAL_H_
