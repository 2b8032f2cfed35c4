// rehearse fixture: builds a throwaway database, fills it, prints rows per
// table and the time taken, the coverage report with --coverage, writes the
// database with --out so a bug report can carry it, and with --digest prints
// `logical digest <hex>` (the same on both engines for the same data,
// logical_digest.h) and `digest <hex>` (the snapshot's, engine-specific) as
// its last two lines. Defaults: --backend sqlite --seed 1 --scale 1
// --profile default.
//
// Which database, and which filler, depends on the folder (--migrations
// DIR, else the project root's migrations/, found as project_root.h says):
//   the project's own  its baseline (0000_baseline), filled with the domain
//                      fixture at (--seed, --scale, --profile);
//   any other          every migration of DIR applied, then every table
//                      filled by the schema-driven filler (--seed, and
//                      kSchemaFillRowsPerScale rows per table per --scale, as
//                      the gate fills it); its warnings (a table it could not
//                      fill, naming the constraint) are printed. --profile
//                      and --coverage belong to the domain fixture and are
//                      refused.
// A migration of DIR that does not apply is bad input (exit 2, naming the
// file and line), not an infrastructure failure.
//
// --out FILE: SQLite — a copy of the database made with VACUUM INTO;
// PostgreSQL — pg_dump's plain SQL with COPY data, from the installation the
// cluster runs, without owners and privileges (the throwaway role means
// nothing elsewhere) and without pg_dump 15.18's random `\restrict` lines, so
// the same seed gives the same file; streamed through a file, never held in
// memory. Both are written next to FILE and renamed over it, so FILE is never
// half-written; that FILE's folder takes a new file is tried before anything
// is built (a permission check alone passes for root).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "fixtures/fixture_coverage.h"
#include "fixtures/fixture_generator.h"
#include "fixtures/fixture_time.h"
#include "fixtures/schema_filler.h"
#include "harness/cli/arguments.h"
#include "harness/cli/command.h"
#include "harness/cli/project_root.h"
#include "harness/db/throwaway_databases.h"
#include "harness/engine/postgres_installation.h"
#include "harness/engine/subprocess.h"
#include "harness/migrate/folder_migration_source.h"
#include "harness/migrate/harness_tables.h"
#include "harness/migrate/migrator.h"
#include "harness/state/logical_digest.h"
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
  bool own_migrations = true;  // the project's own folder: domain fixture
};

// A name next to `path` for writing before the rename.
std::string TemporaryNextTo(const std::string& path) {
  return path + ".tmp-" + std::to_string(getpid());
}

// Whether a file can be made where --out's temporary file will go: access()
// says yes to root for a read-only file system or /proc, so try it.
Status CheckCanWriteNextTo(const std::string& out) {
  const std::string tmp = TemporaryNextTo(out);
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::InvalidInput("--out: cannot write " + tmp + ": " + strerror(errno));
  close(fd);
  unlink(tmp.c_str());
  return Status::OK();
}

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
  if (args.Has("--migrations")) {
    r->migrations_dir = args.Get("--migrations");
    std::error_code ec;
    if (!fs::is_directory(r->migrations_dir, ec))
      return Status::InvalidInput("--migrations: no folder at " + r->migrations_dir);
    r->own_migrations = IsProjectMigrationsDir(r->migrations_dir);
  } else {
    std::string root;
    REHEARSE_RETURN_IF_ERROR(FindProjectRoot(&root));
    r->migrations_dir = root + "/migrations";
  }
  if (!r->own_migrations) {
    for (const char* flag : {"--profile", "--coverage"}) {
      if (args.Has(flag))
        return Status::InvalidInput(std::string(flag) + " belongs to the domain fixture, and " +
                                    r->migrations_dir +
                                    " is not this project's migrations folder: its tables get "
                                    "the schema-driven filler");
    }
  }
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
    REHEARSE_RETURN_IF_ERROR(CheckCanWriteNextTo(r->out));
  }
  return Status::OK();
}

// Everything that goes wrong while getting a database is the
// infrastructure's fault (exit 3), whatever layer reported it.
Status AsInfrastructure(Status s) {
  if (s.ok() || s.code() == Status::Code::kInfrastructure) return s;
  return Status::Infrastructure(s.ToString());
}

