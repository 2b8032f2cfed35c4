// rehearse snapshot: the digest of a database, table by table.

#include <cstdio>
#include <iostream>

#include "harness/cli/arguments.h"
#include "harness/cli/command.h"
#include "harness/cli/database_env.h"
#include "harness/common/redact.h"
#include "harness/db/throwaway_databases.h"
#include "harness/db/user_database.h"
#include "harness/state/snapshot.h"

namespace rehearse {

namespace {

// A database the user named that cannot be opened or read (no such
// database, not a SQLite file) is bad input, not a failure of Rehearse's own
// infrastructure.
Status UserDatabase(const std::string& database, const Status& s) {
  if (s.ok() || s.code() == Status::Code::kInvalidInput) return s;
  return Status::InvalidInput("--database " + database + ": " + s.ToString());
}

// *where: the connection string or file path the database was opened with.
Status Connect(Dialect dialect, const std::string& database, ThrowawayDatabases* throwaway,
               std::unique_ptr<Database>* db, std::string* where) {
  if (database.empty()) return throwaway->Create(dialect, db, where);
  *where = database;
  return UserDatabase(database, OpenUserDatabase(dialect, database, db));
}

}  // namespace

int RunSnapshotCommand(const std::vector<std::string>& words) {
  Arguments args;
  Status s = Arguments::Parse(words, {"--backend", "--database"}, {"--use-env"}, &args);
  std::string backend;
  if (s.ok()) s = args.GetChoice("--backend", {"sqlite", "postgres"}, "sqlite", &backend);
  if (s.ok() && !args.positional().empty())
    s = Status::InvalidInput("unexpected argument '" + args.positional()[0] + "'");
  if (!s.ok()) return ReportFailure("snapshot", s);
  Dialect dialect = backend == "postgres" ? Dialect::kPostgres : Dialect::kSqlite;
  std::string database = args.Get("--database");
  if (args.Has("--use-env")) {
    // The staging database the application's own .env names; only with
    // this flag is a database outside Rehearse's throwaways read.
    EnvDatabase env;
    s = args.Has("--database") ? Status::InvalidInput("give --database or --use-env, not both")
                               : DatabaseFromEnvironment(".", &env);
    if (s.ok() && args.Has("--backend") && env.dialect != dialect)
      s = Status::InvalidInput("--use-env: " + env.source + " is not a " + backend + " database");
    if (!s.ok()) return ReportFailure("snapshot", s);
    dialect = env.dialect;
    database = env.target;
    std::fprintf(stderr, "rehearse snapshot: --use-env: %s\n", env.source.c_str());
  }

  ThrowawayDatabases throwaway;
  std::unique_ptr<Database> db;
  std::string where;
  s = Connect(dialect, database, &throwaway, &db, &where);
  Snapshot snap;
  SnapshotOptions options;
  // PostgreSQL: a second connection reads the other half of each large table
  // (the path bench/snapshot_bench.cc measures).
  if (dialect == Dialect::kPostgres)
    options.connect = [&where](std::unique_ptr<Database>* out) { return OpenPostgres(where, out); };
  if (s.ok()) s = Snapshot::Take(db.get(), options, &snap);
  if (!database.empty()) s = UserDatabase(RedactSecrets(database), s);
  if (!s.ok()) return ReportFailure("snapshot", s);

  // A throwaway database's connection string holds its cluster's password,
  // a user's may hold theirs.
  std::printf("snapshot of %s%s\n", database.empty() ? "throwaway database " : "",
              RedactSecrets(where).c_str());
  std::printf("%-40s %12s  %s\n", "table", "rows", "digest");
  for (const TableSnapshot& t : snap.tables()) {
    std::printf("%-40s %12lld  %s\n", t.layout.name.c_str(), static_cast<long long>(t.row_count),
                t.digest.ToHex().c_str());
  }
  std::printf("%-40s %12zu  %s\n", "(schema objects)", snap.catalog().objects.size(),
              snap.schema_digest().ToHex().c_str());
  std::printf("digest %s\n", snap.digest().ToHex().c_str());
  return kExitPass;
}

}  // namespace rehearse
