// PostgresCluster: a throwaway PostgreSQL server in a private directory of
// this process's RunDirectory, reachable only through a unix socket in that
// directory (no TCP), with fsync, synchronous commit and full-page writes off.
//
// Contract:
// - Boot() returns OK and sets *out to a running, ready cluster; otherwise
//   kInfrastructure (no server binaries, initdb failed, the server did not
//   start or become ready: the message then ends with the server log's tail,
//   for the CLI's exit-3 report; also a file operation failing in the run
//   directory or cache, naming it), and leaves nothing behind.
//   The caller owns *out; destroying it stops the server and removes its
//   directory.
// - Database operations return kDatabase with the server's message and
//   SQLSTATE when the server rejects them. They are thread-safe: each opens
//   its own short connection (a few ms, against 30+ ms for the work itself),
//   so no session state leaks between callers. Stop() and Keep() must not
//   run concurrently with anything else on the same cluster.
// - The connection strings are for anyone in this process (harness/db); the
//   cluster holds no connection of its own between calls. They carry a
//   password (cluster_roles.h): never print one (RedactedConninfo) or put it
//   on a command line (ConninfoPassword, for a child's PGPASSWORD).
//
// How a boot goes: initdb runs once per server version into a cache
// (initdb_cache.h) and each boot copies that data directory (use_cache, the
// warm path); use_cache=false runs initdb every time (the cold path). The
// server is started directly as a child (not through pg_ctl, whose exited
// servers linger as zombies), in its own process group, with parent-death
// signal SIGQUIT, and is ready when postmaster.pid says so. As root it runs
// as an unprivileged user (server_user.h). Before it starts, single-user mode
// creates the role migrations run as and gives both roles fresh random
// passwords; the server then authenticates with scram-sha-256 from an hba
// file of this cluster's own (cluster_roles.h). The bootstrap superuser is
// `rehearse` on every machine, and every database the cluster creates is
// owned by `rehearse_owner`.
//
// Settings chosen here, on the command line, beyond the speed ones:
// autovacuum=off, because a throwaway database lives for seconds and an
// autovacuum worker connected to a template would make cloning it fail or
// wait; timezone is UTC (from initdb) so timestamps print the same anywhere.
//
// Identity: clusters copied from one cached initdb share a system_identifier;
// it must never be used as a database's identity.
#ifndef REHEARSE_ENGINE_POSTGRES_CLUSTER_H_
#define REHEARSE_ENGINE_POSTGRES_CLUSTER_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>

#include "harness/common/status.h"
#include "harness/engine/cluster_roles.h"

namespace rehearse {

class LibpqSession;

struct PostgresClusterOptions {
  // Empty: $REHEARSE_PG_BINDIR, else `pg_config --bindir` if it has initdb
  // and postgres, else the newest /usr/lib/postgresql/*/bin.
  std::string bindir;
  // Empty: $REHEARSE_CACHE_DIR, else /var/tmp/rehearse-cache (root) or
  // /var/tmp/rehearse-cache-<uid>.
  std::string cache_dir;
  // false: fresh initdb on every boot (the cold path; benchmarks compare).
  bool use_cache = true;
  // How long the server may take to accept connections.
  std::chrono::milliseconds start_timeout{30000};
};

class PostgresCluster {
 public:
  // The port in every connection string. The socket directory is private to
  // the cluster, so clusters side by side never clash on it.
  static constexpr int kPort = 5432;

  static Status Boot(const PostgresClusterOptions& options, std::unique_ptr<PostgresCluster>* out);

  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;
  ~PostgresCluster();  // Stop()s; never throws

  // Fast shutdown (SIGINT; SIGQUIT then SIGKILL if it takes over 10 s),
  // waits for the server to exit, removes the directory (or moves it out,
  // after Keep()). Idempotent. Returns kInfrastructure if the directory could
  // not be removed or the server would not die. In a forked
  // child it does nothing: the server belongs to the parent.
  Status Stop();

