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
//   any other          every migration of DIR applied, then the tables still
//                      empty filled by the schema-driven filler at
//                      SchemaFillAtScale(--seed, --scale), as the gate fills
//                      them; its warnings (a table it could not fill, naming
//                      the constraint) are printed. --profile and --coverage
//                      belong to the domain fixture and are refused. A copy
//                      of this project's migrations/ elsewhere counts as
//                      another project's folder (as for the gate), whose data
//                      migrations have no C++.
// A migration of DIR that does not apply is bad input (exit 2, naming the
// file and line), not an infrastructure failure.
//
// --out FILE: SQLite — a copy of the database made with VACUUM INTO;
// PostgreSQL — pg_dump's plain SQL with COPY data, from the installation the
// cluster runs, without owners and privileges (the throwaway role means
// nothing elsewhere) and without pg_dump 15.18's random `\restrict` lines, so
// the same seed gives the same file. Both are made in a scratch directory of
// the run directory and streamed into FILE through a ReplacementFile, so FILE
// is never half-written and an interrupted run leaves nothing next to it;
// FILE must be a new name or a regular file, and its folder must take a new
// file, checked before anything is built (output_path.h).

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "fixtures/domain/fixture_coverage.h"
#include "fixtures/domain/fixture_generator.h"
#include "fixtures/fixture_time.h"
#include "fixtures/schema_filler.h"
#include "harness/cli/arguments.h"
#include "harness/cli/command.h"
#include "harness/cli/project_root.h"
#include "harness/cli/run_space.h"
#include "harness/common/output_path.h"
#include "harness/common/replacement_file.h"
#include "harness/db/throwaway_databases.h"
#include "harness/engine/libpq_session.h"
#include "harness/engine/postgres_installation.h"
#include "harness/engine/subprocess.h"
#include "harness/migrate/harness_tables.h"
#include "harness/migrate/layouts/layout.h"
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
  MigrationFolderOptions folder_options;  // --format
  bool own_migrations = true;             // the project's own folder: domain fixture
};

Status ParseRequest(const std::vector<std::string>& words, FixtureRequest* r) {
  Arguments args;
  REHEARSE_RETURN_IF_ERROR(Arguments::Parse(
      words, {"--backend", "--seed", "--scale", "--profile", "--out", "--migrations", "--format"},
      {"--coverage", "--digest"}, &args));
  if (!args.positional().empty())
    return Status::InvalidInput("unexpected argument '" + args.positional()[0] + "'");
  std::string backend;
  REHEARSE_RETURN_IF_ERROR(args.GetChoice("--backend", {"sqlite", "postgres"}, "sqlite", &backend));
  r->dialect = backend == "postgres" ? Dialect::kPostgres : Dialect::kSqlite;
  uint64_t scale;
  REHEARSE_RETURN_IF_ERROR(args.GetUint("--seed", 1, &r->spec.seed));
  REHEARSE_RETURN_IF_ERROR(args.GetUint("--scale", 1, &scale));
  RunSpaceRequest space;
  space.scale = scale;
  space.postgres = r->dialect == Dialect::kPostgres;
  REHEARSE_RETURN_IF_ERROR(CheckRunSpace(space));
  r->spec.scale = static_cast<int64_t>(scale);
  if (args.Has("--migrations")) {
    r->migrations_dir = args.Get("--migrations");
    std::error_code ec;
    if (!fs::is_directory(r->migrations_dir, ec))
      return Status::InvalidInput("--migrations: no folder at " + r->migrations_dir);
    r->own_migrations = IsProjectMigrationsDir(r->migrations_dir);
    if (args.Has("--format"))
      REHEARSE_RETURN_IF_ERROR(ParseLayoutName(args.Get("--format"), &r->folder_options.format));
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
    REHEARSE_RETURN_IF_ERROR(CheckOutputPath("--out", r->out));
  }
  return Status::OK();
}

// Everything that goes wrong while getting a database is the
// infrastructure's fault (exit 3), whatever layer reported it.
Status AsInfrastructure(Status s) {
  if (s.ok() || s.code() == Status::Code::kInfrastructure) return s;
  return Status::Infrastructure(s.ToString());
}

