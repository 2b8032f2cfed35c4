// PreparedScenario: a scenario resolved against its folders — the chain with
// its stand-ins and overrides, the baseline, the targets — before any
// database is touched.
//
// Contract of PrepareScenario(s, baseline_dir, out): reads s.migrations_dir
// (and s.baseline_dir, else `baseline_dir`, when either is set), applies
// "replace" and "override", checks that every version the scenario names
// (append_to_up/_down, targets, a targets range) is in the chain, and picks
// the targets: the ones named; else what the baseline lacks; else every
// migration but the first (all of them with s.include_first). Bad input is
// kInvalidInput naming the scenario file or the folder.
#ifndef REHEARSE_RUNNER_PREPARED_SCENARIO_H_
#define REHEARSE_RUNNER_PREPARED_SCENARIO_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/migrate/migration.h"
#include "harness/runner/rehearsal.h"
#include "harness/runner/scenario.h"

namespace rehearse {

struct PreparedScenario {
  const Scenario* scenario;
  // The rehearsal it resolves to: the chain, the baseline, the targets and
  // their units, the appended scripts, the code set aside, SQLite's foreign
  // keys. A run adds what is its own (backend, seed, fill, observer,
  // progress) to a copy.
  RehearsalOptions rehearsal;
  Layout layout = Layout::kRehearse;  // of the chain's folder
  ToolSettings settings;              // how its tool runs it, after the flags
};

Status PrepareScenario(const Scenario& s, const std::string& baseline_dir, PreparedScenario* out);

}  // namespace rehearse

#endif  // REHEARSE_RUNNER_PREPARED_SCENARIO_H_
