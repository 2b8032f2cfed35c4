// ClusterRoles: who may connect to a throwaway cluster, and how they prove it.
//
// Migrations under test are untrusted code, so a cluster has two login roles,
// each with its own random password, made at boot and held only in this
// process's memory:
// - kSuperuser ("rehearse"), the bootstrap superuser, for the harness's own
//   work (creating, cloning and dropping databases, filling, snapshots) and
//   for the migrations that ask for it ("privileged": true in
//   migration.json).
// - kOwnerRole ("rehearse_owner"): no superuser, no CREATEDB, CREATEROLE,
//   REPLICATION or BYPASSRLS. It owns every database the cluster creates and
//   runs migrations. As owner it creates schemas, tables and the trusted
//   extensions (pgcrypto, ltree, hstore, citext, uuid-ossp, pg_trgm); COPY …
//   TO PROGRAM, pg_read_file, ALTER SYSTEM and lo_export fail with SQLSTATE
//   42501 (insufficient privilege). Migrations connect as this role directly:
//   SET ROLE would be undone by a RESET ROLE in the migration.
//
// Authentication is scram-sha-256 on the unix socket (there is no TCP), from
// an hba file given on the server's command line, so a process that knows
// the socket but not the password — another run's migration, a psql started
// as the same OS user — is refused. The passwords reach neither argv, the
// environment nor a file: they are set in single-user mode, through a pipe,
// before the server starts, so data directories copied from one initdb cache
// entry (whose own pg_hba.conf says trust and is never used by a running
// cluster) share no password.
//
// What this does not protect against: a privileged migration can run
// programs as the server's OS user, and that user can read every cluster's
// files; isolation between clusters holds for connections, not for it.
#ifndef REHEARSE_ENGINE_CLUSTER_ROLES_H_
#define REHEARSE_ENGINE_CLUSTER_ROLES_H_

#include <string>

#include "harness/common/status.h"
#include "harness/engine/postgres_installation.h"
#include "harness/engine/server_user.h"

namespace rehearse {

// The role migrations run as and every database's owner.
inline constexpr const char* kOwnerRole = "rehearse_owner";

struct ClusterSecrets {
  std::string superuser_password;  // kSuperuser's
  std::string owner_password;      // kOwnerRole's
};

// 64 hex digits from the kernel's random source.
Status MakeRandomSecret(std::string* secret);

// Creates kOwnerRole and gives both roles fresh passwords (*secrets) in the
// stopped cluster at `data_dir`, running `postgres --single` as `user`.
// Returns kInfrastructure (without the passwords) when that fails.
Status SetUpClusterRoles(const PostgresInstallation& installation, const ServerUser& user,
                         const std::string& data_dir, ClusterSecrets* secrets);

// Writes the hba file at `path` (a new file in the cluster's private
// directory, readable by `user`): scram-sha-256 for every local connection,
// nothing else. Returns kIoError when it cannot.
Status WriteHbaFile(const std::string& path, const ServerUser& user);

}  // namespace rehearse

#endif  // REHEARSE_ENGINE_CLUSTER_ROLES_H_
