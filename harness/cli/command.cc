#include "harness/cli/command.h"

#include <iostream>

#include "harness/common/redact.h"

namespace rehearse {

const std::vector<Command>& AllCommands() {
  static const std::vector<Command> kCommands = {
      {"gate",
       "[--migrations DIR] [--baseline DIR] [--backend sqlite|postgres|both] [--seed N] "
       "[--scale N] [--report-json FILE] [--junit FILE] [--summary-markdown FILE] [--sarif FILE] "
       "[--report-html FILE] [--annotations github] [--shard I/N] [--scenario NAME] "
       "[--format NAME] [--irreversible V,...] [--privileged] [--sqlite-foreign-keys on|off] "
       "[--unit version|prefix:N|pending] [--strict] [--timeout DURATION] [--pg-version N]",
       "Rehearse every migration forward and back on each backend and check every invariant; "
       "without --migrations, the project's own scenarios (scenarios/*.json); --strict fails a "
       "migration that fails only on the generated rows (applies_with_data) instead of warning; "
       "--timeout bounds each up and down (default 10m; e.g. 30s, 5m, 1h); --pg-version picks "
       "one of the PostgreSQL installations `rehearse version` lists; --privileged runs every "
       "migration of the folder as the superuser instead of the database owner (each is "
       "reported).",
       RunGateCommand},
      {"profile",
       "--migrations DIR [--baseline DIR] [--format NAME] [--backend sqlite|postgres|both] "
       "[--rows N | --rows-file FILE] [--fill-triggers on|off] [--unit version|prefix:N|pending] "
       "[--repeat N] [--min-rows "
       "N] [--max-lock DURATION] "
       "[--max-rows-per-transaction N] "
       "[--rollback-window DURATION] [--rollback-deadline DURATION] [--timings FILE] "
       "[--timings-baseline FILE] [--regression-factor X] [--regression-floor X] "
       "[--rollback-log FILE] [--report-json FILE] [--junit FILE] [--warn-only] [--seed N] "
       "[--sample-interval DURATION] [--timeout DURATION] [--pg-version N]",
       "Run every migration's up and down (with --baseline: every one the baseline lacks) on data "
       "of production size and report time, the locks "
       "held and for how long, rewrites, index builds and scans that block writes (SQLite: "
       "rebuilds and the write lock), each finding with its statement and safe form; compare "
       "with an earlier run's --timings; judge each rollback against the 5- and 30-minute "
       "windows and append the misses to --rollback-log.",
       RunProfileCommand},
      {"migrate",
       "VERSION [--dry-run|--apply [--artifact FILE]|--rollback FILE [--force]] [--client-id ID] "
       "[--backend sqlite|postgres] [--database PATH|URL|--use-env [--adopt-at VERSION]] [--seed "
       "N --scale "
       "N] [--migrations DIR]",
       "Run one migration by hand as production will (dry run by default, apply with a rollback "
       "artifact, roll back from it — refused where the application changed the migrated rows "
       "since, unless --force; --client-id for a canary) on a throwaway fixture database or on "
       "--database; --adopt-at records the migrations through VERSION as applied on a database "
       "that predates the ledger (built by a legacy start-up file).",
       RunMigrateCommand},
      {"reproduce",
       "--seed N --scenario NAME [--backend sqlite|postgres|both] [--scale N] [--strict] [--keep] "
       "[--timeout DURATION] [--pg-version N]",
       "Rebuild one scenario at the seed a failed run printed; --keep leaves the databases for "
       "inspection and prints how to connect.",
       RunReproduceCommand},
      {"fixture",
       "--backend sqlite|postgres --seed N --scale N [--profile default|hostile|plain] "
       "[--coverage] [--out FILE] [--digest] [--migrations DIR]",
       "Build a throwaway database at the baseline, fill it with the domain fixture (another "
       "project's --migrations: every migration, then the schema-driven filler) and print rows "
       "per table; --coverage the coverage report, --out writes the database (SQLite file or "
       "pg_dump SQL), --digest prints the logical digest (equal across engines) and the "
       "snapshot digest as the last line.",
       RunFixtureCommand},
      {"list", "--migrations DIR [--format NAME] [--irreversible V,...] [--privileged]",
       "Print the layout of a migrations folder, how its tool runs it, and every migration in "
       "the order the tool runs them; touches no database.",
       RunListCommand},
      {"snapshot", "--backend sqlite|postgres [--database PATH|URL | --use-env]",
       "Print the digest of every table of a database and the total digest as the last line; "
       "--use-env takes DIRECT_URL, else DATABASE_URL, after loading .env.local and .env.",
       RunSnapshotCommand},
      {"version", "", "Print the version of Rehearse and of the engines it finds.",
       RunVersionCommand},
  };
  return kCommands;
}

int ReportFailure(const char* command, const Status& status) {
  // Redacted: an error may quote a connection string the user gave.
  std::cerr << "rehearse " << command << ": " << RedactSecrets(status.ToString()) << "\n";
  switch (status.code()) {
    case Status::Code::kOk:
      return kExitPass;
    case Status::Code::kInvalidInput:
    case Status::Code::kIoError:
    case Status::Code::kNotFound:
    case Status::Code::kCorruption:
      return kExitBadInput;
    case Status::Code::kInfrastructure:
    case Status::Code::kDatabase:
      return kExitInfrastructure;
    case Status::Code::kConflict:
    case Status::Code::kTimedOut:
      return kExitCheckFailed;
  }
  return kExitInfrastructure;
}

int ReportMigrationFailure(const char* command, const char* check, const Status& status) {
  if (status.code() != Status::Code::kDatabase && status.code() != Status::Code::kConflict &&
      status.code() != Status::Code::kTimedOut)
    return ReportFailure(command, status);
  std::cerr << "rehearse " << command << ": " << check
            << " failed: " << RedactSecrets(status.ToString()) << "\n";
  return kExitCheckFailed;
}

}  // namespace rehearse
