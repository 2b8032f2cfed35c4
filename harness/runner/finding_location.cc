// Which checks become findings, and where each one points.
#include <cctype>
#include <filesystem>

#include "harness/common/redact.h"
#include "harness/runner/ci_reports.h"

namespace rehearse {

namespace {

// `path` relative to the working directory when it is below it: annotations
// and SARIF locations are read relative to the repository's root.
std::string Relative(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path p(path);
  if (!p.is_absolute()) return p.lexically_normal().string();
  fs::path cwd = fs::current_path(ec);
  if (ec) return path;
  fs::path rel = p.lexically_normal().lexically_relative(cwd);
  if (rel.empty() || *rel.begin() == "..") return path;
  return rel.string();
}

// The first "PATH:LINE:" of `detail` where PATH looks like a file (has a '/'
// or a '.'), as Status::ToString writes it; false when there is none.
bool ParseFileLine(const std::string& detail, std::string* file, int* line) {
  for (size_t colon = detail.find(':'); colon != std::string::npos;
       colon = detail.find(':', colon + 1)) {
    size_t digits = colon + 1;
    while (digits < detail.size() && std::isdigit(static_cast<unsigned char>(detail[digits])))
      ++digits;
    if (digits == colon + 1 || digits - colon > 9 || digits >= detail.size() ||
        detail[digits] != ':')
      continue;
    size_t start = colon;
    while (start > 0 && !std::isspace(static_cast<unsigned char>(detail[start - 1])) &&
           detail[start - 1] != '(' && detail[start - 1] != '\'' && detail[start - 1] != '"')
      --start;
    std::string path = detail.substr(start, colon - start);
    if (path.empty() || path.find_first_of("/.") == std::string::npos) continue;
    *file = path;
    *line = std::stoi(detail.substr(colon + 1, digits - colon - 1));
    return true;
  }
  return false;
}

}  // namespace

FindingLocation LocateFinding(const MigrationOutcome& outcome, const std::string& detail) {
  FindingLocation loc;
  std::string file;
  int line = 0;
  if (ParseFileLine(detail, &file, &line)) {
    loc.file = Relative(file);
    loc.line = line;
    return loc;
  }
  if (outcome.origin.empty()) return loc;
  // A folder layout's origin is the migration's folder: its up script is
  // where a reviewer starts.
  std::error_code ec;
  std::filesystem::path origin(outcome.origin);
  if (std::filesystem::is_directory(origin, ec) &&
      std::filesystem::is_regular_file(origin / "up.sql", ec))
    origin /= "up.sql";
  loc.file = Relative(origin.string());
  return loc;
}

std::vector<Finding> CollectFindings(const GateResult& result) {
  std::vector<Finding> out;
  for (const ScenarioRun& run : result.runs) {
    // A negative scenario's failures are what it expects; only a verdict
    // that says otherwise is a finding, reported by the run, not a check.
    const bool negative = run.negative;
    for (const MigrationOutcome& o : run.outcomes) {
      for (const CheckResult& c : o.checks) {
        const bool error = c.status == CheckStatus::kFail && !negative;
        if (!error && c.status != CheckStatus::kWarn) continue;
        Finding f;
        f.run = &run;
        f.outcome = &o;
        f.check = &c;
        f.error = error;
        f.detail = RedactSecrets(c.detail);
        f.location = LocateFinding(o, f.detail);
        out.push_back(std::move(f));
      }
    }
  }
  return out;
}

}  // namespace rehearse
