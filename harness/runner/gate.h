// Gate: every scenario on every backend asked for, in parallel up to the
// machine's cores, with a verdict per scenario run. What `rehearse gate`
// runs; reports (gate_report.h) are written from its result.
//
// A positive scenario passes when no check fails (warn and skip do not fail
// it). A negative scenario passes when its expected check fails on its
// expected migration: it proves the check can fail.
#ifndef REHEARSE_RUNNER_GATE_H_
#define REHEARSE_RUNNER_GATE_H_

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/runner/domain.h"
#include "harness/runner/rehearsal.h"
#include "harness/runner/scenario.h"

namespace rehearse {

struct GateOptions {
  std::vector<Scenario> scenarios;
  std::vector<Dialect> backends = {Dialect::kSqlite, Dialect::kPostgres};  // --backend
  std::optional<uint64_t> seed;   // --seed: overrides every scenario's
  std::optional<uint64_t> scale;  // --scale
  // --baseline: the migrations production has (a folder); empty: none.
  std::string baseline_dir;
  int shard_index = 0;  // this machine runs the units with index % count == index
  int shard_count = 1;
  int parallelism = 2;
  // Whose migrations these are: how they are filled, observed and checked,
  // and their data-migration code (domain.h). Null: GenericDomain.
  const Domain* domain = nullptr;
  // --strict: a migration that fails only because of the generated rows
  // (applies_with_data) fails the gate instead of warning.
  bool strict = false;
  // Keep every database for inspection (`rehearse reproduce --keep`); where
  // they are goes to `progress`.
  bool keep = false;
  // One line at a time, from any thread (serialised by the gate).
  std::function<void(const std::string&)> progress;
  // Each up and down (`--timeout`; RehearsalOptions::time_limit).
  std::chrono::milliseconds time_limit = std::chrono::minutes(10);
  // The PostgreSQL server programs (`--pg-version`); empty: the default
  // installation (PostgresInstallation::Find).
  std::string pg_bindir;
};

struct ScenarioRun {
  std::string scenario;
  std::string description;
  std::string backend;
  uint64_t seed = 0;
  uint64_t scale = 0;
  std::string expect;  // "pass" or "fail <check> [on <version>]"
  // A negative scenario's run: it expects a check to fail, so its failed
  // checks are expected, not failures of the gate; only its verdict is.
  bool negative = false;
  std::string reproduce;  // the command line that reruns exactly this
  // How its migrations were read and run: "layout diesel, SQLite
  // foreign_keys off" (the tool's own settings, after the flags).
  std::string settings;
  // The verdict, decided once, when every backend of the scenario has run
  // (after dialect_parity compared them).
  bool passed = false;
  std::string verdict;  // one line: why it passed or failed
  std::vector<MigrationOutcome> outcomes;
  double seconds = 0;
  std::string engine;  // exactly what it ran on (EngineVersion)
};

struct GateResult {
  std::vector<ScenarioRun> runs;
  // Scenarios this run could not judge, each "name: why" (a dialect_parity
  // case on a one-backend run). They neither pass nor fail the gate.
  std::vector<std::string> not_run;
  double seconds = 0;
  // Not empty: a report written while the run was still going (why it is
  // not whole), so that a run stopped halfway leaves what it found. Such a
  // result never passes.
  std::string incomplete;
  bool passed() const;
  // Per backend that ran, the engine it ran on: "sqlite" -> "SQLite 3.40.1".
  std::map<std::string, std::string> engines() const;
};

// Runs the gate. Bad input (an unreadable migrations folder, a version gap)
// is kInvalidInput before any database is touched; a server that will not
// start is kInfrastructure.
Status RunGate(const GateOptions& options, GateResult* out);

}  // namespace rehearse

#endif  // REHEARSE_RUNNER_GATE_H_