// Copies the file at `from` into *to. A SQL dump (`sql_dump`) loses pg_dump's
// `\restrict KEY` / `\unrestrict KEY` lines on the way: the key is random per
// run (pg_dump 15.14+), and would make every dump differ. Streamed in
// chunks, so a dump of any size takes no memory. `from` is not an input (it
// is this run's own file in its private run directory), so it is not read
// through ReadInputFile, whose size bound a large dump would exceed.
Status CopyInto(const std::string& from, bool sql_dump, ReplacementFile* to) {
  std::ifstream in(from, std::ios::binary);
  if (!in) return Status::IoError("--out: cannot read " + from);
  constexpr size_t kChunk = 1 << 20;
  std::string buffer;
  if (!sql_dump) {
    buffer.resize(kChunk);
    while (in.read(buffer.data(), kChunk) || in.gcount() > 0)
      REHEARSE_RETURN_IF_ERROR(to->Write(std::string_view(buffer.data(), in.gcount())));
  } else {
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("\\restrict ", 0) == 0 || line.rfind("\\unrestrict ", 0) == 0) continue;
      buffer += line;
      buffer += '\n';
      if (buffer.size() >= kChunk) {
        REHEARSE_RETURN_IF_ERROR(to->Write(buffer));
        buffer.clear();
      }
    }
    REHEARSE_RETURN_IF_ERROR(to->Write(buffer));
  }
  if (in.bad()) return Status::IoError("--out: cannot read " + from);
  return Status::OK();
}

// Makes the database's copy (SQLite: VACUUM INTO) or dump (PostgreSQL:
// pg_dump) into `scratch`, in the run directory, which the watchdog clears
// however this process ends; *made names the file.
Status MakeCopy(Database* db, const std::string& conninfo, const std::string& scratch,
                std::string* made) {
  if (db->dialect() == Dialect::kSqlite) {
    *made = scratch + "/fixture.db";
    Status s = db->Execute("VACUUM INTO ?1", {Value::Text(*made)});
    if (!s.ok()) return Status::IoError("--out: VACUUM INTO " + *made + ": " + s.message());
    return Status::OK();
  }
  PostgresInstallation pg;
  REHEARSE_RETURN_IF_ERROR(PostgresInstallation::Find("", &pg));
  *made = scratch + "/fixture.pg_dump";
  SubprocessOptions o;
  // The password goes in pg_dump's environment, which only this user can
  // read, never on its command line, which anyone can (`ps`).
  std::string without_password, password;
  SplitConninfoPassword(conninfo, &without_password, &password);
  o.argv = {pg.Program("pg_dump"), "--no-owner", "--no-privileges", "--dbname", without_password};
  o.env.emplace();
  for (char** var = environ; *var != nullptr; ++var)
    if (std::strncmp(*var, "PGPASSWORD=", 11) != 0) o.env->push_back(*var);
  if (!password.empty()) o.env->push_back("PGPASSWORD=" + password);
  o.stdout_target = OutputTarget::File(*made);
  o.stderr_target = OutputTarget::Capture();
  o.timeout = std::chrono::minutes(30);
  SubprocessResult result;
  REHEARSE_RETURN_IF_ERROR(RunToCompletion(o, &result));
  if (!result.succeeded())
    return Status::Infrastructure("pg_dump " + result.Describe() + ": " + result.stderr_text);
  return Status::OK();
}

// --out: the copy made in a scratch directory, then written to FILE through
// a ReplacementFile, so FILE is never half-written and an interrupted run
// leaves nothing behind.
Status WriteOut(ThrowawayDatabases* throwaway, Database* db, const std::string& conninfo,
                const std::string& out) {
  std::string scratch, made;
  REHEARSE_RETURN_IF_ERROR(throwaway->ScratchDir("fixture-out-", &scratch));
  ReplacementFile file;
  Status s = MakeCopy(db, conninfo, scratch, &made);
  if (s.ok()) s = file.Open(out).Prepend("--out");
  if (s.ok()) s = CopyInto(made, db->dialect() == Dialect::kPostgres, &file);
  if (s.ok()) s = file.Commit().Prepend("--out");
  throwaway->ReleaseScratchDir(scratch);
  return s;
}