// Copies `from` to `to` without pg_dump's `\restrict KEY` / `\unrestrict KEY`
// lines: the key is random per run (pg_dump 15.14+), and would make every
// dump differ. Line by line, so a dump of any size takes no memory.
Status CopyWithoutRestrictLines(const std::string& from, const std::string& to) {
  std::ifstream in(from, std::ios::binary);
  std::ofstream out(to, std::ios::binary | std::ios::trunc);
  if (!in || !out) return Status::IoError("--out: cannot open " + (in ? to : from));
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("\\restrict ", 0) == 0 || line.rfind("\\unrestrict ", 0) == 0) continue;
    out << line << '\n';
  }
  if (in.bad() || !out.flush()) return Status::IoError("--out: cannot write " + to);
  return Status::OK();
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
  const std::string tmp = TemporaryNextTo(out), raw = tmp + ".pg_dump";
  SubprocessOptions o;
  o.argv = {pg.Program("pg_dump"), "--no-owner", "--no-privileges", "--dbname", conninfo};
  o.stdout_target = OutputTarget::File(raw);
  o.stderr_target = OutputTarget::Capture();
  o.timeout = std::chrono::minutes(30);
  SubprocessResult result;
  Status s = RunToCompletion(o, &result);
  if (s.ok() && !result.succeeded())
    s = Status::Infrastructure("pg_dump " + result.Describe() + ": " + result.stderr_text);
  if (s.ok()) s = CopyWithoutRestrictLines(raw, tmp);
  std::error_code ec;
  fs::remove(raw, ec);
  if (!s.ok()) {
    fs::remove(tmp, ec);
    return s;
  }
  return RenameOver(tmp, out);
}

// What a fill put in the database, for the report.
struct FilledTables {
  std::vector<std::pair<std::string, int64_t>> rows;  // per table, in fill order
  int64_t total = 0;
  std::vector<std::string> warnings;  // tables the schema-driven filler could not fill
};

// Applies the migrations the database starts from: the project's baseline,
// or every migration of a foreign folder. One that does not apply is the
// folder's fault (bad input), its Status naming file and line.
Status BuildSchema(const FixtureRequest& r, Database* db) {
  std::vector<Migration> migrations;
  FolderMigrationSource source(r.migrations_dir);
  REHEARSE_RETURN_IF_ERROR(source.Load(&migrations));
  MigrationRange range = MigrationRange::All();
  if (r.own_migrations) {
    MigrationVersion baseline;  // 0000
    if (migrations.empty() || !(migrations.front().version == baseline))
      return Status::InvalidInput("no baseline migration 0000 in " + r.migrations_dir);
    range = MigrationRange::Through(baseline);
  } else if (migrations.empty()) {
    return Status::InvalidInput("--migrations: no migrations in " + r.migrations_dir);
  }
  MigratorOptions options;
  options.now = FormatTimestamp(kFixtureNow);
  Migrator migrator(db, migrations, options);
  MigrationReport applied;
  Status s = migrator.Up(range, &applied);
  if (s.code() == Status::Code::kDatabase || s.code() == Status::Code::kConflict)
    return Status::InvalidInput(s.ToString()).Prepend("building the schema");
  return s.Prepend("building the schema");
}

Status Fill(const FixtureRequest& r, Database* db, FilledTables* filled) {
  if (r.own_migrations) {
    FixtureStats stats;
    REHEARSE_RETURN_IF_ERROR(GenerateFixture(r.spec, db, &stats));
    for (const FixtureStats::Table& t : stats.tables) filled->rows.emplace_back(t.name, t.rows);
    filled->total = stats.total_rows;
    return Status::OK();
  }
  SchemaFillOptions o;
  o.seed = r.spec.seed;
  o.rows_per_table = kSchemaFillRowsPerScale * r.spec.scale;
  SchemaFillReport report;
  REHEARSE_RETURN_IF_ERROR(SchemaDrivenFiller(o).Fill(db, &report));
  for (const SchemaFillReport::Table& t : report.tables) filled->rows.emplace_back(t.name, t.rows);
  filled->total = report.total_rows;
  for (const SchemaFillWarning& w : report.warnings) filled->warnings.push_back(w.ToString());
  return Status::OK();
}

