// --summary-markdown: what a reviewer reads first, in GitHub-flavoured
// Markdown (tables, <details>), small enough for a step summary or a
// pull-request comment.
#include <cstdio>
#include <sstream>

#include "harness/common/redact.h"
#include "harness/common/replacement_file.h"
#include "harness/runner/ci_reports.h"
#include "harness/runner/gate_report.h"

namespace rehearse {

namespace {

// A table cell: one line, no column breaks, no HTML.
std::string Cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += "<br>";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c != '\r')
      out += c;
  }
  return out;
}

// A fenced block of `text` whose fence no line of the text can close.
std::string Fenced(const std::string& text) {
  size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<size_t>(3, longest + 1), '`');
  return fence + "\n" + text + (text.empty() || text.back() != '\n' ? "\n" : "") + fence + "\n";
}

// The first `lines` lines of `text`.
std::string HeadLines(const std::string& text, int lines) {
  std::istringstream in(text);
  std::string line, out;
  int n = 0;
  while (std::getline(in, line)) {
    if (n++ == lines) {
      out += "\u2026\n";
      break;
    }
    out += line + "\n";
  }
  return out;
}

const char* Icon(CheckStatus s, bool negative) {
  switch (s) {
    case CheckStatus::kPass:
      return "\u2705 pass";
    case CheckStatus::kFail:
      return negative ? "\u2611\ufe0f expected fail" : "\u274c fail";
    case CheckStatus::kWarn:
      return "\u26a0\ufe0f warn";
    case CheckStatus::kSkip:
      return "\u23ed\ufe0f skip";
  }
  return "";
}

}  // namespace

std::string RenderGateMarkdown(const GateResult& result) {
  const GateTotals t = CountGate(result);
  std::string out = "## Rehearse: ";
  out += result.passed() ? "\u2705 pass" : "\u274c fail";
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "\n\n%zu scenario run(s): %zu passed, %zu failed. Checks: %zu pass, %zu fail, "
                "%zu warn, %zu skip, %zu expected failures in negative scenarios. %.1f s.\n",
                t.scenarios, t.scenarios - t.scenarios_failed, t.scenarios_failed, t.pass, t.fail,
                t.warn, t.skip, t.expected, result.seconds);
  out += buf;
  for (const ScenarioRun& run : result.runs) {
    bool noteworthy = !run.passed;
    for (const MigrationOutcome& o : run.outcomes)
      for (const CheckResult& c : o.checks) noteworthy |= c.status == CheckStatus::kWarn;
    out += "\n### " + std::string(run.passed ? "\u2705 " : "\u274c ") + Cell(run.scenario) + " [" +
           run.backend + "]\n\n" + Cell(RedactSecrets(run.verdict)) + "\n";
    if (!noteworthy) {
      out += "\n" + std::to_string(run.outcomes.size()) + " migration(s), nothing to look at.\n";
      continue;
    }
    const bool negative = run.negative;
    for (const MigrationOutcome& o : run.outcomes) {
      std::snprintf(buf, sizeof buf, " (%.2f s)", o.seconds);
      out += "\n#### `" + Cell(o.migration) + "`" + buf + "\n\n| check | status | detail |\n" +
             "|---|---|---|\n";
      for (const CheckResult& c : o.checks) {
        const std::string detail = RedactSecrets(c.detail);
        out += "| " + Cell(c.name) + " | " + Icon(c.status, negative) + " | " +
               Cell(detail.substr(0, detail.find('\n')).substr(0, 200)) + " |\n";
      }
    }
    if (!run.passed) out += "\nReproduce: `" + Cell(run.reproduce) + "`\n";
  }
  // The first differences, in full enough to act on without opening a file.
  std::string first;
  int shown = 0;
  for (const Finding& f : CollectFindings(result)) {
    if (shown++ == 5) break;
    first += "\n<details" + std::string(f.error ? " open" : "") + "><summary>" +
             (f.error ? "\u274c " : "\u26a0\ufe0f ") + Cell(f.check->name) + " on " +
             Cell(f.outcome->migration) + " [" + f.run->backend + "]" +
             (f.location.file.empty()
                  ? ""
                  : " \u2014 " + Cell(f.location.file) +
                        (f.location.line ? ":" + std::to_string(f.location.line) : "")) +
             "</summary>\n\n" + Fenced(HeadLines(f.detail, 20)) + "\n</details>\n";
  }
  if (!first.empty()) out += "\n### First differences\n" + first;
  for (const std::string& n : result.not_run) out += "\nNot run: " + Cell(n) + "\n";
  return out;
}

Status WriteGateMarkdown(const GateResult& result, const std::string& path) {
  return WriteFileAtomically(path, RenderGateMarkdown(result), 0644);
}

}  // namespace rehearse
