// rehearse profile: every migration's up and down at production size — time,
// the locks each statement's transaction held and for how long, rewrites,
// index builds and scans under locks that block writes, SQLite rebuilds and
// its write lock — with findings that name the statement and its safe form,
// timings compared with an earlier run's, and each rollback judged against
// seed 004's windows. Parses flags, makes one library call
// (RunProfileRequest), prints. See README "Profiling at production size".
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "harness/cli/arguments.h"
#include "harness/cli/command.h"
#include "harness/cli/domain_choice.h"
#include "harness/common/duration.h"
#include "harness/common/output_path.h"
#include "harness/engine/postgres_installation.h"
#include "harness/profile/profile_request.h"

namespace rehearse {

namespace {

Status ParseSeconds(const Arguments& args, const char* flag, double* out) {
  if (!args.Has(flag)) return Status::OK();
  if (args.Get(flag) == "0") {  // a threshold of 0: every duration passes it
    *out = 0;
    return Status::OK();
  }
  std::chrono::milliseconds d;
  Status s = ParseDuration(args.Get(flag), &d);
  if (!s.ok()) return s.Prepend(flag);
  *out = std::chrono::duration<double>(d).count();
  return Status::OK();
}

Status ParseFactor(const Arguments& args, const char* flag, double* out) {
  if (!args.Has(flag)) return Status::OK();
  const std::string v = args.Get(flag);
  char* end = nullptr;
  const double x = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || !(x >= 0) || x > 1e6)
    return Status::InvalidInput(std::string(flag) + ": '" + v + "' is not a number >= 0");
  *out = x;
  return Status::OK();
}

std::string UtcNow() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

Status Parse(const std::vector<std::string>& words, ProfileRequest* r) {
  Arguments args;
  REHEARSE_RETURN_IF_ERROR(Arguments::Parse(words,
                                            {"--migrations",
                                             "--baseline",
                                             "--format",
                                             "--irreversible",
                                             "--sqlite-foreign-keys",
                                             "--fill-triggers",
                                             "--backend",
                                             "--seed",
                                             "--rows",
                                             "--rows-file",
                                             "--repeat",
                                             "--unit",
                                             "--min-rows",
                                             "--max-lock",
                                             "--max-rows-per-transaction",
                                             "--rollback-window",
                                             "--rollback-deadline",
                                             "--sample-interval",
                                             "--timeout",
                                             "--pg-version",
                                             "--timings",
                                             "--timings-baseline",
                                             "--regression-factor",
                                             "--regression-floor",
                                             "--rollback-log",
                                             "--report-json",
                                             "--junit"},
                                            {"--warn-only"}, &args));
  if (!args.positional().empty())
    return Status::InvalidInput("unexpected argument '" + args.positional()[0] + "'");
  if (!args.Has("--migrations")) return Status::InvalidInput("--migrations DIR is required");
  r->migrations_dir = args.Get("--migrations");
  std::error_code ec;
  if (!std::filesystem::is_directory(r->migrations_dir, ec))
    return Status::InvalidInput("--migrations: no folder at " + r->migrations_dir);
  if (args.Has("--baseline")) {
    r->baseline_dir = args.Get("--baseline");
    if (!std::filesystem::is_directory(r->baseline_dir, ec))
      return Status::InvalidInput("--baseline: no folder at " + r->baseline_dir);
  }
  if (args.Has("--format"))
    REHEARSE_RETURN_IF_ERROR(ParseLayoutName(args.Get("--format"), &r->folder.format));
  {
    // The project's own folder keeps the C++ of its data migrations.
    const Domain* domain = nullptr;
    REHEARSE_RETURN_IF_ERROR(ChooseDomain(r->migrations_dir, &domain));
    r->run.registry = domain->data_migrations();
  }
  if (args.Has("--irreversible"))
    REHEARSE_RETURN_IF_ERROR(
        SplitVersionList("--irreversible", args.Get("--irreversible"), &r->folder.irreversible));
  if (args.Has("--sqlite-foreign-keys")) {
    std::string fk;
    REHEARSE_RETURN_IF_ERROR(args.GetChoice("--sqlite-foreign-keys", {"on", "off"}, "on", &fk));
    r->sqlite_foreign_keys = fk == "on";
  }
  {
    std::string triggers;
    REHEARSE_RETURN_IF_ERROR(args.GetChoice("--fill-triggers", {"on", "off"}, "on", &triggers));
    r->run.fill_triggers = triggers == "on";
  }
  std::string backend;
  REHEARSE_RETURN_IF_ERROR(
      args.GetChoice("--backend", {"sqlite", "postgres", "both"}, "both", &backend));
  if (backend == "sqlite") r->run.backends = {Dialect::kSqlite};
  if (backend == "postgres") r->run.backends = {Dialect::kPostgres};
  uint64_t v;
  REHEARSE_RETURN_IF_ERROR(args.GetUint("--seed", 1, &r->run.seed));
  REHEARSE_RETURN_IF_ERROR(args.GetUint("--rows", 100000, &v));
  if (v > 1000000000) return Status::InvalidInput("--rows: at most 1000000000");
  r->run.rows = static_cast<int64_t>(v);
  r->rows_file = args.Get("--rows-file");
  if (args.Has("--unit")) r->unit = args.Get("--unit");
  REHEARSE_RETURN_IF_ERROR(args.GetUint("--repeat", 1, &v));
  if (v < 1 || v > 100) return Status::InvalidInput("--repeat: between 1 and 100");
  r->run.repeat = static_cast<int>(v);
  REHEARSE_RETURN_IF_ERROR(args.GetUint("--min-rows", 10000, &v));
  r->run.thresholds.min_rows = static_cast<int64_t>(v);
  REHEARSE_RETURN_IF_ERROR(args.GetUint("--max-rows-per-transaction", 10000, &v));
  r->run.thresholds.max_rows_per_transaction = static_cast<int64_t>(v);
  REHEARSE_RETURN_IF_ERROR(ParseSeconds(args, "--max-lock", &r->run.thresholds.max_lock_s));
  REHEARSE_RETURN_IF_ERROR(ParseSeconds(args, "--rollback-window", &r->run.windows.immediate_s));
  REHEARSE_RETURN_IF_ERROR(ParseSeconds(args, "--rollback-deadline", &r->run.windows.deadline_s));
  if (r->run.windows.deadline_s < r->run.windows.immediate_s)
    return Status::InvalidInput("--rollback-deadline is shorter than --rollback-window");
  double interval = 0.010;
  REHEARSE_RETURN_IF_ERROR(ParseSeconds(args, "--sample-interval", &interval));
  if (interval < 0.001) return Status::InvalidInput("--sample-interval: at least 1ms");
  r->run.sample_interval = std::chrono::milliseconds(static_cast<int64_t>(interval * 1000));
  if (args.Has("--timeout")) {
    Status t = ParseDuration(args.Get("--timeout"), &r->run.time_limit);
    if (!t.ok()) return t.Prepend("--timeout");
  }
  if (args.Has("--pg-version")) {
    REHEARSE_RETURN_IF_ERROR(args.GetUint("--pg-version", 0, &v));
    PostgresInstallation pg;
    REHEARSE_RETURN_IF_ERROR(PostgresInstallation::FindMajor(static_cast<int>(v), &pg));
    r->run.pg_bindir = pg.bindir;
  }
  REHEARSE_RETURN_IF_ERROR(ParseFactor(args, "--regression-factor", &r->regression.factor));
  REHEARSE_RETURN_IF_ERROR(ParseFactor(args, "--regression-floor", &r->regression.floor));
  r->timings_baseline = args.Get("--timings-baseline");
  for (auto [flag, path] : {std::pair{"--timings", &r->timings_out},
                            {"--report-json", &r->report_json},
                            {"--junit", &r->junit},
                            {"--rollback-log", &r->rollback_log}}) {
    if (!args.Has(flag)) continue;
    *path = args.Get(flag);
    REHEARSE_RETURN_IF_ERROR(CheckOutputPath(flag, *path));
  }
  r->warn_only = args.Has("--warn-only");
  r->rerun = "rehearse profile";
  for (const std::string& w : words) r->rerun += " " + w;
  r->now_utc = UtcNow();
  return Status::OK();
}

}  // namespace

int RunProfileCommand(const std::vector<std::string>& words) {
  ProfileRequest request;
  Status s = Parse(words, &request);
  if (!s.ok()) return ReportFailure("profile", s);
  request.run.progress = [](const std::string& line) { std::cerr << "profile " << line << "\n"; };
  ProfileOutcome outcome;
  s = RunProfileRequest(std::move(request), &outcome);
  if (!s.ok()) return ReportFailure("profile", s);
  std::cout << outcome.summary;
  if (outcome.rollback_log_entries > 0)
    std::cout << outcome.rollback_log_entries << " entries appended to the rollback log\n";
  return outcome.as_gate.passed() ? kExitPass : kExitCheckFailed;
}

}  // namespace rehearse
