#include "harness/runner/gate_report.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "harness/common/redact.h"
#include "harness/common/replacement_file.h"

namespace rehearse {

namespace {

// The first `lines` lines of a detail, for the terminal.
std::string Head(const std::string& text, int lines) {
  std::string out;
  std::istringstream in(text);
  std::string line;
  for (int i = 0; i < lines && std::getline(in, line); ++i) out += "      " + line + "\n";
  return out;
}

// One line per warn-status check of `run`, at most kWarningLines of them:
// a warning (a table the filler could not fill, say) passes the gate, but
// must not be visible only in --report-json.
std::string WarningLines(const ScenarioRun& run) {
  constexpr size_t kWarningLines = 10;
  std::string out;
  size_t count = 0;
  for (const MigrationOutcome& o : run.outcomes) {
    for (const CheckResult& c : o.checks) {
      if (c.status != CheckStatus::kWarn || count++ >= kWarningLines) continue;
      const std::string detail = RedactSecrets(c.detail.substr(0, c.detail.find('\n')));
      out +=
          "    warn: " + o.migration + " " + c.name + (detail.empty() ? "" : ": " + detail) + "\n";
    }
  }
  if (count > kWarningLines)
    out += "    \u2026 and " + std::to_string(count - kWarningLines) + " more warnings\n";
  return out;
}

// "chain broken: <why>; 12 migration(s) not reached (0005_a .. 0016_b)", or
// "" when every migration of `run` was reached.
std::string NotReachedLine(const ScenarioRun& run) {
  const MigrationOutcome* first = nullptr;
  const MigrationOutcome* last = nullptr;
  size_t count = 0;
  for (const MigrationOutcome& o : run.outcomes) {
    if (o.not_reached.empty()) continue;
    if (!first) first = &o;
    last = &o;
    ++count;
  }
  if (count == 0) return "";
  return first->not_reached + "; " + std::to_string(count) + " migration(s) not reached (" +
         first->migration + (count > 1 ? " .. " + last->migration : "") + ")";
}

}  // namespace

std::string XmlEscape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 forbids most control characters even escaped.
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

GateTotals CountGate(const GateResult& result) {
  GateTotals t;
  for (const ScenarioRun& run : result.runs) {
    ++t.scenarios;
    if (!run.passed) ++t.scenarios_failed;
    for (const MigrationOutcome& o : run.outcomes) {
      if (!o.not_reached.empty()) ++t.not_reached;
      for (const CheckResult& c : o.checks) {
        ++t.checks;
        switch (c.status) {
          case CheckStatus::kPass:
            ++t.pass;
            break;
          case CheckStatus::kWarn:
            ++t.warn;
            break;
          case CheckStatus::kSkip:
            ++t.skip;
            break;
          case CheckStatus::kFail:
            ++(run.negative ? t.expected : t.fail);
            break;
        }
      }
    }
  }
  return t;
}

std::string RenderGateSummary(const GateResult& result) {
  std::string out;
  for (const ScenarioRun& run : result.runs) {
    const std::string warnings = WarningLines(run);
    const std::string not_reached = NotReachedLine(run);
    if (run.passed && warnings.empty() && not_reached.empty()) continue;
    out += std::string(run.passed ? "WARNINGS " : "FAILED ") + run.scenario + " [" + run.backend +
           "] seed " + std::to_string(run.seed) + ": " + run.verdict + "\n";
    // A negative scenario's failures are what it expects; only the verdict says how.
    const bool explain = !run.passed && !run.negative;
    if (explain) {
      for (const MigrationOutcome& o : run.outcomes)
        for (const CheckResult& c : o.checks)
          if (c.status == CheckStatus::kFail)
            out += "    " + o.migration + " " + c.name + "\n" + Head(RedactSecrets(c.detail), 8);
    }
    if (!not_reached.empty()) out += "    " + not_reached + "\n";
    out += warnings;
    if (explain) out += "    reproduce: " + run.reproduce + "\n";
  }
  for (const std::string& n : result.not_run) out += "NOT RUN " + n + "\n";
  // The seeds, so that even a passing run can be rebuilt exactly.
  std::set<std::pair<uint64_t, uint64_t>> seeds;
  for (const ScenarioRun& run : result.runs) seeds.insert({run.seed, run.scale});
  std::string seed_line;
  for (const auto& [seed, scale] : seeds)
    seed_line += (seed_line.empty() ? "" : ", ") + std::to_string(seed) + " (scale " +
                 std::to_string(scale) + ")";
  if (!seed_line.empty()) out += (seeds.size() == 1 ? "seed " : "seeds ") + seed_line + "\n";
  // What it ran on: a migration that needs a newer engine fails for that.
  for (const auto& [backend, engine] : result.engines()) out += backend + ": " + engine + "\n";
  std::set<std::string> settings;
  for (const ScenarioRun& run : result.runs) settings.insert(run.backend + ": " + run.settings);
  for (const std::string& s : settings) out += "ran " + s + "\n";
  GateTotals t = CountGate(result);
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "scenarios: %zu passed, %zu failed\n"
                "checks: %zu pass, %zu fail, %zu warn, %zu skip, %zu expected failures caught "
                "in negative scenarios\n"
                "verdict: %s in %.1f s\n",
                t.scenarios - t.scenarios_failed, t.scenarios_failed, t.pass, t.fail, t.warn,
                t.skip, t.expected, result.passed() ? "pass" : "fail", result.seconds);
  if (t.not_reached > 0)
    out += "migrations not reached after a broken chain: " + std::to_string(t.not_reached) + "\n";
  return out + buf;
}

