#include "harness/profile/profile_report.h"

#include <algorithm>
#include <cstdio>

#include "harness/runner/gate_report.h"
#include "verifiers/applies_with_data.h"

#include "harness/common/duration.h"

namespace rehearse {

namespace {

std::string Ratio(double s, double reference) {
  if (reference <= 0 || s < 0) return "";
  char buf[48];
  std::snprintf(buf, sizeof buf, " (%.2f reference queries)", s / reference);
  return buf;
}

CheckResult FindingCheck(const ProfileFinding& f, const char* step, bool warn_only) {
  const std::string detail =
      f.origin + ":" + std::to_string(f.line) + ": " + step + ": " + f.message;
  return warn_only ? CheckResult::Warn(f.kind, detail) : CheckResult::Fail(f.kind, detail);
}

CheckResult RollbackCheck(const MigrationProfile& m, const ProfileOptions& o) {
  const std::string text = "down " + DescribeRollback(m.rollback, o.windows);
  if (!m.up_failure.ok()) return CheckResult::Skip("rollback_window", "the up failed");
  switch (JudgeRollback(m.rollback, o.windows)) {
    case RollbackFit::kImmediate:
      return CheckResult::Pass("rollback_window", text);
    case RollbackFit::kDeadline:
      return CheckResult::Warn("rollback_window", text);
    case RollbackFit::kNoDown:
      if (m.rollback.declared_irreversible) return CheckResult::Skip("rollback_window", text);
      break;
    default:
      break;
  }
  return CheckResult::Fail("rollback_window", text);
}

// Its up was stopped at --timeout.
bool TimedOut(const MigrationProfile& m) { return m.up_failure.code() == Status::Code::kTimedOut; }

}  // namespace

std::vector<const MigrationProfile*> HeaviestMigrations(const BackendProfile& backend, size_t n) {
  std::vector<const MigrationProfile*> all;
  for (const MigrationProfile& m : backend.migrations)
    if (m.not_reached.empty() && (m.up_s >= 0 || TimedOut(m))) all.push_back(&m);
  // A stopped up counts the time it ran: at least its limit.
  auto cost = [](const MigrationProfile* m) {
    return (TimedOut(*m) ? m->up.seconds : m->up_s) + std::max(0.0, m->down_s);
  };
  std::stable_sort(all.begin(), all.end(),
                   [&](const auto* a, const auto* b) { return cost(a) > cost(b); });
  if (all.size() > n) all.resize(n);
  return all;
}

GateResult ProfileAsGateResult(const ProfileResult& result, const ProfileOptions& o,
                               const std::vector<Regression>& regressions, bool warn_only,
                               const std::string& rerun) {
  GateResult gate;
  gate.seconds = result.seconds;
  for (const BackendProfile& b : result.backends) {
    ScenarioRun run;
    run.scenario = "profile";
    run.description = "every migration's up and down at " + std::to_string(o.rows) +
                      " rows per table: time, locks, rewrites, rollback window";
    run.backend = DialectName(b.dialect);
    run.seed = o.seed;
    run.scale = static_cast<uint64_t>(o.rows);
    run.expect = "pass";
    run.reproduce = rerun;
    run.engine = b.engine;
    run.settings = "reference query " + FormatSeconds(b.reference_s);
    size_t failed = 0;
    if (!b.baseline_failure.empty()) {
      // Nothing pending was profiled: production's own chain does not apply.
      MigrationOutcome out;
      out.migration = "baseline";
      out.backend = run.backend;
      out.engine = b.engine;
      out.checks.push_back(CheckResult::Fail("baseline_applies", b.baseline_failure));
      ++failed;
      run.outcomes.push_back(std::move(out));
    }
    for (const MigrationProfile& m : b.migrations) {
      MigrationOutcome out;
      out.migration = m.migration;
      out.backend = run.backend;
      out.origin = m.origin;
      out.engine = b.engine;
      out.not_reached = m.not_reached;
      out.up_seconds = m.up_s;
      out.down_seconds = m.down_s;
      if (m.not_reached.empty()) {
        out.seconds = std::max(0.0, m.up_s) + std::max(0.0, m.down_s);
        if (TimedOut(m)) {
          out.checks.push_back(CheckResult::Fail(
              "profile_up",
              "did not finish at " + std::to_string(o.rows) +
                  " rows per table; longest so far: " + DescribeBlockingLock(m.longest) +
                  (m.fails_only_with_data ? "; the next migration starts where it was applied "
                                            "unprofiled, filled again"
                                          : "") +
                  "; " + m.up_failure.ToString()));
        } else if (m.fails_only_with_data) {
          out.checks.push_back(AppliesWithData(
              "up", m.up_failure, false,
              "where it was applied unprofiled; the next migration starts there, filled again"));
        } else if (!m.up_failure.ok()) {
          out.checks.push_back(CheckResult::Fail("profile_up", m.up_failure.ToString()));
        } else {
          out.checks.push_back(CheckResult::Pass(
              "profile_up", "up " + FormatSeconds(m.up_s) + Ratio(m.up_s, b.reference_s) +
                                (m.down_s >= 0 ? ", down " + FormatSeconds(m.down_s) +
                                                     Ratio(m.down_s, b.reference_s)
                                               : "") +
                                "; longest: " + DescribeBlockingLock(m.longest) +
                                (m.privileged ? "; privileged: timed only" : "")));
        }
        for (const ProfileFinding& f : m.up_findings)
          out.checks.push_back(FindingCheck(f, "up", warn_only));
        for (const ProfileFinding& f : m.down_findings)
          out.checks.push_back(FindingCheck(f, "down", warn_only));
        out.checks.push_back(RollbackCheck(m, o));
        for (const Regression& r : regressions) {
          if (r.backend != run.backend || r.migration != m.migration) continue;
          out.checks.push_back(warn_only ? CheckResult::Warn("timings_regression", r.message)
                                         : CheckResult::Fail("timings_regression", r.message));
        }
      }
      for (const CheckResult& c : out.checks) failed += c.failed() ? 1 : 0;
      run.outcomes.push_back(std::move(out));
    }
    run.passed = failed == 0;
    run.verdict =
        run.passed ? "no finding fails the profile" : std::to_string(failed) + " checks failed";
    run.seconds = result.seconds;
    gate.runs.push_back(std::move(run));
  }
  return gate;
}

std::string RenderProfileSummary(const ProfileResult& result, const ProfileOptions& o,
                                 const std::vector<Regression>& regressions,
                                 const GateResult& as_gate) {
  std::string out;
  for (size_t i = 0; i < result.backends.size(); ++i) {
    const BackendProfile& b = result.backends[i];
    const ScenarioRun& run = as_gate.runs[i];
    out += "\n" + std::string(DialectName(b.dialect)) + ": " + b.engine + ", reference query " +
           FormatSeconds(b.reference_s) + ", " + std::to_string(o.rows) + " rows per table\n";
    for (const MigrationOutcome& m : run.outcomes) {
      if (!m.not_reached.empty()) continue;
      for (const CheckResult& c : m.checks) {
        if (c.passed() || c.status == CheckStatus::kSkip) continue;
        out += "  " + std::string(c.failed() ? "FAIL " : "warn ") + m.migration + " " + c.name +
               ": " + c.detail + "\n";
      }
    }
    size_t not_reached = 0;
    for (const MigrationProfile& m : b.migrations) not_reached += m.not_reached.empty() ? 0 : 1;
    if (not_reached > 0)
      out += "  " + std::to_string(not_reached) + " migrations not reached: " +
             b.migrations[b.migrations.size() - not_reached].not_reached + "\n";
    for (const std::string& w : b.fill_warnings) out += "  fill: " + w + "\n";
    out += "  heaviest (up + down):\n";
    for (const MigrationProfile* m : HeaviestMigrations(b, 5)) {
      out += "    " + m->migration + ": up " +
             (TimedOut(*m) ? "stopped after " + FormatSeconds(m->up.seconds)
                           : FormatSeconds(m->up_s)) +
             (m->down_s >= 0 ? ", down " + FormatSeconds(m->down_s) : "") + "; " +
             DescribeBlockingLock(m->longest) + "\n";
    }
  }
  const GateTotals totals = CountGate(as_gate);
  out += "\nprofile " + std::string(as_gate.passed() ? "PASSED" : "FAILED") + ": " +
         std::to_string(totals.checks) + " checks, " + std::to_string(totals.fail) + " failed, " +
         std::to_string(totals.warn) + " warnings, " + std::to_string(regressions.size()) +
         " regressions, " + FormatSeconds(result.seconds) + "\n";
  return out;
}

}  // namespace rehearse
