// rehearse fixture: builds a throwaway database at the baseline
// (migrations/0000_baseline), fills it with the domain fixture at
// (--seed, --scale, --profile), prints rows per table and the time taken,
// the coverage report with --coverage, writes the database with --out so a
// bug report can carry it, and prints `digest <hex>` as its last line with
// --digest. Defaults: --backend sqlite --seed 1 --scale 1 --profile default.
//
// The baseline comes from --migrations DIR, else from the project root
// (project_root.h: $REHEARSE_ROOT, or the first directory holding
// migrations/0000_baseline above the executable or the working directory),
// like `rehearse migrate`.
//
// --out FILE: SQLite — a copy of the database made with VACUUM INTO;
// PostgreSQL — pg_dump's plain SQL with COPY data, from the installation the
// cluster runs, without owners and privileges (the throwaway role means
// nothing elsewhere) and without pg_dump 15.18's random `\restrict` lines, so
// the same seed gives the same file. Both are written next to FILE and
// renamed over it, so FILE is never half-written.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fixtures/fixture_coverage.h"
#include "fixtures/fixture_generator.h"
#include "fixtures/fixture_time.h"
#include "harness/cli/arguments.h"
#include "harness/cli/command.h"
#include "harness/cli/project_root.h"
#include "harness/db/throwaway_databases.h"
#include "harness/engine/postgres_installation.h"
#include "harness/engine/subprocess.h"
#include "harness/migrate/folder_migration_source.h"
#include "harness/migrate/migrator.h"
#include "harness/state/snapshot.h"