Status WriteGateJson(const GateResult& result, const std::string& path) {
  using nlohmann::json;
  GateTotals t = CountGate(result);
  json doc;
  doc["verdict"] = !result.incomplete.empty() ? "incomplete" : result.passed() ? "pass" : "fail";
  if (!result.incomplete.empty()) doc["incomplete"] = result.incomplete;
  doc["duration_s"] = result.seconds;
  doc["engines"] = result.engines();
  doc["totals"] = {{"scenarios", t.scenarios},
                   {"scenarios_failed", t.scenarios_failed},
                   {"checks", t.checks},
                   {"pass", t.pass},
                   {"fail", t.fail},
                   {"warn", t.warn},
                   {"skip", t.skip},
                   {"expected_failures", t.expected},
                   {"not_reached", t.not_reached}};
  json runs = json::array();
  for (const ScenarioRun& run : result.runs) {
    json r = {{"scenario", run.scenario}, {"backend", run.backend},    {"seed", run.seed},
              {"scale", run.scale},       {"expect", run.expect},      {"passed", run.passed},
              {"verdict", run.verdict},   {"duration_s", run.seconds}, {"reproduce", run.reproduce},
              {"settings", run.settings}, {"engine", run.engine}};
    json migrations = json::array();
    for (const MigrationOutcome& o : run.outcomes) {
      json checks = json::array();
      for (const CheckResult& c : o.checks)
        checks.push_back({{"name", c.name},
                          {"status", CheckStatusName(c.status)},
                          {"detail", RedactSecrets(c.detail)}});
      // The migration's own up and down, apart from the checks around them;
      // null when the step did not run.
      auto step = [](double seconds) { return seconds < 0 ? json(nullptr) : json(seconds); };
      json m = {{"migration", o.migration},       {"backend", o.backend},
                {"duration_s", o.seconds},        {"up_s", step(o.up_seconds)},
                {"down_s", step(o.down_seconds)}, {"checks", checks}};
      if (!o.not_reached.empty()) m["not_reached"] = o.not_reached;
      migrations.push_back(std::move(m));
    }
    r["migrations"] = migrations;
    const std::string not_reached = NotReachedLine(run);
    if (!not_reached.empty()) r["chain_broken"] = not_reached;
    runs.push_back(r);
  }
  doc["scenarios"] = runs;
  doc["not_run"] = result.not_run;
  // Invalid UTF-8 in a detail (hostile data) is replaced, never a crash.
  return WriteFileAtomically(path, doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n",
                             0644);
}

Status WriteGateJunit(const GateResult& result, const std::string& path) {
  GateTotals t = CountGate(result);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  char buf[1024];
  // One testcase per migration x backend x check, plus one per scenario run
  // for its verdict, so `tests` = checks + scenarios.
  std::snprintf(buf, sizeof buf,
                "<testsuites name=\"rehearse\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" "
                "time=\"%.3f\">\n",
                t.checks + t.scenarios + (result.incomplete.empty() ? 0 : 1),
                t.fail + t.scenarios_failed + (result.incomplete.empty() ? 0 : 1), t.skip,
                result.seconds);
  out += buf;
  // A CI job that reads a report left by a stopped run must not see it pass.
  if (!result.incomplete.empty())
    out +=
        "  <testsuite name=\"rehearse\" tests=\"1\" failures=\"1\" skipped=\"0\">\n"
        "    <testcase classname=\"rehearse\" name=\"complete\">\n"
        "      <failure message=\"" +
        XmlEscape(result.incomplete) + "\"/>\n    </testcase>\n  </testsuite>\n";
  for (const ScenarioRun& run : result.runs) {
    size_t tests = 1, failures = run.passed ? 0 : 1, skipped = 0;
    std::string cases;
    for (const MigrationOutcome& o : run.outcomes) {
      for (const CheckResult& c : o.checks) {
        ++tests;
        cases += "    <testcase classname=\"" +
                 XmlEscape(run.scenario + "." + run.backend + "." + o.migration) + "\" name=\"" +
                 XmlEscape(c.name) + "\">\n";
        if (c.status == CheckStatus::kFail && !run.negative) {
          ++failures;
          cases += "      <failure message=\"" + XmlEscape(c.name + " failed") + "\">" +
                   XmlEscape(RedactSecrets(c.detail)) + "</failure>\n";
        } else if (c.status == CheckStatus::kSkip) {
          ++skipped;
          cases += "      <skipped message=\"" + XmlEscape(RedactSecrets(c.detail)) + "\"/>\n";
        } else if (!c.detail.empty()) {
          cases +=
              "      <system-out>" +
              XmlEscape(std::string(CheckStatusName(c.status)) + ": " + RedactSecrets(c.detail)) +
              "</system-out>\n";
        }
        cases += "    </testcase>\n";
      }
    }
    cases += "    <testcase classname=\"" + XmlEscape(run.scenario + "." + run.backend) +
             "\" name=\"verdict\">\n";
    const std::string not_reached = NotReachedLine(run);
    const std::string verdict = run.verdict + (not_reached.empty() ? "" : "; " + not_reached);
    if (!run.passed)
      cases += "      <failure message=\"" + XmlEscape(verdict) + "\"/>\n";
    else
      cases += "      <system-out>" + XmlEscape(verdict) + "</system-out>\n";
    cases += "    </testcase>\n";
    std::snprintf(buf, sizeof buf,
                  "  <testsuite name=\"%s\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" "
                  "time=\"%.3f\">\n",
                  XmlEscape(run.scenario + " [" + run.backend + "]").c_str(), tests, failures,
                  skipped, run.seconds);
    out += buf + cases + "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return WriteFileAtomically(path, out, 0644);
}

}  // namespace rehearse