  // "host=<socket dir> port=5432 dbname=<dbname> user=rehearse
  // password=<secret>", values quoted where libpq needs it: the superuser,
  // for the harness's own work and privileged migrations.
  std::string ConnectionString(const std::string& dbname = "postgres") const;
  // The same as kOwnerRole ("rehearse_owner"), the database owner without
  // superuser that migrations run as.
  std::string OwnerConnectionString(const std::string& dbname) const;

  // CREATE DATABASE name OWNER rehearse_owner TEMPLATE template_name
  // STRATEGY FILE_COPY (FILE_COPY
  // is faster than PG15's default WAL_LOG for small templates). Fails with
  // kDatabase (SQLSTATE 55006) if the template still has open connections
  // after a 1-second grace for backends of just-closed ones to exit, with a
  // message that says so, instead of the server's 5-second wait.
  Status CreateDatabase(const std::string& name, const std::string& template_name = "template0");

  // DROP DATABASE ... WITH (FORCE): open connections are terminated, and a
  // template is unmarked first. It is not an error if `name` does not exist.
  Status DropDatabase(const std::string& name);

  // Marks `name` as a template (datistemplate) and disallows new connections
  // to it, so that a clone never races a connection. Connections already
  // open stay open, and make CreateDatabase fail until they close.
  Status MarkTemplate(const std::string& name);

  const std::string& dir() const { return dir_; }  // private: 0700, server user's
  const std::string& data_dir() const { return data_dir_; }
  const std::string& socket_dir() const { return socket_dir_; }
  int port() const { return kPort; }
  pid_t server_pid() const { return server_pid_; }                       // -1 once stopped
  const std::string& server_version() const { return server_version_; }  // e.g. "15.18"

  // The last `lines` lines of the server log ("" if there is none).
  std::string LogTail(int lines) const;

  // Keeps the data for inspection (`--keep`). The server cannot outlive this
  // process: its parent-death signal stops it, by design. So at Stop() or
  // destruction the server is still shut down, cleanly, but instead of
  // being removed the directory is moved out of the run directory (where
  // the watchdog and reaper would remove it) to kept_dir(). Restart it with
  //   postgres -D <kept_dir>/data -k <kept_dir> -c listen_addresses=''
  // as the server user, and connect with host=<kept_dir> user=rehearse: the
  // passwords are gone with this process, and without this cluster's hba
  // file the server uses the data directory's own, which says trust (the
  // kept directory is the server user's alone, 0700).
  void Keep();
  // After Keep(): where the directory goes at Stop(). Empty otherwise.
  const std::string& kept_dir() const { return kept_dir_; }

 private:
  PostgresCluster() = default;
  Status StartServer(const std::string& postgres_program, bool drop_privileges, uid_t uid,
                     gid_t gid, std::chrono::milliseconds timeout);
  Status WaitUntilReady(std::chrono::milliseconds timeout);
  Status StopServer();
  Status Connect(const std::string& avoid_dbname, LibpqSession* session) const;
  // CreateDatabase's session to "postgres", kept open: a rehearsal clones a
  // database per migration, and a new connection (scram) costs about as
  // much as the clone. Null until first used, or after it failed.
  Status AdminSession(const std::string& avoid_dbname, LibpqSession** session);
  Status CreateDatabaseOn(LibpqSession* session, const std::string& name,
                          const std::string& template_name);

  pid_t owner_pid_ = -1;  // the process that booted it; a forked copy leaves it alone
  std::string dir_;
  std::string data_dir_;
  std::string socket_dir_;
  std::string log_path_;
  std::string hba_path_;
  ClusterSecrets secrets_;  // in memory only
  std::string server_version_;
  int major_version_ = 0;
  pid_t server_pid_ = -1;
  bool dir_gone_ = false;
  bool keep_ = false;
  std::string kept_dir_;
  std::unique_ptr<LibpqSession> admin_;
};

}  // namespace rehearse

#endif  // REHEARSE_ENGINE_POSTGRES_CLUSTER_H_
