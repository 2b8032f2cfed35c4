// Timings: each migration's up and down time and longest write-blocking
// lock, as ratios to a reference query timed in the same run on the same
// engine, so that two runs on different machines, or on one machine under
// different load, compare. `rehearse profile --timings FILE` writes them;
// `--timings-baseline FILE` reads an earlier run's (main's, in CI) and flags
// every migration whose up, down or longest blocking lock grew.
//
// Noise: each time is the median of --repeat runs, and the reference the
// median of kReferenceRuns; a growth counts only when the new ratio is over
// `factor` times the old one AND over it by at least `floor` reference
// units, so a migration that takes a few milliseconds never flags.
#ifndef REHEARSE_PROFILE_TIMINGS_H_
#define REHEARSE_PROFILE_TIMINGS_H_

#include <string>
#include <vector>

#include "harness/common/status.h"

namespace rehearse {

constexpr int kReferenceRuns = 5;

struct MigrationTimings {
  std::string migration;  // "0005_add_index"
  double up_s = -1;       // medians; < 0: did not run
  double down_s = -1;
  double lock_s = 0;    // the longest write-blocking lock of up or down
  std::string lock_on;  // "ACCESS EXCLUSIVE on events"
};

struct BackendTimings {
  std::string backend;  // "postgres" / "sqlite"
  std::string engine;
  double reference_s = 0;  // the reference query's median
  std::vector<MigrationTimings> migrations;
};

struct Timings {
  int64_t rows = 0;
  int repeat = 1;
  std::vector<BackendTimings> backends;
};

struct RegressionThresholds {
  double factor = 1.5;  // --regression-factor
  double floor = 0.5;   // --regression-floor, in reference units
};

struct Regression {
  std::string backend;
  std::string migration;
  std::string what;  // "up", "down", "longest blocking lock"
  double before_ratio = 0;
  double after_ratio = 0;
  std::string message;
};

Status WriteTimings(const Timings& t, const std::string& path);
// A file WriteTimings wrote; anything else is kInvalidInput naming the field.
Status ReadTimings(const std::string& path, Timings* out);
// Every migration of `now` that grew past the thresholds against `before`
// (matched by backend and migration name; new migrations are not compared).
std::vector<Regression> CompareTimings(const Timings& before, const Timings& now,
                                       const RegressionThresholds& t);

}  // namespace rehearse

#endif  // REHEARSE_PROFILE_TIMINGS_H_