// What a fill put in the database, for the report.
struct FilledTables {
  std::vector<std::pair<std::string, int64_t>> rows;  // per table, in fill order
  int64_t total = 0;
  std::vector<std::string> warnings;  // tables the schema-driven filler could not fill
};

// The migrations the database starts from: the project's baseline, or every
// migration of a foreign folder. Read before any database is made, so that a
// bad folder touches none.
Status LoadMigrations(const FixtureRequest& r, std::vector<Migration>* migrations,
                      MigrationRange* range) {
  MigrationFolder folder;
  REHEARSE_RETURN_IF_ERROR(ReadMigrationFolder(r.migrations_dir, r.folder_options, &folder));
  *migrations = std::move(folder.migrations);
  *range = MigrationRange::All();
  if (r.own_migrations) {
    MigrationVersion baseline;  // 0000
    if (migrations->empty() || !(migrations->front().version == baseline))
      return Status::InvalidInput("no baseline migration 0000 in " + r.migrations_dir);
    *range = MigrationRange::Through(baseline);
  } else if (migrations->empty()) {
    return Status::InvalidInput("--migrations: no migrations in " + r.migrations_dir);
  } else {
    // Data migration code exists only for this project's own folder.
    for (const Migration& m : *migrations) {
      if (m.has_code)
        return Status::InvalidInput("migration " + m.label() +
                                    " is a data migration (\"kind\": \"data\"), and no C++ "
                                    "is registered for it: data migration code exists only for "
                                    "this project's own migrations/")
            .At(m.origin + "/migration.json", 0);
    }
  }
  return Status::OK();
}

// Applies them, as the role migrations run as (a foreign folder is untrusted
// code). One that does not apply is the folder's fault (bad input), its
// Status naming file and line.
Status BuildSchema(const std::vector<Migration>& migrations, const MigrationRange& range,
                   const MigrationConnections& as) {
  MigratorOptions options;
  options.now = FormatTimestamp(kFixtureNow);
  options.privileged_db = as.privileged;
  Migrator migrator(as.db, migrations, options);
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
  SchemaFillReport report;
  REHEARSE_RETURN_IF_ERROR(
      SchemaDrivenFiller(SchemaFillAtScale(r.spec.seed, r.spec.scale)).Fill(db, &report));
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
  std::vector<Migration> migrations;
  MigrationRange range = MigrationRange::All();
  REHEARSE_RETURN_IF_ERROR(LoadMigrations(r, &migrations, &range));
  ThrowawayDatabases throwaway;
  std::unique_ptr<Database> db;
  std::string where, name;
  REHEARSE_RETURN_IF_ERROR(AsInfrastructure(throwaway.Create(r.dialect, &db, &where, "", &name)));
  {
    MigrationConnections as;
    REHEARSE_RETURN_IF_ERROR(AsInfrastructure(
        throwaway.ConnectForMigrations(db.get(), name, AnyPrivileged(migrations), &as)));
    REHEARSE_RETURN_IF_ERROR(BuildSchema(migrations, range, as));
  }

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
  std::printf("%-32s %12s\n", "table", r.own_migrations ? "rows" : "rows added");
  for (const auto& [table, rows] : filled.rows)
    std::printf("%-32s %12lld\n", table.c_str(), static_cast<long long>(rows));
  std::printf("%-32s %12lld  in %.3f s (%.0f rows/s)\n", "total",
              static_cast<long long>(filled.total), seconds,
              seconds > 0 ? static_cast<double>(filled.total) / seconds : 0.0);
  for (const std::string& w : filled.warnings) std::printf("warning: %s\n", w.c_str());

  if (r.coverage) REHEARSE_RETURN_IF_ERROR(ReportCoverage(r, db.get(), coverage_failed));
  if (!r.out.empty()) {
    REHEARSE_RETURN_IF_ERROR(WriteOut(&throwaway, db.get(), where, r.out));
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
