// The profile's reports. ProfileAsGateResult turns a run into the gate's
// GateResult, so that the gate's writers make its JSON (--report-json) and
// JUnit (--junit): one scenario run "profile" per backend, one outcome per
// migration (up_s and down_s its medians), whose checks are
//   profile_up        pass (time and longest blocking lock) or fail (the
//                     up failed on the filled database)
//   <finding kind>    one per finding (findings.h), "path:line: message"
//   rollback_window   pass: fits the immediate window; warn: only the
//                     deadline; fail: missed it, failed, lost data, or no
//                     down; skip: declared irreversible
//   timings_regression  one per regression against --timings-baseline
// Findings and regressions fail, or warn with `warn_only`.
//
// RenderProfileSummary is the terminal's: per backend the reference query,
// every finding and regression, each rollback that is not in its window,
// the five heaviest migrations (up + down) with the lock each held longest,
// and the totals.
#ifndef REHEARSE_PROFILE_PROFILE_REPORT_H_
#define REHEARSE_PROFILE_PROFILE_REPORT_H_

#include <string>
#include <vector>

#include "harness/profile/profile_run.h"
#include "harness/profile/timings.h"
#include "harness/runner/gate.h"

namespace rehearse {

GateResult ProfileAsGateResult(const ProfileResult& result, const ProfileOptions& options,
                               const std::vector<Regression>& regressions, bool warn_only,
                               const std::string& rerun);

std::string RenderProfileSummary(const ProfileResult& result, const ProfileOptions& options,
                                 const std::vector<Regression>& regressions,
                                 const GateResult& as_gate);

// The five (`n`) migrations of `backend` with the longest up + down; an up
// stopped at --timeout counts the time it ran.
std::vector<const MigrationProfile*> HeaviestMigrations(const BackendProfile& backend, size_t n);

}  // namespace rehearse

#endif  // REHEARSE_PROFILE_PROFILE_REPORT_H_
