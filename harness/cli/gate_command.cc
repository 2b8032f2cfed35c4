// rehearse gate: every migration forward and back on each backend, every
// invariant checked; the CI gate in front of a production migration.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "harness/cli/arguments.h"
#include "harness/cli/command.h"
#include "harness/cli/domain_choice.h"
#include "harness/cli/project_root.h"
#include "harness/cli/run_space.h"
#include "harness/common/duration.h"
#include "harness/common/output_path.h"
#include "harness/engine/postgres_installation.h"
#include "harness/runner/ci_reports.h"
#include "harness/runner/gate.h"
#include "harness/runner/gate_report.h"

namespace rehearse {

namespace {

// --shard I/N (1-based, as CI matrices count), else GTEST_SHARD_INDEX (0-based)
// and GTEST_TOTAL_SHARDS.
Status ParseShard(const Arguments& args, GateOptions* options) {
  if (args.Has("--shard")) {
    std::string v = args.Get("--shard");
    unsigned i = 0, n = 0;
    char extra;
    if (std::sscanf(v.c_str(), "%u/%u%c", &i, &n, &extra) != 2 || n == 0 || i == 0 || i > n)
      return Status::InvalidInput("--shard: '" + v + "' is not I/N with 1 <= I <= N");
    options->shard_index = static_cast<int>(i - 1);
    options->shard_count = static_cast<int>(n);
    return Status::OK();
  }
  const char* index = std::getenv("GTEST_SHARD_INDEX");
  const char* total = std::getenv("GTEST_TOTAL_SHARDS");
  if (index && total) {
    int i = std::atoi(index), n = std::atoi(total);
    if (n <= 0 || i < 0 || i >= n)
      return Status::InvalidInput("GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS are out of range");
    options->shard_index = i;
    options->shard_count = n;
  }
  return Status::OK();
}

// --format, --irreversible V[,V…], --privileged, --sqlite-foreign-keys on|off and --unit:
// how the folder is read and run; kept in the reproduce command.
Status ParseLayoutFlags(const Arguments& args, Scenario* s) {
  if (args.Has("--format")) {
    REHEARSE_RETURN_IF_ERROR(ParseLayoutName(args.Get("--format"), &s->format));
    s->reproduce_flags += " --format " + args.Get("--format");
  }
  if (args.Has("--irreversible")) {
    const std::string list = args.Get("--irreversible");
    REHEARSE_RETURN_IF_ERROR(SplitVersionList("--irreversible", list, &s->irreversible));
    s->reproduce_flags += " --irreversible " + list;
  }
  if (args.Has("--privileged")) {
    s->privileged = true;
    s->reproduce_flags += " --privileged";
  }
  if (args.Has("--sqlite-foreign-keys")) {
    std::string fk;
    REHEARSE_RETURN_IF_ERROR(args.GetChoice("--sqlite-foreign-keys", {"on", "off"}, "on", &fk));
    s->sqlite_foreign_keys = fk == "on";
    s->reproduce_flags += " --sqlite-foreign-keys " + fk;
  }
  if (args.Has("--unit")) {
    s->unit = args.Get("--unit");
    s->reproduce_flags += " --unit " + s->unit;
  }
  return Status::OK();
}

// The files and lines the gate writes besides its terminal summary; "" /
// false: not asked for.
struct GateReports {
  std::string json, junit, markdown, sarif, html;
  bool github_annotations = false;
};

// Every report asked for; the first that cannot be written is the error, the
// others are still tried.
Status WriteGateReports(const GateResult& result, const GateReports& reports) {
  Status first;
  auto write = [&](const std::string& path,
                   Status (*writer)(const GateResult&, const std::string&)) {
    if (path.empty()) return;
    Status s = writer(result, path);
    if (first.ok()) first = s;
  };
  write(reports.json, WriteGateJson);
  write(reports.junit, WriteGateJunit);
  write(reports.markdown, WriteGateMarkdown);
  write(reports.sarif, WriteGateSarif);
  write(reports.html, WriteGateHtml);
  return first;
}

// options->domain: whose migrations the gate rehearses (domain_choice.h).
Status ParseGate(const std::vector<std::string>& words, GateOptions* options,
                 GateReports* reports) {
  Arguments args;
  REHEARSE_RETURN_IF_ERROR(Arguments::Parse(
      words,
      {"--migrations", "--baseline", "--backend", "--seed", "--scale", "--report-json", "--junit",
       "--shard", "--scenario", "--format", "--irreversible", "--sqlite-foreign-keys", "--unit",
       "--annotations", "--summary-markdown", "--sarif", "--report-html", "--timeout",
       "--pg-version"},
      {"--strict", "--privileged"}, &args));
  if (!args.positional().empty())
    return Status::InvalidInput("unexpected argument '" + args.positional()[0] + "'");
  std::string backend;
  REHEARSE_RETURN_IF_ERROR(
      args.GetChoice("--backend", {"sqlite", "postgres", "both"}, "both", &backend));
  if (backend == "sqlite") options->backends = {Dialect::kSqlite};
  if (backend == "postgres") options->backends = {Dialect::kPostgres};
  uint64_t v;
  if (args.Has("--seed")) {
    REHEARSE_RETURN_IF_ERROR(args.GetUint("--seed", 0, &v));
    options->seed = v;
  }
  if (args.Has("--scale")) {
    REHEARSE_RETURN_IF_ERROR(args.GetUint("--scale", 0, &v));
    options->scale = v;
  }
  REHEARSE_RETURN_IF_ERROR(ParseShard(args, options));
  options->strict = args.Has("--strict");
  if (args.Has("--timeout")) {
    Status t = ParseDuration(args.Get("--timeout"), &options->time_limit);
    if (!t.ok()) return t.Prepend("--timeout");
  }
  if (args.Has("--pg-version")) {
    REHEARSE_RETURN_IF_ERROR(args.GetUint("--pg-version", 0, &v));
    PostgresInstallation pg;
    REHEARSE_RETURN_IF_ERROR(PostgresInstallation::FindMajor(static_cast<int>(v), &pg));
    options->pg_bindir = pg.bindir;
  }
  // Checked now, not when the reports are written: a gate that ran for an
  // hour must not then find it cannot write them, and exit 2 promises that
  // nothing was booted.
  for (auto [flag, path] : {std::pair{"--report-json", &reports->json},
                            {"--junit", &reports->junit},
                            {"--summary-markdown", &reports->markdown},
                            {"--sarif", &reports->sarif},
                            {"--report-html", &reports->html}}) {
    if (!args.Has(flag)) continue;
    *path = args.Get(flag);
    REHEARSE_RETURN_IF_ERROR(CheckOutputPath(flag, *path));
  }
  if (args.Has("--annotations")) {
    std::string style;
    REHEARSE_RETURN_IF_ERROR(args.GetChoice("--annotations", {"github", "none"}, "none", &style));
    reports->github_annotations = style == "github";
  }

  if (args.Has("--migrations")) {
    std::string dir = args.Get("--migrations");
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
      return Status::InvalidInput("--migrations: no folder at " + dir);
    // The project's own folder (a pull request of this repository) keeps its
    // data migrations, domain fixtures and domain invariants; any other
    // project's SQL is filled by the schema-driven filler, from empty.
    REHEARSE_RETURN_IF_ERROR(ChooseDomain(dir, &options->domain));
    Scenario s = FolderScenario(dir, *options->domain);
    REHEARSE_RETURN_IF_ERROR(ParseLayoutFlags(args, &s));
    if (args.Has("--baseline")) {
      options->baseline_dir = args.Get("--baseline");
      if (!std::filesystem::is_directory(options->baseline_dir, ec))
        return Status::InvalidInput("--baseline: no folder at " + options->baseline_dir);
      s.reproduce_flags += " --baseline " + options->baseline_dir;
    }
    options->scenarios.push_back(s);
    return Status::OK();
  }
  if (args.Has("--baseline")) return Status::InvalidInput("--baseline goes with --migrations");
  for (const char* flag :
       {"--format", "--irreversible", "--sqlite-foreign-keys", "--unit", "--privileged"})
    if (args.Has(flag)) return Status::InvalidInput(std::string(flag) + " goes with --migrations");
  REHEARSE_RETURN_IF_ERROR(ChooseDomain("", &options->domain));
  std::string root;
  REHEARSE_RETURN_IF_ERROR(FindProjectRoot(&root));
  REHEARSE_RETURN_IF_ERROR(LoadScenarios(root + "/scenarios", root, &options->scenarios));
  if (args.Has("--scenario")) {
    std::vector<Scenario> one;
    for (Scenario& s : options->scenarios)
      if (s.name == args.Get("--scenario")) one.push_back(s);
    if (one.empty())
      return Status::InvalidInput("--scenario: no scenario named " + args.Get("--scenario"));
    options->scenarios = one;
  }
  if (options->scenarios.empty())
    return Status::InvalidInput(root + "/scenarios: no scenario files");
  return Status::OK();
}

// The largest scale any scenario runs at must fit in the run directory
// (run_space.h), checked before anything boots.
Status CheckGateSpace(const GateOptions& options) {
  RunSpaceRequest space;
  space.scale = 0;
  for (const Scenario& s : options.scenarios) {
    const uint64_t scale = options.scale.value_or(s.scale);
    if (scale < space.scale) continue;
    space.scale = scale;
    const bool from_file = s.path.size() > 5 && s.path.ends_with(".json");
    space.scale_flag = !options.scale && from_file ? s.path + ": fixture.scale" : "--scale";
  }
  const int units = static_cast<int>(options.scenarios.size() * options.backends.size());
  space.workers = std::max(1, std::min(options.parallelism, units));
  space.postgres = std::find(options.backends.begin(), options.backends.end(),
                             Dialect::kPostgres) != options.backends.end();
  return CheckRunSpace(space);
}

int GateCommand(const char* command, const std::vector<std::string>& words, bool keep) {
  GateOptions options;
  options.keep = keep;
  GateReports reports;
  Status s = ParseGate(words, &options, &reports);
  if (!s.ok()) return ReportFailure(command, s);
  options.parallelism = std::max(1L, sysconf(_SC_NPROCESSORS_ONLN));
  s = CheckGateSpace(options);
  if (!s.ok()) return ReportFailure(command, s);
  std::string header = "rehearse " + std::string(command) + ": " +
                       std::to_string(options.scenarios.size()) + " scenario(s)";
  if (options.seed) header += ", seed " + std::to_string(*options.seed);
  if (options.shard_count > 1)
    header += ", shard " + std::to_string(options.shard_index + 1) + "/" +
              std::to_string(options.shard_count);
  // Shown with the first progress line: bad input, found before any, is then
  // the one line printed.
  bool header_shown = false;
  options.progress = [&](const std::string& line) {
    if (!header_shown) std::cerr << header << "\n";
    header_shown = true;
    std::cerr << line << "\n";
  };
  GateResult result;
  s = RunGate(options, &result);
  if (!s.ok()) return ReportFailure(command, s);
  std::cout << RenderGateSummary(result);
  // Annotations go to stdout, where the runner reads workflow commands.
  if (reports.github_annotations) std::cout << RenderGithubAnnotations(result) << std::flush;
  s = WriteGateReports(result, reports);
  if (!s.ok()) return ReportFailure(command, s);
  return result.passed() ? kExitPass : kExitCheckFailed;
}

}  // namespace

int RunGateCommand(const std::vector<std::string>& words) {
  return GateCommand("gate", words, false);
}

// reproduce: one scenario at the seed a CI run printed, the same code path as
// the gate (so it fails the same way), optionally keeping the databases.
int RunReproduceCommand(const std::vector<std::string>& words) {
  std::vector<std::string> rest;
  bool keep = false, seed = false, scenario = false;
  for (const std::string& w : words) {
    if (w == "--keep") {
      keep = true;
      continue;
    }
    seed = seed || w.rfind("--seed", 0) == 0;
    scenario = scenario || w.rfind("--scenario", 0) == 0;
    rest.push_back(w);
  }
  if (!seed || !scenario)
    return ReportFailure("reproduce", Status::InvalidInput("--seed and --scenario are required"));
  return GateCommand("reproduce", rest, keep);
}

}  // namespace rehearse
