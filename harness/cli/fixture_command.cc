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
// --out FILE: the database exported as database_export.h says (SQLite: a
// VACUUM INTO copy; PostgreSQL: pg_dump's plain SQL, the same for the same
// seed), never half-written; FILE must be a new name or a regular file, and
// its folder must take a new
// file, checked before anything is built (output_path.h).

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "fixtures/fixture_time.h"
#include "harness/cli/arguments.h"
#include "harness/cli/command.h"
#include "harness/cli/domain_choice.h"
#include "harness/cli/project_root.h"
#include "harness/cli/run_space.h"
#include "harness/common/output_path.h"
#include "harness/db/database_export.h"
#include "harness/db/throwaway_databases.h"
#include "harness/migrate/harness_tables.h"
#include "harness/migrate/layouts/layout.h"
#include "harness/migrate/migrator.h"
#include "harness/runner/starting_state.h"
#include "harness/state/logical_digest.h"
#include "harness/state/snapshot.h"

namespace rehearse {

namespace {

namespace fs = std::filesystem;

struct FixtureRequest {
  Dialect dialect = Dialect::kSqlite;
  FillSettings settings;  // seed, scale and --profile; kind: the domain's default fill
  bool coverage = false;
  bool digest = false;
  std::string out;  // "" = not written
  std::string migrations_dir;
  MigrationFolderOptions folder_options;  // --format
  const Domain* domain = nullptr;         // whose folder it is (domain_choice.h)
  FillPlan fill;                          // the domain's default fill at (seed, scale, profile)
  bool domain_fill = true;                // the domain generator (else the schema-driven filler)
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
  REHEARSE_RETURN_IF_ERROR(args.GetUint("--seed", 1, &r->settings.seed));
  REHEARSE_RETURN_IF_ERROR(args.GetUint("--scale", 1, &scale));
  RunSpaceRequest space;
  space.scale = scale;
  space.postgres = r->dialect == Dialect::kPostgres;
  REHEARSE_RETURN_IF_ERROR(CheckRunSpace(space));
  r->settings.scale = scale;
  if (args.Has("--migrations")) {
    r->migrations_dir = args.Get("--migrations");
    std::error_code ec;
    if (!fs::is_directory(r->migrations_dir, ec))
      return Status::InvalidInput("--migrations: no folder at " + r->migrations_dir);
    if (args.Has("--format"))
      REHEARSE_RETURN_IF_ERROR(ParseLayoutName(args.Get("--format"), &r->folder_options.format));
  } else {
    std::string root;
    REHEARSE_RETURN_IF_ERROR(FindProjectRoot(&root));
    r->migrations_dir = root + "/migrations";
  }
  REHEARSE_RETURN_IF_ERROR(
      ChooseDomain(args.Has("--migrations") ? r->migrations_dir : "", &r->domain));
  r->domain_fill = r->domain->default_fill() == Scenario::Fill::kDomain;
  if (!r->domain_fill) {
    for (const char* flag : {"--profile", "--coverage"}) {
      if (args.Has(flag))
        return Status::InvalidInput(std::string(flag) + " belongs to the domain fixture, and " +
                                    r->migrations_dir +
                                    " is not this project's migrations folder: its tables get "
                                    "the schema-driven filler");
    }
  }
  r->settings.kind = r->domain->default_fill();
  r->settings.profile = args.Get("--profile", "default");
  REHEARSE_RETURN_IF_ERROR(r->domain->PlanFill(r->settings, &r->fill).Prepend("--profile"));
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

// The migrations the database starts from: the first alone when the fill
// comes right after it (the domain generator knows only the baseline), else
// every migration of the folder. Read before any database is made, so that a
// bad folder touches none.
Status LoadMigrations(const FixtureRequest& r, std::vector<Migration>* migrations,
                      MigrationRange* range) {
  MigrationFolder folder;
  REHEARSE_RETURN_IF_ERROR(ReadMigrationFolder(r.migrations_dir, r.folder_options, &folder));
  *migrations = std::move(folder.migrations);
  if (migrations->empty())
    return Status::InvalidInput("--migrations: no migrations in " + r.migrations_dir);
  *range = r.fill.point == RehearsalOptions::FillPoint::kAfterFirstMigration
               ? MigrationRange::Through(migrations->front().version)
               : MigrationRange::All();
  if (r.domain->data_migrations()) return Status::OK();
  // Data migration code exists only for this project's own folder.
  for (const Migration& m : *migrations) {
    if (m.has_code)
      return Status::InvalidInput("migration " + m.label() +
                                  " is a data migration (\"kind\": \"data\"), and no C++ "
                                  "is registered for it: data migration code exists only for "
                                  "this project's own migrations/")
          .At(m.origin + "/migration.json", 0);
  }
  return Status::OK();
}

// --coverage's report; *coverage_failed when a promised case is missing
// (exit 1).
Status ReportCoverage(const FixtureRequest& r, Database* db, bool* coverage_failed) {
  std::string report;
  REHEARSE_RETURN_IF_ERROR(r.domain->FillCoverage(db, r.settings, &report, coverage_failed));
  std::printf("%s", report.c_str());
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
  StartingState state;
  {
    MigrationConnections as;
    REHEARSE_RETURN_IF_ERROR(AsInfrastructure(
        throwaway.ConnectForMigrations(db.get(), name, AnyPrivileged(migrations), &as)));
    // As the role migrations run as (another folder is untrusted code).
    MigratorOptions options;
    options.now = FormatTimestamp(kFixtureNow);
    options.privileged_db = as.privileged;
    Migrator migrator(as.db, migrations, options);
    Status s = BuildStartingState(migrations, range, r.fill, {}, &migrator, db.get(), &state);
    // A migration that does not apply is the folder's fault (bad input), its
    // Status naming file and line.
    if (!s.ok() && !state.filled) {
      if (s.code() == Status::Code::kDatabase || s.code() == Status::Code::kConflict ||
          s.code() == Status::Code::kTimedOut)
        return Status::InvalidInput(s.ToString()).Prepend("building the schema");
      return s.Prepend("building the schema");
    }
    REHEARSE_RETURN_IF_ERROR(s);
  }
  const FillReport& filled = state.fill;
  const double seconds = state.fill_seconds;
  std::printf("fixture seed %llu scale %lld %s on %s database\n",
              static_cast<unsigned long long>(r.settings.seed),
              static_cast<long long>(r.settings.scale),
              (r.fill.description + (r.domain_fill ? "" : ", " + r.migrations_dir)).c_str(),
              DialectName(r.dialect));
  std::printf("%-32s %12s\n", "table", r.domain_fill ? "rows" : "rows added");
  for (const auto& [table, rows] : filled.tables)
    std::printf("%-32s %12lld\n", table.c_str(), static_cast<long long>(rows));
  std::printf("%-32s %12lld  in %.3f s (%.0f rows/s)\n", "total",
              static_cast<long long>(filled.total_rows), seconds,
              seconds > 0 ? static_cast<double>(filled.total_rows) / seconds : 0.0);
  for (const std::string& w : filled.warnings) std::printf("warning: %s\n", w.c_str());

  if (r.coverage) REHEARSE_RETURN_IF_ERROR(ReportCoverage(r, db.get(), coverage_failed));
  if (!r.out.empty()) {
    REHEARSE_RETURN_IF_ERROR(ExportDatabase(&throwaway, db.get(), where, r.out));
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
