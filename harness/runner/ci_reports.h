// Reports for code review and CI, rendered from one GateResult like those of
// gate_report.h: GitHub workflow annotations (`--annotations github`), a
// Markdown summary (`--summary-markdown`), SARIF 2.1.0 (`--sarif`) and a
// self-contained HTML page (`--report-html`).
//
// Each points at what to fix: the file and line a check's detail names
// ("path:line: …", as Status::ToString writes it), else the migration's
// origin. Every detail goes through RedactSecrets first. Only findings that
// fail the gate (failed checks outside negative scenarios) are errors;
// warn-status checks are warnings; a negative scenario's expected failures
// are neither.
//
// The writers replace the file atomically: a reader sees the old file or the
// whole new one (replacement_file.h).
#ifndef REHEARSE_RUNNER_CI_REPORTS_H_
#define REHEARSE_RUNNER_CI_REPORTS_H_

#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/runner/gate.h"

namespace rehearse {

// Where a finding is, for a reviewer: `file` relative to the working
// directory when it is below it (as CI checks the repository out there),
// `line` 0 when unknown.
struct FindingLocation {
  std::string file;
  int line = 0;
};

// One check worth reporting outside the terminal: an error (fails the gate)
// or a warning.
struct Finding {
  const ScenarioRun* run = nullptr;
  const MigrationOutcome* outcome = nullptr;
  const CheckResult* check = nullptr;
  bool error = false;
  FindingLocation location;
  std::string detail;  // redacted
};

// Every error and warning of `result`, in report order.
std::vector<Finding> CollectFindings(const GateResult& result);

// The location a detail names, else the outcome's origin (a folder's up.sql
// when there is one).
FindingLocation LocateFinding(const MigrationOutcome& outcome, const std::string& detail);

// GitHub workflow commands, one line per finding:
// `::error file=F,line=L,title=T::MESSAGE`, with GitHub's escaping (% \r \n
// in the message; also : and , in properties).
std::string RenderGithubAnnotations(const GateResult& result);
std::string EscapeAnnotationData(const std::string& s);
std::string EscapeAnnotationProperty(const std::string& s);

// Markdown for $GITHUB_STEP_SUMMARY or a pull-request comment: the verdict,
// totals, a table of checks per migration of each run that failed or
// warned, and the first lines of each finding's detail.
std::string RenderGateMarkdown(const GateResult& result);
Status WriteGateMarkdown(const GateResult& result, const std::string& path);

// SARIF 2.1.0: one run of tool "rehearse", one rule per check name, one
// result per finding (level error or warning) at its location.
std::string RenderGateSarif(const GateResult& result);
Status WriteGateSarif(const GateResult& result, const std::string& path);

// One HTML file with its style inline and no script or fetch: per scenario
// run, the chain as a timeline, then per migration its checks (failed ones
// in an open <details>), their details, and its time.
std::string RenderGateHtml(const GateResult& result);
Status WriteGateHtml(const GateResult& result, const std::string& path);

}  // namespace rehearse

#endif  // REHEARSE_RUNNER_CI_REPORTS_H_