namespace rehearse {

namespace {

namespace fs = std::filesystem;

struct FixtureRequest {
  Dialect dialect = Dialect::kSqlite;
  FixtureSpec spec;
  bool coverage = false;
  bool digest = false;
  std::string out;  // "" = not written
  std::string migrations_dir;
};

Status ParseRequest(const std::vector<std::string>& words, FixtureRequest* r) {
  Arguments args;
  REHEARSE_RETURN_IF_ERROR(Arguments::Parse(
      words, {"--backend", "--seed", "--scale", "--profile", "--out", "--migrations"},
      {"--coverage", "--digest"}, &args));
  if (!args.positional().empty())
    return Status::InvalidInput("unexpected argument '" + args.positional()[0] + "'");
  std::string backend;
  REHEARSE_RETURN_IF_ERROR(args.GetChoice("--backend", {"sqlite", "postgres"}, "sqlite", &backend));
  r->dialect = backend == "postgres" ? Dialect::kPostgres : Dialect::kSqlite;
  uint64_t scale;
  REHEARSE_RETURN_IF_ERROR(args.GetUint("--seed", 1, &r->spec.seed));
  REHEARSE_RETURN_IF_ERROR(args.GetUint("--scale", 1, &scale));
  if (scale > (uint64_t{1} << 40)) return Status::InvalidInput("--scale: too large");
  r->spec.scale = static_cast<int64_t>(scale);
  r->spec.profile = args.Get("--profile", "default");
  FixtureProfile profile;
  REHEARSE_RETURN_IF_ERROR(ResolveFixtureProfile(r->spec.profile, &profile).Prepend("--profile"));
  r->coverage = args.Has("--coverage");
  r->digest = args.Has("--digest");
  r->out = args.Get("--out");
  if (args.Has("--out")) {
    if (r->out.empty()) return Status::InvalidInput("--out: empty file name");
    const fs::path dir = fs::absolute(r->out).parent_path();
    std::error_code ec;
    if (!fs::is_directory(dir, ec) || access(dir.c_str(), W_OK) != 0)
      return Status::InvalidInput("--out: cannot write into " + dir.string());
    if (fs::is_directory(r->out, ec))
      return Status::InvalidInput("--out: " + r->out + " is a directory");
  }
  if (args.Has("--migrations")) {
    r->migrations_dir = args.Get("--migrations");
  } else {
    std::string root;
    REHEARSE_RETURN_IF_ERROR(FindProjectRoot(&root));
    r->migrations_dir = root + "/migrations";
  }
  return Status::OK();
}

// Everything that goes wrong while getting a database is the
// infrastructure's fault (exit 3), whatever layer reported it.
Status AsInfrastructure(Status s) {
  if (s.ok() || s.code() == Status::Code::kInfrastructure) return s;
  return Status::Infrastructure(s.ToString());
}

// Drops pg_dump's `\restrict KEY` / `\unrestrict KEY` lines: the key is
// random per run (pg_dump 15.14+), and would make every dump differ.
std::string WithoutRestrictLines(const std::string& dump) {
  std::istringstream in(dump);
  std::string out, line;
  while (std::getline(in, line)) {
    if (line.rfind("\\restrict ", 0) == 0 || line.rfind("\\unrestrict ", 0) == 0) continue;
    out += line;
    out += '\n';
  }
  return out;
}

// A name next to `path` for writing before the rename.
std::string TemporaryNextTo(const std::string& path) {
  return path + ".tmp-" + std::to_string(getpid());
}

Status RenameOver(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) {
    fs::remove(from, ec);
    return Status::IoError("--out: cannot rename " + from + " to " + to + ": " + ec.message());
  }
  return Status::OK();
}

Status WriteSqliteCopy(Database* db, const std::string& out) {
  const std::string tmp = TemporaryNextTo(out);
  std::error_code ec;
  fs::remove(tmp, ec);
  Status s = db->Execute("VACUUM INTO ?1", {Value::Text(tmp)});
  if (!s.ok()) {
    fs::remove(tmp, ec);
    return Status::IoError("--out: VACUUM INTO " + tmp + ": " + s.message());
  }
  return RenameOver(tmp, out);
}

Status WritePostgresDump(const std::string& conninfo, const std::string& out) {
  PostgresInstallation pg;
  REHEARSE_RETURN_IF_ERROR(PostgresInstallation::Find("", &pg));
  SubprocessOptions o;
  o.argv = {pg.Program("pg_dump"), "--no-owner", "--no-privileges", "--dbname", conninfo};
  o.stdout_target = OutputTarget::Capture();
  o.stderr_target = OutputTarget::Capture();
  o.timeout = std::chrono::minutes(30);
  SubprocessResult result;
  REHEARSE_RETURN_IF_ERROR(RunToCompletion(o, &result));
  if (!result.succeeded()) {
    return Status::Infrastructure("pg_dump " + result.Describe() + ": " + result.stderr_text);
  }
  const std::string tmp = TemporaryNextTo(out);
  {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    file << WithoutRestrictLines(result.stdout_text);
    if (!file.flush()) return Status::IoError("--out: cannot write " + tmp);
  }
  return RenameOver(tmp, out);
}

// *coverage_failed: --coverage found a promised case missing.
Status Run(const FixtureRequest& r, bool* coverage_failed) {
  std::vector<Migration> migrations;
  FolderMigrationSource source(r.migrations_dir);
  REHEARSE_RETURN_IF_ERROR(source.Load(&migrations));
  MigrationVersion baseline;  // 0000
  if (migrations.empty() || !(migrations.front().version == baseline)) {
    return Status::InvalidInput("no baseline migration 0000 in " + r.migrations_dir);
  }

  ThrowawayDatabases throwaway;
  std::unique_ptr<Database> db;
  std::string where;
  REHEARSE_RETURN_IF_ERROR(AsInfrastructure(throwaway.Create(r.dialect, &db, &where)));
  MigratorOptions options;
  options.now = FormatTimestamp(kFixtureNow);
  Migrator migrator(db.get(), migrations, options);
  MigrationReport applied;
  REHEARSE_RETURN_IF_ERROR(
      migrator.Up(MigrationRange::Through(baseline), &applied).Prepend("building the baseline"));

  const auto start = std::chrono::steady_clock::now();
  FixtureStats stats;
  REHEARSE_RETURN_IF_ERROR(GenerateFixture(r.spec, db.get(), &stats));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("fixture seed %llu scale %lld profile %s on %s database\n",
              static_cast<unsigned long long>(r.spec.seed), static_cast<long long>(r.spec.scale),
              r.spec.profile.c_str(), DialectName(r.dialect));
  std::printf("%-32s %12s\n", "table", "rows");
  for (const FixtureStats::Table& t : stats.tables)
    std::printf("%-32s %12lld\n", t.name.c_str(), static_cast<long long>(t.rows));
  std::printf("%-32s %12lld  in %.3f s (%.0f rows/s)\n", "total",
              static_cast<long long>(stats.total_rows), seconds,
              seconds > 0 ? static_cast<double>(stats.total_rows) / seconds : 0.0);

  if (r.coverage) {
    FixtureCoverage coverage;
    REHEARSE_RETURN_IF_ERROR(MeasureCoverage(db.get(), &coverage));
    std::printf("\ncoverage\n%s", coverage.ToText().c_str());
    const std::vector<std::string> missing = coverage.Missing(r.spec.profile != "plain");
    std::printf("%zu of %zu cases present\n", coverage.counts.size() - missing.size(),
                coverage.counts.size());
    std::string names;
    for (const std::string& m : missing) names += (names.empty() ? "" : ", ") + m;
    if (!missing.empty()) std::printf("missing: %s\n", names.c_str());
    // Every case is promised from scale 1 on: a gap there is the generator
    // failing its contract (exit 1); below it the report is information.
    if (!missing.empty() && r.spec.scale >= 1) *coverage_failed = true;
  }
  if (!r.out.empty()) {
    REHEARSE_RETURN_IF_ERROR(r.dialect == Dialect::kSqlite ? WriteSqliteCopy(db.get(), r.out)
                                                           : WritePostgresDump(where, r.out));
    std::printf("wrote %s\n", r.out.c_str());
  }
  if (r.digest) {
    Snapshot snapshot;
    REHEARSE_RETURN_IF_ERROR(Snapshot::Take(db.get(), {}, &snapshot));
    std::printf("digest %s\n", snapshot.digest().ToHex().c_str());
  }
  return Status::OK();
}

}  // namespace

int RunFixtureCommand(const std::vector<std::string>& words) {
  FixtureRequest request;
  Status s = ParseRequest(words, &request);
  bool coverage_failed = false;
  if (s.ok()) s = Run(request, &coverage_failed);
  if (!s.ok()) return ReportFailure("fixture", s);
  return coverage_failed ? kExitCheckFailed : kExitPass;
}

}  // namespace rehearse
