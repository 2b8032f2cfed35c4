// --annotations github: workflow commands GitHub turns into annotations on
// the pull request's files (docs.github.com, "Workflow commands for GitHub
// Actions": error and warning messages; escaping as actions/toolkit's
// core/src/command.ts does it).
#include "harness/runner/ci_reports.h"

namespace rehearse {

namespace {

std::string Replace(const std::string& s, bool property) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string EscapeAnnotationData(const std::string& s) { return Replace(s, false); }
std::string EscapeAnnotationProperty(const std::string& s) { return Replace(s, true); }

std::string RenderGithubAnnotations(const GateResult& result) {
  std::string out;
  auto command = [&](bool error, const FindingLocation& loc, const std::string& title,
                     const std::string& message) {
    out += error ? "::error " : "::warning ";
    std::string props;
    if (!loc.file.empty()) {
      props += "file=" + EscapeAnnotationProperty(loc.file);
      if (loc.line > 0) props += ",line=" + std::to_string(loc.line);
      props += ",";
    }
    props += "title=" + EscapeAnnotationProperty(title);
    out += props + "::" + EscapeAnnotationData(message) + "\n";
  };
  for (const Finding& f : CollectFindings(result)) {
    const std::string title = "rehearse " + f.check->name + " " + (f.error ? "failed" : "warns") +
                              " on " + f.outcome->migration + " [" + f.run->backend + "]";
    command(f.error, f.location, title,
            f.detail.empty() ? f.check->name + " " + CheckStatusName(f.check->status) : f.detail);
  }
  // A failed run without a failed check (a negative scenario whose check
  // did not fail) still needs one line that says so.
  for (const ScenarioRun& run : result.runs) {
    if (run.passed) continue;
    bool has_error = false;
    for (const MigrationOutcome& o : run.outcomes)
      for (const CheckResult& c : o.checks)
        has_error = has_error || (c.status == CheckStatus::kFail && !run.negative);
    if (!has_error)
      command(true, {}, "rehearse " + run.scenario + " [" + run.backend + "] failed",
              run.verdict + "\nreproduce: " + run.reproduce);
  }
  return out;
}

}  // namespace rehearse
