// The gate's reports: a terminal summary, JSON (`--report-json`) and JUnit
// XML (`--junit`). All three are rendered from one GateResult and count the
// same things (GateTotals), so CI dashboards and the terminal always agree.
//
// In a negative scenario, checks are expected to fail: they are counted as
// `expected`, not as failures; the scenario's verdict decides.
#ifndef REHEARSE_RUNNER_GATE_REPORT_H_
#define REHEARSE_RUNNER_GATE_REPORT_H_

#include <string>

#include "harness/common/status.h"
#include "harness/runner/gate.h"

namespace rehearse {

struct GateTotals {
  size_t checks = 0;
  size_t pass = 0;
  size_t fail = 0;      // failures that fail the gate
  size_t expected = 0;  // failures inside negative scenarios
  size_t warn = 0;
  size_t skip = 0;
  // Migrations after a broken chain (MigrationOutcome::not_reached): counted
  // once each, not as a skip per check they would have had.
  size_t not_reached = 0;
  size_t scenarios = 0;
  size_t scenarios_failed = 0;
};

GateTotals CountGate(const GateResult& result);

// Lines for a person: each failed scenario with its failing checks and their
// first differences; where a chain broke, one line saying where, why and how
// many migrations were not reached; each scenario run with warn-status
// checks (failed or not) with one line per warning, at most 10 per run; then
// the seeds, the engines it ran on (exact versions), totals and duration.
// Warnings do not change the verdict. (Each migration's up and down times are
// progress lines, and in the JSON.)
std::string RenderGateSummary(const GateResult& result);

// Writes the reports atomically enough for CI (whole file or an error naming it).
Status WriteGateJson(const GateResult& result, const std::string& path);
Status WriteGateJunit(const GateResult& result, const std::string& path);

// `s` with &, <, >, " and ' escaped, and the control characters XML 1.0
// forbids shown as \xNN: safe in XML text and attributes, and in HTML.
std::string XmlEscape(const std::string& s);

}  // namespace rehearse

#endif  // REHEARSE_RUNNER_GATE_REPORT_H_