// --coverage's report; *coverage_failed when a promised case is missing.
Status ReportCoverage(const FixtureRequest& r, Database* db, bool* coverage_failed) {
  FixtureCoverage coverage;
  REHEARSE_RETURN_IF_ERROR(MeasureCoverage(db, &coverage));
  std::printf("\ncoverage\n%s", coverage.ToText().c_str());
  const bool plain = r.spec.profile == "plain";
  const std::vector<std::string> missing = coverage.Missing(!plain);
  const size_t promised = coverage.PromisedCount(!plain);
  std::printf("%zu of %zu cases present%s\n", promised - missing.size(), promised,
              plain ? " (the hostile cases are not made with profile plain)" : "");
  std::string names;
  for (const std::string& m : missing) names += (names.empty() ? "" : ", ") + m;
  if (!missing.empty()) std::printf("missing: %s\n", names.c_str());
  // Every case is promised from scale 1 on: a gap there is the generator
  // failing its contract (exit 1); below it the report is information.
  if (!missing.empty() && r.spec.scale >= 1) *coverage_failed = true;
  return Status::OK();
}

// The two digest lines, the snapshot's last (the command's contract).
Status PrintDigests(ThrowawayDatabases* throwaway, Database* db) {
  SnapshotOptions options;  // row archives, for the logical digest
  REHEARSE_RETURN_IF_ERROR(throwaway->ScratchDir("fixture-digest-", &options.archive_dir));
  Snapshot snapshot;
  Status s = Snapshot::Take(db, options, &snapshot);
  LogicalDigest logical;
  if (s.ok()) s = ComputeLogicalDigest(snapshot, IsHarnessTable, &logical);
  throwaway->ReleaseScratchDir(options.archive_dir);
  REHEARSE_RETURN_IF_ERROR(s);
  std::printf("logical digest %s\n", LogicalDigestTotal(logical).ToHex().c_str());
  std::printf("digest %s\n", snapshot.digest().ToHex().c_str());
  return Status::OK();
}

// *coverage_failed: --coverage found a promised case missing.
Status Run(const FixtureRequest& r, bool* coverage_failed) {
  ThrowawayDatabases throwaway;
  std::unique_ptr<Database> db;
  std::string where;
  REHEARSE_RETURN_IF_ERROR(AsInfrastructure(throwaway.Create(r.dialect, &db, &where)));
  REHEARSE_RETURN_IF_ERROR(BuildSchema(r, db.get()));

  const auto start = std::chrono::steady_clock::now();
  FilledTables filled;
  REHEARSE_RETURN_IF_ERROR(Fill(r, db.get(), &filled));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("fixture seed %llu scale %lld %s on %s database\n",
              static_cast<unsigned long long>(r.spec.seed), static_cast<long long>(r.spec.scale),
              r.own_migrations ? ("profile " + r.spec.profile).c_str()
                               : ("schema-driven, " + r.migrations_dir).c_str(),
              DialectName(r.dialect));
  std::printf("%-32s %12s\n", "table", "rows");
  for (const auto& [table, rows] : filled.rows)
    std::printf("%-32s %12lld\n", table.c_str(), static_cast<long long>(rows));
  std::printf("%-32s %12lld  in %.3f s (%.0f rows/s)\n", "total",
              static_cast<long long>(filled.total), seconds,
              seconds > 0 ? static_cast<double>(filled.total) / seconds : 0.0);
  for (const std::string& w : filled.warnings) std::printf("warning: %s\n", w.c_str());

  if (r.coverage) REHEARSE_RETURN_IF_ERROR(ReportCoverage(r, db.get(), coverage_failed));
  if (!r.out.empty()) {
    REHEARSE_RETURN_IF_ERROR(r.dialect == Dialect::kSqlite ? WriteSqliteCopy(db.get(), r.out)
                                                           : WritePostgresDump(where, r.out));
    std::printf("wrote %s\n", r.out.c_str());
  }
  if (r.digest) REHEARSE_RETURN_IF_ERROR(PrintDigests(&throwaway, db.get()));
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
