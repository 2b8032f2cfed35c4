// rehearse migrate: one migration run by hand the way production will run it
// — dry run, apply (optionally scoped to one client, a canary), rollback from
// the artifact the apply wrote — on a throwaway fixture database, or on a
// database the user names so that apply and rollback can be two commands.
//
// Throwaway (no --database): baseline, then the domain fixture at
// (--seed, --scale), then every migration below VERSION; then the action.
// Another project's folder gets the schema-driven filler after every
// migration below VERSION instead (domain_choice.h).
// --database PATH|URL: the action on that database. An unscoped dry run or
// apply covers the pending migrations up to VERSION (each is listed), so a
// file written at the baseline can be rehearsed as production would be
// upgraded; a scoped one runs VERSION's data migration alone.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include "harness/cli/arguments.h"
#include "harness/cli/command.h"
#include "harness/cli/database_env.h"
#include "harness/cli/domain_choice.h"
#include "harness/cli/project_root.h"
#include "harness/cli/run_space.h"
#include "harness/common/output_path.h"
#include "harness/common/redact.h"
#include "harness/db/throwaway_databases.h"
#include "harness/db/user_database.h"
#include "harness/migrate/database_identity.h"
#include "harness/migrate/layouts/layout.h"
#include "harness/migrate/migrator.h"
#include "harness/runner/starting_state.h"
#include "verifiers/check_registry.h"

