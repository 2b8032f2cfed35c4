// ProfileRequest: everything `rehearse profile` was asked, and RunProfileRequest,
// the one library call the command makes. It reads every input first — the
// folder (its layout) and its units, the --baseline folder, the --rows-file,
// the --timings-baseline —
// so that bad
// input is kInvalidInput naming file, line or field before any database
// boots; then profiles (profile_run.h), compares with the baseline
// (timings.h), and writes every output asked for: --timings, --report-json,
// --junit (the gate's writers), and --rollback-log entries (appended). Every
// output path was checked by the caller (output_path.h) before. The JSON and
// JUnit reports are also written after each migration profiled, marked
// incomplete (GateResult::incomplete) until the run ends; --timings and the
// rollback log only at the end, whole.
#ifndef REHEARSE_PROFILE_PROFILE_REQUEST_H_
#define REHEARSE_PROFILE_PROFILE_REQUEST_H_

#include <functional>
#include <string>

#include "harness/migrate/layouts/layout.h"
#include "harness/profile/profile_run.h"
#include "harness/profile/timings.h"
#include "harness/runner/gate.h"

namespace rehearse {

struct ProfileRequest {
  std::string migrations_dir;
  // --baseline: the folder as production has it; only what it lacks is
  // profiled (empty: every migration).
  std::string baseline_dir;
  MigrationFolderOptions folder;
  std::optional<bool> sqlite_foreign_keys;  // nullopt: the layout's tool's setting
  ProfileOptions run;                       // everything but the migrations
  std::string rows_file;                    // "" : --rows for every table
  std::string unit = "version";             // --unit: version or prefix:N
  std::string timings_out, timings_baseline, report_json, junit, rollback_log;
  RegressionThresholds regression;
  bool warn_only = false;
  std::string rerun;    // the command line, for reports and the rollback log
  std::string now_utc;  // the run's time, "2026-12-07 14:03 UTC", for the log
};

struct ProfileOutcome {
  ProfileResult result;
  std::vector<Regression> regressions;
  GateResult as_gate;
  std::string summary;  // for the terminal
  int rollback_log_entries = 0;
};

Status RunProfileRequest(ProfileRequest request, ProfileOutcome* out);

}  // namespace rehearse

#endif  // REHEARSE_PROFILE_PROFILE_REQUEST_H_
