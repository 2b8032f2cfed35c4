// --report-html: one page a person opens from a CI artifact. Self-contained
// by construction: the style is inline and there is no script, image, font
// or link to fetch, so it renders the same offline and leaks nothing.
#include <cstdio>

#include "harness/common/redact.h"
#include "harness/common/replacement_file.h"
#include "harness/runner/ci_reports.h"
#include "harness/runner/gate_report.h"

namespace rehearse {

namespace {

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}

// The worst status of a migration's checks, for the timeline's colour.
std::string Worst(const MigrationOutcome& o, bool negative) {
  bool fail = false, warn = false, all_skip = !o.checks.empty();
  for (const CheckResult& c : o.checks) {
    fail |= c.status == CheckStatus::kFail;
    warn |= c.status == CheckStatus::kWarn;
    all_skip &= c.status == CheckStatus::kSkip;
  }
  if (fail) return negative ? "expected" : "fail";
  if (warn) return "warn";
  return all_skip ? "skip" : "pass";
}

constexpr const char* kStyle = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1 .pass,h2 .pass{color:#17692f}h1 .fail,h2 .fail{color:#b00020}
.timeline{display:flex;gap:2px;margin:.5em 0 1em;align-items:stretch}
.timeline a{flex:1 1 0;min-width:5em;padding:.3em;color:#000;text-decoration:none;
 border-radius:3px;font-size:12px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.pass{background:#d8f3dc}.fail{background:#ffccd5}.warn{background:#fff3bf}
.skip{background:#e9ecef}.expected{background:#e7e3ff}
details.check{margin:.2em 0 .2em 1em;padding:.2em .5em;border-radius:3px}
details.check summary{cursor:pointer}
pre{white-space:pre-wrap;margin:.3em 0;font-size:12px;background:#fff8;padding:.3em}
table{border-collapse:collapse}td,th{padding:.1em .6em;text-align:left}
.migration{margin:.5em 0 1em}
)";

}  // namespace

std::string RenderGateHtml(const GateResult& result) {
  const GateTotals t = CountGate(result);
  const std::string verdict = result.passed() ? "pass" : "fail";
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'\">"
      "<title>Rehearse: " +
      verdict + "</title><style>" + kStyle + "</style></head><body>\n";
  out += "<h1 id=\"verdict\" data-verdict=\"" + verdict + "\">Rehearse: <span class=\"" + verdict +
         "\">" + verdict + "</span></h1>\n";
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "<p>%zu scenario run(s), %zu failed; checks: %zu pass, %zu fail, %zu warn, "
                "%zu skip, %zu expected failures in negative scenarios; %.1f s.</p>\n",
                t.scenarios, t.scenarios_failed, t.pass, t.fail, t.warn, t.skip, t.expected,
                result.seconds);
  out += buf;
  int run_index = 0;
  for (const ScenarioRun& run : result.runs) {
    const bool negative = run.negative;
    const std::string id = "run" + std::to_string(run_index++);
    const std::string rv = run.passed ? "pass" : "fail";
    out += "<section class=\"run\" id=\"" + id + "\" data-passed=\"" + rv +
           "\">\n<h2><span class=\"" + rv + "\">" + rv + "</span> " + XmlEscape(run.scenario) +
           " [" + XmlEscape(run.backend) + "]</h2>\n";
    out += "<p>" + XmlEscape(RedactSecrets(run.verdict)) + "</p>\n<table>";
    out += "<tr><th>expect</th><td>" + XmlEscape(run.expect) + "</td></tr><tr><th>seed</th><td>" +
           std::to_string(run.seed) + " (scale " + std::to_string(run.scale) +
           ")</td></tr><tr><th>settings</th><td>" + XmlEscape(run.settings) +
           "</td></tr><tr><th>time</th><td>" + Seconds(run.seconds) +
           "</td></tr><tr><th>reproduce</th><td><code>" + XmlEscape(run.reproduce) +
           "</code></td></tr></table>\n";
    // The chain, in order: one box per migration, coloured by its worst check.
    out += "<nav class=\"timeline\" aria-label=\"chain\">";
    for (size_t i = 0; i < run.outcomes.size(); ++i) {
      const MigrationOutcome& o = run.outcomes[i];
      out += "<a class=\"" + Worst(o, negative) + "\" href=\"#" + id + "m" + std::to_string(i) +
             "\" title=\"" + XmlEscape(o.migration) + " " + Seconds(o.seconds) + "\">" +
             XmlEscape(o.migration) + "<br>" + Seconds(o.seconds) + "</a>";
    }
    out += "</nav>\n";
    for (size_t i = 0; i < run.outcomes.size(); ++i) {
      const MigrationOutcome& o = run.outcomes[i];
      out += "<div class=\"migration\" id=\"" + id + "m" + std::to_string(i) +
             "\" data-migration=\"" + XmlEscape(o.migration) + "\"><h3>" + XmlEscape(o.migration) +
             " <small>" + Seconds(o.seconds) +
             (o.up_seconds < 0 ? "" : ", up " + Seconds(o.up_seconds)) +
             (o.down_seconds < 0 ? "" : ", down " + Seconds(o.down_seconds)) +
             (o.origin.empty() ? "" : " \u2014 " + XmlEscape(o.origin)) + "</small></h3>\n";
      for (const CheckResult& c : o.checks) {
        std::string status = CheckStatusName(c.status);
        if (c.status == CheckStatus::kFail && negative) status = "expected";
        // A failure is open: it is what the page is opened for.
        const bool open = c.status == CheckStatus::kFail || c.status == CheckStatus::kWarn;
        const std::string detail = RedactSecrets(c.detail);
        out += "<details class=\"check " + status + "\" data-check=\"" + XmlEscape(c.name) +
               "\" data-status=\"" + status + "\"" + (open ? " open" : "") + "><summary>" +
               XmlEscape(c.name) + ": " + status + "</summary>" +
               (detail.empty() ? "" : "<pre>" + XmlEscape(detail) + "</pre>") + "</details>\n";
      }
      out += "</div>\n";
    }
    out += "</section>\n";
  }
  for (const std::string& n : result.not_run) out += "<p>Not run: " + XmlEscape(n) + "</p>\n";
  return out + "</body></html>\n";
}

Status WriteGateHtml(const GateResult& result, const std::string& path) {
  return WriteFileAtomically(path, RenderGateHtml(result), 0644);
}

}  // namespace rehearse
