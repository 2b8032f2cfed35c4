// rehearse snapshot: the digest of a database, table by table.
#include <sys/stat.h>

#include <cstdio>
#include <iostream>

#include "harness/cli/arguments.h"
#include "harness/cli/command.h"
#include "harness/common/redact.h"
#include "harness/db/throwaway_databases.h"
#include "harness/engine/libpq_session.h"
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
  if (dialect == Dialect::kSqlite) {
    // Never create a file the user named by mistake: it must already exist.
    struct stat st;
    if (stat(database.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
      return Status::InvalidInput("--database: no SQLite file at " + database);
  }
  return UserDatabase(database, dialect == Dialect::kPostgres ? OpenPostgres(database, db)
                                                              : OpenSqlite(database, db));
}

}  // namespace

int RunSnapshotCommand(const std::vector<std::string>& words) {
  Arguments args;
  Status s = Arguments::Parse(words, {"--backend", "--database"}, {}, &args);
  std::string backend;
  if (s.ok()) s = args.GetChoice("--backend", {"sqlite", "postgres"}, "sqlite", &backend);
  if (s.ok() && !args.positional().empty())
    s = Status::InvalidInput("unexpected argument '" + args.positional()[0] + "'");
  if (!s.ok()) return ReportFailure("snapshot", s);
  Dialect dialect = backend == "postgres" ? Dialect::kPostgres : Dialect::kSqlite;

  ThrowawayDatabases throwaway;
  std::unique_ptr<Database> db;
  std::string where;
  s = Connect(dialect, args.Get("--database"), &throwaway, &db, &where);
  Snapshot snap;
  SnapshotOptions options;
  // PostgreSQL: a second connection reads the other half of each large table
  // (the path bench/snapshot_bench.cc measures).
  if (dialect == Dialect::kPostgres)
    options.connect = [&where](std::unique_ptr<Database>* out) { return OpenPostgres(where, out); };
  if (s.ok()) s = Snapshot::Take(db.get(), options, &snap);
  if (!args.Get("--database").empty()) s = UserDatabase(args.Get("--database"), s);
  if (!s.ok()) return ReportFailure("snapshot", s);

  // A throwaway database's connection string holds its cluster's password.
  const std::string shown = dialect == Dialect::kPostgres ? RedactedConninfo(where) : where;
  std::printf("snapshot of %s%s\n", args.Get("--database").empty() ? "throwaway database " : "",
<<<<<<< HEAD
              shown.c_str());
=======
              RedactSecrets(where).c_str());
>>>>>>> inputs
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
