// ThrowawayDatabases: hands out fresh, empty databases of either dialect for a
// rehearsal or a test, and owns what backs them. PostgreSQL databases are
// cloned from template0 in one cluster booted on first use; SQLite databases
// are files in the process's private run directory. Everything is removed when
// this object is destroyed (or by the engine's watchdog if the process dies).
//
// Roles (PostgreSQL): Create() connects as the cluster's superuser, for the
// harness's own work (filling, snapshots, domain checks). Migrations under
// test are untrusted code and run on a connection from ConnectAs(kOwner):
// the database's owner, without superuser (engine/cluster_roles.h).
#ifndef REHEARSE_DB_THROWAWAY_DATABASES_H_
#define REHEARSE_DB_THROWAWAY_DATABASES_H_

#include <memory>
#include <string>
#include <vector>

#include "harness/common/status.h"
#include "harness/db/database.h"
#include "harness/engine/postgres_cluster.h"
#include "harness/engine/sqlite_file.h"

namespace rehearse {

// The connections migrations on one database run on: on PostgreSQL the
// owner's, without superuser, and the superuser's for migrations marked
// "privileged" (opened only when asked for); SQLite has no roles, so its
// migrations run on the harness's own connection. For a Migrator:
// Migrator(db, …) with MigratorOptions::privileged_db = privileged.
struct MigrationConnections {
  Database* db = nullptr;
  Database* privileged = nullptr;  // null: privileged migrations run on `db`
  std::unique_ptr<Database> owned_db, owned_privileged;
};

class ThrowawayDatabases {
 public:
  explicit ThrowawayDatabases(PostgresClusterOptions options = {});
  ~ThrowawayDatabases();

  // Creates a new empty database and connects to it. *location (optional)
  // receives its connection string or file path, *name (optional) what
  // `template_name` takes to clone it: `template_name` (PostgreSQL) clones
  // that database instead of template0 — it must have no open connection —;
  // for SQLite it is a file path to copy with the backup API.
  Status Create(Dialect dialect, std::unique_ptr<Database>* db, std::string* location = nullptr,
                const std::string& template_name = "", std::string* name = nullptr);

  // Whether SQLite connections made from now on enforce foreign keys
  // (PRAGMA foreign_keys): on by default, as Rehearse's own layout runs; off
  // where a layout's tool leaves SQLite's default.
  void SetSqliteForeignKeys(bool on) { sqlite_foreign_keys_ = on; }

  // A new private (0700) directory in the run directory, for files that live
  // as long as the databases do (snapshot archives, rollback artifacts). It
  // is removed by ReleaseScratchDir or at destruction (kept with KeepAll).
  Status ScratchDir(const std::string& prefix, std::string* dir);
  // Removes a directory ScratchDir made, now: archives of a big database
  // take as much room as it does, and the run directory is usually tmpfs.
  void ReleaseScratchDir(const std::string& dir);

  // Keep everything this object creates (from now on and already) for
  // inspection instead of removing it: the cluster's directory and SQLite
  // files are moved out of the run directory at destruction. kept() lists,
  // one line each, where they will be and how to use them: how to restart
  // the cluster, then every database in the order it was made, with what it
  // was cloned from and the command that opens it.
  void KeepAll();
  std::vector<std::string> kept() const;
  // What the database that Create() last made holds, for kept()
  // ("0002_x rehearsed: left at 0002").
  void DescribeLast(std::string what);

  // A new connection to the PostgreSQL database `name` (Create's *name) as
  // `role`: kOwner is the role migrations run as, kSuperuser the one a
  // migration marked "privileged" runs as. kInvalidInput before the cluster
  // has booted.
  enum class Role { kOwner, kSuperuser };
  Status ConnectAs(const std::string& name, Role role, std::unique_ptr<Database>* db);

  // Fills *out for the database `name` (Create's *name) that `db` (Create's)
  // is connected to; `privileged` opens the superuser's connection too.
  Status ConnectForMigrations(Database* db, const std::string& name, bool privileged,
                              MigrationConnections* out);

  // Drops every database made so far but those named in `live` (Create's
  // *name), once more than kMaxRetained are alive: a long chain would
  // otherwise keep every clone it made until the end, in a run directory
  // that is usually RAM. Nothing is dropped after KeepAll(). A dropped
  // database must have no connection the caller still uses.
  static constexpr size_t kMaxRetained = 8;
  Status DropAllBut(const std::vector<std::string>& live);

  // The cluster behind PostgreSQL databases, booting it when needed.
  Status Cluster(PostgresCluster** cluster);

 private:
  PostgresClusterOptions options_;
  std::unique_ptr<PostgresCluster> cluster_;
  std::vector<std::unique_ptr<SqliteFile>> files_;
  // Every database made, in order, for kept(): name, and what it was cloned
  // from (empty: made empty).
  struct Made {
    Dialect dialect;
    std::string name;
    std::string from;
    const SqliteFile* file = nullptr;
    std::string what;
  };
  std::vector<Made> made_;
  std::vector<std::string> scratch_;  // made by ScratchDir, not yet released
  int next_id_ = 0;
  bool keep_ = false;
  bool sqlite_foreign_keys_ = true;
};

}  // namespace rehearse

#endif  // REHEARSE_DB_THROWAWAY_DATABASES_H_