namespace rehearse {

namespace {

namespace fs = std::filesystem;

enum class Action { kDryRun, kApply, kRollback };

struct MigrateRequest {
  Action action = Action::kDryRun;
  MigrationVersion version;
  Dialect dialect = Dialect::kSqlite;
  std::string migrations_dir;
  std::string database;  // "" = throwaway
  std::string client_id;
  std::string artifact_out;   // --artifact
  RollbackArtifact rollback;  // --rollback, read before anything is touched
  std::string rollback_path;
  bool force = false;                             // --force: roll back over later changes
  std::optional<MigrationVersion> adopt_through;  // --adopt-at
  uint64_t seed = 1, scale = 1;                   // of the throwaway database's fill
  const Domain* domain = nullptr;                 // whose folder it is (domain_choice.h)
  FillPlan fill;                                  // the domain's default fill at (seed, scale)
  // The folder, read (in its layout, --format) before any database is touched.
  std::vector<Migration> migrations;
  ToolSettings settings;
};

Status ParseRequest(const std::vector<std::string>& words, MigrateRequest* r) {
  Arguments args;
  REHEARSE_RETURN_IF_ERROR(
      Arguments::Parse(words,
                       {"--client-id", "--artifact", "--rollback", "--backend", "--database",
                        "--seed", "--scale", "--migrations", "--adopt-at", "--format"},
                       {"--dry-run", "--apply", "--force", "--use-env"}, &args));
  if (args.positional().size() != 1)
    return Status::InvalidInput("expects exactly one VERSION (e.g. 0003)");
  // As written in the folder's layout (a Diesel date, a Sqitch change);
  // resolved against the folder below.
  if (args.positional()[0].empty()) return Status::InvalidInput("VERSION is empty");
  r->version = MigrationVersion::AsWritten(args.positional()[0]);
  const int actions = args.Has("--dry-run") + args.Has("--apply") + args.Has("--rollback");
  if (actions > 1) return Status::InvalidInput("give one of --dry-run, --apply, --rollback FILE");
  if (args.Has("--apply")) r->action = Action::kApply;
  if (args.Has("--rollback")) r->action = Action::kRollback;
  r->force = args.Has("--force");
  if (args.Has("--adopt-at")) {
    MigrationVersion v;
    REHEARSE_RETURN_IF_ERROR(MigrationVersion::Parse(args.Get("--adopt-at"), &v)
                                 .Prepend("--adopt-at '" + args.Get("--adopt-at") + "'"));
    if (!args.Has("--database") && !args.Has("--use-env"))
      return Status::InvalidInput("--adopt-at is for an existing --database without a ledger");
    if (!(v < r->version))
      return Status::InvalidInput("--adopt-at " + v.text() + " must come before VERSION " +
                                  r->version.text());
    r->adopt_through = v;
  }
  if (r->force && r->action != Action::kRollback)
    return Status::InvalidInput("--force only applies to --rollback FILE");

  std::string backend;
  REHEARSE_RETURN_IF_ERROR(args.GetChoice("--backend", {"sqlite", "postgres"}, "sqlite", &backend));
  r->dialect = backend == "postgres" ? Dialect::kPostgres : Dialect::kSqlite;
  r->database = args.Get("--database");
  if (args.Has("--use-env")) {
    if (args.Has("--database"))
      return Status::InvalidInput("give --database or --use-env, not both");
    EnvDatabase env;
    REHEARSE_RETURN_IF_ERROR(DatabaseFromEnvironment(".", &env));
    if (args.Has("--backend") && env.dialect != r->dialect)
      return Status::InvalidInput("--use-env: " + env.source + " is not a " + backend +
                                  " database");
    r->dialect = env.dialect;
    r->database = env.target;
    std::cerr << "rehearse migrate: --use-env: " << env.source << ": " << RedactSecrets(env.target)
              << "\n";
  }
  r->client_id = args.Get("--client-id");
  if (args.Has("--client-id") && r->client_id.empty())
    return Status::InvalidInput("--client-id is empty");
  r->artifact_out = args.Get("--artifact");
  if (args.Has("--artifact") && r->action != Action::kApply)
    return Status::InvalidInput("--artifact FILE names where --apply writes the rollback artifact");
  if (!r->database.empty() && (args.Has("--seed") || args.Has("--scale")))
    return Status::InvalidInput("--seed and --scale fill a throwaway database, not --database");
  if (r->action == Action::kRollback && r->database.empty()) {
    return Status::InvalidInput(
        "--rollback needs --database: a fresh throwaway database has nothing applied to roll back");
  }
  uint64_t seed, scale;
  REHEARSE_RETURN_IF_ERROR(args.GetUint("--seed", 1, &seed));
  REHEARSE_RETURN_IF_ERROR(args.GetUint("--scale", 1, &scale));
  r->seed = seed;
  r->scale = scale;
  if (r->database.empty()) {
    RunSpaceRequest space;
    space.scale = scale;
    space.postgres = r->dialect == Dialect::kPostgres;
    REHEARSE_RETURN_IF_ERROR(CheckRunSpace(space));
  }

  if (args.Has("--migrations")) {
    r->migrations_dir = args.Get("--migrations");
  } else {
    std::string root;
    REHEARSE_RETURN_IF_ERROR(FindProjectRoot(&root));
    r->migrations_dir = root + "/migrations";
  }
  REHEARSE_RETURN_IF_ERROR(
      ChooseDomain(args.Has("--migrations") ? r->migrations_dir : "", &r->domain));
  REHEARSE_RETURN_IF_ERROR(
      r->domain->PlanFill({r->domain->default_fill(), r->seed, r->scale}, &r->fill));
  MigrationFolderOptions folder_options;
  if (args.Has("--format"))
    REHEARSE_RETURN_IF_ERROR(ParseLayoutName(args.Get("--format"), &folder_options.format));
  MigrationFolder folder;
  REHEARSE_RETURN_IF_ERROR(ReadMigrationFolder(r->migrations_dir, folder_options, &folder));
  r->migrations = std::move(folder.migrations);
  r->settings = folder.settings;
  const Migration* target = nullptr;
  for (const Migration& m : r->migrations)
    if (m.version == r->version || m.version.text() == r->version.text()) target = &m;
  if (!target)
    return Status::InvalidInput("no migration " + r->version.text() + " in " + r->migrations_dir);
  r->version = target->version;
  if (!r->database.empty()) REHEARSE_RETURN_IF_ERROR(CheckUserDatabase(r->dialect, r->database));
  if (r->action == Action::kRollback) {
    r->rollback_path = args.Get("--rollback");
    REHEARSE_RETURN_IF_ERROR(RollbackArtifact::ReadFile(r->rollback_path, &r->rollback));
    if (args.Has("--client-id") && r->client_id != r->rollback.scope) {
      return Status::InvalidInput("--client-id " + r->client_id + " but " + r->rollback_path +
                                  " was written for scope '" + r->rollback.scope + "'");
    }
    r->client_id = r->rollback.scope;
  }
  if (args.Has("--artifact")) {
    std::error_code ec;
    if (fs::is_regular_file(fs::symlink_status(r->artifact_out, ec))) {
      return Status::InvalidInput("--artifact: " + r->artifact_out +
                                  " already exists; a rollback artifact is never overwritten (it "
                                  "may be the only way back): move it or name another file");
    }
    REHEARSE_RETURN_IF_ERROR(CheckOutputPath("--artifact", r->artifact_out));
  }
  return Status::OK();
}

// The migration's own summary (a data migration's payload "summary"),
// printed as an indented outline.
void PrintOutline(const nlohmann::json& j, int depth) {
  const std::string pad(static_cast<size_t>(depth) * 2, ' ');
  if (j.is_object()) {
    for (const auto& item : j.items()) {
      const nlohmann::json& v = item.value();
      if (v.is_structured() && !v.empty()) {
        std::printf("%s%s:\n", pad.c_str(), item.key().c_str());
        PrintOutline(v, depth + 1);
      } else {
        std::printf("%s%s: %s\n", pad.c_str(), item.key().c_str(),
                    v.is_string() ? v.get<std::string>().c_str() : v.dump().c_str());
      }
    }
  } else if (j.is_array()) {
    for (const nlohmann::json& v : j) {
      if (v.is_object()) {
        std::printf("%s-\n", pad.c_str());
        PrintOutline(v, depth + 1);
      } else {
        std::printf("%s- %s\n", pad.c_str(), v.dump().c_str());
      }
    }
  }
}

void PrintReport(const MigrationReport& report) {
  for (const LedgerMismatch& m : report.mismatches)
    std::printf("warning: %s\n", m.ToString().c_str());
  for (const MigrationStep& step : report.steps) {
    const char* verb = "applied";
    switch (step.action) {
      case MigrationStep::Action::kApplied:
        break;
      case MigrationStep::Action::kRolledBack:
        verb = "rolled back";
        break;
      case MigrationStep::Action::kDryRun:
        verb = "dry run of";
        break;
      case MigrationStep::Action::kSkippedUnavailable:
        verb = "skipped (no files for this backend)";
        break;
    }
    std::printf("%s %s_%s%s\n", verb, step.version.text().c_str(), step.name.c_str(),
                step.privileged ? " (privileged: as the superuser)" : "");
    if (step.artifact && step.artifact->payload.contains("summary"))
      PrintOutline(step.artifact->payload["summary"], 1);
    for (const ReportedRows& found : step.reported) {
      std::string ids;
      for (const std::string& v : found.first) ids += (ids.empty() ? "" : ", ") + v;
      const int64_t more = found.count - static_cast<int64_t>(found.first.size());
      if (more > 0) ids += ", ... and " + std::to_string(more) + " more";
      std::printf("  %s: %lld%s\n", found.title.c_str(), static_cast<long long>(found.count),
                  ids.empty() ? "" : (" (" + ids + ")").c_str());
    }
    if (step.action == MigrationStep::Action::kDryRun) {
      const std::string change = step.change.Render();
      std::printf("  would change:%s\n", change.empty() ? " nothing" : "");
      size_t begin = 0;
      while (begin < change.size()) {
        size_t end = change.find('\n', begin);
        if (end == std::string::npos) end = change.size();
        std::printf("    %s\n", change.substr(begin, end - begin).c_str());
        begin = end + 1;
      }
    }
  }
}

// Connects *db, for the harness's own work, and *as, for the migrations: on a
// throwaway PostgreSQL database the owner without superuser (and the
// superuser for privileged migrations); on a database given with
// --database the one connection its user chose.
Status Connect(const MigrateRequest& r, const std::vector<Migration>& migrations,
               ThrowawayDatabases* throwaway, std::unique_ptr<Database>* db,
               MigrationConnections* as, std::string* where) {
  if (r.database.empty()) {
    std::string location, name;
    REHEARSE_RETURN_IF_ERROR(throwaway->Create(r.dialect, db, &location, "", &name));
    // The name, not the connection string: that holds the cluster's password.
    *where = std::string("throwaway ") + DialectName(r.dialect) + " database " +
             (r.dialect == Dialect::kPostgres ? name : location);
    return throwaway->ConnectForMigrations(db->get(), name, AnyPrivileged(migrations), as);
  }
  *where = RedactSecrets(r.database);  // printed; the password is not for the log
  Status s = OpenUserDatabase(r.dialect, r.database, db);
  as->db = db->get();
  return s;
}

// Baseline, fill, then everything below the version (or everything below
// it, then the fill, as the domain's fill point says): the state the version
// starts from in production. Built unscoped whatever the request's scope: a
// canary runs on a database that got there the ordinary way.
Status BuildThrowaway(const MigrateRequest& r, const std::vector<Migration>& migrations,
                      MigratorOptions options, Database* db, const MigrationConnections& as) {
  options.scope.clear();
  options.privileged_db = as.privileged;
  Migrator migrator(as.db, migrations, std::move(options));
  StartingState state;
  REHEARSE_RETURN_IF_ERROR(BuildStartingState(migrations, MigrationRange::Before(r.version), r.fill,
                                              {}, &migrator, db, &state));
  if (state.filled) {
    std::printf("filled with the fixture (seed %llu, scale %llu): %lld rows\n",
                static_cast<unsigned long long>(r.seed), static_cast<unsigned long long>(r.scale),
                static_cast<long long>(state.fill.total_rows));
    for (const std::string& w : state.fill.warnings) std::printf("warning: %s\n", w.c_str());
  }
  return Status::OK();
}

// *check names the invariant a failure of the migration itself breaks, once
// the action has started (see ReportMigrationFailure).
Status Run(const MigrateRequest& r, const char** check) {
  const std::vector<Migration>& migrations = r.migrations;
  const Migration* target = nullptr;
  for (const Migration& m : migrations)
    if (m.version == r.version) target = &m;
  if (!target) return Status::InvalidInput("no migration " + r.version.text());

  ThrowawayDatabases throwaway;
  std::unique_ptr<Database> db;
  MigrationConnections as;
  std::string where;
  REHEARSE_RETURN_IF_ERROR(Connect(r, migrations, &throwaway, &db, &as, &where));

  MigratorOptions options;
  options.registry = r.domain->data_migrations();
  options.scope = r.client_id;
  options.force_rollback = r.force;
  options.adopt_through = r.adopt_through;
  if (r.database.empty()) {
    options.identity = MakeDatabaseIdentity(r.seed, "migrate");
    REHEARSE_RETURN_IF_ERROR(throwaway.ScratchDir("artifacts", &options.artifact_dir));
  } else {
    // Used only when the database has no identity yet; never overwrites one.
    // Random, not derived from the path: a database recreated at the same
    // path must not accept its predecessor's artifacts.
    REHEARSE_RETURN_IF_ERROR(MakeRandomDatabaseIdentity(&options.identity));
    std::error_code ec;
    const bool file = r.dialect == Dialect::kSqlite;
    const fs::path path = file ? fs::weakly_canonical(fs::absolute(r.database), ec) : fs::path();
    options.artifact_dir = file ? path.parent_path().string() : ".";
  }
  // Only that file: the default name is not written first.
  if (!r.artifact_out.empty()) options.artifact_files[r.version] = fs::absolute(r.artifact_out);

  if (r.database.empty())
    REHEARSE_RETURN_IF_ERROR(BuildThrowaway(r, migrations, options, db.get(), as));
  // Row archives let the dry run count rows and show sample differences.
  if (r.action == Action::kDryRun)
    REHEARSE_RETURN_IF_ERROR(throwaway.ScratchDir("dry-run", &options.dry_run_archive_dir));
  options.privileged_db = as.privileged;
  Migrator migrator(as.db, migrations, options);
  const char* doing = r.action == Action::kDryRun  ? "dry run of"
                      : r.action == Action::kApply ? "applying"
                                                   : "rolling back";
  const std::string scope = r.client_id.empty() ? "" : " for client " + r.client_id;
  std::printf("%s %s on %s%s\n", doing, target->label().c_str(), where.c_str(), scope.c_str());

  // A scoped (canary) run is the data migration alone; an unscoped one is
  // the way production upgrades: every pending migration up to the version.
  const MigrationRange range =
      r.client_id.empty() ? MigrationRange::Through(r.version) : MigrationRange::Only(r.version);
  MigrationReport report;
  switch (r.action) {
    case Action::kDryRun:
      *check = kForwardApplies.name.data();  // a dry run applies it, then rolls back
      REHEARSE_RETURN_IF_ERROR(migrator.DryRun(range, &report));
      PrintReport(report);
      if (report.steps.empty())
        std::printf("nothing pending: %s is applied\n", r.version.text().c_str());
      std::printf("dry run: nothing was changed\n");
      return Status::OK();
    case Action::kApply: {
      *check = kForwardApplies.name.data();
      REHEARSE_RETURN_IF_ERROR(migrator.Up(range, &report));
      PrintReport(report);
      if (report.steps.empty())
        std::printf("nothing to apply: %s is applied\n", r.version.text().c_str());
      for (const MigrationStep& step : report.steps) {
        if (step.artifact_path.empty() || !(step.version == r.version)) continue;
        std::printf("rollback artifact: %s%s\n", step.artifact_path.c_str(),
                    r.database.empty() && r.artifact_out.empty()
                        ? " (removed with the throwaway database; keep one with --artifact FILE)"
                        : "");
        // A canary applied twice to one client: the second run finds its
        // rows migrated already, so its artifact holds nothing to put back.
        if (step.artifact && step.artifact->payload.value("restores", int64_t{-1}) == 0) {
          std::printf(
              "warning: this artifact restores nothing: %s changed no rows%s (already applied?); "
              "to roll back an earlier apply, use the artifact that apply wrote\n",
              target->label().c_str(), scope.c_str());
        }
      }
      return Status::OK();
    }
    case Action::kRollback: {
      // Checked first: Down would stamp an identity even with nothing to do.
      std::vector<AppliedMigration> applied;
      REHEARSE_RETURN_IF_ERROR(migrator.Applied(&applied));
      bool is_applied = false;
      for (const AppliedMigration& a : applied) is_applied = is_applied || a.version == r.version;
      if (!is_applied && r.client_id.empty()) {
        return Status::InvalidInput(target->label() + " is not applied on " + where +
                                    ": nothing to roll back");
      }
      *check = kRollbackApplies.name.data();
      REHEARSE_RETURN_IF_ERROR(
          migrator.Down(MigrationRange::Only(r.version), {r.rollback}, &report));
      PrintReport(report);
      return Status::OK();
    }
  }
  return Status::OK();
}

}  // namespace

int RunMigrateCommand(const std::vector<std::string>& words) {
  MigrateRequest request;
  const char* check = nullptr;
  Status s = ParseRequest(words, &request);
  if (s.ok()) s = Run(request, &check);
  if (s.ok()) return kExitPass;
  return check ? ReportMigrationFailure("migrate", check, s) : ReportFailure("migrate", s);
}

}  // namespace rehearse
